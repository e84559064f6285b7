"""Reflect a SQLite database (its ``main`` schema) into a Snapshot.

Structure comes from the PRAGMAs, read for all tables at once through their table-valued forms
(``pragma_table_xinfo(name)`` joined to ``sqlite_master``): a fixed number of statements however
many tables there are. What the PRAGMAs do not report (constraint names, CHECK expressions,
generated-column expressions, collations, DEFERRABLE, index expressions and predicates) is read
from the stored CREATE statements by :mod:`schemadiff.sources.sqlite_ddl`. Views and triggers
(from the same ``sqlite_master`` read) are listed as not compared. SQLite's automatic
indexes (``sqlite_autoindex_*``) back UNIQUE and PRIMARY KEY constraints and are never indexes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from schemadiff.dialects.sqlite import SqliteRules
from schemadiff.snapshot import DbObject, Snapshot, sort_tables
from schemadiff.sources.sqlite_tables import TableReader

_USER_TABLES = (
    "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "AND upper(substr(ltrim(m.sql), 1, 14)) <> 'CREATE VIRTUAL'"
)
_MASTER = "SELECT type, name, tbl_name, sql FROM main.sqlite_master ORDER BY name"
_COLUMNS = (
    'SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden '
    f"FROM main.sqlite_master m JOIN pragma_table_xinfo(m.name, 'main') c WHERE {_USER_TABLES} "
    "ORDER BY m.name, c.cid"
)
_FOREIGN_KEYS = (
    'SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete '
    f"FROM main.sqlite_master m JOIN pragma_foreign_key_list(m.name, 'main') f "
    f"WHERE {_USER_TABLES} ORDER BY m.name, f.id, f.seq"
)
_INDEXES = (
    'SELECT m.name, il.name, il."unique", il.origin, x.seqno, x.cid, x.name, x."desc" '
    "FROM main.sqlite_master m JOIN pragma_index_list(m.name, 'main') il "
    "JOIN pragma_index_xinfo(il.name, 'main') x "
    f"WHERE {_USER_TABLES} AND x.key = 1 ORDER BY m.name, il.name, x.seqno"
)


@dataclass
class Catalog:
    """Every catalog row of the database, grouped by table name."""

    tables: dict[str, str] = field(default_factory=dict)  # name -> CREATE TABLE sql
    index_sql: dict[str, str | None] = field(default_factory=dict)  # index name -> sql
    skipped: list[str] = field(default_factory=list)  # virtual and shadow tables
    uncompared: list[DbObject] = field(default_factory=list)  # views and triggers
    columns: dict[str, list[Sequence[Any]]] = field(default_factory=lambda: defaultdict(list))
    foreign_keys: dict[str, list[Sequence[Any]]] = field(default_factory=lambda: defaultdict(list))
    indexes: dict[str, list[Sequence[Any]]] = field(default_factory=lambda: defaultdict(list))
    _by_lower_name: dict[str, str] | None = field(default=None, repr=False)

    def table_named(self, name: str) -> str | None:
        """The table SQLite stores under ``name`` compared case-insensitively (the first one,
        in catalog order); a dict built once, not a scan per foreign key."""
        if self._by_lower_name is None:
            self._by_lower_name = {}
            for table in self.tables:
                self._by_lower_name.setdefault(table.lower(), table)
        return self._by_lower_name.get(name.lower())


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
    return Snapshot(
        dialect=rules.name,
        default_schema="main",
        schemas=(),
        tables=sort_tables(tables),
        not_compared=tuple(notes),
        server_version=str(version) if version is not None else None,
        uncompared=tuple(sorted(catalog.uncompared, key=DbObject.sort_key)),
    )


def read_catalog(conn: Connection) -> Catalog:
    """Four statements: sqlite_master, then columns, foreign keys and index columns of every
    user table at once."""
    catalog = Catalog()
    virtual: list[str] = []
    for kind, name, table, sql in conn.exec_driver_sql(_MASTER):
        if kind == "index":
            catalog.index_sql[name] = sql
        elif kind in ("view", "trigger"):
            catalog.uncompared.append(
                DbObject(kind, name, None, table if kind == "trigger" else None, sql)
            )
        elif kind == "table" and not name.startswith("sqlite_"):
            if (sql or "").lstrip().upper().startswith("CREATE VIRTUAL"):
                virtual.append(name)
            else:
                catalog.tables[name] = sql
    # shadow tables (fts5's ``docs_data``...) are named "<virtual table>_<suffix>"
    for name in list(catalog.tables):
        if any(name.startswith(v + "_") for v in virtual):
            del catalog.tables[name]
            catalog.skipped.append(name)
    catalog.skipped[:0] = virtual
    for row in conn.exec_driver_sql(_COLUMNS):
        catalog.columns[row[0]].append(tuple(row[1:]))
    for row in conn.exec_driver_sql(_FOREIGN_KEYS):
        catalog.foreign_keys[row[0]].append(tuple(row[1:]))
    for row in conn.exec_driver_sql(_INDEXES):
        catalog.indexes[row[0]].append(tuple(row[1:]))
    return catalog
