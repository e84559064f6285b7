"""Python source for a column type in a migration script.

The model side carries a hint (``ColumnType.python``: the repr of the user's SQLAlchemy type and
the imports it needs). The database side often does not, so the canonical type text is mapped back
to a SQLAlchemy constructor here. Named PostgreSQL enums are always rendered by us with
``create_type=False``: the enum's own op creates and drops the type, so a column must never do it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from schemadiff.backends.registry import rules_for
from schemadiff.canonical.typeorder import split_type
from schemadiff.snapshot.model import ColumnType, Enum, TableKey

SA = "import sqlalchemy as sa"
PG = "from sqlalchemy.dialects import postgresql"
MY = "from sqlalchemy.dialects import mysql"


class TypeRenderError(Exception):
    """A type we can neither take from the models nor map back from its canonical text."""


@dataclass(frozen=True)
class TypeCode:
    code: str
    imports: frozenset[str]


_SIMPLE: dict[str, tuple[str, str]] = {
    "integer": ("sa.Integer()", SA),
    "bigint": ("sa.BigInteger()", SA),
    "smallint": ("sa.SmallInteger()", SA),
    "text": ("sa.Text()", SA),
    "boolean": ("sa.Boolean()", SA),
    "date": ("sa.Date()", SA),
    "time": ("sa.Time()", SA),
    "timetz": ("sa.Time(timezone=True)", SA),
    "timestamp": ("sa.DateTime()", SA),
    "timestamptz": ("sa.DateTime(timezone=True)", SA),
    "datetime": ("sa.DateTime()", SA),
    "double": ("sa.Double()", SA),
    "real": ("sa.REAL()", SA),
    "float": ("sa.Float()", SA),
    "json": ("sa.JSON()", SA),
    "uuid": ("sa.Uuid()", SA),
    "interval": ("sa.Interval()", SA),
    "bytea": ("postgresql.BYTEA()", PG),
    "jsonb": ("postgresql.JSONB()", PG),
    "inet": ("postgresql.INET()", PG),
    "cidr": ("postgresql.CIDR()", PG),
    "tsvector": ("postgresql.TSVECTOR()", PG),
    "blob": ("sa.LargeBinary()", SA),
    "tinyint": ("mysql.TINYINT()", MY),
    "mediumint": ("mysql.MEDIUMINT()", MY),
    "tinytext": ("mysql.TINYTEXT()", MY),
    "mediumtext": ("mysql.MEDIUMTEXT()", MY),
    "longtext": ("mysql.LONGTEXT()", MY),
    "tinyblob": ("mysql.TINYBLOB()", MY),
    "mediumblob": ("mysql.MEDIUMBLOB()", MY),
    "longblob": ("mysql.LONGBLOB()", MY),
    "year": ("mysql.YEAR()", MY),
}

#: generic string types whose constructor takes ``collation=``
_COLLATABLE = frozenset({"varchar", "char", "text"})
_QUOTED = re.compile(r"'((?:[^']|'')*)'")


def render_type(
    ctype: ColumnType,
    dialect: str,
    enums: dict[TableKey, Enum] | None = None,
    collation: str | None = None,
) -> TypeCode:
    """Python expression for ``ctype`` on ``dialect``. ``collation`` is the column's own one
    (None: the default): a type written from its canonical text carries it, since a type change
    (and on MySQL any ``MODIFY``) would otherwise reset it; the models' own type already does."""
    sql = ctype.sql
    if sql.startswith("enum(") and not sql.startswith("enum('"):
        return _named_enum(sql, enums or {})
    if ctype.python:
        code = TypeCode(ctype.python, frozenset(ctype.imports))
        if collation is not None and "collation=" not in code.code and _collatable(sql):
            return _with_collation(code, collation)  # a reflected type without its collation
        return code
    return from_canonical(sql, dialect, collation)


def from_canonical(sql: str, dialect: str, collation: str | None = None) -> TypeCode:
    """Map canonical type text (and the column's collation) back to a SQLAlchemy constructor;
    the backend's rules write the types it spells its own way (see ``script_type``)."""
    own = rules_for(dialect).script_type(sql, collation)
    if own is not None:
        return TypeCode(own[0], frozenset(own[1]))
    if sql.endswith("[]"):
        inner = from_canonical(sql[:-2], dialect)
        return TypeCode(f"postgresql.ARRAY({inner.code})", inner.imports | {PG})
    if collation is not None and _collatable(sql):
        return _with_collation(from_canonical(sql, dialect), collation)
    if sql.startswith("enum('") or sql.startswith("set('"):
        values = [v.replace("''", "'") for v in _QUOTED.findall(sql)]
        listed = ", ".join(repr(v) for v in values)
        if sql.startswith("set("):
            return TypeCode(f"mysql.SET({listed})", frozenset({MY}))
        return TypeCode(f"sa.Enum({listed})", frozenset({SA}))
    base, args = split_type(sql)
    if base in _SIMPLE and not args:
        code, imp = _SIMPLE[base]
        return TypeCode(code, frozenset({imp}))
    ints = [a for a in args if a.isdigit()]
    if base == "varchar":
        return TypeCode(f"sa.String(length={args[0]})" if args else "sa.String()", frozenset({SA}))
    if base == "char":
        return TypeCode(f"sa.CHAR(length={args[0]})" if args else "sa.CHAR()", frozenset({SA}))
    if base == "numeric":
        if len(ints) == 2:
            return TypeCode(f"sa.Numeric(precision={ints[0]}, scale={ints[1]})", frozenset({SA}))
        if len(ints) == 1:
            return TypeCode(f"sa.Numeric(precision={ints[0]})", frozenset({SA}))
        return TypeCode("sa.Numeric()", frozenset({SA}))
    if base in ("datetime", "timestamp", "time") and len(ints) == 1:
        cls = {"datetime": "DATETIME", "timestamp": "TIMESTAMP", "time": "TIME"}[base]
        return TypeCode(f"postgresql.{cls}(precision={ints[0]})", frozenset({PG}))
    if base in ("varbinary", "binary") and ints:
        return TypeCode(f"sa.{base.upper()}(length={ints[0]})", frozenset({SA}))
    if base == "float" and ints:
        return TypeCode(f"sa.Float(precision={ints[0]})", frozenset({SA}))
    if base == "bit" and ints:
        return TypeCode(f"mysql.BIT({ints[0]})", frozenset({MY}))
    raise TypeRenderError(
        f"cannot write type {sql!r} in a script: give the column an explicit SQLAlchemy type "
        "in the models, or write this step by hand"
    )


def _collatable(sql: str) -> bool:
    return split_type(sql)[0] in _COLLATABLE


def _with_collation(code: TypeCode, collation: str) -> TypeCode:
    """``sa.String(length=50)`` -> ``sa.String(length=50, collation='C')``."""
    head, _, tail = code.code.rpartition(")")
    sep = "" if head.endswith("(") else ", "
    return TypeCode(f"{head}{sep}collation={collation!r}){tail}", code.imports)


def _named_enum(sql: str, enums: dict[TableKey, Enum]) -> TypeCode:
    ref = sql[len("enum(") : -1]
    schema, _, name = ref.rpartition(".")
    enum = enums.get((schema or None, name))
    if enum is None:
        raise TypeRenderError(f"enum type {ref!r} is used by a column but its values are unknown")
    args = ", ".join(repr(v) for v in enum.values)
    schema_kw = f", schema={enum.schema!r}" if enum.schema else ""
    return TypeCode(
        f"postgresql.ENUM({args}, name={enum.name!r}{schema_kw}, create_type=False)",
        frozenset({PG}),
    )
