"""SQLite reflection: the kitchen sink round-trips, and each SQLite quirk is normalized.

Every test builds a real SQLite database (the module's file, or a tmp_path file) with
``create_all`` or hand-written DDL, reflects it, and compares with what the models say.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.kitchen_sink import build, create
from schemadiff.diff.engine import compute_diff
from schemadiff.snapshot.io import dumps, loads
from schemadiff.snapshot.model import Computed, ForeignKey, IndexElement, Snapshot, Table
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata

COMMENT_NOTE = "comments (SQLite does not store them)"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A fresh database file per test (hand-written DDL here is odder than what a shared
    database's reset, which reflects with SQLAlchemy, is meant to read)."""
    eng = sa.create_engine(f"sqlite:///{tmp_path}/test.db")
    yield eng
    eng.dispose()


def reflect(engine: Engine, schemas: list[str] | None = None) -> Snapshot:
    with engine.connect() as conn:
        return inspect_database(conn, schemas)


def models_of(metadata: sa.MetaData, engine: Engine) -> Snapshot:
    return inspect_metadata(metadata, engine.dialect, "main")


def ddl(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def table(snapshot: Snapshot, name: str) -> Table:
    return snapshot.table_map()[(None, name)]


def test_kitchen_sink_reflects_exactly_as_the_models_say(engine: Engine) -> None:
    metadata = build("sqlite")
    create(metadata, engine)
    db = reflect(engine)
    models = models_of(metadata, engine)
    assert [t.name for t in db.tables] == [t.name for t in models.tables]
    for reflected, modelled in zip(db.tables, models.tables, strict=True):
        assert reflected == modelled, reflected.name
    result = compute_diff(db, models)
    assert result.ops == ()
    assert [n.message for n in result.notices if n.message.startswith(COMMENT_NOTE)] == [
        f"{COMMENT_NOTE} on users, users.bio"
    ]


def test_unnamed_constraints_reflect_with_name_none(engine: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "child",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("parent.id", onupdate="CASCADE")),
        sa.Column("rank", sa.Integer, sa.CheckConstraint("rank BETWEEN 1 AND 5")),
        sa.UniqueConstraint("parent_id", "rank"),
    )
    metadata.create_all(engine)
    child = table(reflect(engine), "child")
    assert child.primary_key is not None and child.primary_key.name is None
    assert [(u.name, u.columns) for u in child.unique_constraints] == [
        (None, ("parent_id", "rank"))
    ]
    assert [(c.name, c.sqltext) for c in child.check_constraints] == [
        (None, "(rank >= 1) AND (rank <= 5)")  # BETWEEN reads as PostgreSQL stores it
    ]
    assert child.foreign_keys == (
        ForeignKey(("parent_id",), None, "parent", ("id",), onupdate="CASCADE"),
    )
    assert child == table(models_of(metadata, engine), "child")


def test_named_constraints_are_read_from_the_create_table_text(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE parent (id INTEGER CONSTRAINT pk_parent PRIMARY KEY, code TEXT "
        "CONSTRAINT uq_code UNIQUE)",
        'CREATE TABLE "Child" ("Id" integer, parent_id INT CONSTRAINT fk_inline REFERENCES '
        "Parent ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, code text, "
        'CONSTRAINT pk_child PRIMARY KEY ("Id"), '
        "CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES parent (code) ON UPDATE SET NULL)",
    )
    db = reflect(engine)
    parent, child = table(db, "parent"), table(db, "Child")
    assert parent.primary_key is not None and parent.primary_key.name == "pk_parent"
    assert [(u.name, u.columns) for u in parent.unique_constraints] == [("uq_code", ("code",))]
    assert child.primary_key is not None and child.primary_key.name == "pk_child"
    assert child.foreign_keys == (
        ForeignKey(("code",), None, "parent", ("code",), "fk_code", onupdate="SET NULL"),
        ForeignKey(
            ("parent_id",),
            None,
            "parent",  # the stored spelling of the table, and its key when no column is named
            ("id",),
            "fk_inline",
            ondelete="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
    )


def test_automatic_indexes_are_constraints_never_indexes(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE pairs (a TEXT, b TEXT, c TEXT UNIQUE, PRIMARY KEY (a, b), UNIQUE (b, c))",
        "CREATE INDEX ix_pairs_c ON pairs (c)",
    )
    with engine.connect() as conn:
        auto = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE name LIKE 'sqlite_autoindex_pairs%'"
        ).scalar()
    assert auto == 3  # the primary key's and both UNIQUEs'
    pairs = table(reflect(engine), "pairs")
    assert [i.name for i in pairs.indexes] == ["ix_pairs_c"]
    assert [u.columns for u in pairs.unique_constraints] == [("b", "c"), ("c",)]
    assert pairs.primary_key is not None and pairs.primary_key.columns == ("a", "b")


def test_partial_and_expression_indexes_are_parsed(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE docs (id INTEGER PRIMARY KEY, title TEXT, state TEXT, at DATETIME)",
        "CREATE INDEX ix_live ON docs (title) WHERE state = 'live' AND (at IS NOT NULL)",
        "CREATE UNIQUE INDEX ix_expr ON docs (lower(title), at DESC, title COLLATE NOCASE)",
    )
    indexes = {i.name: i for i in table(reflect(engine), "docs").indexes}
    live = indexes["ix_live"]
    assert live.elements == (IndexElement("title"),)
    assert live.where == "(state = 'live') AND (NOT (at IS NULL))"
    expr = indexes["ix_expr"]
    assert expr.unique
    assert expr.elements == (
        IndexElement("LOWER(title)", is_expression=True),
        IndexElement("at", descending=True),
        IndexElement("title COLLATE NOCASE", is_expression=True),
    )


def test_checks_with_commas_and_parentheses(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE t (a TEXT CHECK (a <> ','), b INT, "
        "CONSTRAINT odd CHECK (coalesce(a, 'x,(y') <> ')' AND (b IN (1, 2) OR b > 10)), "
        "CHECK (length(a) > 0))",
    )
    checks = table(reflect(engine), "t").check_constraints
    assert [(c.name, c.sqltext) for c in checks] == [
        (None, "LENGTH(a) > 0"),
        (None, "a <> ','"),
        ("odd", "(COALESCE(a, 'x,(y') <> ')') AND ((b IN (1, 2)) OR (b > 10))"),
    ]


def test_generated_columns(engine: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table(
        "lines",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("price", sa.Integer),
        sa.Column("qty", sa.Integer),
        sa.Column("total", sa.Integer, sa.Computed("price * qty")),
        sa.Column("stored", sa.Integer, sa.Computed("price + 1", persisted=True)),
        sa.Column("virtual", sa.Integer, sa.Computed("(qty - 1)", persisted=False)),
    )
    metadata.create_all(engine)
    lines = table(reflect(engine), "lines")
    assert {c.name: c.computed for c in lines.columns if c.computed} == {
        "total": Computed("price * qty", None),
        "stored": Computed("price + 1", True),
        "virtual": Computed("qty - 1", None),  # VIRTUAL is SQLite's default
    }
    assert lines == table(models_of(metadata, engine), "lines")


def test_rowid_alias_is_the_only_autoincrement_column(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE a (id INTEGER PRIMARY KEY)",
        "CREATE TABLE b (id INT PRIMARY KEY)",
        "CREATE TABLE c (id BIGINT PRIMARY KEY)",
        "CREATE TABLE d (x INTEGER, y INTEGER, PRIMARY KEY (x, y))",
        "CREATE TABLE e (id INTEGER PRIMARY KEY AUTOINCREMENT)",
    )
    db = reflect(engine)
    auto = {t.name: [c.name for c in t.columns if c.autoincrement] for t in db.tables}
    assert auto == {"a": ["id"], "b": [], "c": [], "d": [], "e": ["id"]}
    a_id = table(db, "a").columns[0]
    assert not a_id.nullable  # a rowid alias can never hold NULL


def test_sqlite_autoincrement_key_loses_its_constraint_name(engine: Engine) -> None:
    metadata = sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"})
    sa.Table(
        "t", metadata, sa.Column("id", sa.Integer, primary_key=True), sqlite_autoincrement=True
    )
    sa.Table("u", metadata, sa.Column("id", sa.Integer, primary_key=True))
    metadata.create_all(engine)
    db, models = reflect(engine), models_of(metadata, engine)
    assert [t.primary_key for t in db.tables] == [t.primary_key for t in models.tables]
    assert table(db, "t").primary_key.name is None  # type: ignore[union-attr]
    assert table(db, "u").primary_key.name == "pk_u"  # type: ignore[union-attr]


def test_types_defaults_and_collations_as_declared(engine: Engine) -> None:
    ddl(
        engine,
        "CREATE TABLE t (a varchar ( 20 ) COLLATE nocase, b NUMERIC(10, 2) DEFAULT -1.5, "
        "c whatever odd type(3), d, e BOOLEAN DEFAULT TRUE, f TEXT DEFAULT (upper('x')), "
        "g DATETIME DEFAULT CURRENT_TIMESTAMP)",
    )
    cols = {c.name: c for c in table(reflect(engine), "t").columns}
    assert {n: c.type.sql for n, c in cols.items()} == {
        "a": "varchar(20)",
        "b": "numeric(10,2)",
        "c": "whatever odd type(3)",
        "d": "",
        "e": "boolean",
        "f": "text",
        "g": "datetime",
    }
    assert cols["c"].type.known and cols["c"].type.python is None
    assert cols["a"].collation == "nocase"
    defaults = {n: (c.server_default, c.raw_default) for n, c in cols.items() if c.raw_default}
    assert defaults == {
        "b": ("-1.5", "-1.5"),
        "e": ("1", "TRUE"),
        "f": ("UPPER('x')", "(upper('x'))"),
        "g": ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
    }


def test_snapshot_json_round_trip_equals_live_reflection(engine: Engine) -> None:
    create(build("sqlite"), engine)
    db = reflect(engine)
    text = dumps(db)
    assert loads(text) == db
    assert dumps(loads(text)) == text  # the hint fields (raw SQL, Python types) survive too


def test_comment_note_only_when_the_models_use_comments(engine: Engine) -> None:
    plain = sa.MetaData()
    sa.Table("t", plain, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Text))
    plain.create_all(engine)
    db = reflect(engine)
    assert db.not_compared == ()
    quiet = compute_diff(db, models_of(plain, engine))
    assert quiet.ops == () and quiet.notices == ()

    commented = sa.MetaData()
    sa.Table(
        "t",
        commented,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.Text, comment="words"),
        comment="a table",
    )
    models = models_of(commented, engine)
    assert models.not_compared == (f"{COMMENT_NOTE} on t, t.x",)
    loud = compute_diff(db, models)
    assert loud.ops == ()
    assert [n.message for n in loud.notices] == [f"{COMMENT_NOTE} on t, t.x"]


def test_other_schemas_are_not_supported(engine: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="main")
    sa.Table("elsewhere", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="other")
    metadata.tables["main.t"].create(engine)
    db = reflect(engine, ["other"])
    assert db.not_compared == ("schema other (attached SQLite databases are not supported)",)
    models = inspect_metadata(metadata, engine.dialect)  # no default schema given
    assert [(t.schema, t.name) for t in models.tables] == [(None, "t")]
    assert models.not_compared == (
        "tables in schema other (attached SQLite databases are not supported)",
    )


def test_virtual_tables_are_listed_as_not_compared(engine: Engine) -> None:
    try:
        ddl(engine, "CREATE VIRTUAL TABLE docs USING fts5(body)")
    except sa.exc.OperationalError:
        pytest.skip("this SQLite has no fts5")
    ddl(engine, "CREATE TABLE plain (id INTEGER PRIMARY KEY)")
    db = reflect(engine)
    assert [t.name for t in db.tables] == ["plain"]
    assert len(db.not_compared) == 1
    assert db.not_compared[0].startswith("virtual tables docs, docs_")


def test_catalog_statements_do_not_grow_with_tables(engine: Engine) -> None:
    def count(n: int) -> int:
        with engine.begin() as conn:
            for i in range(n):
                conn.exec_driver_sql(
                    f"CREATE TABLE IF NOT EXISTS t{i} (id INTEGER PRIMARY KEY, "
                    f"x TEXT UNIQUE, y INT REFERENCES t0 (id) CHECK (y > 0))"
                )
                conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_t{i} ON t{i} (lower(x))")
        statements: list[str] = []
        with engine.connect() as conn:
            sa.event.listen(conn, "before_cursor_execute", lambda *a: statements.append(a[2]))
            inspect_database(conn)
        return len(statements)

    assert count(3) == count(30)
