"""MySQL/MariaDB type spellings -> canonical snapshot types.

Two spellings meet here: the catalog's ``COLUMN_TYPE`` (``int(11) unsigned``, ``tinyint(1)``,
``enum('a','b''c')``, ``year(4)``, ``decimal(10,0)``) and SQLAlchemy's compiled DDL (``INTEGER
UNSIGNED``, ``BOOL``, ``NUMERIC``, ``FLOAT(53)``, ``VARCHAR(10) COLLATE utf8mb4_bin``). Both land on
one canonical string: integer display widths dropped (``tinyint(1)`` is ``boolean``, the way
SQLAlchemy and MySQL both spell a boolean), ``unsigned``/``zerofill`` kept as a suffix, defaults the
server fills in made explicit (``numeric`` is ``numeric(10,0)``, ``char`` is ``char(1)``), and
enum/set values re-quoted one way with their case kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemadiff.snapshot.model import ColumnType

_ALIASES = {
    "int": "integer",
    "integer": "integer",
    "bool": "boolean",
    "decimal": "numeric",
    "dec": "numeric",
    "fixed": "numeric",
    "double precision": "double",
    "real": "double",
    "character varying": "varchar",
    "character": "char",
    "nvarchar": "varchar",
    "nchar": "char",
    "national varchar": "varchar",
    "national char": "char",
    "long varchar": "mediumtext",
    "long": "mediumtext",
    "long varbinary": "mediumblob",
}
_INTEGERS = frozenset({"tinyint", "smallint", "mediumint", "integer", "bigint"})
_TEMPORAL = frozenset({"datetime", "timestamp", "time"})
#: (largest size in bytes, type) for ``TEXT(n)`` / ``BLOB(n)``, which the server maps to the
#: smallest type that fits; TEXT lengths are characters, counted at 4 bytes (utf8mb4).
_SIZES = ((255, "tiny"), (65535, ""), (16777215, "medium"))
_KNOWN = frozenset(
    {
        *_INTEGERS,
        *_TEMPORAL,
        "boolean", "numeric", "float", "double", "bit", "date", "year",
        "varchar", "char", "binary", "varbinary",
        "tinytext", "text", "mediumtext", "longtext",
        "tinyblob", "blob", "mediumblob", "longblob",
        "json", "enum", "set", "uuid", "inet4", "inet6",
        "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
        "multipolygon", "geometrycollection",
    }
)  # fmt: skip
#: numeric families: a quoted numeric default on these is the number itself
NUMERIC_BASES = frozenset({*_INTEGERS, "boolean", "numeric", "float", "double", "year"})

_ATTRIBUTES = re.compile(r"\s+(?:character\s+set|charset|collate)\s+\S+")
_SHAPE = re.compile(
    r"^(?P<base>[a-z][a-z0-9 ]*?)\s*(?:\((?P<args>[^()]*)\))?"
    r"(?P<suffix>(?:\s+(?:unsigned|signed|zerofill))*)$"
)
_ENUM = re.compile(r"^(?P<base>enum|set)\s*\((?P<body>.*)\)", re.IGNORECASE | re.DOTALL)
_QUOTED = re.compile(r"'((?:[^'\\]|''|\\.)*)'", re.DOTALL)


@lru_cache(maxsize=4096)
def canonical_type(text: str) -> ColumnType:
    """Canonical type for a ``COLUMN_TYPE`` value or a compiled SQLAlchemy type (a pure function
    of the text, and thousands of columns share a few dozen texts: cached)."""
    raw = " ".join(text.split())
    enum = _ENUM.match(raw)
    if enum:
        values = enum_values(enum.group("body"))
        quoted = ",".join("'" + v.replace("'", "''") + "'" for v in values)
        return ColumnType(sql=f"{enum.group('base').lower()}({quoted})")
    lowered = _ATTRIBUTES.sub("", raw.lower())
    shape = _SHAPE.match(lowered)
    if shape is None:
        return ColumnType(sql=lowered, known=False)
    base = _ALIASES.get(shape.group("base"), shape.group("base"))
    args = [a.strip() for a in (shape.group("args") or "").split(",") if a.strip()]
    suffix = _suffix(shape.group("suffix"))
    sql = _with_args(base, args, suffix)
    return ColumnType(sql=sql, known=sql.split("(")[0].split(" ")[0] in _KNOWN)


def base_of(type_sql: str) -> str:
    """``numeric(10,2) unsigned`` -> ``numeric``."""
    return type_sql.split("(")[0].split(" ")[0]


def enum_values(body: str) -> list[str]:
    """The values of ``'a','b''c'`` (either escape style)."""
    return [_unescape(m.group(1)) for m in _QUOTED.finditer(body)]


def _unescape(value: str) -> str:
    value = value.replace("''", "'")
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "0": "\0"}.get(m[1], m[1]), value)


def _suffix(words: str) -> str:
    parts = words.split()
    if "zerofill" in parts:  # ZEROFILL implies UNSIGNED
        return " unsigned zerofill"
    return " unsigned" if "unsigned" in parts else ""


def _with_args(base: str, args: list[str], suffix: str) -> str:
    if base in _INTEGERS:
        if base == "tinyint" and args == ["1"] and not suffix:
            return "boolean"
        return base + suffix
    if base == "numeric":
        precision = args[0] if args else "10"
        scale = args[1] if len(args) > 1 else "0"
        return f"numeric({precision},{scale}){suffix}"
    if base == "float" and len(args) == 1:
        return ("float" if int(args[0]) <= 24 else "double") + suffix
    if base in ("char", "binary", "bit") and not args:
        args = ["1"]
    if base in ("text", "blob") and args:
        return _sized(base, int(args[0]) * (4 if base == "text" else 1))
    if base == "year" or (base in _TEMPORAL and args == ["0"]):
        args = []
    return base + (f"({','.join(args)})" if args else "") + suffix


def _sized(base: str, size: int) -> str:
    for limit, prefix in _SIZES:
        if size <= limit:
            return prefix + base
    return "long" + base
