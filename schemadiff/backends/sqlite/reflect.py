"""Reflect a SQLite database (its ``main`` schema) into a Snapshot.

Structure comes from the PRAGMAs, read for all tables at once through their table-valued forms
(``pragma_table_xinfo(name)`` joined to ``sqlite_master``): a fixed number of statements however
many tables there are. What the PRAGMAs do not report (constraint names, CHECK expressions,
generated-column expressions, collations, DEFERRABLE, index expressions and predicates) is read
from the stored CREATE statements by :mod:`schemadiff.backends.sqlite.ddl`. Views and triggers
(from the same ``sqlite_master`` read): views are compared (:mod:`.views`), triggers are
listed as not compared. SQLite's automatic
indexes (``sqlite_autoindex_*``) back UNIQUE and PRIMARY KEY constraints and are never indexes.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from schemadiff.backends.sqlite.catalog import read_catalog
from schemadiff.backends.sqlite.rules import SqliteRules
from schemadiff.backends.sqlite.tables import TableReader
from schemadiff.backends.sqlite.triggers import sqlite_triggers
from schemadiff.backends.sqlite.views import split_views
from schemadiff.snapshot.model import DbObject, Snapshot, sort_tables


def reflect(conn: Connection, schemas: list[str]) -> Snapshot:
    """Snapshot of the ``main`` database; other schemas (attached databases) are not supported
    and are listed as not compared."""
    rules = SqliteRules()
    catalog = read_catalog(conn)
    notes: list[str] = []
    extra = [s for s in schemas if s != "main"]
    if extra:
        notes.append(f"schema {', '.join(extra)} (attached SQLite databases are not supported)")
    if catalog.skipped:
        notes.append(
            f"virtual tables {', '.join(catalog.skipped)} "
            "(SQLite virtual tables and their shadow tables are not reflected)"
        )
    tables = []
    for name, sql in catalog.tables.items():
        reader = TableReader(rules, name, sql, catalog)
        tables.append(reader.table())
        notes.extend(reader.notes)
    version = conn.exec_driver_sql("SELECT sqlite_version()").scalar()
    views, others = split_views(catalog.uncompared)
    return Snapshot(
        dialect=rules.name,
        default_schema="main",
        schemas=(),
        tables=sort_tables(tables),
        not_compared=tuple(notes),
        server_version=str(version) if version is not None else None,
        views=views,
        uncompared=tuple(sorted((o for o in others if o.kind != "trigger"), key=DbObject.sort_key)),
        triggers=sqlite_triggers(catalog.uncompared),
    )
