"""Turn the rows of :mod:`schemadiff.backends.postgresql.queries` into snapshot objects.

Pure functions over the catalog's rows; every spelling PostgreSQL adds (casts, ``nextval`` of
SERIAL sequences, identity defaults, default index options) is normalized through
:class:`~schemadiff.backends.postgresql.rules.PostgresqlRules`, the same rules the models' side
uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy.engine import Dialect

from schemadiff.backends.postgresql.queries import ColumnRow, ConstraintRow, IndexRow
from schemadiff.backends.postgresql.rules import PostgresqlRules
from schemadiff.backends.postgresql.types import catalog_type, named_enum
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    ForeignKey,
    Index,
    PrimaryKey,
    UniqueConstraint,
)

#: ``confupdtype``/``confdeltype`` -> the action's SQL (``a``, NO ACTION, is the default: None)
_FK_ACTIONS = {"r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}
_CHECK = re.compile(r"^CHECK *\((.+)\)( NO INHERIT)?( NOT VALID)?$", re.DOTALL)


@dataclass(frozen=True)
class Context:
    """What every conversion needs: the rules, the dialect and the default schema's real name;
    plus the columns converted so far (see :func:`column`)."""

    rules: PostgresqlRules
    dialect: Dialect
    default_schema: str
    known_columns: dict[tuple[Any, ...], Column] = field(default_factory=dict, compare=False)
    #: operator class oid -> (name, is its type's default)
    opclasses: dict[int, tuple[str, bool]] = field(default_factory=dict, compare=False)

    def canonical_schema(self, name: str | None) -> str | None:
        return None if name is None or name == self.default_schema else name


def column_type(ctx: Context, raw: ColumnRow) -> ColumnType:
    """Named enums (and arrays of them) by the catalog's type kind, everything else by its text."""
    if raw.type_kind == "e":
        return named_enum(ctx.canonical_schema(raw.type_schema), raw.type_name, False)
    if raw.element_kind == "e" and raw.element_name is not None:
        return named_enum(ctx.canonical_schema(raw.element_schema), raw.element_name, True)
    return catalog_type(ctx.rules, ctx.dialect, raw.format_type, raw.domain_base, raw.collation)


def column(ctx: Context, table: str, raw: ColumnRow, owned_sequence: str | None) -> Column:
    """A reflected column; ``owned_sequence`` is the sequence the column owns (SERIAL).

    Thousands of tables repeat a few dozen column definitions, so a column is converted once
    per distinct row (all of it but the column number), except where the table matters: a
    ``nextval`` default (SERIAL is told by the table's and column's names) and identity
    columns.
    """
    by_table = raw.identity is not None or _calls_nextval(raw.default or raw.domain_default)
    if by_table:
        return new_column(ctx, table, raw, owned_sequence)
    key = raw[1:]
    found = ctx.known_columns.get(key)
    if found is None:
        found = ctx.known_columns[key] = new_column(ctx, table, raw, owned_sequence)
    return found


def _calls_nextval(default: str | None) -> bool:
    return default is not None and "nextval" in default.lower()


def new_column(ctx: Context, table: str, raw: ColumnRow, owned_sequence: str | None) -> Column:
    """A domain's default and NOT NULL apply to its columns (as SQLAlchemy's inspector reports
    them); a generated column's expression is its ``Computed``, not a default."""
    rules = ctx.rules
    ctype = column_type(ctx, raw)
    default = raw.default
    nullable = not raw.not_null
    if raw.domain_base is not None:
        default = default or raw.domain_default
        nullable = nullable and not raw.domain_not_null
    computed = None
    if raw.generated not in ("", "\x00") and default is not None:
        computed = Computed(rules.canonical_expression(default), raw.generated == "s", default)
        default = None
    identity = None
    autoincrement = False
    if raw.identity is not None:
        start, increment, low, high, cycle = raw.identity
        identity = rules.canonical_identity(
            raw.identity_always, start, increment, low, high, bool(cycle), ctype.sql
        )
        default = None
    elif rules.serial_sequence(default, table, raw.name, owned_sequence):
        autoincrement = True
        default = None
    return Column(
        name=raw.name,
        type=ctype,
        nullable=nullable,
        server_default=rules.typed_default(rules.canonical_default(default), ctype.sql),
        comment=rules.canonical_comment(raw.comment),
        identity=identity,
        computed=computed,
        # an array's collation is its items' (the models' side does not compare that either)
        collation=None if raw.element_kind is not None else raw.collation,
        autoincrement=autoincrement,
        raw_default=default,
    )


def names(attnums: list[int], columns: dict[int, str]) -> tuple[str, ...]:
    return tuple(columns[n] for n in attnums if n in columns)


def primary_key(raw: ConstraintRow, columns: dict[int, str]) -> PrimaryKey:
    return PrimaryKey(names(raw.columns, columns), raw.name)


def unique(raw: ConstraintRow, columns: dict[int, str]) -> UniqueConstraint:
    return UniqueConstraint(names(raw.columns, columns), raw.name, bool(raw.nulls_not_distinct))


def foreign_key(ctx: Context, raw: ConstraintRow, columns: dict[int, str]) -> ForeignKey:
    """A foreign key; the referred schema is the table's real one (None: the default schema)."""
    deferrable, initially = ctx.rules.canonical_fk_timing(
        True if raw.deferrable else None, "DEFERRED" if raw.deferred else None
    )
    return ForeignKey(
        columns=names(raw.columns, columns),
        referred_schema=ctx.canonical_schema(raw.referred_schema),
        referred_table=raw.referred_table or "",
        referred_columns=tuple(raw.referred_columns or ()),
        name=raw.name,
        ondelete=_FK_ACTIONS.get(raw.on_delete),
        onupdate=_FK_ACTIONS.get(raw.on_update),
        deferrable=deferrable,
        initially=initially,
    )


def check(ctx: Context, raw: ConstraintRow) -> CheckConstraint:
    """A check constraint's expression: ``pg_get_constraintdef`` without ``CHECK (...)``."""
    definition = raw.definition or ""
    match = _CHECK.match(definition)
    sqltext = _strip_outer_parens(match.group(1)) if match else definition
    return CheckConstraint(ctx.rules.canonical_expression(sqltext), raw.name, sqltext)


def index(ctx: Context, raw: IndexRow, columns: dict[int, str]) -> Index | None:
    """A reflected index; None for one that backs a constraint (unique, primary, exclusion)."""
    if raw.backs_constraint:
        return None
    keys = raw.key_count
    expressions = raw.elements or [None] * len(raw.attnums)
    elements = []
    for position, (attnum, expr) in enumerate(zip(raw.attnums[:keys], expressions, strict=False)):
        flags = raw.options[position] if position < len(raw.options) else 0
        sorting = _sorting(flags)
        oid = raw.opclasses[position] if position < len(raw.opclasses) else None
        opclass, default = ctx.opclasses.get(oid, (None, True)) if oid is not None else (None, True)
        text = (expr or "") if attnum == 0 else columns.get(attnum, "")
        element = ctx.rules.index_element(text, attnum == 0, sorting, None if default else opclass)
        if default and opclass is not None:
            element = replace(element, default_opclass=opclass)
        elements.append(element)
    return Index(
        name=raw.name,
        elements=tuple(elements),
        unique=raw.unique,
        where=ctx.rules.canonical_expression(raw.where) if raw.where else None,
        using=ctx.rules.canonical_using(raw.method),
        include=names(raw.attnums[keys:], columns),
        raw_where=raw.where,
        nulls_not_distinct=bool(raw.nulls_not_distinct),
    )


def _sorting(flags: int) -> tuple[str, ...]:
    """``indoption`` bits as the sorting words :meth:`PostgresqlRules.index_element` reads:
    bit 1 is DESC, bit 2 NULLS FIRST (only what differs from the default is named)."""
    if flags & 1:
        return ("desc",) if flags & 2 else ("desc", "nulls_last")
    return ("nulls_first",) if flags & 2 else ()


def _strip_outer_parens(text: str) -> str:
    """``(a > 0)`` -> ``a > 0``: one layer, only when it encloses the whole text (what
    SQLAlchemy's inspector reports, so scripts quote the same text)."""
    stripped = text.strip()
    if stripped.startswith("(") and stripped.endswith(")") and _balanced(stripped[1:-1]):
        return stripped[1:-1]
    return text


def _balanced(text: str) -> bool:
    depth = 0
    quoted = False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
