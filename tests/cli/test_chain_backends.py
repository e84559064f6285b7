"""upgrade / downgrade / current / stamp on PostgreSQL and MariaDB, and what a failing revision
leaves behind: rolled back whole where DDL is transactional, a precise "partly migrated" error
where it is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit.chain import table_names, table_ops, version_rows, write_rev
from tests.kit.cli import run_cli

pytestmark = pytest.mark.db

BACKENDS = ("postgresql", "mysql")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


FAIL = "op.execute('SELECT * FROM no_such_table')"
SECOND_TABLE = "op.create_table('t2b', sa.Column('id', sa.Integer, primary_key=True))"


def chain(project: Path, failing: str | None = None) -> None:
    """t1 -> t2 -> t3 creating tables; with ``failing``, t2 runs three statements (create t2, a
    failing SELECT, create t2b) with the failing one ``"second"`` or ``"first"``."""
    down = None
    folder = project / "migrations" / "versions"
    for rev in ("t1", "t2", "t3"):
        up, undo = table_ops(rev)
        if failing == "second" and rev == "t2":
            up = f"{up}\n{FAIL}\n{SECOND_TABLE}"
        elif failing == "first" and rev == "t2":
            up = f"{FAIL}\n{up}\n{SECOND_TABLE}"
        write_rev(folder, rev, down, upgrade=up, downgrade=undo)
        down = rev


@pytest.mark.parametrize("backend", BACKENDS)
def test_commands(project: Path, backend_url: Callable[[str], str], backend: str) -> None:
    url = backend_url(backend)
    chain(project)

    def cli(*args: str) -> str:
        result = run_cli([*args, "--db", url], project)
        assert result.code == 0, result.err
        return result.out

    cli("upgrade", "t2")
    assert version_rows(url) == ["t2"] and {"t1", "t2"} <= table_names(url)
    assert cli("current") == "t2\n"
    cli("upgrade")
    assert cli("current") == "t3 (head)\n"
    cli("downgrade", "t1")
    assert version_rows(url) == ["t1"] and not {"t2", "t3"} & table_names(url)
    cli("stamp", "head")
    assert version_rows(url) == ["t3"] and "t3" not in table_names(url)
    cli("stamp", "--purge", "t1")
    cli("downgrade", "base")
    assert version_rows(url) == [] and "t1" not in table_names(url)


def test_postgresql_failure_rolls_back_the_revision(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("postgresql")
    chain(project, failing="second")
    result = run_cli(["upgrade", "--db", url], project)
    assert result.code == 2
    err = result.err
    assert (
        "upgrade of revision t2 (t2_rev.py) failed at statement 2 of 3 "
        "'SELECT * FROM no_such_table'" in err
    )
    assert "no_such_table" in err and "rolled back whole; the database is at t1" in err
    assert version_rows(url) == ["t1"]
    tables = table_names(url)
    assert "t1" in tables and "t2" not in tables  # t2's CREATE TABLE was rolled back too


@pytest.mark.parametrize("backend", ["mysql", "sqlite"])
def test_partly_applied_revision_names_what_ran_and_what_did_not(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    """Without transactional DDL the error lists the statements of the failing revision that
    ran, the one that failed and those that did not run, and what the version table holds."""
    url = backend_url(backend)
    chain(project, failing="second")
    result = run_cli(["upgrade", "--db", url], project)
    assert result.code == 2
    [err] = result.err.splitlines()
    assert err.startswith(
        "error: upgrade of revision t2 (t2_rev.py) failed at statement 2 of 3 "
        "'SELECT * FROM no_such_table': "
    ), err
    assert (
        "this database cannot roll back DDL, so t2 is partly applied: ran 1) CREATE TABLE t2" in err
    )
    assert "; failed 2) SELECT * FROM no_such_table; not run 3) CREATE TABLE t2b (" in err
    assert "the version table holds t1 (t2 is not recorded)" in err
    assert "none of it had run" not in err and "still says" not in err
    assert version_rows(url) == ["t1"]
    tables = table_names(url)
    assert {"t1", "t2"} <= tables and "t2b" not in tables  # what the message says is true


@pytest.mark.parametrize("backend", ["mysql", "sqlite"])
def test_revision_failing_at_its_first_statement_changed_nothing(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    chain(project, failing="first")
    first = run_cli(["upgrade", "t1", "--db", url], project)
    assert first.code == 0, first
    result = run_cli(["upgrade", "--db", url], project)
    assert result.code == 2
    [err] = result.err.splitlines()
    assert "failed at statement 1 of 3 'SELECT * FROM no_such_table'" in err, err
    assert "nothing of t2 had run, so the database is unchanged" in err, err
    assert "the version table holds t1, as before; not run 2) CREATE TABLE t2 (id" in err, err
    assert "partly" not in err
    assert version_rows(url) == ["t1"] and "t2" not in table_names(url)


def test_failure_from_base_names_base(project: Path, backend_url: Callable[[str], str]) -> None:
    url = backend_url("mysql")
    folder = project / "migrations" / "versions"
    write_rev(folder, "t1", None, upgrade=f"{table_ops('t1')[0]}\n{FAIL}", downgrade="pass")
    result = run_cli(["upgrade", "--db", url], project)
    [err] = result.err.splitlines()
    assert "t1 is partly applied: ran 1) CREATE TABLE t1" in err, err
    assert "the version table holds no revision (base; t1 is not recorded)" in err, err


def test_python_error_in_a_revision_after_a_statement(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    """Not a statement's error: what ran is listed, and the rest is said not to have run."""
    url = backend_url("sqlite")
    folder = project / "migrations" / "versions"
    body = f"{table_ops('t1')[0]}\nraise RuntimeError('boom')\n{SECOND_TABLE}"
    write_rev(folder, "t1", None, upgrade=body, downgrade="pass")
    [err] = run_cli(["upgrade", "--db", url], project).err.splitlines()
    assert err.startswith("error: upgrade of revision t1 (t1_rev.py) failed: RuntimeError: boom;")
    assert (
        "t1 is partly applied: ran 1) CREATE TABLE t1 (id INTEGER NOT NULL, PRIMARY KEY (id))"
        in err
    )
    assert "; the rest of t1 did not run; the version table holds no revision (base; t1 is" in err


def test_partly_undone_downgrade(project: Path, backend_url: Callable[[str], str]) -> None:
    url = backend_url("sqlite")
    folder = project / "migrations" / "versions"
    up = f"{table_ops('t1')[0]}\n{SECOND_TABLE}"
    down = f"op.drop_table('t2b')\n{FAIL}\nop.drop_table('t1')"
    write_rev(folder, "t1", None, upgrade=up, downgrade=down)
    assert run_cli(["upgrade", "--db", url], project).code == 0
    [err] = run_cli(["downgrade", "base", "--db", url], project).err.splitlines()
    assert "downgrade of revision t1 (t1_rev.py) failed at statement 2 of 3" in err, err
    assert "t1 is partly undone: ran 1) DROP TABLE t2b; failed 2) SELECT" in err, err
    assert "not run 3) DROP TABLE t1; the version table holds t1 (t1 is recorded)" in err, err
    assert "then run 'schemadiff downgrade' again" in err
    assert version_rows(url) == ["t1"] and "t2b" not in table_names(url)
