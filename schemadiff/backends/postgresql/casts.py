"""How a PostgreSQL column changes type without losing data.

``ALTER ... TYPE`` converts with the assignment cast when there is one, and that cast fails on a
value too long for a ``varchar(n)`` or too large for an ``integer``, but it rounds a
``numeric(10,3)`` into a ``numeric(8,2)`` and ``12.5`` into an integer without a word; an
explicit ``USING "c"::varchar(40)`` even cuts strings, and ``USING "c"::boolean`` turns ``5`` into
``true``. So:

- ``USING`` only where PostgreSQL has no assignment cast (text -> integer, integer -> boolean,
  text -> enum), as a plain cast;
- every change that is not a widening first runs a guard: if some value would not come back
  unchanged from the new type (``CAST(CAST(c AS new) AS old) IS DISTINCT FROM c``), it raises and
  nothing is converted. A value the cast refuses (``'abc'`` to integer) fails the guard too.

The pairs come from ``pg_cast`` (``castcontext`` ``a`` or ``i``), plus the I/O casts to string
types, which PostgreSQL treats as assignment casts.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.canonical.typeorder import is_widening

#: canonical base type -> pg_type name
_PG_NAMES = {
    "smallint": "int2",
    "integer": "int4",
    "bigint": "int8",
    "numeric": "numeric",
    "real": "float4",
    "double": "float8",
    "varchar": "varchar",
    "char": "bpchar",
    "text": "text",
    "boolean": "bool",
    "date": "date",
    "time": "time",
    "timetz": "timetz",
    "timestamp": "timestamp",
    "timestamptz": "timestamptz",
    "interval": "interval",
    "json": "json",
    "jsonb": "jsonb",
    "bit": "bit",
    "bit varying": "varbit",
    "uuid": "uuid",
    "bytea": "bytea",
}
_STRINGS = frozenset({"text", "varchar", "bpchar"})
_NUMBERS = ("int2", "int4", "int8", "numeric", "float4", "float8")
#: (source, target) pairs with an implicit or assignment cast in pg_cast (PostgreSQL 10-17)
_ASSIGNMENT = frozenset(
    {(a, b) for a in _NUMBERS for b in _NUMBERS if a != b}
    | {
        ("date", "timestamp"),
        ("date", "timestamptz"),
        ("timestamp", "date"),
        ("timestamp", "time"),
        ("timestamp", "timestamptz"),
        ("timestamptz", "date"),
        ("timestamptz", "time"),
        ("timestamptz", "timestamp"),
        ("timestamptz", "timetz"),
        ("time", "interval"),
        ("time", "timetz"),
        ("timetz", "time"),
        ("interval", "time"),
        ("json", "jsonb"),
        ("jsonb", "json"),
        ("bit", "varbit"),
        ("varbit", "bit"),
    }
)
#: types without an equality operator: no guard can compare their values
_NOT_COMPARABLE = frozenset({"json"})
_SPELLING = {"double": "double precision"}


@dataclass(frozen=True)
class PgTypeChange:
    """``using``: the USING expression (None: the assignment cast); ``guard``: SQL that raises
    when a value would not convert unchanged (None for a widening)."""

    using: str | None
    guard: str | None


def plan_type_change(
    schema: str | None, table: str, column: str, old: str, new: str
) -> PgTypeChange:
    """How to change ``column`` from canonical type ``old`` to ``new``."""
    qcol = quote_ident(column)
    using = None
    if _needs_using(old, new):
        target = cast_type(new)
        via_text = new.startswith("enum(") and _kind(old) not in _STRINGS
        using = f"{qcol}::text::{target}" if via_text else f"{qcol}::{target}"
    guard = None
    if not is_widening(old, new) and _comparable(old) and _kind(new) is not None:
        guard = _guard(schema, table, column, old, new)
    return PgTypeChange(using, guard)


def _kind(sql: str) -> str | None:
    """pg_type name of a canonical type (``enum`` for a named enum, element kind + ``[]`` for
    an array); None for a type this module does not know."""
    if sql.endswith("[]"):
        inner = _kind(sql[:-2])
        return inner + "[]" if inner else None
    if sql.startswith("enum("):
        return "enum"
    base = sql.split("(", 1)[0].strip()
    if base.startswith("interval"):
        base = "interval"
    return _PG_NAMES.get(base)


def _needs_using(old: str, new: str) -> bool:
    if old.endswith("[]") and new.endswith("[]"):
        return _needs_using(old[:-2], new[:-2])
    a, b = _kind(old), _kind(new)
    if a is None or b is None:
        return True
    if a == b and a != "enum":
        return False  # the same type with another length / precision: a length coercion
    if old == new:
        return False
    return b not in _STRINGS and (a, b) not in _ASSIGNMENT


def _comparable(sql: str) -> bool:
    kind = _kind(sql)
    return kind is not None and kind.removesuffix("[]") not in _NOT_COMPARABLE


def _guard(schema: str | None, table: str, column: str, old: str, new: str) -> str:
    qtable = (quote_ident(schema) + "." if schema else "") + quote_ident(table)
    qcol = quote_ident(column)
    label = f"{schema + '.' if schema else ''}{table}.{column}"
    message = (
        f"schemadiff: {label} holds values that {new} cannot keep unchanged; nothing was "
        f"converted (change or remove those rows first, or keep {old})"
    )
    literal = "'" + message.replace("'", "''").replace("%", "%%") + "'"
    back = f"CAST(CAST({qcol} AS {cast_type(new)}) AS {cast_type(old)})"
    return (
        f"DO $schemadiff$ BEGIN IF EXISTS (SELECT 1 FROM {qtable} WHERE {back} "
        f"IS DISTINCT FROM {qcol}) THEN RAISE EXCEPTION {literal}; END IF; END $schemadiff$"
    )


def cast_type(sql: str) -> str:
    """How a cast names canonical type ``sql`` (``timestamptz(3)`` ->
    ``timestamp(3) with time zone``, ``enum(s.mood)`` -> ``"s"."mood"``)."""
    if sql.endswith("[]"):
        return cast_type(sql[:-2]) + "[]"
    if sql.startswith("enum(") and not sql.startswith("enum('"):
        name = sql[len("enum(") : -1]
        schema, _, enum = name.rpartition(".")
        return (quote_ident(schema) + "." if schema else "") + quote_ident(enum)
    base, paren, args = sql.partition("(")
    for zoned, plain in (("timestamptz", "timestamp"), ("timetz", "time")):
        if base == zoned:
            return f"{plain}{paren}{args} with time zone"
    return _SPELLING.get(base, base) + paren + args


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
