"""PostgreSQL reflection against a real server: the kitchen sink reflects exactly like its models,
each normalization holds on real catalog output, and catalog queries do not grow with tables."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, replace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine

from fixtures import kitchen_sink
from schemadiff.diff.engine import compute_diff
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    Computed,
    Enum,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    Snapshot,
    Table,
)
from schemadiff.sources import inspect_database, settle_models
from schemadiff.sources.metadata import inspect_metadata

pytestmark = pytest.mark.db


@pytest.fixture
def pg(backend_url: Callable[[str], str]) -> Iterator[Engine]:
    engine = sa.create_engine(backend_url("postgresql"))
    yield engine
    engine.dispose()


@pytest.fixture
def sink(pg: Engine) -> tuple[sa.MetaData, Snapshot]:
    """The kitchen sink created with ``create_all`` and reflected (default schema + audit)."""
    metadata = kitchen_sink.build("postgresql")
    with pg.begin() as conn:
        kitchen_sink.create(metadata, conn)  # creates the audit schema too
    return metadata, inspect_database(pg, ["audit"])


def _table(snapshot: Snapshot, name: str, schema: str | None = None) -> Table:
    return snapshot.table_map()[(schema, name)]


def _col(snapshot: Snapshot, table: str, column: str, schema: str | None = None) -> Column:
    col = _table(snapshot, table, schema).column(column)
    assert col is not None, f"{table}.{column} missing"
    return col


def _named_like(db: Table, model: Table) -> Table:
    """The reflected table with constraint names dropped where the model has none (the
    database always names constraints; an unnamed model constraint matches by structure)."""

    def align(db_items: tuple[Any, ...], model_items: tuple[Any, ...]) -> tuple[Any, ...]:
        unnamed = {replace(m, name=None) for m in model_items if m.name is None}
        return tuple(
            replace(d, name=None) if replace(d, name=None) in unnamed else d for d in db_items
        )

    pk = db.primary_key
    if pk is not None and model.primary_key is not None and model.primary_key.name is None:
        pk = replace(pk, name=None)
    return replace(
        db,
        primary_key=pk,
        unique_constraints=align(db.unique_constraints, model.unique_constraints),
        foreign_keys=align(db.foreign_keys, model.foreign_keys),
        check_constraints=align(db.check_constraints, model.check_constraints),
    )


# --- (a) the kitchen sink reflects exactly like the models ---------------------------------


def test_kitchen_sink_matches_its_models(pg: Engine, sink: tuple[sa.MetaData, Snapshot]) -> None:
    metadata, db = sink
    models = inspect_metadata(metadata, pg.dialect, db.default_schema)
    assert db.table_map().keys() == models.table_map().keys()
    for key, model in models.table_map().items():
        reflected = _named_like(db.table_map()[key], model)
        for f in fields(Table):
            assert getattr(reflected, f.name) == getattr(model, f.name), (key, f.name)
    assert db.enums == models.enums
    assert db.schemas == models.schemas == ("audit",)
    assert db.not_compared == ()
    with pg.connect() as conn:  # the declared domain, view... in the server's spelling
        settled = settle_models(conn, db, models)
    result = compute_diff(db, settled)
    assert result.ops == ()
    assert result.notices == ()
    assert db.default_schema == "public"
    assert db.server_version and db.server_version[0].isdigit()


# --- (b) each normalization on real catalog output ----------------------------------------


def test_types_are_canonical(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    docs = {c.name: c.type.sql for c in _table(db, "documents").columns}
    assert docs == {
        "id": "bigint",
        "uid": "uuid",
        "owner_id": "integer",
        "title": "varchar(200)",
        "body": "jsonb",
        "meta": "json",
        "tags": "varchar(30)[]",
        "scores": "integer[]",
        "mood": "enum(mood)",
        "previous_mood": "enum(mood)",
        "ip": "inet",
        "network": "cidr",
        "ttl": "interval",
        "created": "timestamptz",
        "clock": "timetz",
        "price": "numeric(12,4)",
        "qty": "integer",
        "total": "numeric(16,4)",
        "weight": "real",
        "amount": "numeric",
        "search": "tsvector",
        "payload": "bytea",
        "label": "char(3)",
    }
    users = {c.name: c.type.sql for c in _table(db, "users").columns}
    assert (users["ratio"], users["created_at"], users["active"]) == (
        "double",
        "timestamp",
        "boolean",
    )
    assert _col(db, "events", "duration").type.sql == "interval second"
    assert _col(db, "log", "level", "audit").type.sql == "enum(audit.level)"


def test_defaults_lose_postgresql_casts(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    users = _table(db, "users")
    status = _col(db, "users", "status")
    assert status.server_default == "'new'"
    assert status.raw_default == "'new'::character varying"
    defaults = {c.name: c.server_default for c in users.columns if c.server_default}
    assert defaults == {
        "score": "0",
        "active": "TRUE",
        "status": "'new'",
        "created_at": "CURRENT_TIMESTAMP",
    }
    assert _col(db, "documents", "mood").server_default == "'ok'"
    assert _col(db, "documents", "created").server_default == "CURRENT_TIMESTAMP"  # now()
    assert _col(db, "documents", "scores").server_default == "'{}'"
    assert _col(db, "log", "level", "audit").server_default == "'info'"


def test_serial_identity_and_computed_columns(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    for table, schema in (("users", None), ("log", "audit")):
        col = _col(db, table, "id", schema)
        assert (col.server_default, col.autoincrement, col.identity) == (None, True, None)
    doc_id = _col(db, "documents", "id")
    assert doc_id.identity == Identity(always=True, start=100, increment=5)
    assert (doc_id.server_default, doc_id.autoincrement, doc_id.nullable) == (None, False, False)
    event_id = _col(db, "events", "id")
    assert event_id.identity == Identity(always=False)
    total = _col(db, "documents", "total")
    assert total.computed == Computed("price * qty", persisted=True)
    assert total.server_default is None


def test_collation_and_comments(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    assert _col(db, "documents", "title").collation == "C"
    assert _col(db, "documents", "body").collation is None
    assert _col(db, "documents", "label").comment == "three-letter code"
    assert _table(db, "documents").comment == "documents with every PostgreSQL type"
    assert _table(db, "log", "audit").comment == "audit trail"


def test_enums(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    assert db.enums == (
        Enum("mood", ("sad", "ok", "happy")),
        Enum("level", ("debug", "info", "warn"), "audit"),
    )


def test_indexes(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    ix = {i.name: i for i in _table(db, "documents").indexes}
    col = IndexElement
    assert ix["ix_documents_body"] == Index("ix_documents_body", (col("body"),), using="gin")
    assert ix["ix_documents_live_title"].where == "qty > 0"
    assert ix["ix_documents_lower_title"].elements == (col("LOWER(title)", is_expression=True),)
    assert ix["ix_documents_created_desc"].elements == (col("created", descending=True), col("id"))
    assert ix["ix_documents_owner_incl"].include == ("title", "qty")
    assert ix["ix_documents_title_pattern"].elements == (col("title", opclass="text_pattern_ops"),)
    live = ix["uq_documents_uid_live"]
    assert (
        live.unique and live.where == "mood <> 'sad'" and live.raw_where == "(mood <> 'sad'::mood)"
    )
    # the unique indexes behind unique constraints are the constraints, not indexes
    assert {i.name for i in _table(db, "users").indexes} == {
        "ix_users_email_lower",
        "ix_users_status_created",
    }
    assert {u.name for u in _table(db, "users").unique_constraints} == {
        "uq_users_email_status",
        "uq_users_username",
    }


def test_foreign_keys_and_checks(sink: tuple[sa.MetaData, Snapshot]) -> None:
    _, db = sink
    (deferred,) = _table(db, "documents").foreign_keys
    assert (deferred.deferrable, deferred.initially) == (True, "DEFERRED")
    (event_fk,) = _table(db, "events").foreign_keys
    assert (event_fk.ondelete, event_fk.onupdate) == ("SET NULL", "CASCADE")
    (check,) = _table(db, "documents").check_constraints
    assert check == CheckConstraint(
        "(qty > 0) AND (mood IN ('ok', 'happy', 'sad'))", "ck_documents_qty_positive"
    )
    (posts_check,) = _table(db, "posts").check_constraints
    assert posts_check.sqltext == "(views >= 0) AND (LENGTH(title) > 0)"


def test_views_are_not_tables(pg: Engine) -> None:
    with pg.begin() as conn:
        conn.execute(sa.text("CREATE TABLE t (id integer PRIMARY KEY)"))
        conn.execute(sa.text("CREATE VIEW v AS SELECT id FROM t"))
        conn.execute(sa.text("CREATE MATERIALIZED VIEW mv AS SELECT id FROM t"))
    assert [t.name for t in inspect_database(pg).tables] == ["t"]


def test_unknown_type_is_reported_not_compared(pg: Engine) -> None:
    with pg.begin() as conn:
        conn.execute(sa.text("CREATE TYPE complex AS (r double precision, i double precision)"))
        conn.execute(sa.text("CREATE TABLE z (id integer PRIMARY KEY, c complex, p point)"))
    db = inspect_database(pg)
    c, p = _col(db, "z", "c"), _col(db, "z", "p")
    assert (c.type.sql, c.type.known) == ("complex", False)
    assert (p.type.sql, p.type.known) == ("point", False)
    assert db.not_compared == (
        "column z.c: type 'complex' is unknown to SQLAlchemy",
        "column z.p: type 'point' is unknown to SQLAlchemy",
    )


def test_shared_sequence_default_is_a_server_default(pg: Engine) -> None:
    """Only SERIAL's own sequence is an implementation detail; a shared one is a real default."""
    metadata = sa.MetaData()
    sa.Table(
        "s",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("n", sa.BigInteger, server_default=sa.text("nextval('shared_seq')")),
    )
    with pg.begin() as conn:
        conn.execute(sa.text("CREATE SEQUENCE shared_seq"))
        metadata.create_all(conn)
    db = inspect_database(pg)
    models = inspect_metadata(metadata, pg.dialect, db.default_schema)
    assert _col(db, "s", "n").server_default == "NEXTVAL('shared_seq')"
    assert _named_like(_table(db, "s"), _table(models, "s")) == _table(models, "s")


def test_serial_of_a_renamed_table_is_still_serial(pg: Engine) -> None:
    """A renamed table's SERIAL keeps its old sequence name; ownership, not the name, decides."""
    with pg.begin() as conn:
        conn.execute(sa.text("CREATE TABLE posts (id serial PRIMARY KEY, n integer)"))
        conn.execute(sa.text("ALTER TABLE posts RENAME TO articles"))
        conn.execute(sa.text("ALTER TABLE articles RENAME COLUMN id TO article_id"))
    metadata = sa.MetaData()
    sa.Table(
        "articles",
        metadata,
        sa.Column("article_id", sa.Integer, primary_key=True),
        sa.Column("n", sa.Integer),
    )
    db = inspect_database(pg)
    col = _col(db, "articles", "article_id")
    assert col.raw_default is None and col.server_default is None and col.autoincrement
    models = inspect_metadata(metadata, pg.dialect, db.default_schema)
    assert _table(db, "articles").columns == _table(models, "articles").columns


def test_catalog_details_without_models(pg: Engine) -> None:
    """What only raw DDL makes: domains (their default and NOT NULL apply to the column),
    catalog-only types, a collated array, INCLUDE columns, a hash index, NOT VALID checks."""
    with pg.begin() as conn:
        conn.execute(sa.text("CREATE DOMAIN nn AS varchar(10) NOT NULL DEFAULT 'x'"))
        conn.execute(
            sa.text(
                "CREATE TABLE d (id serial PRIMARY KEY, v nn, w nn DEFAULT 'y', "
                'tags varchar(5)[] COLLATE "C", k "char", n money, '
                'code text COLLATE "C", '
                "CONSTRAINT ck_d CHECK ((id > 0) AND (id < 100)) NOT VALID)"
            )
        )
        conn.execute(
            sa.text("CREATE INDEX ix_w ON d (w DESC NULLS LAST) INCLUDE (id) WHERE id > 1")
        )
        conn.execute(sa.text("CREATE INDEX ix_h ON d USING hash (id)"))
    db = inspect_database(pg)
    v, w = _col(db, "d", "v"), _col(db, "d", "w")
    assert (v.type.sql, v.nullable, v.server_default) == ("nn", False, "'x'")
    assert (w.nullable, w.server_default) == (False, "'y'")
    assert v.type.python == "postgresql.DOMAIN('nn', sa.VARCHAR(length=10))"
    tags = _col(db, "d", "tags")
    assert (tags.type.sql, tags.collation) == ("varchar(5)[]", None)
    assert _col(db, "d", "code").collation == "C"
    assert _col(db, "d", "k").type.sql == '"char"'
    assert (_col(db, "d", "n").type.sql, _col(db, "d", "n").type.known) == ("money", True)
    table = _table(db, "d")
    assert [(c.name, c.raw) for c in table.check_constraints] == [("ck_d", "id > 0 AND id < 100")]
    by_name = {ix.name: ix for ix in table.indexes}
    assert by_name["ix_w"].include == ("id",) and by_name["ix_w"].raw_where == "(id > 1)"
    assert by_name["ix_w"].elements == (IndexElement("w", False, True, "last"),)
    assert by_name["ix_h"].using == "hash"


def _edge_metadata() -> sa.MetaData:
    """Spellings where the catalog and the compiled model differ most."""
    metadata = sa.MetaData()
    sa.Table(
        "edge",
        metadata,
        sa.Column("id", sa.SmallInteger, primary_key=True),  # SMALLSERIAL
        sa.Column("d", sa.Enum("p", "q", native_enum=False, create_constraint=True)),
        sa.Column("b", sa.Boolean(create_constraint=True)),  # native: no CHECK on PostgreSQL
        sa.Column("pos", postgresql.DOMAIN("posint", sa.Integer, check="VALUE > 0")),
        sa.Column("moods", postgresql.ARRAY(sa.Enum("a", "b", name="Mood"))),
        sa.Column("ts", postgresql.TIMESTAMP(precision=3)),
        sa.Column("iv", sa.Interval(second_precision=2)),
        sa.Column("bits", postgresql.BIT(5, varying=True)),
        sa.Column("neg", sa.Integer, server_default=sa.text("-1")),
        sa.Column("negs", sa.Integer, server_default="-1"),
        sa.Column("num", sa.Numeric(5), server_default="1.50"),
        sa.Column("u", sa.Uuid),
        sa.Column("txt", sa.Text, server_default=sa.text("'a' || 'b'")),
        sa.Column("day", sa.Date, server_default=sa.text("CURRENT_DATE")),
        sa.Column("utc", sa.DateTime, server_default=sa.text("timezone('utc', now())")),
        sa.Column("js", postgresql.JSONB, server_default=sa.text("'{\"a\": 1}'")),
        sa.Column("ch", sa.CHAR),
        sa.Column("down", sa.Integer, sa.Identity(start=-1, increment=-1)),
        sa.Column("pickled", sa.PickleType),
        sa.Index("ix_edge_text", sa.text("lower(txt) DESC NULLS LAST")),
        sa.Index(
            "ix_edge_ops",
            "txt",
            postgresql_using="btree",
            postgresql_ops={"txt": "text_pattern_ops"},
        ),
        sa.Index(
            "ix_edge_where",
            sa.func.lower(sa.column("txt")).desc(),
            postgresql_where=sa.text("d IN ('p', 'q') AND b"),
        ),
        sa.Index(
            "ix_edge_nulls", sa.column("ts").desc().nulls_first(), sa.column("u").nulls_first()
        ),
    )
    return metadata


def test_edge_spellings_reflect_like_the_models(pg: Engine) -> None:
    metadata = _edge_metadata()
    with pg.begin() as conn:
        metadata.create_all(conn)
    db = inspect_database(pg)
    models = inspect_metadata(metadata, pg.dialect, db.default_schema)
    reflected, model = _table(db, "edge"), _table(models, "edge")
    for got, want in zip(reflected.columns, model.columns, strict=True):
        assert got == want
    assert _named_like(reflected, model) == model
    assert compute_diff(db, models).ops == ()
    assert db.enums == models.enums == (Enum("Mood", ("a", "b")),)
    types = {c.name: c.type.sql for c in reflected.columns}
    assert (types["ts"], types["iv"], types["moods"], types["ch"]) == (
        "timestamp(3)",
        "interval(2)",
        "enum(Mood)[]",
        "char(1)",
    )
    assert _col(db, "edge", "neg").server_default == "-1"
    assert _col(db, "edge", "down").identity == Identity(False, None, -1)


# --- (c) catalog statements do not grow with the number of tables ---------------------------


def _create_tables(engine: Engine, count: int) -> None:
    """``count`` tables in the default schema plus one in ``audit``, all with the same features
    (an enum, a unique constraint, a self FK, a check, an expression and a partial index)."""
    metadata = sa.MetaData()
    mood = sa.Enum("a", "b", name="mood")
    names = [(None, f"t{i:03d}") for i in range(count)] + [("audit", "extra")]
    for schema, name in names:
        qualified = f"{schema}.{name}" if schema else name
        sa.Table(
            name,
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column(
                "parent_id", sa.Integer, sa.ForeignKey(f"{qualified}.id", ondelete="CASCADE")
            ),
            sa.Column("name", sa.String(40), nullable=False, unique=True, server_default="x"),
            sa.Column("mood", mood),
            sa.Column("doc", sa.JSON),
            sa.CheckConstraint("length(name) > 0", name=f"ck_{name}_name"),
            sa.Index(f"ix_{name}_lower", sa.func.lower(sa.column("name"))),
            sa.Index(f"ix_{name}_parent", "parent_id", postgresql_where=sa.text("id > 0")),
            schema=schema,
        )
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE SCHEMA audit"))
        metadata.create_all(conn)


def _count_statements(engine: Engine) -> tuple[int, Snapshot]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        snapshot = inspect_database(engine, ["audit"])
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(statements), snapshot


def test_statement_count_does_not_grow_with_tables(
    pg: Engine, backend_url: Callable[[str], str]
) -> None:
    _create_tables(pg, 5)
    inspect_database(pg, ["audit"])  # first connect and the dialect's own caches
    few, small = _count_statements(pg)
    backend_url("postgresql")  # empties the database again
    _create_tables(pg, 100)
    many, large = _count_statements(pg)
    assert (len(small.tables), len(large.tables)) == (6, 101)
    assert few == many, f"{few} statements for 5 tables, {many} for 100"


def test_statement_count_does_not_grow_with_schemas(pg: Engine) -> None:
    """One statement per object kind covers every requested schema (200 schemas used to cost
    seven statements each)."""

    def counted(schemas: list[str]) -> tuple[int, Snapshot]:
        statements: list[str] = []

        def count(*args: object) -> None:
            statements.append(str(args[2]))

        sa.event.listen(pg, "before_cursor_execute", count)
        try:
            snapshot = inspect_database(pg, schemas)
        finally:
            sa.event.remove(pg, "before_cursor_execute", count)
        return len(statements), snapshot

    names = [f"s{i}" for i in range(6)]
    with pg.begin() as conn:
        for name in names:
            conn.execute(sa.text(f"CREATE SCHEMA {name}"))
            conn.execute(sa.text(f"CREATE TABLE {name}.t (id serial PRIMARY KEY, v text)"))
    inspect_database(pg, names[:1])  # first connect and the dialect's own caches
    one, small = counted(names[:1])
    six, large = counted(names)
    assert (len(small.tables), len(large.tables)) == (1, 6)
    assert one == six, f"{one} statements for 1 schema, {six} for 6"


# --- (d) snapshot files ----------------------------------------------------------------------


def test_snapshot_json_round_trip(sink: tuple[sa.MetaData, Snapshot], tmp_path: object) -> None:
    _, db = sink
    text = snapshot_io.dumps(db)
    loaded = snapshot_io.loads(text)
    assert loaded == db
    assert snapshot_io.dumps(loaded) == text  # hint fields (raw text, python types) survive too


# --- (e) several schemas ---------------------------------------------------------------------


def test_only_requested_schemas_are_reflected(
    pg: Engine, sink: tuple[sa.MetaData, Snapshot]
) -> None:
    only_default = inspect_database(pg)
    assert only_default.schemas == ()
    assert {t.schema for t in only_default.tables} == {None}
    assert only_default.enums == (Enum("mood", ("sad", "ok", "happy")),)
    both = inspect_database(pg, ["public", "audit", "no_such_schema"])
    assert both.schemas == ("audit",)
    assert both == sink[1]


def test_enum_of_an_unlisted_schema_used_by_a_column_is_kept(
    pg: Engine, sink: tuple[sa.MetaData, Snapshot]
) -> None:
    with pg.begin() as conn:
        conn.execute(sa.text("ALTER TABLE users ADD COLUMN lvl audit.level"))
    db = inspect_database(pg)
    assert _col(db, "users", "lvl").type.sql == "enum(audit.level)"
    assert db.enums == sink[1].enums


def test_foreign_keys_across_schemas(pg: Engine, sink: tuple[sa.MetaData, Snapshot]) -> None:
    with pg.begin() as conn:
        conn.execute(
            sa.text(
                "CREATE TABLE pointer (log_id bigint REFERENCES audit.log (id) ON DELETE CASCADE)"
            )
        )
    db = inspect_database(pg, ["audit"])
    (to_audit,) = _table(db, "pointer").foreign_keys
    assert to_audit.referred_key == ("audit", "log") and to_audit.ondelete == "CASCADE"
    to_default = {fk.referred_table: fk for fk in _table(db, "log", "audit").foreign_keys}
    assert to_default["users"].referred_key == (None, "users")
    assert _table(db, "archive", "audit").foreign_keys == (
        ForeignKey(("log_id",), "audit", "log", ("id",), "fk_archive_log_id_log"),
    )


def test_search_path_does_not_change_schemas(
    pg: Engine, sink: tuple[sa.MetaData, Snapshot]
) -> None:
    """With ``audit`` on the search path, PostgreSQL stops qualifying its names in catalog text;
    the snapshot must still put them in ``audit``."""
    engine = sa.create_engine(pg.url, connect_args={"options": "-c search_path=public,audit"})
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE pointer (log_id bigint REFERENCES audit.log (id))"))
            conn.execute(sa.text("ALTER TABLE documents ADD COLUMN lvl audit.level"))
        db = inspect_database(engine, ["audit"])
    finally:
        engine.dispose()
    assert _table(db, "pointer").foreign_keys[0].referred_key == ("audit", "log")
    assert _col(db, "documents", "lvl").type.sql == "enum(audit.level)"
    assert _col(db, "log", "level", "audit").type.sql == "enum(audit.level)"
    assert db.enums == sink[1].enums


def test_shared_columns_equal_columns_converted_one_by_one(
    pg: Engine, sink: tuple[sa.MetaData, Snapshot]
) -> None:
    """Columns converted once per distinct catalog row (``pg_convert.column``) equal columns
    converted alone, table by table; SERIAL and identity columns are never shared."""
    from schemadiff.backends.postgresql import convert as pg_convert
    from schemadiff.backends.postgresql.queries import fetch_catalog, fetch_owned_sequences
    from schemadiff.backends.postgresql.rules import PostgresqlRules

    with pg.connect() as conn:
        default = conn.execute(sa.text("SELECT current_schema()")).scalar_one()
        rows = fetch_catalog(conn, [default, "audit"])
        owned = fetch_owned_sequences(conn, [default, "audit"])
    ctx = pg_convert.Context(PostgresqlRules(), pg.dialect, default)
    serial = 0
    for (schema, table), raws in rows.columns.items():
        for raw in raws:
            sequence = owned.get((schema, table), {}).get(raw.name)
            alone = pg_convert.new_column(ctx, table, raw, sequence)
            got = pg_convert.column(ctx, table, raw, sequence)
            assert (got, got.raw_default) == (alone, alone.raw_default), (table, raw.name)
            serial += got.autoincrement or got.identity is not None
    shared = sum(len(raws) for raws in rows.columns.values()) - len(ctx.known_columns)
    assert shared > 0 and serial > 0
    assert not any(c.autoincrement or c.identity for c in ctx.known_columns.values())
