"""Reflect a PostgreSQL database into a Snapshot with our own bulk catalog queries.

Four statements read every table of every requested schema
(:mod:`schemadiff.backends.postgresql.queries`;
a fifth names the operator classes when there is an index), plus the schema list, the enums, the
objects no comparator covers (:mod:`.pg_objects`), the sequences (:mod:`.sequences`), and the
owned-sequence query when some default calls ``nextval``: the count depends on neither the number
of tables nor of schemas.
Objects of the default schema are keyed ``schema=None``, like the metadata side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql.base import PGInspector
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql import convert as pg_convert
from schemadiff.backends.postgresql.convert import Context
from schemadiff.backends.postgresql.domains import fetch_domains
from schemadiff.backends.postgresql.extensions import fetch_extensions
from schemadiff.backends.postgresql.grants import fetch_privileges, fetch_roles
from schemadiff.backends.postgresql.objects import fetch_uncompared
from schemadiff.backends.postgresql.partitions import fetch_partitions
from schemadiff.backends.postgresql.policies import fetch_policies
from schemadiff.backends.postgresql.queries import (
    CatalogRows,
    TableKey,
    fetch_catalog,
    fetch_owned_sequences,
)
from schemadiff.backends.postgresql.routines import fetch_functions, fetch_triggers
from schemadiff.backends.postgresql.rules import PostgresqlRules
from schemadiff.backends.postgresql.sequences import fetch_sequences
from schemadiff.backends.postgresql.views import fetch_views
from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import (
    Enum,
    ForeignKey,
    Snapshot,
    Table,
    UniqueConstraint,
    sort_tables,
)
from schemadiff.snapshot.partitions import PARTITION_BY_OPTION, PartitionKey

T = TypeVar("T")
#: compared (:mod:`.views`), so not listed with the objects no comparator covers
_VIEW_KINDS = frozenset({"view", "materialized view"})


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
    rows = fetch_catalog(conn, [default, *extra])
    ctx = Context(rules, conn.dialect, default, opclasses=rows.opclasses)
    owned: dict[TableKey, dict[str, str]] = {}
    if any("nextval(" in (c.default or "") for cols in rows.columns.values() for c in cols):
        owned = fetch_owned_sequences(conn, [default, *extra])
    tables = [_table(ctx, key, rows, owned.get(key, {})) for key in rows.tables]
    other = fetch_uncompared(conn, [default, *extra], default)
    views = fetch_views(conn, [default, *extra], default)
    raw_enums = [e for e in raw_enums if (e["schema"], e["name"]) not in other.extension_enums]
    policies, row_security = fetch_policies(conn, [default, *extra], default)
    partition_keys, partitions = fetch_partitions(conn, [default, *extra], default)
    if partition_keys:
        tables = _with_partition_keys(tables, partition_keys)
    privileges, owners = fetch_privileges(conn, [default, *extra], default)
    return Snapshot(
        dialect=rules.name,
        default_schema=default,
        schemas=tuple(extra),
        tables=sort_tables(tables),
        enums=_enums(raw_enums, default, {None, *extra}, tables),
        sequences=fetch_sequences(conn, [default, *extra], default),
        not_compared=tuple(sorted(_unknown_types(tables))),
        server_version=_server_version(conn),
        views=views,
        # sequences, views, extensions and domains are compared (:mod:`.sequences`,
        # :mod:`.views`, :mod:`.extensions`, :mod:`.domains`), no longer listed
        uncompared=tuple(
            o
            for o in other.uncompared
            if o.kind not in ("sequence", "extension", "domain") and o.kind not in _VIEW_KINDS
        ),
        functions=fetch_functions(conn, [default, *extra], default),
        triggers=fetch_triggers(conn, [default, *extra], default),
        extensions=fetch_extensions(conn, default),
        domains=fetch_domains(conn, [default, *extra], default),
        policies=policies,
        row_security=row_security,
        partition_keys=partition_keys,
        partitions=partitions,
        privileges=privileges,
        relation_owners=owners,
        roles=fetch_roles(conn),
    )


def _with_partition_keys(tables: list[Table], keys: Sequence[PartitionKey]) -> list[Table]:
    """``tables`` with each partitioned one's key as its ``postgresql_partition_by`` option
    (what creates it again partitioned, in a downgrade)."""
    raw = {k.name_key: k.raw for k in keys}
    return [
        replace(
            t,
            options=tuple(
                sorted({**dict(t.options), PARTITION_BY_OPTION: repr(raw[t.key])}.items())
            ),
        )
        if t.key in raw
        else t
        for t in tables
    ]


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


def _unknown_types(tables: Iterable[Table]) -> Iterator[str]:
    """One line per column whose type SQLAlchemy does not know (its type is not compared)."""
    for table in tables:
        prefix = f"{table.schema}." if table.schema else ""
        for col in table.columns:
            if not col.type.known:
                yield (
                    f"column {prefix}{table.name}.{col.name}: type {col.type.sql!r} is unknown "
                    "to SQLAlchemy"
                )


def _table(ctx: Context, key: TableKey, rows: CatalogRows, owned: Mapping[str, str]) -> Table:
    schema, name = key
    raw_columns = rows.columns.get(key, [])
    numbers = {c.attnum: c.name for c in raw_columns}
    constraints = rows.constraints.get(key, [])
    pks = [pg_convert.primary_key(c, numbers) for c in constraints if c.kind == "p"]
    return Table(
        name=name,
        schema=ctx.canonical_schema(schema),
        columns=tuple(pg_convert.column(ctx, name, c, owned.get(c.name)) for c in raw_columns),
        primary_key=pks[0] if pks and pks[0].columns else None,
        unique_constraints=_sorted(
            (pg_convert.unique(c, numbers) for c in constraints if c.kind == "u"), _unique_key
        ),
        foreign_keys=_sorted(
            (pg_convert.foreign_key(ctx, c, numbers) for c in constraints if c.kind == "f"),
            _fk_key,
        ),
        check_constraints=_sorted(
            (pg_convert.check(ctx, c) for c in constraints if c.kind == "c"),
            lambda c: (c.name or "", c.sqltext),
        ),
        indexes=_sorted(
            (
                ix
                for ix in (pg_convert.index(ctx, r, numbers) for r in rows.indexes.get(key, ()))
                if ix
            ),
            lambda i: i.name,
        ),
        comment=ctx.rules.canonical_comment(rows.tables[key]),
    )


def _sorted(items: Iterable[T], key: Callable[[T], Any]) -> tuple[T, ...]:
    return tuple(sorted(items, key=key))


def _unique_key(u: UniqueConstraint) -> tuple[str, tuple[str, ...]]:
    return (u.name or "", u.columns)


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    return (fk.name or "", fk.columns, fk.referred_table)


def _server_version(conn: Connection) -> str | None:
    info = conn.dialect.server_version_info
    return ".".join(str(p) for p in info) if info else None
