"""How a migration script writes a MySQL/MariaDB column type it only knows by its canonical text.

MySQL's ``ALTER TABLE ... MODIFY/CHANGE`` rewrites the whole column: whatever the script's type
leaves out is silently reset. So the ``existing_type`` of an op that changes only a comment or
the nullability must name the type exactly: ``TIMESTAMP`` (never the ``DATETIME`` a generic
``sa.DateTime()`` compiles to), ``UNSIGNED``/``ZEROFILL``, fractional seconds, ENUM/SET values and
TEXT sizes, plus the column's own character set or collation (without it the column falls back
to the table's, converting its data).

Server defaults that are expressions are written in parentheses (:func:`script_default`): MySQL 8
takes ``DEFAULT (uuid())`` and ``ALTER COLUMN ... SET DEFAULT (uuid())`` only so, MariaDB either
way.

A column's ``collation`` here is a collation name (``utf8mb4_bin``), or a bare character set
name (``latin1``) when the models give only a charset (see
:meth:`~schemadiff.backends.mysql.rules.MysqlRules.adjust_metadata_table_options`).
"""

from __future__ import annotations

import re

from schemadiff.backends.base import enclosed
from schemadiff.backends.mysql.types import enum_values

MY = "from sqlalchemy.dialects import mysql"
SA = "import sqlalchemy as sa"
ScriptType = tuple[str, tuple[str, ...]]

_INTEGERS = {
    "tinyint": "TINYINT",
    "smallint": "SMALLINT",
    "mediumint": "MEDIUMINT",
    "integer": "INTEGER",
    "bigint": "BIGINT",
}
_NUMBERS = {"numeric": "DECIMAL", "float": "FLOAT", "double": "DOUBLE"}
_TEMPORAL = {"timestamp": "TIMESTAMP", "datetime": "DATETIME", "time": "TIME"}
_TEXTS = {
    "varchar": "VARCHAR",
    "char": "CHAR",
    "tinytext": "TINYTEXT",
    "text": "TEXT",
    "mediumtext": "MEDIUMTEXT",
    "longtext": "LONGTEXT",
}
_SHAPE = re.compile(r"^(?P<base>[a-z]+)(?:\((?P<args>[^()]*)\))?(?P<suffix>(?: [a-z]+)*)$")


def charset_of(collation: str | None) -> str | None:
    """The character set a collation (or a bare charset name) belongs to: MySQL names every
    collation ``<charset>_<rest>``, except ``binary``."""
    if collation is None:
        return None
    return collation.split("_", 1)[0]


def is_charset_only(collation: str) -> bool:
    """A bare character set name (``latin1``), not a collation (``latin1_swedish_ci``)."""
    return "_" not in collation and collation != "binary"


def script_type(sql: str, collation: str | None) -> ScriptType | None:
    """``(code, imports)`` for canonical ``sql`` with ``collation``; None when the generic
    mapping already writes this type exactly."""
    if sql.startswith(("enum(", "set(")):
        return _enum(sql, collation)
    shape = _SHAPE.match(sql)
    if shape is None:
        return None
    base, suffix = shape["base"], shape["suffix"].split()
    args = [a for a in (shape["args"] or "").split(",") if a]
    kw = [f"unsigned={True!r}"] if "unsigned" in suffix else []
    if "zerofill" in suffix:
        kw.append(f"zerofill={True!r}")
    if base in _INTEGERS and kw:
        return _mysql(_INTEGERS[base], kw)
    if base in _NUMBERS and kw:
        precision = [f"precision={args[0]}", f"scale={args[1]}"] if len(args) == 2 else []
        return _mysql(_NUMBERS[base], precision + kw)
    if base in _TEMPORAL:
        return _mysql(_TEMPORAL[base], [f"fsp={args[0]}"] if args else [])
    if base in _TEXTS and collation is not None:
        length = [f"length={args[0]}"] if args else []
        return _mysql(_TEXTS[base], length + _collation_kw(collation))
    return None


def _enum(sql: str, collation: str | None) -> ScriptType | None:
    if collation is None:
        return None  # the generic mapping writes the values exactly
    values = [repr(v) for v in enum_values(sql[sql.index("(") + 1 : -1])]
    kind = "ENUM" if sql.startswith("enum(") else "SET"
    return _mysql(kind, values + _collation_kw(collation))


def _collation_kw(collation: str) -> list[str]:
    key = "charset" if is_charset_only(collation) else "collation"
    return [f"{key}={collation!r}"]


def _mysql(name: str, args: list[str]) -> ScriptType:
    return f"mysql.{name}({', '.join(args)})", (MY,)


#: server defaults written bare: literals (strings, numbers, bit/hex, NULL, booleans) and the
#: current-time functions MySQL allows without parentheses
_BARE_DEFAULT = re.compile(
    r"""^\s*(?:'(?:[^']|'')*'|"(?:[^"]|"")*"|[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[bx]'[^']*'"""
    r"|null|true|false|(?:current_timestamp|now|localtime|localtimestamp)(?:\s*\(\s*\d*\s*\))?"
    r")\s*$",
    re.IGNORECASE,
)
_ON_UPDATE_TAIL = re.compile(r"^(?P<head>.*?)(?P<tail>\s+on\s+update\s+.*)?$", re.I | re.S)


def script_default(text: str) -> str:
    """``uuid()`` -> ``(uuid())``; the ``ON UPDATE ...`` part of a default stays outside."""
    m = _ON_UPDATE_TAIL.match(text)
    head, tail = (m["head"], m["tail"] or "") if m else (text, "")
    return (f"({head})" if needs_parentheses(head) else head) + tail


def needs_parentheses(default: str) -> bool:
    """An expression default MySQL 8 only takes in parentheses."""
    return _BARE_DEFAULT.match(default) is None and not enclosed(default)
