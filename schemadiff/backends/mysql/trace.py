"""Every object of a MySQL or MariaDB database by kind and name (for ``verify``)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import DbObject

_MYSQL_TRACE = (
    "SELECT CASE table_type WHEN 'BASE TABLE' THEN 'table' WHEN 'VIEW' THEN 'view' "
    "WHEN 'SEQUENCE' THEN 'sequence' ELSE 'table' END, table_name, NULL "
    "FROM information_schema.tables WHERE table_schema = DATABASE()",
    "SELECT DISTINCT 'index', index_name, table_name "
    "FROM information_schema.statistics WHERE table_schema = DATABASE()",
    "SELECT LOWER(routine_type), routine_name, NULL "
    "FROM information_schema.routines WHERE routine_schema = DATABASE()",
    "SELECT 'trigger', trigger_name, event_object_table "
    "FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
    "SELECT 'event', event_name, NULL "
    "FROM information_schema.events WHERE event_schema = DATABASE()",
)


def trace_objects(conn: Connection) -> set[DbObject]:
    out = set()
    for query in _MYSQL_TRACE:
        for kind, name, table in conn.execute(sa.text(query)):
            if kind == "index" and name == "PRIMARY":
                continue  # a primary key lives and dies with its table
            out.add(DbObject(str(kind), str(name), None, table))
    return out
