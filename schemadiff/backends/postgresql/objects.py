"""What a PostgreSQL database holds besides the tables schemadiff compares, in one statement.

Views, materialized views, sequences no column owns, aggregates and window functions, rules,
extensions, domains, composite/range/base types, event triggers, foreign tables that are
partitions: none has a comparator, so each is listed in the reports as "not compared" rather
than passing for equal. Objects that belong to an extension (``pg_depend.deptype = 'e'``:
PostGIS's ``spatial_ref_sys``, ``pg_stat_statements``'s view) are left out: the extension
itself is listed. Enum types, tables, their constraints, indexes, owned sequences (SERIAL,
identity), functions, procedures and triggers (:mod:`.routines`), policies and row-level
security (:mod:`.policies`), partitioned tables' keys and their partitions
(:mod:`.partitions`) are compared, or part of what is, and are not listed.

One statement for every requested schema (``:schemas``), whatever the number of objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import DbObject

#: true when the object (``{oid}`` in catalog ``{catalog}``) is not a member of an extension
NOT_EXTENSION_MEMBER = (
    "NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = {catalog}::regclass "
    "AND d.objid = {oid} AND d.deptype = 'e')"
)

_IN_SCHEMAS = "n.nspname = ANY(:schemas)"
_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")
_TYPE = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_type'", oid="t.oid")
_PROC = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_proc'", oid="p.oid")
_EVENT = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_event_trigger'", oid="e.oid")
_RELATION = "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
#: a sequence that a column owns (SERIAL: ``a``, identity: ``i``) is part of that column
_OWNED = (
    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
    "WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid "
    "AND d.refclassid = 'pg_catalog.pg_class'::regclass "
    "AND d.deptype = ANY(ARRAY['a', 'i']))"
)
#: a function made with a type (a range type's constructors) is part of that type
INTERNAL_PROC = (
    "EXISTS (SELECT 1 FROM pg_catalog.pg_depend d "
    "WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')"
)
#: a partition's parent table (a partition has exactly one)
_PARENT = (
    "(SELECT pc.relname::text FROM pg_catalog.pg_inherits i "
    "JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1)"
)

#: rows of this kind name enum types that belong to an extension: reflection leaves them out
#: (never proposed for drop); they are not listed (the extension is)
_EXTENSION_ENUM = "extension enum"

_OBJECTS = f"""
SELECT CASE WHEN c.relispartition THEN 'partition' WHEN c.relkind = 'v' THEN 'view'
            WHEN c.relkind = 'm' THEN 'materialized view' ELSE 'sequence' END,
       n.nspname::text, c.relname::text, CASE WHEN c.relispartition THEN {_PARENT} END
FROM {_RELATION}
WHERE {_IN_SCHEMAS} AND c.relpersistence <> 't' AND {_CLASS}
  AND ((c.relispartition AND c.relkind = 'f')
       OR c.relkind = ANY(ARRAY['v', 'm'])
       OR (c.relkind = 'S' AND NOT {_OWNED}))
UNION ALL
SELECT 'rule', n.nspname::text, r.rulename::text, c.relname::text
FROM pg_catalog.pg_rewrite r JOIN {_RELATION} ON c.oid = r.ev_class
WHERE {_IN_SCHEMAS} AND r.rulename <> '_RETURN' AND {_CLASS}
UNION ALL
SELECT {{routine_kind}}, n.nspname::text,
       p.proname::text || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')',
       NULL
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE {_IN_SCHEMAS} AND {_PROC} AND NOT {INTERNAL_PROC} AND {{routine_uncompared}}
UNION ALL
SELECT CASE t.typtype WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'
                      WHEN 'c' THEN 'composite type' ELSE 'type' END,
       n.nspname::text, t.typname::text, NULL
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
WHERE {_IN_SCHEMAS} AND {_TYPE}
  AND (t.typtype = ANY(ARRAY['d', 'r']) OR (t.typtype = 'c' AND tc.relkind = 'c')
       OR (t.typtype = 'b' AND t.typcategory <> 'A'))
UNION ALL
SELECT '{_EXTENSION_ENUM}', n.nspname::text, t.typname::text, NULL
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE {_IN_SCHEMAS} AND t.typtype = 'e' AND NOT {_TYPE}
UNION ALL
SELECT 'extension', n.nspname::text, x.extname::text, NULL
FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE {_IN_SCHEMAS} AND x.extname <> 'plpgsql'
UNION ALL
SELECT 'event trigger', NULL, e.evtname::text, NULL
FROM pg_catalog.pg_event_trigger e WHERE {_EVENT}
"""

#: ``prokind`` (PostgreSQL 11+); before it, aggregates are ``proisagg``
_ROUTINE_KIND = (
    "CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' "
    "WHEN 'w' THEN 'window function' ELSE 'function' END"
)
_ROUTINE_KIND_10 = "CASE WHEN p.proisagg THEN 'aggregate' ELSE 'function' END"
#: plain functions and procedures are compared (:mod:`.routines`): only the other kinds listed
_ROUTINE_UNCOMPARED = "p.prokind <> ALL(ARRAY['f', 'p'])"
_ROUTINE_UNCOMPARED_10 = "p.proisagg"


@dataclass(frozen=True)
class OtherObjects:
    """What the statement found: objects to list, and enum types of extensions (by real schema
    and name) that reflection must leave out."""

    uncompared: tuple[DbObject, ...]
    extension_enums: frozenset[tuple[str, str]]


def fetch_uncompared(conn: Connection, schemas: Sequence[str], default_schema: str) -> OtherObjects:
    """The objects of ``schemas`` no comparator covers (default schema keyed None), sorted."""
    version = conn.dialect.server_version_info or (10,)
    modern = version >= (11,)
    sql = _OBJECTS.format(
        routine_kind=_ROUTINE_KIND if modern else _ROUTINE_KIND_10,
        routine_uncompared=_ROUTINE_UNCOMPARED if modern else _ROUTINE_UNCOMPARED_10,
    )
    rows = conn.execute(sa.text(sql), {"schemas": list(schemas)}).all()
    found = {
        DbObject(kind, name, None if schema == default_schema else schema, table)
        for kind, schema, name, table in rows
        if kind != _EXTENSION_ENUM
    }
    return OtherObjects(
        uncompared=tuple(sorted(found, key=DbObject.sort_key)),
        extension_enums=frozenset(
            (schema, name) for kind, schema, name, _ in rows if kind == _EXTENSION_ENUM
        ),
    )
