"""Reflect a PostgreSQL database into a Snapshot with SQLAlchemy's bulk inspector calls.

One round of ``Inspector.get_multi_*`` calls per schema (each a fixed number of catalog queries,
whatever the number of tables), one enum query for the whole database, and for what the inspector
does not report (:mod:`schemadiff.sources.pg_catalog`) at most one more per schema plus one per
run.
Objects of the default schema are keyed ``schema=None``, like the metadata side.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import PGInspector
from sqlalchemy.engine import Connection

from schemadiff.dialects import rules_for
from schemadiff.dialects.postgresql import EnumSchemaOf, PostgresqlRules
from schemadiff.snapshot import (
    Enum,
    ForeignKey,
    PrimaryKey,
    Snapshot,
    Table,
    UniqueConstraint,
    sort_tables,
)
from schemadiff.sources import pg_catalog, pg_convert
from schemadiff.sources.pg_convert import Context

TableKey = tuple[str | None, str]
T = TypeVar("T")


def reflect(conn: Connection, schemas: Sequence[str]) -> Snapshot:
    """Snapshot of the default schema plus ``schemas`` (those that exist)."""
    rules = rules_for("postgresql")
    assert isinstance(rules, PostgresqlRules)
    default = (
        conn.dialect.default_schema_name
        or conn.execute(sa.text("SELECT current_schema()")).scalar_one()
    )
    inspector = cast(PGInspector, sa.inspect(conn))
    existing = set(inspector.get_schema_names())
    extra = sorted({s for s in schemas if s != default and s in existing})
    raw_enums = inspector.get_enums(schema="*")
    enum_schema = _enum_schema_resolver(raw_enums, default)
    tables: list[Table] = []
    notes: list[str] = []
    with warnings.catch_warnings():
        # an unknown type is reported as "not compared" below, not as a warning
        warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
        owned = pg_catalog.OwnedSequences(conn, (default, *extra))
        for schema in (default, *extra):
            ctx = Context(rules, conn.dialect, schema, default, enum_schema)
            tables.extend(_reflect_schema(conn, inspector, ctx, notes, owned))
    return Snapshot(
        dialect=rules.name,
        default_schema=default,
        schemas=tuple(extra),
        tables=sort_tables(tables),
        enums=_enums(raw_enums, default, {None, *extra}, tables),
        not_compared=tuple(sorted(notes)),
        server_version=_server_version(conn),
    )


def _enums(
    raw_enums: Iterable[Mapping[str, Any]],
    default: str,
    covered: set[str | None],
    tables: Iterable[Table],
) -> tuple[Enum, ...]:
    """Enums of the covered schemas, plus those elsewhere that a reflected column uses (so that
    a model needing them does not read as "create the type")."""
    used = {c.type.sql.removesuffix("[]") for t in tables for c in t.columns}
    found = []
    for e in raw_enums:
        enum = Enum(e["name"], tuple(e["labels"]), None if e["schema"] == default else e["schema"])
        qualified = f"{enum.schema}.{enum.name}" if enum.schema else enum.name
        if enum.schema in covered or f"enum({qualified})" in used:
            found.append(enum)
    return tuple(sorted(found, key=lambda e: (e.schema or "", e.name)))


def _enum_schema_resolver(raw_enums: Iterable[Mapping[str, Any]], default: str) -> EnumSchemaOf:
    """The inspector names an enum's schema only when it is not on the search path; a visible
    enum lives in the first search-path schema that has it (the first listed per name)."""
    visible: dict[str, str] = {}
    for e in raw_enums:
        if e["visible"]:
            visible.setdefault(e["name"], e["schema"])

    def schema_of(schema: str | None, name: str) -> str | None:
        actual = schema or visible.get(name, default)
        return None if actual == default else actual

    return schema_of


@dataclass(frozen=True)
class _SchemaRows:
    """One schema's bulk inspector results, keyed by (schema, table)."""

    columns: Mapping[TableKey, Any]
    pks: Mapping[TableKey, Any]
    uniques: Mapping[TableKey, Any]
    fks: Mapping[TableKey, Any]
    indexes: Mapping[TableKey, Any]
    checks: Mapping[TableKey, Any]
    comments: Mapping[TableKey, Any]
    unknown: Mapping[tuple[str, str], str]
    owned: Mapping[tuple[str, str], str]


def _reflect_schema(
    conn: Connection,
    inspector: PGInspector,
    ctx: Context,
    notes: list[str],
    owned: pg_catalog.OwnedSequences,
) -> list[Table]:
    """All tables (no views) of one schema, from one call of each bulk inspector method."""
    schema = ctx.schema
    columns = inspector.get_multi_columns(schema=schema)
    if not columns:
        return []
    rows = _SchemaRows(
        columns=columns,
        pks=inspector.get_multi_pk_constraint(schema=schema),
        uniques=inspector.get_multi_unique_constraints(schema=schema),
        # Resolving referred schemas by the search path is only right for the default schema.
        fks=inspector.get_multi_foreign_keys(
            schema=schema, postgresql_ignore_search_path=schema == ctx.default_schema
        ),
        indexes=inspector.get_multi_indexes(schema=schema),
        checks=inspector.get_multi_check_constraints(schema=schema),
        comments=inspector.get_multi_table_comment(schema=schema),
        unknown=pg_catalog.unknown_types(conn, schema, columns),
        owned=owned.of(schema, columns),
    )
    prefix = f"{ctx.schema}." if ctx.canonical_schema(schema) else ""
    for (table, col), type_text in sorted(rows.unknown.items()):
        notes.append(f"column {prefix}{table}.{col}: type {type_text!r} is unknown to SQLAlchemy")
    return [_table(ctx, key, rows) for key in columns]


def _table(ctx: Context, key: TableKey, rows: _SchemaRows) -> Table:
    name = key[1]
    cols = rows.columns[key]
    comment = rows.comments.get(key)
    return Table(
        name=name,
        schema=ctx.canonical_schema(ctx.schema),
        columns=tuple(
            pg_convert.column(
                ctx, name, c, rows.unknown.get((name, c["name"])), rows.owned.get((name, c["name"]))
            )
            for c in cols
        ),
        primary_key=_primary_key(rows.pks.get(key)),
        unique_constraints=_sorted(
            (pg_convert.unique(u) for u in rows.uniques.get(key, ())), _unique_key
        ),
        foreign_keys=_sorted(
            (pg_convert.foreign_key(ctx, f) for f in rows.fks.get(key, ())), _fk_key
        ),
        check_constraints=_sorted(
            (pg_convert.check(ctx, c) for c in rows.checks.get(key, ())),
            lambda c: (c.name or "", c.sqltext),
        ),
        indexes=_sorted(
            (ix for ix in (pg_convert.index(ctx, r) for r in rows.indexes.get(key, ())) if ix),
            lambda i: i.name,
        ),
        comment=comment["text"] if comment else None,
    )


def _primary_key(raw: Mapping[str, Any] | None) -> PrimaryKey | None:
    if not raw or not raw.get("constrained_columns"):
        return None
    return PrimaryKey(tuple(raw["constrained_columns"]), raw.get("name"))


def _sorted(items: Iterable[T], key: Callable[[T], Any]) -> tuple[T, ...]:
    return tuple(sorted(items, key=key))


def _unique_key(u: UniqueConstraint) -> tuple[str, tuple[str, ...]]:
    return (u.name or "", u.columns)


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    return (fk.name or "", fk.columns, fk.referred_table)


def _server_version(conn: Connection) -> str | None:
    info = conn.dialect.server_version_info
    return ".".join(str(p) for p in info) if info else None
