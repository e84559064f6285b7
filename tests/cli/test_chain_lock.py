"""Two runners on one database (issue 14, section 1): ``upgrade``/``downgrade``/``stamp`` hold a
per-database migration lock from reading the current revision to the last version-row write, so a
second ``schemadiff upgrade head`` started at once waits and then finds nothing to do (or gives up
after ``--lock-timeout`` with one line), and a data migration runs exactly once. Every
version-row write checks that it changed exactly the expected row."""

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

from schemadiff.backends.registry import rules_for
from tests.kit.chain import version_rows, write_rev
from tests.kit.cli import run_cli

pytestmark = pytest.mark.db

BACKENDS = ("sqlite", "postgresql", "mysql")

#: r2's data migration: say it started (a marker file), wait for the test's go-ahead (a file,
#: so the second runner surely reads r1 and waits), then add 10 to the balance
SLOW_DATA_MIGRATION = """\
import os, pathlib, time
pathlib.Path(os.environ['LOCK_TEST_DIR'], 'started-' + os.environ['LOCK_TEST_NAME']).touch()
deadline = time.monotonic() + 20
while not pathlib.Path(os.environ['LOCK_TEST_DIR'], 'go').exists() and time.monotonic() < deadline:
    time.sleep(0.05)
op.execute("UPDATE acct SET balance = balance + 10")"""

#: r2 in the rowcount test: another connection moves the version row while r2 runs
MOVE_VERSION_ROW = """\
import os
engine = sa.create_engine(os.environ['LOCK_TEST_URL'])
with engine.begin() as other:
    other.execute(sa.text("UPDATE alembic_version SET version_num = 'zz'"))
engine.dispose()
op.execute("UPDATE acct SET balance = balance + 10")"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


def chain(project: Path, r2_body: str) -> None:
    folder = project / "migrations" / "versions"
    write_rev(
        folder,
        "r1",
        upgrade=(
            "op.create_table('acct', sa.Column('id', sa.Integer, primary_key=True), "
            "sa.Column('balance', sa.Integer, nullable=False))\n"
            "op.execute('INSERT INTO acct (id, balance) VALUES (1, 0)')"
        ),
        downgrade="op.drop_table('acct')",
    )
    write_rev(
        folder, "r2", "r1", upgrade=r2_body, downgrade="op.execute('UPDATE acct SET balance = 0')"
    )


def balance(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT balance FROM acct")).scalar_one())
    finally:
        engine.dispose()


def start(project: Path, url: str, name: str, *extra: str) -> subprocess.Popen[str]:
    """``schemadiff upgrade head`` as a separate process (the real CLI)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMADIFF_URL")}
    env |= {"LOCK_TEST_DIR": str(project), "LOCK_TEST_NAME": name, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "schemadiff", "upgrade", "head", "--db", url, *extra],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C stops it even when this test runs where SIGINT is ignored (a background job)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def wait_until(done: Callable[[], bool], what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def first_inside(project: Path, url: str) -> subprocess.Popen[str]:
    """The first runner, once it is inside r2's data migration (holding the lock)."""
    chain(project, SLOW_DATA_MIGRATION)
    assert run_cli(["upgrade", "r1", "--db", url], project).code == 0
    first = start(project, url, "first")
    wait_until(lambda: (project / "started-first").exists() or first.poll() is not None, "r2")
    assert first.poll() is None, first.communicate()
    return first


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_upgrades_at_once_apply_the_revision_once(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    first = first_inside(project, url)
    second = start(project, url, "second")
    assert second.stdout is not None
    line = second.stdout.readline()  # printed once it finds the lock taken
    assert line.startswith("waiting for another upgrade, downgrade or stamp on this database")
    (project / "go").touch()
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert not (project / "started-second").exists()  # r2 never ran in the second process
    assert "the database moved from r1 to r2 while this upgrade waited" in out2
    assert "nothing to do: the database is at r2" in out2
    assert "the database is now at r2" in out1
    assert balance(url) == 10
    assert version_rows(url) == ["r2"]
    if backend == "sqlite":  # the lock file goes with the lock
        assert not list(Path(sa.make_url(url).database or "").parent.glob("*.schemadiff-lock"))


def test_interrupted_upgrade_says_so_and_releases_the_lock(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    """Ctrl-C during a revision: one line, exit 130, the lock (and SQLite's lock file) released,
    so the next upgrade runs at once."""
    url = backend_url("sqlite")
    first = first_inside(project, url)
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert err.splitlines() == [
        "error: upgrade of revision r2 (r2_rev.py) interrupted before any statement of it "
        "completed; the version table holds r1, as before"
    ]
    assert not list(Path(sa.make_url(url).database or "").parent.glob("*.schemadiff-lock"))
    assert version_rows(url) == ["r1"]
    (project / "go").touch()
    second = start(project, url, "second", "--lock-timeout", "0")
    _, err2 = second.communicate(timeout=60)
    assert second.returncode == 0, err2
    assert balance(url) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_second_upgrade_gives_up_after_lock_timeout(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    first = first_inside(project, url)
    second = start(project, url, "second", "--lock-timeout", "0.5")
    out2, err2 = second.communicate(timeout=60)
    (project / "go").touch()
    out1, err1 = first.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 2, (out2, err2)
    assert err2.splitlines() == [
        "error: another upgrade, downgrade or stamp is running on this database; waited 0.5 s "
        "(raise lock_timeout or --lock-timeout to wait longer)"
    ]
    assert balance(url) == 10
    assert version_rows(url) == ["r2"]


@pytest.mark.parametrize("command", [["downgrade", "r1"], ["stamp", "r1"], ["upgrade", "head"]])
@pytest.mark.parametrize("backend", BACKENDS)
def test_downgrade_and_stamp_take_the_lock(
    project: Path, backend_url: Callable[[str], str], backend: str, command: list[str]
) -> None:
    url = backend_url(backend)
    chain(project, "pass")
    assert run_cli(["upgrade", "r2", "--db", url], project).code == 0
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            rules = rules_for(conn.dialect.name)
            with rules.migration_lock(conn, ".alembic_version", 5, lambda: None):
                result = run_cli([*command, "--db", url, "--lock-timeout", "0.2"], project)
    finally:
        engine.dispose()
    assert result.code == 2, result.out
    assert "another upgrade, downgrade or stamp is running on this database; waited" in result.err
    assert version_rows(url) == ["r2"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_version_row_moved_under_the_runner_fails_the_revision(
    project: Path,
    backend_url: Callable[[str], str],
    backend: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = backend_url(backend)
    chain(project, MOVE_VERSION_ROW)
    assert run_cli(["upgrade", "r1", "--db", url], project).code == 0
    monkeypatch.setenv("LOCK_TEST_URL", url)
    result = run_cli(["upgrade", "head", "--db", url], project)
    assert result.code == 2, result.out
    err = result.err.strip()
    assert len(err.splitlines()) == 1
    assert (
        "upgrade of revision r2 (r2_rev.py) stopped: expected the version table to hold r1" in err
    )
    assert "another process changed the version table while it ran (it now holds zz)" in err
    assert "at base" not in err and "(base" not in err
    assert version_rows(url) == ["zz"]
    if backend == "postgresql":
        assert "rolled back whole" in err
        assert balance(url) == 0


def test_offline_sql_has_no_lock_statement(project: Path) -> None:
    chain(project, "op.execute('UPDATE acct SET balance = balance + 10')")
    for url in ("postgresql://u@h/d", "mysql+pymysql://u@h/d", "sqlite:///x.db"):
        result = run_cli(["upgrade", "head", "--sql", "--db", url], project)
        assert result.code == 0, result.err
        low = result.out.lower()
        assert "balance + 10" in low
        assert not any(w in low for w in ("advisory", "get_lock", "release_lock", "immediate"))


def test_lock_timeout_setting_is_checked(project: Path) -> None:
    (project / "schemadiff.toml").write_text('lock_timeout = "soon"\n', encoding="utf-8")
    result = run_cli(["upgrade", "head", "--db", "sqlite:///x.db"], project)
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: schemadiff.toml: 'lock_timeout' must be a number of seconds"
    ]
    (project / "schemadiff.toml").unlink()
    result = run_cli(["stamp", "head", "--db", "sqlite:///x.db", "--lock-timeout", "-1"], project)
    assert result.code == 2
    assert "'lock_timeout' must be a number of seconds (0 or more)" in result.err
