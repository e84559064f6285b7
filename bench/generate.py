"""Synthetic schemas for the benchmark, built in code as SQLAlchemy ``MetaData``.

``build(backend, n)`` gives ``n`` tables with a realistic mix: 12-15 columns of varied types,
server defaults, comments, a unique constraint, plain, composite, expression and partial indexes
(the last two where the backend has them), foreign keys to earlier tables, check constraints and,
on PostgreSQL, named enums shared between tables. ``changed=True`` gives the same schema with about
10% of the tables changed (a column added, dropped or altered, an index added or dropped, a default
or comment changed), the models of a project that moved on from its database.

Every table depends only on ``(seed, schema, position)``, so the first ``n`` tables of a larger
schema are exactly the ``n``-table schema: the benchmark grows one database from 100 to 5,000
tables instead of rebuilding it. ``schemas=S`` lays ``n`` tables out in each of ``S`` schemas
(``s000``, ``s001``, ...) instead of the default one (PostgreSQL).
"""

from __future__ import annotations

import random
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from bench.changes import CHANGE_RATE, ColSpec, TableSpec, apply_change

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
BACKENDS = ("postgresql", "mysql", "sqlite")
ENUM_POOL = 20


def table_name(position: int) -> str:
    return f"t{position:05d}"


def schema_name(position: int) -> str:
    return f"s{position:03d}"


def build(
    backend: str, n: int, *, seed: int = 0, changed: bool = False, schemas: int = 0
) -> sa.MetaData:
    """``n`` tables (in each of ``schemas`` schemas when given) for ``backend``."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
    metadata = sa.MetaData(naming_convention=NAMING)
    layout = [schema_name(s) for s in range(schemas)] if schemas else [None]
    for schema in layout:
        enums = _enum_pool(backend, schema)
        for position in range(n):
            spec = table_spec(backend, position, seed=seed, schema=schema, changed=changed)
            _make_table(metadata, backend, spec, schema, enums)
    return metadata


def table_spec(
    backend: str, position: int, *, seed: int = 0, schema: str | None = None, changed: bool = False
) -> TableSpec:
    """The deterministic description of table ``position`` (with its change, if ``changed``)."""
    rng = random.Random(f"{seed}/{schema}/{position}")
    name = table_name(position)
    columns = [
        ColSpec("id", "pk"),
        ColSpec("name", "string", nullable=False, length=rng.choice((50, 100, 200))),
        ColSpec("code", "string", nullable=False, length=20),
        ColSpec("qty", "integer", nullable=False, default="0"),
        ColSpec("created_at", "timestamp", nullable=False, default="now"),
    ]
    columns += _foreign_keys(rng, position)
    optional = list(_OPTIONAL)
    rng.shuffle(optional)
    wanted = rng.randint(12, 15)
    columns += optional[: max(0, wanted - len(columns))]
    spec = TableSpec(
        name=name,
        columns=columns,
        comment=f"table number {position}" if rng.random() < 0.5 else None,
        expression_index=backend != "mysql" and rng.random() < 0.35,
        partial_index=backend != "mysql" and rng.random() < 0.35,
        enum_no=rng.randrange(ENUM_POOL),
    )
    if changed:
        change_rng = random.Random(f"{seed}/{schema}/{position}/change")
        if change_rng.random() < CHANGE_RATE:
            apply_change(backend, spec, change_rng)
    return spec


#: columns a table may have beyond the fixed five (shuffled, cut at 12-15 columns in all)
_OPTIONAL = (
    ColSpec("price", "numeric", default="0"),
    ColSpec("ratio", "float"),
    ColSpec("active", "boolean", nullable=False, default="true"),
    ColSpec("notes", "text", comment="free text"),
    ColSpec("born", "date"),
    ColSpec("big", "bigint"),
    ColSpec("small", "smallint"),
    ColSpec("status", "enum", nullable=False, default="new"),
    ColSpec("payload", "json"),
    ColSpec("uid", "uuid"),
    ColSpec("label", "string", length=30, default="x", comment="a short label"),
    ColSpec("blob", "binary"),
    ColSpec("updated_at", "timestamp"),
    ColSpec("score", "numeric", default="0"),
)


def _foreign_keys(rng: random.Random, position: int) -> list[ColSpec]:
    """Zero to two references to earlier tables (never to itself, so creation order works)."""
    if position == 0:
        return []
    count = 1 if position < 3 else rng.choice((0, 1, 1, 2))
    out = []
    for k in range(count):
        target = table_name(rng.randrange(max(0, position - 50), position))
        ondelete = rng.choice((None, "CASCADE", "SET NULL"))
        out.append(ColSpec(f"ref{k}_id", "integer", fk=target, ondelete=ondelete))
    return out


# --- SQLAlchemy objects ----------------------------------------------------------------------


def _enum_pool(backend: str, schema: str | None) -> list[sa.Enum]:
    """PostgreSQL: shared named enums in the tables' schema; elsewhere inline enums."""
    pool: list[sa.Enum] = []
    for k in range(ENUM_POOL):
        labels = ["new", "open", "closed", "archived", "void"][: 3 + k % 3]
        if backend == "postgresql":
            pool.append(postgresql.ENUM(*labels, name=f"status_{k:02d}", schema=schema))
        else:
            pool.append(sa.Enum(*labels, name=f"status_{k:02d}"))
    return pool


def _make_table(
    metadata: sa.MetaData,
    backend: str,
    spec: TableSpec,
    schema: str | None,
    enums: list[sa.Enum],
) -> sa.Table:
    prefix = f"{schema}." if schema else ""
    columns = [_column(backend, c, enums[spec.enum_no], prefix) for c in spec.columns]
    table = sa.Table(
        spec.name,
        metadata,
        *columns,
        sa.UniqueConstraint("code"),
        sa.CheckConstraint("qty >= 0", name="qty_nonneg"),
        sa.Index(f"ix_{spec.name}_name", "name"),
        schema=schema,
        comment=spec.comment,
    )
    if spec.composite_index:
        sa.Index(f"ix_{spec.name}_qty_created", table.c.qty, table.c.created_at.desc())
    if spec.extra_index:
        sa.Index(f"ix_{spec.name}_code_qty", table.c.code, table.c.qty)
    if spec.expression_index:
        sa.Index(f"ix_{spec.name}_name_lower", sa.func.lower(table.c.name))
    if spec.partial_index:
        where: dict[str, Any] = {f"{backend}_where": table.c.qty > 0}
        sa.Index(f"ix_{spec.name}_live", table.c.created_at, **where)
    if "price" in table.c:
        table.append_constraint(sa.CheckConstraint("price >= 0", name="price_nonneg"))
    return table


def _column(backend: str, c: ColSpec, enum: sa.Enum, prefix: str) -> sa.Column[Any]:
    if c.kind == "pk":
        return sa.Column("id", sa.Integer, primary_key=True)
    args: list[Any] = [_type(backend, c, enum)]
    if c.fk:
        args.append(sa.ForeignKey(f"{prefix}{c.fk}.id", ondelete=c.ondelete))
    return sa.Column(
        c.name,
        *args,
        nullable=c.nullable,
        server_default=_default_clause(backend, c),
        comment=c.comment,
        index=True if c.fk else None,
    )


def _type(backend: str, c: ColSpec, enum: sa.Enum) -> Any:
    pg = backend == "postgresql"
    simple: dict[str, Any] = {
        "integer": sa.Integer,
        "bigint": sa.BigInteger,
        "smallint": sa.SmallInteger,
        "numeric": sa.Numeric(12, 2),
        "float": sa.Float,
        "boolean": sa.Boolean,
        "text": sa.Text,
        "date": sa.Date,
        "binary": sa.LargeBinary,
        "timestamp": sa.DateTime(timezone=pg),
        "json": postgresql.JSONB if pg else sa.JSON,
        "uuid": postgresql.UUID(as_uuid=True) if pg else sa.String(36),
    }
    if c.kind == "string":
        return sa.String(c.length)
    if c.kind == "enum":
        return enum if backend != "sqlite" else sa.String(20)
    if c.kind == "binary" and backend == "mysql":
        return mysql.BLOB
    return simple[c.kind]


def _default_clause(backend: str, c: ColSpec) -> Any:
    if c.default is None:
        return None
    if c.default == "now":
        return sa.func.current_timestamp()
    if c.default == "true":
        return sa.true()
    if c.kind in ("integer", "numeric"):
        return sa.text(c.default)
    return c.default


def changed_tables(backend: str, n: int, *, seed: int = 0, schemas: int = 0) -> dict[str, str]:
    """``"[schema.]table" -> change kind`` for the tables the changed variant alters."""
    out = {}
    for schema in [schema_name(s) for s in range(schemas)] if schemas else [None]:
        for position in range(n):
            spec = table_spec(backend, position, seed=seed, schema=schema, changed=True)
            if spec.changes:
                out[f"{schema + '.' if schema else ''}{spec.name}"] = spec.changes[0]
    return out
