"""The two catalog facts SQLAlchemy's inspector does not report, read in bulk per schema.

- the catalog's own type text for columns SQLAlchemy reflected as ``NullType`` (an unknown type:
  the snapshot names it and reports it as not compared);
- which sequence each column owns (``SERIAL`` makes one, and it keeps its name when the table or
  column is renamed, so the ``nextval`` default cannot be recognized by name alone).

The type query runs at most once per schema, the sequence query at most once per run, and each
only when some column needs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

ColumnKey = tuple[str, str]
Columns = Mapping[tuple[str | None, str], list[Any]]

_TYPE_TEXT = sa.text(
    "SELECT c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) "
    "FROM pg_catalog.pg_attribute a "
    "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = :schema AND c.relname = ANY(:tables) "
    "AND a.attnum > 0 AND NOT a.attisdropped"
)

_OWNED_SEQUENCES = sa.text(
    "SELECT n.nspname, c.relname, a.attname, s.relname "
    "FROM pg_catalog.pg_depend d "
    "JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' "
    "JOIN pg_catalog.pg_class c ON c.oid = d.refobjid "
    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
    "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid "
    "WHERE d.classid = 'pg_catalog.pg_class'::regclass "
    "AND d.refclassid = 'pg_catalog.pg_class'::regclass "
    "AND d.deptype = 'a' AND n.nspname = ANY(:schemas)"
)


def unknown_types(conn: Connection, schema: str, columns: Columns) -> dict[ColumnKey, str]:
    """(table, column) -> catalog type text, for the columns of an unknown type."""
    wanted = {
        (key[1], c["name"])
        for key, cols in columns.items()
        for c in cols
        if isinstance(c["type"], sa.types.NullType)
    }
    if not wanted:
        return {}
    tables = sorted({t for t, _ in wanted})
    rows = conn.execute(_TYPE_TEXT, {"schema": schema, "tables": tables})
    return {(t, c): text for t, c, text in rows if (t, c) in wanted}


class OwnedSequences:
    """Which sequence each column owns, read once for all the reflected schemas on first need.

    The query walks ``pg_depend``, which grows with the whole database: run per schema it cost
    65 ms each, 13 s for 200 schemas; run once it costs about the same as one of those.
    """

    def __init__(self, conn: Connection, schemas: Sequence[str]) -> None:
        self._conn = conn
        self._schemas = list(schemas)
        self._found: dict[str, dict[ColumnKey, str]] | None = None

    def of(self, schema: str, columns: Columns) -> dict[ColumnKey, str]:
        """(table, column) -> name of the sequence the column owns, when some column's default
        in ``schema`` calls ``nextval``."""
        if not any(
            "nextval(" in (c.get("default") or "") for cols in columns.values() for c in cols
        ):
            return {}
        if self._found is None:
            self._found = {}
            rows = self._conn.execute(_OWNED_SEQUENCES, {"schemas": self._schemas})
            for nspname, table, column, sequence in rows:
                self._found.setdefault(nspname, {})[(table, column)] = sequence
        return self._found.get(schema, {})
