"""upgrade / downgrade / current / stamp on PostgreSQL and MariaDB, and what a failing revision
leaves behind: rolled back whole where DDL is transactional, a precise "partly migrated" error
where it is not."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.chainkit import run_cli, table_names, table_ops, version_rows, write_rev

pytestmark = pytest.mark.db

BACKENDS = ("postgresql", "mysql")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


def chain(project: Path, failing: bool = False) -> None:
    """t1 -> t2 -> t3 creating tables; with ``failing``, t2 breaks after creating its table."""
    down = None
    folder = project / "migrations" / "versions"
    for rev in ("t1", "t2", "t3"):
        up, undo = table_ops(rev)
        if failing and rev == "t2":
            up += "\nop.execute('SELECT * FROM no_such_table')"
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
    chain(project, failing=True)
    result = run_cli(["upgrade", "--db", url], project)
    assert result.code == 2
    err = result.err
    assert (
        "upgrade of revision t2 (t2_rev.py) failed at statement 'SELECT * FROM no_such_table'"
        in err
    )
    assert "no_such_table" in err and "rolled back whole; the database is at t1" in err
    assert version_rows(url) == ["t1"]
    tables = table_names(url)
    assert "t1" in tables and "t2" not in tables  # t2's CREATE TABLE was rolled back too


def test_mariadb_failure_says_partly_migrated(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("mysql")
    chain(project, failing=True)
    result = run_cli(["upgrade", "--db", url], project)
    assert result.code == 2
    err = result.err
    assert (
        "upgrade of revision t2 (t2_rev.py) failed at statement 'SELECT * FROM no_such_table'"
        in err
    )
    assert "cannot roll back DDL, so it is now partly migrated" in err
    assert "version table still says t1 (the previous revision)" in err
    assert "1 statement(s) of it had already run" in err
    assert version_rows(url) == ["t1"]
    assert {"t1", "t2"} <= table_names(url)  # MariaDB committed t2's CREATE TABLE
