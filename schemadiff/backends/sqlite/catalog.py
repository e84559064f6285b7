"""Every catalog row of a SQLite database in four statements: ``sqlite_master``, then the
columns, foreign keys and index columns of every user table at once (the table-valued PRAGMAs
joined to ``sqlite_master``), grouped by table name for :mod:`.tables`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import DbObject

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
