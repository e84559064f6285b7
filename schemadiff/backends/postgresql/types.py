"""Column types from PostgreSQL's catalog text (``format_type``), without SQLAlchemy's inspector.

Thousands of columns share a few dozen type texts, so each distinct one is converted once per
run. The canonical text comes from :meth:`PostgresqlRules.canonical_type`, which reads the
catalog's spelling as well as the compiler's (the models' side). Named enums are recognized by the
catalog's type kind, not by their text, and keep their real schema. The Python hint (how a script
writes the type, e.g. for a downgrade that re-adds a dropped column) comes from the dialect's own
type classes (``ischema_names``), with the arguments read the way SQLAlchemy reads them.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from schemadiff.backends.base import python_type_hint
from schemadiff.backends.postgresql.rules import PostgresqlRules
from schemadiff.snapshot.model import ColumnType

_ARGS = re.compile(r"\((.*)\)")
_ARRAY = re.compile(r"((?:\[\])*)$")


def named_enum(schema: str | None, name: str, array: bool) -> ColumnType:
    """``enum(name)`` / ``enum(schema.name)``, ``[]`` for an array of the enum."""
    qualified = f"{schema}.{name}" if schema else name
    return ColumnType(sql=f"enum({qualified})" + ("[]" if array else ""))


@lru_cache(maxsize=1024)  # a few dozen distinct texts for thousands of columns
def catalog_type(
    rules: PostgresqlRules,
    dialect: Dialect,
    text: str | None,
    domain_base: str | None,
    collation: str | None,
) -> ColumnType:
    """The canonical type of ``format_type`` text; ``known=False`` (and the catalog's text) for a
    type SQLAlchemy does not know, which is then not compared. ``collation`` is only part of the
    Python hint (the snapshot compares it as the column's)."""
    if text is None:
        return ColumnType(sql="unknown", known=False)
    type_ = sa_type(dialect, text, domain_base, collation)
    if type_ is None:
        return ColumnType(sql=text, known=False)
    python, imports = python_type_hint(type_)
    return ColumnType(rules.canonical_type(text).sql, python, imports)


def sa_type(
    dialect: Dialect, text: str, domain_base: str | None = None, collation: str | None = None
) -> sa.types.TypeEngine | None:
    """The SQLAlchemy type the catalog text names (None when the dialect has no class for it):
    the same classes and arguments SQLAlchemy's reflection would give."""
    args_match = _ARGS.search(text)
    args = [a.strip() for a in args_match.group(1).split(",")] if args_match else []
    dims = len(_ARRAY.search(text).group(1)) // 2  # type: ignore[union-attr]
    base = _ARRAY.sub("", _ARGS.sub("", text)).strip()
    if domain_base is not None:
        data_type = sa_type(dialect, domain_base)
        if data_type is None:
            return None
        schema, _, name = base.rpartition(".")
        domain = postgresql.DOMAIN(
            _unquote(name),
            data_type,
            schema=_unquote(schema) if schema else None,
            create_type=False,  # a column re-added by a script must not create the domain
        )
        return sa.ARRAY(domain) if dims else domain
    found = _base_type(dialect, base, args)
    if found is None:
        return None
    if collation is not None and isinstance(found, sa.String):
        found.collation = collation
    return postgresql.ARRAY(found) if dims else found


def _base_type(dialect: Dialect, base: str, args: list[str]) -> sa.types.TypeEngine | None:
    names: dict[str, type[sa.types.TypeEngine]] = getattr(dialect, "ischema_names", {})
    cls = names.get(base.lower())
    ints = [int(a) for a in args if a.isdigit()]
    if base == "numeric":
        return postgresql.NUMERIC(ints[0], ints[1]) if len(ints) == 2 else postgresql.NUMERIC()
    if base == "double precision":
        return postgresql.DOUBLE_PRECISION(53)
    if base in ("timestamp with time zone", "time with time zone"):
        cls = postgresql.TIMESTAMP if base.startswith("timestamp") else postgresql.TIME
        return cls(timezone=True, precision=ints[0] if ints else None)
    if base in ("timestamp without time zone", "time without time zone", "time"):
        cls = postgresql.TIMESTAMP if base.startswith("timestamp") else postgresql.TIME
        return cls(timezone=False, precision=ints[0] if ints else None)
    if base == "bit varying":
        return postgresql.BIT(ints[0] if ints else None, varying=True)
    if base == "interval" or base.startswith("interval "):
        fields = base[len("interval ") :] or None
        return postgresql.INTERVAL(precision=ints[0] if ints else None, fields=fields)
    if cls is None:
        return None
    try:
        return cls(*ints) if ints else cls()
    except TypeError:
        return cls()


def _unquote(name: str) -> str:
    return name[1:-1].replace('""', '"') if name.startswith('"') else name
