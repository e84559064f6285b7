"""Every object of a PostgreSQL database by kind and name, in one catalog query (for ``verify``)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.snapshot.model import DbObject

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


def trace_objects(conn: Connection) -> set[DbObject]:
    default = conn.execute(sa.text("SELECT current_schema()")).scalar()
    out = set()
    for kind, name, schema, table in conn.execute(sa.text(_PG_TRACE)):
        out.add(DbObject(kind, name, None if schema == default else schema, table))
    return out
