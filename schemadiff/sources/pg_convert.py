"""Turn the PostgreSQL inspector's reflection dicts into snapshot objects.

Pure functions over the dicts ``Inspector.get_multi_*`` returns; every spelling PostgreSQL adds
(casts, ``nextval`` of SERIAL sequences, identity defaults, default index options) is normalized
through :class:`~schemadiff.dialects.postgresql.PostgresqlRules`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from schemadiff.dialects.postgresql import EnumSchemaOf, PostgresqlRules
from schemadiff.snapshot import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    ForeignKey,
    Index,
    UniqueConstraint,
)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Context:
    """What every conversion needs: the rules, the dialect and the schema being reflected
    (its real name, also for the default schema)."""

    rules: PostgresqlRules
    dialect: Dialect
    schema: str
    default_schema: str
    enum_schema: EnumSchemaOf

    def canonical_schema(self, name: str | None) -> str | None:
        return None if name is None or name == self.default_schema else name


def column(
    ctx: Context, table: str, raw: Row, unknown_type: str | None, owned_sequence: str | None
) -> Column:
    """A reflected column; ``unknown_type`` is the catalog's type text when SQLAlchemy did not
    recognize the type (the column is then marked as not comparable by type),
    ``owned_sequence`` the sequence the column owns (SERIAL)."""
    rules = ctx.rules
    type_ = raw["type"]
    if isinstance(type_, sa.types.NullType):
        ctype = ColumnType(sql=unknown_type or "unknown", known=False)
    else:
        ctype = rules.column_type(type_, ctx.dialect, ctx.enum_schema)
    default = _unqualified_sequence(raw.get("default"), ctx.schema)
    identity = None
    autoincrement = False
    if raw.get("identity"):
        ident = raw["identity"]
        identity = rules.canonical_identity(ident["always"], ident["start"], ident["increment"])
        default = None
    elif rules.serial_sequence(default, table, raw["name"], owned_sequence):
        autoincrement = True
        default = None
    computed = None
    if raw.get("computed"):
        comp = raw["computed"]
        sqltext = comp["sqltext"]
        computed = Computed(rules.canonical_expression(sqltext), comp.get("persisted"), sqltext)
    return Column(
        name=raw["name"],
        type=ctype,
        nullable=bool(raw["nullable"]),
        server_default=rules.canonical_default(default),
        comment=raw.get("comment"),
        identity=identity,
        computed=computed,
        collation=getattr(type_, "collation", None),
        autoincrement=autoincrement,
        raw_default=default,
    )


def _unqualified_sequence(default: str | None, schema: str) -> str | None:
    """Undo the inspector's ``nextval('"schema".seq')``: it adds the schema of the table being
    reflected when PostgreSQL printed the sequence unqualified (i.e. on the search path)."""
    prefix = f'nextval(\'"{schema}".'
    if default is not None and default.startswith(prefix):
        return "nextval('" + default[len(prefix) :]
    return default


def foreign_key(ctx: Context, raw: Row) -> ForeignKey:
    opts = raw.get("options") or {}
    deferrable, initially = ctx.rules.canonical_fk_timing(
        opts.get("deferrable"), opts.get("initially")
    )
    return ForeignKey(
        columns=tuple(raw["constrained_columns"]),
        referred_schema=ctx.canonical_schema(raw.get("referred_schema")),
        referred_table=raw["referred_table"],
        referred_columns=tuple(raw["referred_columns"]),
        name=raw.get("name"),
        ondelete=ctx.rules.canonical_fk_action(opts.get("ondelete")),
        onupdate=ctx.rules.canonical_fk_action(opts.get("onupdate")),
        deferrable=deferrable,
        initially=initially,
    )


def unique(raw: Row) -> UniqueConstraint:
    return UniqueConstraint(tuple(raw["column_names"]), raw.get("name"))


def check(ctx: Context, raw: Row) -> CheckConstraint:
    sqltext = raw["sqltext"]
    return CheckConstraint(ctx.rules.canonical_expression(sqltext), raw.get("name"), sqltext)


def index(ctx: Context, raw: Row) -> Index | None:
    """A reflected index; None for the index that backs a unique constraint."""
    if raw.get("duplicates_constraint"):
        return None
    opts = raw.get("dialect_options") or {}
    names = raw["column_names"]
    exprs = raw.get("expressions") or names
    sorting = raw.get("column_sorting") or {}
    ops = opts.get("postgresql_ops") or {}
    elements = []
    for name, expr in zip(names, exprs, strict=True):
        key = name if name is not None else expr
        elements.append(
            ctx.rules.index_element(key, name is None, tuple(sorting.get(key, ())), ops.get(key))
        )
    where = opts.get("postgresql_where")
    return Index(
        name=raw["name"],
        elements=tuple(elements),
        unique=bool(raw.get("unique")),
        where=ctx.rules.canonical_expression(where) if where else None,
        using=ctx.rules.canonical_using(opts.get("postgresql_using")),
        include=tuple(opts.get("postgresql_include") or ()),
        raw_where=where,
    )
