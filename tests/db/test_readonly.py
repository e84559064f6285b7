"""The read-only guarantee: ``check``, ``diff`` and ``snapshot`` reflect inside a transaction the
server refuses to write in, and create nothing (not even the version table). Proven with a
PostgreSQL role that may only connect and read the catalog."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from schemadiff.backends.readonly import read_only, read_version_rows
from schemadiff.chain.versions import version_table
from tests.kit.check import MODELS, execute, tables, unique_module
from tests.kit.cli import run_cli

USERS = "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)"


def test_writes_fail_inside_the_read_only_transaction(db_url: str) -> None:
    execute(db_url, USERS)
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn:
            for statement in (
                "INSERT INTO users (id, name) VALUES (1, 'x')",
                "CREATE TABLE sneaky (id INTEGER)",
                "DROP TABLE users",
            ):
                with read_only(conn), pytest.raises(DBAPIError) as caught:
                    conn.exec_driver_sql(statement)
                assert "read" in str(caught.value).lower()  # read-only / readonly / READ ONLY
            # the connection is writable again afterwards (the mode does not leak)
            conn.exec_driver_sql("INSERT INTO users (id, name) VALUES (1, 'x')")
            conn.commit()
    finally:
        engine.dispose()
    assert tables(db_url) == {"users"}


def test_reading_the_version_table_never_creates_it(db_url: str) -> None:
    execute(db_url, USERS)
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn, read_only(conn):
            assert read_version_rows(conn, version_table()) == ()
    finally:
        engine.dispose()
    execute(
        db_url,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version (version_num) VALUES ('abc123')",
    )
    engine = sa.create_engine(db_url)
    try:
        with engine.connect() as conn, read_only(conn):
            assert read_version_rows(conn, version_table()) == ("abc123",)
    finally:
        engine.dispose()


def test_commands_create_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check (with a chain configured), diff and snapshot leave the database as they found it."""
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    execute(db_url, USERS)
    module = unique_module(tmp_path, MODELS)
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "schemadiff.toml").write_text(
        f'url = "{db_url}"\nmetadata = "{module}:Base.metadata"\nscript_location = "migrations"\n'
    )
    for args in (["check"], ["diff"], ["snapshot", "-o", "snap.json"]):
        result = run_cli(args, tmp_path)
        assert result.code in (0, 1), (args, result)
    assert tables(db_url) == {"users"}


# --- a PostgreSQL role that can only connect and read the catalog ----------------------------


@pytest.fixture
def catalog_reader(backend_url: Callable[[str], str]) -> Iterator[tuple[str, str]]:
    """(owner URL, URL of a new LOGIN role with CONNECT only) on this module's PG database.

    The test database's ``public`` schema is recreated between tests without PostgreSQL's default
    ``USAGE`` for PUBLIC; that default is restored here (it is how every new database starts),
    and the role itself gets no grant but CONNECT.
    """
    owner_url = backend_url("postgresql")
    database = make_url(owner_url).database
    role = f"schemadiff_ro_{uuid.uuid4().hex[:8]}"
    execute(
        owner_url,
        "GRANT USAGE ON SCHEMA public TO PUBLIC",
        f'CREATE ROLE "{role}" LOGIN',
        f'GRANT CONNECT ON DATABASE "{database}" TO "{role}"',
    )
    reader_url = make_url(owner_url).set(username=role).render_as_string(hide_password=False)
    try:
        yield owner_url, reader_url
    finally:
        execute(
            owner_url,
            f'REVOKE CONNECT ON DATABASE "{database}" FROM "{role}"',
            f'DROP OWNED BY "{role}"',
            f'DROP ROLE "{role}"',
        )


@pytest.mark.db
def test_catalog_only_role_can_check_diff_and_snapshot(
    catalog_reader: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner_url, reader_url = catalog_reader
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    execute(
        owner_url,
        USERS,
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)",
        "INSERT INTO alembic_version VALUES ('aaa111')",
    )
    module = unique_module(tmp_path, MODELS)
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "schemadiff.toml").write_text(
        f'metadata = "{module}:Base.metadata"\nscript_location = "migrations"\n'
    )
    # the role really cannot read the tables (so everything below comes from the catalog)
    with pytest.raises(DBAPIError, match="permission denied"):
        execute(reader_url, "SELECT * FROM alembic_version")

    check = run_cli(["check", "--db", reader_url, "--format", "json"], tmp_path)
    assert check.code == 1, check
    report = json.loads(check.out)
    assert {(c["op"], c["name"]) for c in report["changes"]} == {
        ("add_column", "email"),
        ("add_column", "phone"),
    }
    # the version table exists but is unreadable: said so, not guessed
    assert report["drift"]["note"] == (
        "the database's revision is unknown (the version table is not readable)"
    )
    assert run_cli(["diff", "--db", reader_url], tmp_path).code == 1
    snap = run_cli(["snapshot", "--db", reader_url, "-o", "snap.json"], tmp_path)
    assert snap.code == 0, snap
    assert run_cli(["check", "--db", "snap.json", "--no-classify"], tmp_path).code == 1


@pytest.mark.db
def test_catalog_only_role_write_attempt_fails_inside_read_only(
    catalog_reader: tuple[str, str],
) -> None:
    """A temporary table is the one thing the role may create (PUBLIC has TEMP): outside the
    read-only transaction it can, inside it cannot."""
    _, reader_url = catalog_reader
    engine = sa.create_engine(reader_url)
    try:
        with engine.connect() as conn:
            with read_only(conn), pytest.raises(DBAPIError, match="read-only transaction"):
                conn.exec_driver_sql("CREATE TEMPORARY TABLE scratchpad (id INTEGER)")
            conn.exec_driver_sql("CREATE TEMPORARY TABLE scratchpad (id INTEGER)")
            conn.rollback()
    finally:
        engine.dispose()


@pytest.mark.db
def test_a_role_without_any_usable_schema_is_an_error_not_an_empty_database(
    catalog_reader: tuple[str, str], tmp_path: Path
) -> None:
    owner_url, reader_url = catalog_reader
    execute(owner_url, USERS, "REVOKE USAGE ON SCHEMA public FROM PUBLIC")
    result = run_cli(["snapshot", "--db", reader_url, "-o", "-"], tmp_path)
    assert result.code == 2
    assert "has no current schema on this database" in result.err
    assert "GRANT USAGE ON SCHEMA public" in result.err
