"""Coverage honesty (issue 13, sections 4 and 6): whatever a real database holds that schemadiff
does not compare is listed as "not compared" (a count per kind in text, every name in JSON), never
passed over; PostgreSQL partitions and extension-owned tables are never proposed for drop."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.report.json_report import report_dict
from schemadiff.snapshot.model import DbObject
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import run_process

pytestmark = pytest.mark.db


def _diff(engine: Engine, metadata: sa.MetaData, **options: object) -> DiffResult:
    db = inspect_database(engine)
    models = inspect_metadata(metadata, engine.dialect, db.default_schema)
    return compute_diff(db, models, CompareOptions(**options))  # type: ignore[arg-type]


def _coverage(result: DiffResult) -> list[str]:
    return [n.message for n in result.notices if n.objects]


def _users(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text),
    )


# --- PostgreSQL ---------------------------------------------------------------------------------


@pytest.fixture
def pg(backend_url: Callable[[str], str]) -> Iterator[Engine]:
    engine = sa.create_engine(backend_url("postgresql"))
    yield engine
    with engine.begin() as conn:
        conn.execute(sa.text("DROP EVENT TRIGGER IF EXISTS cov_ddl"))
    engine.dispose()


_PG_OBJECTS = """
CREATE SCHEMA audit;
CREATE VIEW audit.hidden AS SELECT 1 AS one;
CREATE TABLE posts (id serial PRIMARY KEY, user_id integer REFERENCES users (id));
CREATE TABLE things (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
CREATE VIEW active_users AS SELECT * FROM users;
CREATE MATERIALIZED VIEW user_count AS SELECT count(*) AS n FROM users;
CREATE SEQUENCE invoice_numbers;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql AS 'SELECT a + b';
CREATE FUNCTION add(a numeric, b numeric) RETURNS numeric LANGUAGE sql AS 'SELECT a + b';
CREATE PROCEDURE noop() LANGUAGE sql AS 'SELECT 1';
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON users USING (true);
CREATE RULE keep_users AS ON DELETE TO users DO INSTEAD NOTHING;
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b integer);
CREATE TYPE span AS RANGE (subtype = float8);
CREATE EXTENSION hstore;
CREATE EXTENSION pg_stat_statements;
CREATE FUNCTION on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER cov_ddl ON ddl_command_end EXECUTE FUNCTION on_ddl();
"""


def _models_pg() -> sa.MetaData:
    metadata = sa.MetaData()
    _users(metadata)
    sa.Table(
        "posts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    )
    sa.Table(
        "things", metadata, sa.Column("id", sa.Integer, sa.Identity(always=True), primary_key=True)
    )
    sa.Sequence("invoice_numbers", metadata=metadata)  # sequences are compared, not listed
    return metadata


def test_postgresql_lists_every_kind_it_does_not_compare(pg: Engine) -> None:
    metadata = _models_pg()
    with pg.begin() as conn:
        _users(sa.MetaData()).create(conn)
        conn.exec_driver_sql(_PG_OBJECTS)
    db = inspect_database(pg)
    # compared, listed when the models declare none
    assert [v.name for v in db.views] == ["active_users", "user_count"]
    assert set(db.uncompared) == {
        DbObject("rule", "keep_users", None, "users"),
        DbObject("composite type", "pair"),
        DbObject("range type", "span"),  # not its constructor functions or multirange
        DbObject("event trigger", "cov_ddl"),
    }
    # compared (not their types, functions, operators, views), listed when the models declare
    # none; plpgsql never
    assert [e.name for e in db.extensions] == ["hstore", "pg_stat_statements"]
    assert [d.name for d in db.domains] == ["positive"]
    # compared; SERIAL's own sequence is its column's, identity sequences are not read at all
    assert [(s.name, s.implicit) for s in db.sequences] == [
        ("invoice_numbers", False),
        ("posts_id_seq", True),
        ("users_id_seq", True),
    ]
    # functions, procedures and triggers are reflected to be compared (not the foreign key's
    # internal triggers, nor the functions of a range type or an extension)
    assert [f.describe() for f in db.functions] == [
        "function add(a integer, b integer)",
        "function add(a numeric, b numeric)",
        "procedure noop()",
        "function on_ddl()",
        "function touch()",
    ]
    assert [t.describe() for t in db.triggers] == ["trigger users_touch on users"]
    # and policies and row-level security
    assert [p.describe() for p in db.policies] == ["policy own_rows on users"]
    assert [r.describe() for r in db.row_security] == ["row-level security on users"]
    # models that declare none leave them alone: listed as not compared, as before
    result = _diff(pg, metadata)
    assert result.ops == ()
    assert _coverage(result) == [
        "1 view, 1 materialized view, 4 functions, 1 procedure, 1 trigger, "
        "1 event trigger, 1 rule, 1 policy, row-level security on 1 table, 1 domain, "
        "1 composite type, 1 range type, 2 extensions"
    ]
    [notice] = [n for n in report_dict(result)["notices"] if n["objects"]]
    assert notice["level"] == "not_compared"
    assert {"kind": "trigger", "schema": None, "name": "users_touch", "table": "users"} in notice[
        "objects"
    ]
    # the audit schema is listed only when it is compared
    db = inspect_database(pg, ["audit"])
    assert ("audit", "hidden") in [(v.schema, v.name) for v in db.views]
    # objects of an excluded table go with it
    excluded = _diff(pg, metadata, exclude_tables=("users", "active_*"))
    [notice] = [n for n in excluded.notices if n.objects]
    assert {o.kind for o in notice.objects if o.table == "users"} == set()
    assert DbObject("view", "active_users") not in notice.objects


def test_postgresql_table_owned_by_an_extension_is_never_dropped(pg: Engine) -> None:
    """PostGIS's ``spatial_ref_sys`` stands here as a table added to hstore (the same
    ``pg_depend`` entry, ``deptype = 'e'``): not reflected, not proposed for drop, not listed
    one by one (the extension is)."""
    metadata = sa.MetaData()
    _users(metadata)
    with pg.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql(
            "CREATE EXTENSION hstore;"
            "CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY, srtext varchar(2048));"
            "ALTER EXTENSION hstore ADD TABLE spatial_ref_sys;"
        )
    db = inspect_database(pg)
    assert [t.name for t in db.tables] == ["users"]
    assert db.uncompared == () and [e.name for e in db.extensions] == ["hstore"]
    result = _diff(pg, metadata)
    assert result.ops == ()
    assert _coverage(result) == ["1 extension"]


def test_postgresql_enum_owned_by_an_extension_is_never_dropped(pg: Engine) -> None:
    metadata = sa.MetaData()
    _users(metadata)
    with pg.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql(
            "CREATE EXTENSION hstore;"
            "CREATE TYPE mood AS ENUM ('sad', 'ok');"
            "ALTER EXTENSION hstore ADD TYPE mood;"
        )
    db = inspect_database(pg)
    assert db.enums == ()
    result = _diff(pg, metadata)
    assert result.ops == ()
    assert _coverage(result) == ["1 extension"]


def _events(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("created", sa.Date, nullable=False),
        sa.Column("payload", sa.Text),
        sa.PrimaryKeyConstraint("id", "created"),
        sa.Index("ix_events_created", "created"),
        postgresql_partition_by="RANGE (created)",
    )


def test_postgresql_partitions_are_listed_not_dropped(pg: Engine) -> None:
    """The parent is compared (columns, keys, indexes, its partition key: the models declare
    it); its partitions are not separate tables to drop, and, since the models declare none of
    them, are listed as not compared."""
    metadata = sa.MetaData()
    _events(metadata)
    with pg.begin() as conn:
        metadata.create_all(conn)
        for year in (2024, 2025, 2026):
            conn.exec_driver_sql(
                f"CREATE TABLE events_{year} PARTITION OF events "
                f"FOR VALUES FROM ('{year}-01-01') TO ('{year + 1}-01-01')"
            )
        conn.exec_driver_sql(
            "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
            "CREATE TRIGGER events_touch BEFORE UPDATE ON events "
            "FOR EACH ROW EXECUTE FUNCTION touch()"
        )
    db = inspect_database(pg)
    assert [t.name for t in db.tables] == ["events"]
    assert [i.name for i in db.tables[0].indexes] == ["ix_events_created"]
    result = _diff(pg, metadata)
    assert result.ops == ()
    # the row trigger is cloned onto each partition: listed once, on the parent
    assert _coverage(result) == ["1 function, 1 trigger, 3 partitions of events"]
    # a change of the parent is still found
    changed = sa.MetaData()
    _events(changed).append_column(sa.Column("source", sa.String(20)))
    assert [op.kind for op in _diff(pg, changed).ops] == ["add_column"]


# --- MySQL / MariaDB ----------------------------------------------------------------------------


@pytest.fixture
def my(backend_url: Callable[[str], str]) -> Iterator[Engine]:
    engine = sa.create_engine(backend_url("mysql"))
    yield engine
    with engine.begin() as conn:  # the reset between tests drops tables and views only
        conn.exec_driver_sql("DROP PROCEDURE IF EXISTS noop")
        conn.exec_driver_sql("DROP FUNCTION IF EXISTS twice")
        conn.exec_driver_sql("DROP EVENT IF EXISTS nightly")
    engine.dispose()


def test_mysql_lists_every_kind_it_does_not_compare(my: Engine) -> None:
    metadata = sa.MetaData()
    _users(metadata)
    sa.Table(
        "events",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        mysql_partition_by="HASH (id)",
        mysql_partitions="4",
    )
    with my.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql("CREATE VIEW active_users AS SELECT * FROM users")
        conn.exec_driver_sql(
            "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.name = NEW.name"
        )
        conn.exec_driver_sql("CREATE PROCEDURE noop() SELECT 1")
        conn.exec_driver_sql("CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN 2 * x")
        conn.exec_driver_sql(
            "CREATE EVENT nightly ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM users"
        )
        mariadb = "mariadb" in str(conn.exec_driver_sql("SELECT VERSION()").scalar()).lower()
        if mariadb:
            conn.exec_driver_sql("CREATE SEQUENCE invoice_numbers")
    db = inspect_database(my)
    assert [t.name for t in db.tables] == ["events", "users"]
    assert [v.name for v in db.views] == ["active_users"]
    # a MariaDB sequence is compared, not listed; so is the partitioning of a table
    assert set(db.uncompared) == {DbObject("event", "nightly")}
    assert [p.summary() for p in db.table_partitioning] == ["HASH (id), 4 partitions"]
    assert [s.name for s in db.sequences] == (["invoice_numbers"] if mariadb else [])
    if mariadb:
        sa.Sequence("invoice_numbers", metadata=metadata)
    # triggers and routines are compared (models that declare none leave them alone, listed
    # below)
    assert [t.describe() for t in db.triggers] == ["trigger users_touch on users"]
    assert [f.describe() for f in db.functions] == ["procedure noop()", "function twice(x integer)"]
    result = _diff(my, metadata)
    assert result.ops == ()
    assert _coverage(result) == ["1 view, 1 function, 1 procedure, 1 trigger, 1 event"]
    # models that declare no partitioning leave the table's alone (listed)
    metadata.tables["events"].dialect_kwargs.pop("mysql_partition_by")
    assert _coverage(_diff(my, metadata)) == [
        "1 view, 1 function, 1 procedure, 1 trigger, 1 event, partitioning of 1 table"
    ]


# --- SQLite -------------------------------------------------------------------------------------


def test_sqlite_lists_views_and_triggers(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/app.db")
    metadata = sa.MetaData()
    _users(metadata)
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql("CREATE VIEW active_users AS SELECT * FROM users")
        conn.exec_driver_sql("CREATE VIEW named AS SELECT name FROM users")
        conn.exec_driver_sql("CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT 1; END")
    db = inspect_database(engine)
    assert db.uncompared == ()
    assert [t.describe() for t in db.triggers] == ["trigger users_touch on users"]
    assert [v.name for v in db.views] == ["active_users", "named"]
    result = _diff(engine, metadata)  # none declared: the database's are listed
    assert result.ops == ()
    assert _coverage(result) == ["2 views, 1 trigger"]
    engine.dispose()


def test_cli_reports_show_the_coverage_line(tmp_path: Path) -> None:
    """diff (text, JSON) and check (text, markdown, github): one summary line, names in JSON."""
    engine = sa.create_engine(f"sqlite:///{tmp_path}/app.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)")
        conn.exec_driver_sql("CREATE VIEW active_users AS SELECT * FROM users")
        conn.exec_driver_sql("CREATE TRIGGER t1 AFTER UPDATE ON users BEGIN SELECT 1; END")
        conn.exec_driver_sql("CREATE TRIGGER t2 AFTER INSERT ON users BEGIN SELECT 1; END")
    engine.dispose()
    (tmp_path / "models.py").write_text(
        "import sqlalchemy as sa\n"
        "metadata = sa.MetaData()\n"
        'sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True),\n'
        '         sa.Column("name", sa.Text))\n'
    )
    args = ("--db", "sqlite:///app.db", "--metadata", "models:metadata")
    line = "not compared: 1 view, 2 triggers"
    text = run_process(tmp_path, "diff", *args)
    assert text.code == 0, text.stderr
    assert line in text.stdout.splitlines()
    report = json.loads(run_process(tmp_path, "diff", *args, "--format", "json").stdout)
    [notice] = report["notices"]
    assert notice["message"] == "1 view, 2 triggers"
    assert [o["name"] for o in notice["objects"]] == ["t1", "t2", "active_users"]
    check = run_process(tmp_path, "check", *args)
    assert check.code == 0 and line in check.stdout.splitlines()
    markdown = run_process(tmp_path, "check", *args, "--format", "markdown").stdout
    assert "- **not compared**: 1 view, 2 triggers" in markdown
    github = run_process(tmp_path, "check", *args, "--format", "github").stdout
    assert any(g.endswith(f"::{line}") for g in github.splitlines())
