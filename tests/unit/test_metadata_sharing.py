"""The models' snapshot shares work between alike constructs without changing a result: a
column is built once per distinct definition (:func:`_column_key`), a plain ``text()`` compiled
once per text, a short constraint name taken as is, and type keys ignore what never reaches
the SQL (a SchemaType's event hooks, an Enum's derived lookups)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Dialect

from fixtures import kitchen_sink
from schemadiff.backends.base import type_key
from schemadiff.backends.registry import rules_for
from schemadiff.sources.metadata import _Builder, _column_key, inspect_metadata

DIALECTS: dict[str, Dialect] = {
    "sqlite": sqlite.dialect(),
    "postgresql": postgresql.dialect(),
    "mysql": mysql.dialect(),
}


def _kitchen_sink(backend: str) -> tuple[sa.MetaData, _Builder]:
    dialect = DIALECTS[backend]
    return kitchen_sink.build(backend), _Builder(dialect, rules_for(dialect.name), None)


@pytest.mark.parametrize("backend", sorted(DIALECTS))
def test_shared_columns_equal_columns_built_one_by_one(backend: str) -> None:
    metadata, builder = _kitchen_sink(backend)
    shared = 0
    for table in metadata.sorted_tables:
        autoincrement = table.autoincrement_column
        for c in table.columns:
            alone = builder.new_column(c, c is autoincrement)
            assert builder.column(table, c, c is autoincrement) == alone, (table.name, c.name)
            assert builder.column(table, c, c is autoincrement).raw_default == alone.raw_default
            shared += _column_key(c, c is autoincrement) is not None
    assert shared > 0


@pytest.mark.parametrize("backend", sorted(DIALECTS))
def test_short_names_and_texts_read_as_sqlalchemy_renders_them(backend: str) -> None:
    metadata, builder = _kitchen_sink(backend)
    named = 0
    for table in metadata.sorted_tables:
        for item in [*table.constraints, *table.indexes]:
            if item.name is None:
                continue
            rendered = builder.preparer.format_constraint(item, _alembic_quote=False)
            assert builder.constraint_name(item) == (None if rendered is None else str(rendered))
            named += 1
        for check in table.constraints:
            if isinstance(check, sa.CheckConstraint):
                assert builder.compile(check.sqltext) == builder._compile(check.sqltext)
                assert builder.compile(check.sqltext) == builder._compile(check.sqltext)  # memo
    assert named > 0


@pytest.mark.parametrize("backend", sorted(DIALECTS))
def test_convention_and_quoted_names_read_as_sqlalchemy_renders_them(backend: str) -> None:
    """Names a naming convention makes (``conv``: truncated with a hash when too long) and
    quoted names (``quoted_name``) take the short-name path only when SQLAlchemy would return
    them unchanged."""
    dialect = DIALECTS[backend]
    builder = _Builder(dialect, rules_for(dialect.name), None)
    metadata = sa.MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )
    long = "c" * 40
    parent = sa.Table("parent", metadata, sa.Column("id", sa.Integer, primary_key=True))
    table = sa.Table(
        "t" * 30,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(long, sa.Integer, sa.ForeignKey("parent.id")),
        sa.Column("b", sa.Integer),
        sa.UniqueConstraint(long, "b"),
        sa.UniqueConstraint("b"),
        sa.CheckConstraint("b > 0", name="positive"),
        sa.Index(sa.sql.quoted_name("Quoted Ix", quote=True), "b"),
    )
    sa.Index(None, table.c.b, table.c.id)
    kinds = set()
    for item in [*parent.constraints, *table.constraints, *table.indexes]:
        rendered = builder.preparer.format_constraint(item, _alembic_quote=False)
        assert builder.constraint_name(item) == (None if rendered is None else str(rendered))
        kinds.add((type(item.name).__name__, len(str(item.name)) > builder.short_name))
    assert {("conv", False), ("quoted_name", False)} <= kinds
    if backend != "sqlite":  # no limit that short there
        assert ("conv", True) in kinds  # truncated with a hash, by SQLAlchemy


def test_a_name_too_long_is_cut_as_the_server_cuts_it() -> None:
    """SQLAlchemy rejects it (IdentifierError); the model snapshot takes the name PostgreSQL
    stores, and warns (see test_stored_names)."""
    metadata = sa.MetaData()
    table = sa.Table("t", metadata, sa.Column("a", sa.Integer), sa.Column("b", sa.Integer))
    sa.Index("x" * 70, table.c.a)
    snapshot = inspect_metadata(metadata, postgresql.dialect())
    assert [ix.name for ix in snapshot.tables[0].indexes] == ["x" * 63]
    assert len(snapshot.warnings) == 1


def test_columns_that_differ_in_any_part_are_not_shared() -> None:
    metadata = sa.MetaData()
    variants = [
        sa.Column("a", sa.String(10)),
        sa.Column("a", sa.String(11)),
        sa.Column("a", sa.String(10), nullable=False),
        sa.Column("a", sa.String(10), comment="x"),
        sa.Column("a", sa.String(10), server_default="x"),
        sa.Column("a", sa.String(10), server_default=sa.text("'y'")),
        sa.Column("a", sa.String(10), server_default=sa.func.now()),
        sa.Column("a", sa.String(10), server_default=sa.func.current_timestamp()),
        sa.Column("a", sa.String(10), server_default=sa.func.lower("X")),  # has an argument
        sa.Column("a", sa.String(10), info={"renamed_from": "old"}),
        sa.Column("a", sa.String(10, collation="utf8mb4_bin")),
        sa.Column("b", sa.String(10)),
    ]
    for i, column in enumerate(variants):
        sa.Table(f"t{i}", metadata, sa.Column("id", sa.Integer, primary_key=True), column)
    snapshot = inspect_metadata(metadata, mysql.dialect())
    built = [t.columns[1] for t in sorted(snapshot.tables, key=lambda t: int(t.name[1:]))]
    assert len({id(c) for c in built}) == len(variants)
    assert len({(c, c.raw_default) for c in built}) == len(variants)
    assert _column_key(variants[8], False) is None  # compiled every time
    assert [c.renamed_from for c in built].count("old") == 1


def test_alike_columns_in_different_tables_are_one_object() -> None:
    metadata = sa.MetaData()
    for i in range(3):
        sa.Table(
            f"t{i}",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("created", sa.DateTime, server_default=sa.func.now(), nullable=False),
            sa.Column("flag", sa.Boolean, server_default=sa.true()),
            sa.Column("state", sa.Enum("a", "b", name="state")),
        )
    tables = inspect_metadata(metadata, postgresql.dialect()).tables
    for position in range(4):
        assert len({id(t.columns[position]) for t in tables}) == 1


def test_type_keys_ignore_event_hooks_and_derived_lookups() -> None:
    assert type_key(sa.Boolean()) == type_key(sa.Boolean())
    assert type_key(sa.Boolean(create_constraint=True)) != type_key(sa.Boolean())
    assert type_key(sa.Enum("a", "b", name="e")) == type_key(sa.Enum("a", "b", name="e"))
    assert type_key(sa.Enum("a", "b", name="e")) != type_key(sa.Enum("a", "c", name="e"))
    assert type_key(sa.Enum("a", "b", name="e")) != type_key(sa.Enum("b", "a", name="e"))
