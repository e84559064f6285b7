"""Every object of a SQLite database by kind and name (for ``verify``)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import DbObject

_SQLITE_TRACE = (
    "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
)


def trace_objects(conn: Connection) -> set[DbObject]:
    return {
        DbObject(str(kind), str(name), None, str(table) if kind in ("index", "trigger") else None)
        for kind, name, table in conn.execute(sa.text(_SQLITE_TRACE))
    }
