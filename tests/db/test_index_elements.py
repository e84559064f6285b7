"""Index elements as users write them (the shapes of Alembic's own autogenerate tests): an
index built by ``create_all`` of some models shows no difference against the same models, and a
changed index is detected, and the script written for it (run online, and as offline SQL)
converges in both directions.

Covers expression elements on PostgreSQL (casts in every spelling, ``coalesce``, jsonb
subscripts and operators, operator classes written in text or ``postgresql_ops``), sort orders
written as text (``text("version_major DESC")``) on every backend, and PostgreSQL 15's
``NULLS NOT DISTINCT``.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.dialects.postgresql import ARRAY, DOUBLE_PRECISION, JSONB
from sqlalchemy.engine import Engine

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.render.bodies import render_bodies
from schemadiff.render.code import Code
from schemadiff.render.script import RevisionHeader, render_script
from schemadiff.render.sql import render_sql
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata

MakeIndex = Callable[[sa.Table], object]
PG = ("postgresql",)
ALL = ("sqlite", "postgresql", "mysql")


def _table(metadata: sa.MetaData, backend: str) -> sa.Table:
    columns = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("x", sa.String(100)),
        sa.Column("y", sa.String(100)),
        sa.Column("q", sa.String(100)),
        sa.Column("z", sa.Integer),
        sa.Column("ff", sa.Float().with_variant(DOUBLE_PRECISION, "postgresql")),
        sa.Column("version_major", sa.Integer),
        sa.Column("CamelCase", sa.Integer),
    ]
    if backend == "postgresql":
        columns += [sa.Column("jb", JSONB), sa.Column("aa", ARRAY(sa.Integer))]
    return sa.Table("t", metadata, *columns)


def _models(backend: str, *makers: MakeIndex) -> sa.MetaData:
    metadata = sa.MetaData()
    table = _table(metadata, backend)
    for make in makers:
        make(table)
    return metadata


def _gin(*elements: str) -> MakeIndex:
    return lambda t: sa.Index("idx", *map(sa.text, elements), postgresql_using="gin", _table=t)


def _text(*elements: str, **kw: object) -> MakeIndex:
    return lambda t: sa.Index("idx", *map(sa.text, elements), _table=t, **kw)


#: name -> (backends, index); each must show no difference against itself
UNCHANGED: dict[str, tuple[tuple[str, ...], MakeIndex]] = {
    "cast_function": (PG, lambda t: sa.Index("idx", sa.cast(t.c.x, sa.Text))),
    "cast_method": (PG, lambda t: sa.Index("idx", t.c.y.cast(sa.Integer))),
    "cast_text": (PG, _text("CAST(x AS TEXT)")),
    "cast_colons": (PG, _text("(x::text)")),
    "cast_nested": (PG, _text("((z::text)::integer)")),
    "cast_nested_function": (
        PG,
        lambda t: sa.Index("idx", sa.cast(sa.cast(t.c.z, sa.Text), sa.Integer)),
    ),
    "cast_numeric": (PG, lambda t: sa.Index("idx", sa.cast(t.c.ff, sa.Numeric(10, 2)))),
    "cast_numeric_text": (PG, _text("(ff::numeric(10,2))")),
    "cast_to_own_type": (PG, lambda t: sa.Index("idx", sa.cast(t.c.z, sa.Integer))),
    "cast_to_own_type_text": (PG, _text("(z::integer)")),
    "cast_in_function": (PG, lambda t: sa.Index("idx", sa.func.lower(sa.cast(t.c.z, sa.Text)))),
    "coalesce_negative": (PG, _text("coalesce(z, -1)")),
    "coalesce_string": (PG, _text("coalesce(q, '-1')")),
    "arithmetic_after_column": (PG, lambda t: sa.Index("idx", t.c.y, t.c.ff + 3)),
    "jsonb_subscript": (PG, lambda t: sa.Index("idx", t.c.jb["foo"])),
    "jsonb_arrow": (PG, _text("(jb -> 'foo')")),
    "jsonb_astext": (PG, lambda t: sa.Index("idx", t.c.jb["foo"].astext)),
    "jsonb_label_ops": (
        PG,
        lambda t: sa.Index(
            "idx",
            t.c.jb["foo"].label("x"),
            postgresql_using="gin",
            postgresql_ops={"x": "jsonb_path_ops"},
        ),
    ),
    "jsonb_path_ops_text": (PG, _gin("(jb->'x')jsonb_path_ops")),
    "array_ops_text": (PG, _gin("aa array_ops")),
    "array_ops_and_jsonb_path_ops": (PG, _gin("aa array_ops", "(jb->'y') jsonb_path_ops")),
    "column_ops": (
        PG,
        lambda t: sa.Index("idx", t.c.x, postgresql_ops={"x": "text_pattern_ops"}),
    ),
    "column_ops_desc_text": (PG, _text("x text_pattern_ops DESC")),
    "expression_ops_desc_text": (PG, _text("lower(x) text_pattern_ops DESC")),
    "text_desc": (ALL, _text("version_major DESC")),
    "text_asc": (ALL, _text("version_major asc")),
    "text_asc_nulls_last": (PG, _text("x ASC NULLS LAST")),
    "text_desc_nulls_first": (PG, _text("z desc nulls first")),
    "text_nulls_first": (PG, _text("z nulls first")),
    "literal_column_desc": (
        ALL,
        lambda t: sa.Index("idx", sa.literal_column("version_major DESC"), _table=t),
    ),
    "text_expression_desc": (("sqlite", "postgresql"), _text("lower(x) DESC")),
    "sa_desc": (ALL, lambda t: sa.Index("idx", sa.desc(t.c.version_major))),
    "sa_desc_column_clause": (ALL, lambda t: sa.Index("idx", sa.desc(sa.column("x")), _table=t)),
    "mixed_orders": (
        ALL,
        lambda t: sa.Index("idx", t.c.x, sa.text("version_major DESC"), sa.desc(t.c.z)),
    ),
    "unique_nulls_not_distinct": (
        PG,
        lambda t: sa.Index("idx", t.c.x, unique=True, postgresql_nulls_not_distinct=True),
    ),
    "unique_nulls_distinct": (
        PG,
        lambda t: sa.Index("idx", t.c.x, unique=True, postgresql_nulls_not_distinct=False),
    ),
    "constraint_nulls_not_distinct": (
        PG,
        lambda t: t.append_constraint(
            sa.UniqueConstraint("x", "y", name="uq_xy", postgresql_nulls_not_distinct=True)
        ),
    ),
}

#: name -> (backends, before, after); each is a rebuild of the index
CHANGED: dict[str, tuple[tuple[str, ...], MakeIndex, MakeIndex]] = {
    "arithmetic": (
        PG,
        lambda t: sa.Index("idx", t.c.y, t.c.ff + 1),
        lambda t: sa.Index("idx", t.c.y, t.c.ff + 3),
    ),
    "cast_target": (
        PG,
        lambda t: sa.Index("idx", sa.cast(t.c.z, sa.Text)),
        lambda t: sa.Index("idx", sa.cast(t.c.z, sa.BigInteger)),
    ),
    "cast_numeric_scale": (
        PG,
        lambda t: sa.Index("idx", sa.cast(t.c.ff, sa.Numeric(10, 2))),
        lambda t: sa.Index("idx", sa.cast(t.c.ff, sa.Numeric(10, 3))),
    ),
    "cast_to_column": (
        PG,
        _text("(z::text)"),
        lambda t: sa.Index("idx", t.c.z),
    ),
    "cast_nested_to_single": (
        PG,
        _text("((z::text)::integer)"),
        _text("(z::integer)"),
    ),
    "coalesce_value": (PG, _text("coalesce(z, -1)"), _text("coalesce(z, -2)")),
    "jsonb_key": (
        PG,
        lambda t: sa.Index("idx", t.c.jb["foo"]),
        lambda t: sa.Index("idx", t.c.jb["bar"]),
    ),
    "jsonb_key_keeps_opclass": (
        PG,
        _gin("(jb->'x') jsonb_path_ops"),
        _gin("(jb->'y') jsonb_path_ops"),
    ),
    "jsonb_opclass": (PG, _gin("(jb->'x') jsonb_path_ops"), _gin("(jb->'x') jsonb_ops")),
    "label_opclass_key": (
        PG,
        lambda t: sa.Index(
            "idx",
            t.c.jb["foo"].label("x"),
            postgresql_using="gin",
            postgresql_ops={"x": "jsonb_path_ops"},
        ),
        lambda t: sa.Index(
            "idx",
            t.c.jb["bar"].label("x"),
            postgresql_using="gin",
            postgresql_ops={"x": "jsonb_path_ops"},
        ),
    ),
    "array_ops_column": (PG, _gin("aa array_ops"), _gin("aa array_ops", "(jb->'y') jsonb_ops")),
    "column_ops_order": (PG, _text("x text_pattern_ops DESC"), _text("x text_pattern_ops")),
    "text_order": (ALL, _text("version_major DESC"), _text("version_major ASC")),
    "text_order_mixed": (
        ALL,
        lambda t: sa.Index("idx", t.c.x, sa.text("version_major DESC")),
        lambda t: sa.Index("idx", sa.text("x DESC"), t.c.version_major),
    ),
    "quoted_column_order": (
        ALL,
        lambda t: sa.Index("idx", sa.desc(t.c.CamelCase)),
        lambda t: sa.Index("idx", t.c.CamelCase),
    ),
    "column_opclass_desc": (
        PG,
        lambda t: sa.Index("idx", t.c.x.desc(), postgresql_ops={"x": "text_pattern_ops"}),
        lambda t: sa.Index("idx", t.c.x, postgresql_ops={"x": "text_pattern_ops"}),
    ),
    "text_nulls": (PG, _text("x nulls first"), _text("x nulls last")),
    "nulls_not_distinct_index": (
        PG,
        lambda t: sa.Index("idx", t.c.x, unique=True),
        lambda t: sa.Index("idx", t.c.x, unique=True, postgresql_nulls_not_distinct=True),
    ),
    "nulls_not_distinct_constraint": (
        PG,
        lambda t: t.append_constraint(
            sa.UniqueConstraint("x", name="idx", postgresql_nulls_not_distinct=True)
        ),
        lambda t: t.append_constraint(sa.UniqueConstraint("x", name="idx")),
    ),
}


REBUILT_INDEX = ["create_index", "drop_index"]
REBUILT_CONSTRAINT = ["add_unique_constraint", "drop_unique_constraint"]


def _params_unchanged() -> Iterator[object]:
    for name, (backends, _) in UNCHANGED.items():
        for backend in backends:
            marks = [pytest.mark.db] if backend != "sqlite" else []
            yield pytest.param(backend, name, id=f"{name}-{backend}", marks=marks)


def _params_changed() -> Iterator[object]:
    for name, (backends, _, _) in CHANGED.items():
        for backend in backends:
            marks = [pytest.mark.db] if backend != "sqlite" else []
            yield pytest.param(backend, name, id=f"{name}-{backend}", marks=marks)


def _build(engine: Engine, metadata: sa.MetaData) -> None:
    with engine.begin() as conn:
        metadata.create_all(conn)


def _diff(engine: Engine, metadata: sa.MetaData) -> tuple[DiffResult, Snapshot, Snapshot]:
    with engine.connect() as conn:
        db = inspect_database(conn)
        models = inspect_metadata(metadata, conn.dialect, db.default_schema)
    options = CompareOptions(metadata=metadata, use_entry_points=False)
    return compute_diff(db, models, options), db, models


def _described(result: DiffResult) -> list[str]:
    return [op.describe() for op in result.ops]


def _run_online(engine: Engine, body: Code) -> None:
    """Run a rendered script body the way ``upgrade`` does: Alembic's ``op`` on a connection."""
    module = _script_module(body)
    with engine.begin() as conn:
        with Operations.context(MigrationContext.configure(conn)):
            module.upgrade()


def _run_offline(engine: Engine, body: Code) -> str:
    """Run the offline SQL (``--sql``) of a script body, statement by statement."""
    sql = render_sql(body, engine.dialect.name)
    statements = [s.strip() for s in sql.split(";\n") if s.strip()]
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)
    return sql


def _script_module(body: Code) -> types.ModuleType:
    source = render_script(RevisionHeader("t", "t", None, ""), body, Code(("pass",)))
    module = types.ModuleType("index_script")
    exec(compile(source, "<index script>", "exec"), module.__dict__)  # noqa: S102
    return module


@pytest.fixture
def url(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> str:
    return backend_url(request.node.callspec.params["backend"])


@pytest.mark.parametrize(("backend", "name"), list(_params_unchanged()))
def test_unchanged_index_has_no_difference(backend: str, name: str, url: str) -> None:
    make = UNCHANGED[name][1]
    engine = sa.create_engine(url)
    try:
        _build(engine, _models(backend, make))
        result, _, _ = _diff(engine, _models(backend, make))
    finally:
        engine.dispose()
    assert _described(result) == []


@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
@pytest.mark.parametrize(("backend", "name"), list(_params_changed()))
def test_changed_index_is_rebuilt_and_converges(
    backend: str, name: str, offline: bool, url: str
) -> None:
    _, before, after = CHANGED[name]
    run = _run_offline if offline else _run_online
    engine = sa.create_engine(url)
    try:
        _build(engine, _models(backend, before))
        result, db, models = _diff(engine, _models(backend, after))
        kinds = sorted(op.kind for op in result.ops)
        assert kinds in (REBUILT_INDEX, REBUILT_CONSTRAINT), _described(result)
        bodies = render_bodies(result, db, models)
        run(engine, bodies.upgrade)
        assert _described(_diff(engine, _models(backend, after))[0]) == [], bodies.upgrade
        run(engine, bodies.downgrade)
        assert _described(_diff(engine, _models(backend, before))[0]) == [], bodies.downgrade
    finally:
        engine.dispose()


@pytest.mark.db
def test_servers_before_postgresql_15_have_no_nulls_not_distinct(
    backend_url: Callable[[str], str],
) -> None:
    """The catalog statements for an older server (no ``indnullsnotdistinct`` column) run, and
    read every index and unique constraint as NULLS DISTINCT (the only kind those servers
    have). Run against this server with the dialect told it is PostgreSQL 14."""
    models = _models(
        "postgresql",
        UNCHANGED["unique_nulls_distinct"][1],
        UNCHANGED["constraint_nulls_not_distinct"][1],
    )
    engine = sa.create_engine(backend_url("postgresql"))
    try:
        _build(engine, models)
        with engine.connect() as conn:
            conn.dialect.server_version_info = (14, 0)
            db = inspect_database(conn)
    finally:
        engine.dispose()
    (table,) = db.tables
    assert [ix.nulls_not_distinct for ix in table.indexes] == [False]
    assert [uq.nulls_not_distinct for uq in table.unique_constraints] == [False]
