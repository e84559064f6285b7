"""Every object a database holds, by kind and name, read from the catalog in a few bulk queries.

The stairway in ``verify`` compares these sets before a revision's upgrade and after its downgrade,
and at base against the freshly created scratch database: whatever is left over (an enum type a
downgrade forgot, a sequence, an index, a schema) is named, with the revision it came from.
Reflection snapshots cannot do this alone: they cover the tables of known schemas, not standalone
types, sequences or schemas nobody asked for.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.snapshot.model import DbObject

__all__ = ["DbObject", "schemas_in", "trace"]

_PG_USER_NAMESPACE = (
    "n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
)
_PG_TRACE = f"""
SELECT 'schema' AS kind, n.nspname AS name, NULL AS schema_name, NULL AS table_name
FROM pg_namespace n
WHERE {_PG_USER_NAMESPACE} AND n.nspname <> current_schema()
UNION ALL
SELECT CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'table' WHEN 'v' THEN 'view'
       WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table'
       WHEN 'S' THEN 'sequence' ELSE 'index' END,
       c.relname, n.nspname, t.relname
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index ix ON ix.indexrelid = c.oid
LEFT JOIN pg_class t ON t.oid = ix.indrelid
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'i', 'I') AND {_PG_USER_NAMESPACE}
  AND {NOT_EXTENSION_MEMBER.format(catalog="'pg_class'", oid="c.oid")}
UNION ALL
SELECT CASE ty.typtype WHEN 'e' THEN 'enum type' WHEN 'd' THEN 'domain'
       WHEN 'r' THEN 'range type' ELSE 'composite type' END,
       ty.typname, n.nspname, NULL
FROM pg_type ty
JOIN pg_namespace n ON n.oid = ty.typnamespace
LEFT JOIN pg_class tc ON tc.oid = ty.typrelid
WHERE (ty.typtype IN ('e', 'd', 'r') OR (ty.typtype = 'c' AND tc.relkind = 'c'))
  AND {_PG_USER_NAMESPACE}
  AND {NOT_EXTENSION_MEMBER.format(catalog="'pg_type'", oid="ty.oid")}
UNION ALL
SELECT 'function', p.proname, n.nspname, NULL
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE {_PG_USER_NAMESPACE}
  AND {NOT_EXTENSION_MEMBER.format(catalog="'pg_proc'", oid="p.oid")}
UNION ALL
SELECT 'extension', e.extname, NULL, NULL FROM pg_extension e WHERE e.extname <> 'plpgsql'
"""

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

_SQLITE_TRACE = (
    "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
)


def trace(conn: Connection, version_table: str) -> frozenset[DbObject]:
    """Every object in the database except the version table (and what belongs to it)."""
    name = conn.dialect.name
    if name == "postgresql":
        found = _postgresql(conn)
    elif name in ("mysql", "mariadb"):
        found = _mysql(conn)
    elif name == "sqlite":
        found = _sqlite(conn)
    else:
        raise NotImplementedError(f"no catalog trace for {name!r} databases")
    version = version_table.rpartition(".")[2]
    return frozenset(o for o in found if version not in (o.name, o.table))


def schemas_in(objects: frozenset[DbObject]) -> list[str]:
    """The non-default schemas the trace found (PostgreSQL), for reflection."""
    return sorted(o.name for o in objects if o.kind == "schema")


def _postgresql(conn: Connection) -> set[DbObject]:
    default = conn.execute(sa.text("SELECT current_schema()")).scalar()
    out = set()
    for kind, name, schema, table in conn.execute(sa.text(_PG_TRACE)):
        out.add(DbObject(kind, name, None if schema == default else schema, table))
    return out


def _mysql(conn: Connection) -> set[DbObject]:
    out = set()
    for query in _MYSQL_TRACE:
        for kind, name, table in conn.execute(sa.text(query)):
            if kind == "index" and name == "PRIMARY":
                continue  # a primary key lives and dies with its table
            out.add(DbObject(str(kind), str(name), None, table))
    return out


def _sqlite(conn: Connection) -> set[DbObject]:
    return {
        DbObject(str(kind), str(name), None, str(table) if kind in ("index", "trigger") else None)
        for kind, name, table in conn.execute(sa.text(_SQLITE_TRACE))
    }
