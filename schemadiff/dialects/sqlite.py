"""SQLite normalization rules.

SQLite stores the declared type text and the CREATE statements verbatim, so a model compiled by
SQLAlchemy for SQLite and the database it created spell things the same way; the rules mostly
remove what SQLite cannot store. Comments, identity options and non-default schemas (attached
databases) have no place in SQLite: the model side drops them and lists them as "not compared"
(only when the models actually use them), so they never show up as differences.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.sql.compiler import DDLCompiler

from schemadiff.dialects.base import DialectRules
from schemadiff.snapshot import Column, ColumnType, Computed, Snapshot, Table, sort_tables

#: A ``COLLATE x`` clause SQLAlchemy's type compiler appends to the type (the collation is kept
#: in ``Column.collation``), and the ``GENERATED ALWAYS`` old SQLite versions leave in the type.
_TYPE_TAIL = re.compile(r"\s+(collate\s+.*|generated\s+always)$", re.IGNORECASE)
_MAX_LISTED = 5


class SqliteRules(DialectRules):
    name: ClassVar[str] = "sqlite"
    features: ClassVar[frozenset[str]] = frozenset(
        {"check_constraints", "computed", "partial_indexes", "expression_indexes", "collation"}
    )

    def index_expression_sql(self, text: str) -> str:
        """As written: SQLite's grammar takes any expression, and it keeps the DDL text
        (``create_all`` writes no parentheses either)."""
        return text

    def canonical_type(self, text: str) -> ColumnType:
        """Declared type text (SQLite keeps any text); an empty declaration stays ``""``."""
        return super().canonical_type(_TYPE_TAIL.sub("", text.strip()))

    def canonical_default(self, text: str | None) -> str | None:
        """``TRUE``/``FALSE`` are SQLite's spellings of ``1``/``0`` (what SQLAlchemy emits)."""
        value = super().canonical_default(text)
        return {"TRUE": "1", "FALSE": "0"}.get(value or "", value)

    def canonical_collation(self, name: str | None) -> str | None:
        """SQLite collation names are case-insensitive."""
        return name.strip('"').lower() if name else None

    def adjust_metadata_table(self, table: Table) -> Table:
        """Mirror what SQLite does implicitly: the rowid alias is the only auto-assigned column,
        a generated column without ``STORED`` is VIRTUAL (the default), collations fold case."""
        alias = rowid_alias(table)
        columns = tuple(
            replace(
                col,
                autoincrement=col.name == alias,
                collation=self.canonical_collation(col.collation),
                computed=_default_virtual(col.computed),
            )
            for col in table.columns
        )
        return replace(table, columns=columns)

    def adjust_metadata_table_options(self, table: Table, source: sa.Table) -> Table:
        """With ``sqlite_autoincrement`` SQLAlchemy writes the key inline (``PRIMARY KEY
        AUTOINCREMENT``) without its CONSTRAINT name, so SQLite has no name to report."""
        pk = table.primary_key
        if pk is None or pk.name is None or not source.dialect_options["sqlite"]["autoincrement"]:
            return table
        if _ddl_compiler().process(source.primary_key) is not None:
            return table
        return replace(table, primary_key=replace(pk, name=None))

    def adjust_metadata_snapshot(self, snapshot: Snapshot) -> Snapshot:
        """Drop comments, identity options and tables in other schemas; say what was dropped."""
        mains = [_in_main(t) for t in snapshot.tables]
        tables = [t for t in mains if t.schema is None]
        elsewhere = sorted({t.schema for t in mains if t.schema is not None})
        notes = _unsupported_notes(tables, elsewhere)
        if not notes and all(a is b for a, b in zip(mains, snapshot.tables, strict=True)):
            return snapshot
        return replace(
            snapshot,
            tables=sort_tables([_strip_unsupported(t) for t in tables]),
            schemas=(),
            not_compared=snapshot.not_compared + tuple(notes),
        )


def _unsupported_notes(tables: list[Table], elsewhere: list[str]) -> list[str]:
    """One "not compared" line per kind of object the models use and SQLite cannot store."""
    notes = []
    if elsewhere:
        notes.append(
            f"not compared: tables in schema {_listing(elsewhere)} "
            "(attached SQLite databases are not supported)"
        )
    commented = [t.name for t in tables if t.comment] + [
        f"{t.name}.{c.name}" for t in tables for c in t.columns if c.comment
    ]
    if commented:
        notes.append(
            f"not compared: comments (SQLite does not store them) on {_listing(commented)}"
        )
    with_identity = [f"{t.name}.{c.name}" for t in tables for c in t.columns if c.identity]
    if with_identity:
        notes.append(
            "not compared: identity options (SQLite has no identity columns) on "
            + _listing(with_identity)
        )
    return notes


def rowid_alias(table: Table) -> str | None:
    """The column that aliases the rowid (a single-column ``INTEGER`` primary key): SQLite fills
    it automatically, so it is the table's only autoincrement column."""
    pk = table.primary_key
    if pk is None or len(pk.columns) != 1:
        return None
    col = table.column(pk.columns[0])
    if col is None or col.type.sql != "integer":
        return None
    return col.name


@lru_cache(maxsize=1)
def _ddl_compiler() -> DDLCompiler:
    dialect = SQLiteDialect()
    return dialect.ddl_compiler(dialect, None)  # type: ignore[arg-type]


def _in_main(table: Table) -> Table:
    """``schema="main"`` names SQLite's default database: key it like the reflected side."""
    fks = tuple(
        replace(fk, referred_schema=None) if fk.referred_schema == "main" else fk
        for fk in table.foreign_keys
    )
    if table.schema != "main" and fks == table.foreign_keys:
        return table
    return replace(table, schema=None if table.schema == "main" else table.schema, foreign_keys=fks)


def _default_virtual(computed: Computed | None) -> Computed | None:
    if computed is None or computed.persisted is not False:
        return computed
    return replace(computed, persisted=None)


def _strip_unsupported(table: Table) -> Table:
    columns = tuple(_strip_column(c) for c in table.columns)
    return replace(table, comment=None, columns=columns)


def _strip_column(col: Column) -> Column:
    if col.comment is None and col.identity is None:
        return col
    return replace(col, comment=None, identity=None)


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    more = len(names) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")
