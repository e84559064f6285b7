"""Ctrl-C during ``upgrade`` (issue 14, section 4): exit 130 and one line naming the revision and
the state it left, checked against the database itself: rolled back whole where DDL is
transactional (PostgreSQL), else every statement of it that already ran, numbered (MariaDB/MySQL,
and SQLite, whose driver commits DDL at once too); the migration lock is released, so the
repaired database upgrades at once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import table_names, version_rows, write_rev
from tests.kit.cli import run_cli

pytestmark = pytest.mark.db

#: r2: one table, then a long wait (skipped once the test's ``go`` file exists): a statement the
#: server runs (so Ctrl-C lands inside it), or a Python loop on SQLite
R2 = """\
import os, pathlib, time
op.create_table('t_new', sa.Column('id', sa.Integer, primary_key=True))
here = pathlib.Path(os.environ['INTERRUPT_TEST_DIR'])
(here / 'started').touch()
if not (here / 'go').exists():
    sleep = {'postgresql': 'SELECT pg_sleep(30)', 'mysql': 'SELECT SLEEP(30)'}
    dialect = op.get_bind().dialect.name
    if dialect in sleep:
        op.execute(sleep[dialect])
    else:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.05)"""

#: what each server shows while r2's wait runs
RUNNING = {
    "postgresql": "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
    "AND query = 'SELECT pg_sleep(30)'",
    "mysql": "SELECT count(*) FROM information_schema.processlist WHERE info = 'SELECT SLEEP(30)'",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    monkeypatch.setenv("INTERRUPT_TEST_DIR", str(tmp_path))  # the in-process runs read it too
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    folder = tmp_path / "migrations" / "versions"
    write_rev(
        folder,
        "r1",
        upgrade="op.create_table('acct', sa.Column('id', sa.Integer, primary_key=True))",
        downgrade="op.drop_table('acct')",
    )
    write_rev(folder, "r2", "r1", upgrade=R2, downgrade="op.drop_table('t_new')")
    return tmp_path


def start_upgrade(project: Path, url: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMADIFF_URL")}
    env |= {"INTERRUPT_TEST_DIR": str(project), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "schemadiff", "upgrade", "head", "--db", url],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C stops it even when this test runs where SIGINT is ignored (a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until(done: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def sleeping(url: str, backend: str) -> bool:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text(RUNNING[backend])).scalar())
    finally:
        engine.dispose()


def interrupt_r2(project: Path, url: str, backend: str) -> str:
    """Upgrade to r1, start ``upgrade head``, Ctrl-C inside r2's wait; returns stderr."""
    assert run_cli(["upgrade", "r1", "--db", url], project).code == 0
    proc = start_upgrade(project, url)
    wait_until(lambda: (project / "started").exists(), proc, "r2 to start")
    if backend in RUNNING:
        wait_until(lambda: sleeping(url, backend), proc, "r2's sleep on the server")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    return err


def upgrade_again(project: Path, url: str) -> None:
    """The next upgrade (r2 without its wait) runs at once: the lock was released."""
    (project / "go").touch()
    result = run_cli(["upgrade", "head", "--db", url, "--lock-timeout", "10"], project)
    assert result.code == 0, result.err
    assert version_rows(url) == ["r2"]


def test_postgresql_rolls_the_revision_back(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("postgresql")
    err = interrupt_r2(project, url, "postgresql")
    assert err.splitlines() == [
        "error: upgrade of revision r2 (r2_rev.py) interrupted: it was rolled back whole; the "
        "database is still at r1"
    ]
    assert "t_new" not in table_names(url)
    assert version_rows(url) == ["r1"]
    upgrade_again(project, url)


def test_mysql_names_the_statements_that_ran(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("mysql")
    err = interrupt_r2(project, url, "mysql")
    assert err.splitlines() == [
        "error: upgrade of revision r2 (r2_rev.py) interrupted: this database cannot roll back "
        "DDL, so 1 statement of r2 already ran: 1) CREATE TABLE t_new (id INTEGER NOT NULL "
        "AUTO_INCREMENT, PRIMARY KEY (id)); it was interrupted while running 2) SELECT "
        "SLEEP(30) (the server may still finish it: check); the version table holds r1 (r2 is "
        "not recorded); undo what ran or finish the revision by hand, then run 'schemadiff "
        "upgrade' again (or 'schemadiff stamp' to record where it stands)"
    ]
    assert "t_new" in table_names(url)  # what the line claims ran, ran
    assert version_rows(url) == ["r1"]
    _drop(url, "t_new")  # the repair the line asks for
    upgrade_again(project, url)


def test_sqlite_names_the_statements_that_ran(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    """pysqlite runs DDL outside a transaction: the table stays, and the line says so."""
    url = backend_url("sqlite")
    err = interrupt_r2(project, url, "sqlite")
    assert err.splitlines() == [
        "error: upgrade of revision r2 (r2_rev.py) interrupted: this database cannot roll back "
        "DDL, so 1 statement of r2 already ran: 1) CREATE TABLE t_new (id INTEGER NOT NULL, "
        "PRIMARY KEY (id)); the version table holds r1 (r2 is not recorded); undo what ran or "
        "finish the revision by hand, then run 'schemadiff upgrade' again (or 'schemadiff "
        "stamp' to record where it stands)"
    ]
    assert "t_new" in table_names(url)
    assert version_rows(url) == ["r1"]
    assert not list(Path(sa.make_url(url).database or "").parent.glob("*.schemadiff-lock"))
    _drop(url, "t_new")
    upgrade_again(project, url)


def _drop(url: str, table: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP TABLE {table}"))
    finally:
        engine.dispose()


def test_listed_statements_never_show_a_password_literal(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    """A failed revision lists what ran; a password in a statement is masked there."""
    url = backend_url("mysql")
    write_rev(
        project / "migrations" / "versions",
        "r3",
        "r2",
        upgrade="op.execute(\"SELECT PASSWORD('s3cret-pw')\")\nop.execute('SELECT * FROM nope')",
    )
    (project / "go").touch()
    result = run_cli(["upgrade", "head", "--db", url], project)
    assert result.code == 2
    assert "ran 1) SELECT PASSWORD('***'); failed 2) SELECT * FROM nope" in result.err, result.err
    assert "s3cret-pw" not in result.err
