"""PostgreSQL table privileges and roles, one statement each whatever the number of objects.

Privileges: every entry of the tables' and views' ACLs (``pg_class.relacl``) and of their
columns' (``pg_attribute.attacl``), exploded (``aclexplode``), merged over grantors, but the
owner's own; with them the owner of every table and view of the covered schemas. Roles: every
role of the server but PostgreSQL's own (``pg_*``), with the roles it is a member of.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.snapshot.grants import Privilege, RelationOwner, RoleState, privilege_sort_key

_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")
_GRANTEE = (
    "CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END"
)


def _privileges_sql() -> str:
    relations_from = (
        "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    )
    where = (
        "n.nspname = ANY(:schemas) AND c.relkind = ANY(ARRAY['r', 'p', 'v', 'm', 'f']) "
        f"AND NOT c.relispartition AND c.relpersistence <> 't' AND {_CLASS}"
    )
    return f"""
SELECT n.nspname::text, c.relname::text, pg_catalog.pg_get_userbyid(c.relowner)::text,
       NULL::text, NULL::text, NULL::text, NULL::boolean
{relations_from}
WHERE {where}
UNION ALL
SELECT n.nspname::text, c.relname::text, NULL::text, NULL::text, {_GRANTEE},
       a.privilege_type::text, bool_or(a.is_grantable)
{relations_from}
CROSS JOIN LATERAL pg_catalog.aclexplode(c.relacl) a
WHERE {where} AND c.relacl IS NOT NULL AND a.grantee <> c.relowner
GROUP BY n.nspname, c.relname, a.grantee, a.privilege_type
UNION ALL
SELECT n.nspname::text, c.relname::text, NULL::text, att.attname::text, {_GRANTEE},
       a.privilege_type::text, bool_or(a.is_grantable)
{relations_from}
JOIN pg_catalog.pg_attribute att ON att.attrelid = c.oid
CROSS JOIN LATERAL pg_catalog.aclexplode(att.attacl) a
WHERE {where} AND att.attacl IS NOT NULL AND att.attnum > 0 AND NOT att.attisdropped
  AND a.grantee <> c.relowner
GROUP BY n.nspname, c.relname, att.attname, a.grantee, a.privilege_type
"""


_ROLES = """
SELECT r.rolname::text, r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolinherit,
       ARRAY(SELECT b.rolname::text FROM pg_catalog.pg_auth_members m
             JOIN pg_catalog.pg_roles b ON b.oid = m.roleid
             WHERE m.member = r.oid ORDER BY 1),
       r.rolname = current_user
FROM pg_catalog.pg_roles r
WHERE r.rolname !~ '^pg_'
ORDER BY 1
"""


def fetch_privileges(
    conn: Connection, schemas: Sequence[str], default: str
) -> tuple[tuple[Privilege, ...], tuple[RelationOwner, ...]]:
    """Every privilege on the tables and views of ``schemas`` (not their owners'), and their
    owners; the default schema keyed None."""
    privileges: list[Privilege] = []
    owners: list[RelationOwner] = []
    rows = conn.execute(sa.text(_privileges_sql()), {"schemas": list(schemas)})
    for schema, table, owner, column, role, privilege, grantable in rows:
        key_schema = None if schema == default else schema
        if owner is not None:
            owners.append(RelationOwner(table, owner, key_schema))
            continue
        privileges.append(Privilege(table, role, privilege, key_schema, column, bool(grantable)))
    return (
        tuple(sorted(privileges, key=privilege_sort_key)),
        tuple(sorted(owners, key=lambda o: (o.schema or "", o.table))),
    )


def fetch_roles(conn: Connection) -> tuple[RoleState, ...]:
    """Every role of the server but PostgreSQL's own, by name."""
    return tuple(
        RoleState(
            name,
            bool(login),
            bool(su),
            bool(db),
            bool(cr),
            bool(inh),
            tuple(member_of or ()),
            bool(me),
        )
        for name, login, su, db, cr, inh, member_of, me in conn.execute(sa.text(_ROLES))
    )
