"""Offline SQL for the MySQL family is written for the server it is meant for (issue 13).

MariaDB and MySQL 8 take different DDL for the same change (``DROP CONSTRAINT`` / ``DROP CHECK``
for a check constraint, native ``UUID`` / ``CHAR(32)``); the ``mysql_flavour`` setting, a
``mariadb+`` URL or the server's own version chooses, and the output says which at the top. The
MariaDB text is run against the real MariaDB here; MySQL 8 is not available on this machine, so
its text is only asserted (untested against a server).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.backends.registry import rules_for
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.render.code import Code
from schemadiff.render.sql import render_sql
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import run_cli


def _v1() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "items",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("qty", sa.Integer),
        sa.Column("code", sa.String(36)),
        sa.Column("seen", sa.TIMESTAMP(), nullable=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id", name="fk_items_owner")),
        sa.Column("login", sa.String(20)),
        sa.CheckConstraint("qty > 0", name="ck_items_qty"),
        sa.UniqueConstraint("login", name="uq_items_login"),
    )
    return m


def _v2() -> sa.MetaData:
    """Every kind of change the two servers spell differently, or that MODIFY could spoil."""
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "items",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quantity", sa.Integer),  # renamed (hint below)
        sa.Column("code", sa.String(36), server_default=sa.text("uuid()")),  # expression default
        sa.Column("seen", sa.TIMESTAMP(), nullable=True, comment="last seen"),  # stays TIMESTAMP
        sa.Column("owner_id", sa.Integer),  # foreign key dropped
        sa.Column("login", sa.String(20, collation="utf8mb4_bin")),  # collation only
        sa.Column("token", sa.Uuid()),  # MariaDB UUID, MySQL CHAR(32)
        # check and unique constraint dropped
    )
    return m


def _project(folder: Path, url: str, extra: str = "") -> Path:
    folder.mkdir()
    (folder / "models_offline.py").write_text(
        "from tests.cli.test_mysql_offline import _v2\n\nmetadata = _v2()\n"
    )
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_offline:metadata"\n'
        f'script_location = "migrations"\n{extra}'
    )
    return folder


def _statements(sql: str) -> list[str]:
    """The statements of offline SQL, comment lines left out."""
    out = []
    for chunk in sql.split(";\n"):
        body = "\n".join(x for x in chunk.splitlines() if not x.lstrip().startswith("--"))
        if body.strip():
            out.append(body.strip())
    return out


def _run_all(url: str, sql: str) -> None:
    """Every statement on the server; the first it refuses fails the test with its text."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            for statement in _statements(sql):
                conn.exec_driver_sql(statement.replace("%", "%%"))
            conn.commit()
    finally:
        engine.dispose()


def _left(url: str) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            db = inspect_database(conn, [])
            models = inspect_metadata(_v2(), conn.dialect, db.default_schema)
    finally:
        engine.dispose()
    options = CompareOptions(metadata=_v2(), use_entry_points=False)
    return [op.describe() for op in compute_diff(db, models, options).ops]


@pytest.mark.db
def test_diff_sql_is_accepted_by_mariadb(
    backend_url: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``diff --format sql`` on a ``mysql+pymysql://`` URL to MariaDB: MariaDB SQL (read from
    the server), which MariaDB runs to the end, and nothing is left to change."""
    url = backend_url("mysql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        _v1().create_all(conn)
        conn.execute(sa.text("INSERT INTO users (id) VALUES (1)"))
        conn.execute(sa.text("INSERT INTO items (id, qty, owner_id, login) VALUES (1, 2, 1, 'a')"))
    engine.dispose()
    monkeypatch.syspath_prepend(str(Path(__file__).parents[2]))
    project = _project(tmp_path / "p", url)
    result = run_cli(["diff", "--format", "sql", "--rename-column", "items.qty=quantity"], project)
    assert result.code == 1, result
    first = result.out.splitlines()[0]
    assert first.startswith("-- target: MariaDB 10.") and "the server's version" in first
    assert "DROP CONSTRAINT ck_items_qty" in result.out and "DROP CHECK" not in result.out
    assert "SET DEFAULT (uuid())" in result.out
    assert "seen TIMESTAMP NULL COMMENT 'last seen'" in result.out
    _run_all(url, result.out)
    assert _left(url) == []


@pytest.mark.db
def test_upgrade_sql_reads_the_server_and_runs_on_mariadb(
    backend_url: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``upgrade --sql`` asks a reachable server which it is (one ``SELECT VERSION()``, nothing
    changed); the whole output, version table included, runs on an empty MariaDB database."""
    url = backend_url("mysql")
    monkeypatch.syspath_prepend(str(Path(__file__).parents[2]))
    project = _project(tmp_path / "p", url)
    assert run_cli(["init", "migrations"], project).code == 0
    made = run_cli(["revision", "--autogenerate", "-m", "all", "--rev-id", "r1"], project)
    assert made.code == 0, made
    out = run_cli(["upgrade", "--sql"], project)
    assert out.code == 0, out
    assert out.out.startswith("-- target: MariaDB 10.")
    assert sa.inspect(sa.create_engine(url)).get_table_names() == []  # nothing ran
    assert " UUID" in out.out
    _run_all(url, out.out)
    assert _left(url) == []


def _body(*lines: str) -> Code:
    return Code(lines, frozenset({"import sqlalchemy as sa"}))


DROP_CHECK = _body(
    "op.drop_constraint('ck_items_qty', 'items', type_='check')",
    "op.add_column('items', sa.Column('token', sa.Uuid(), nullable=True))",
    "op.alter_column('items', 'code', existing_type=sa.String(length=36), "
    "server_default=sa.text('(uuid())'))",
)


def _target(setting: str | None, backend: str = "mysql", version: str | None = None) -> str:
    """The SQL of DROP_CHECK for a flavour setting, URL backend and probed server version."""
    target = rules_for("mysql").offline_target(setting, backend, None, lambda: version)
    return render_sql(DROP_CHECK, "mysql", target)


def test_mysql8_text() -> None:
    """MySQL 8's spelling (asserted only: no MySQL 8 server here)."""
    sql = _target("mysql")
    assert sql.startswith('-- target: MySQL 8 (mysql_flavour = "mysql")\n')
    assert "ALTER TABLE items DROP CHECK ck_items_qty" in sql
    assert "ADD COLUMN token CHAR(32)" in sql
    assert "ALTER TABLE items ALTER COLUMN code SET DEFAULT (uuid())" in sql
    from_server = _target(None, version="8.0.36")
    assert from_server.startswith("-- target: MySQL 8.0.36 (the server's version)\n")
    assert "DROP CHECK ck_items_qty" in from_server


@pytest.mark.parametrize(
    ("setting", "backend", "version", "header"),
    [
        ("mariadb", "mysql", None, '-- target: MariaDB (mysql_flavour = "mariadb")'),
        (None, "mariadb", None, "-- target: MariaDB (a mariadb+ URL)"),
        (None, "mysql", "10.11.6-MariaDB-0+deb12u1", "-- target: MariaDB 10.11.6 (the server"),
    ],
)
def test_mariadb_text(setting: str | None, backend: str, version: str | None, header: str) -> None:
    sql = _target(setting, backend, version)
    assert sql.startswith(header)
    assert "ALTER TABLE items DROP CONSTRAINT ck_items_qty" in sql
    assert "ADD COLUMN token UUID" in sql


def test_old_mariadb_has_no_uuid_type() -> None:
    assert "token CHAR(32)" in _target(None, "mysql", "10.6.12-MariaDB")
    # a version already known (diff reflects it) refines an explicit choice of the same flavour
    known = rules_for("mysql").offline_target("mariadb", "mysql", "10.6.12-MariaDB", _never)
    sql = render_sql(DROP_CHECK, "mysql", known)
    assert sql.startswith('-- target: MariaDB 10.6.12 (mysql_flavour = "mariadb")')
    assert "token CHAR(32)" in sql
    other = rules_for("mysql").offline_target("mysql", "mysql", "10.6.12-MariaDB", _never)
    assert render_sql(DROP_CHECK, "mysql", other).startswith("-- target: MySQL 8 (")


def _never() -> str | None:
    raise AssertionError("the server must not be asked when the choice is made")


def test_no_server_assumes_mysql8_and_says_how_to_choose(tmp_path: Path) -> None:
    """Nothing says which and no server answers: MySQL 8, and the comment says how to pick."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "schemadiff.toml").write_text('script_location = "migrations"\n')
    assert run_cli(["init", "migrations"], project).code == 0
    versions = project / "migrations" / "versions"
    (versions / "r1_x.py").write_text(
        'revision = "r1"\ndown_revision = None\nbranch_labels = None\ndepends_on = None\n'
        "from alembic import op\n\n\ndef upgrade():\n"
        "    op.drop_constraint('ck', 't', type_='check')\n\n\ndef downgrade():\n    pass\n"
    )
    unreachable = "mysql+pymysql://u:secret@nohost.invalid/db"
    out = run_cli(["upgrade", "--sql", "--db", unreachable], project)
    assert out.code == 0, out
    assert out.out.startswith("-- target: MySQL 8 (assumed: no server answered; ")
    assert 'mysql_flavour = "mariadb"' in out.out.splitlines()[0]
    assert "DROP CHECK ck" in out.out and "secret" not in out.out + out.err
    maria = run_cli(["upgrade", "--sql", "--db", "mariadb+pymysql://u@nohost.invalid/db"], project)
    assert maria.out.startswith("-- target: MariaDB (a mariadb+ URL)")
    assert "DROP CONSTRAINT ck" in maria.out


@pytest.mark.parametrize("value", ['"oracle"', "1"])
def test_unknown_flavour_is_an_error(tmp_path: Path, value: str) -> None:
    (tmp_path / "schemadiff.toml").write_text(f'url = "sqlite:///x.db"\nmysql_flavour = {value}\n')
    result = run_cli(["diff"], tmp_path)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "'mysql_flavour' must be 'mariadb' or 'mysql'" in result.err
