"""PostgreSQL row-level security: every policy and every table with row-level security
enabled or forced, in one statement for every requested schema, whatever the number of objects.

Expressions come back in the server's spelling (``pg_get_expr``); a declared one is settled by
asking the server (:func:`settle_policies`), in a transaction that is rolled back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.canonical.sqlexpr import canonical_sql
from schemadiff.snapshot.policies import Policy, PolicyKey, RowSecurity, policy_ddl

_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")
_COMMANDS = {"*": "ALL", "r": "SELECT", "a": "INSERT", "w": "UPDATE", "d": "DELETE"}

_POLICIES = f"""
SELECT n.nspname::text, c.relname::text, c.relrowsecurity, c.relforcerowsecurity,
       pol.polname::text, pol.polcmd::text, {{permissive}},
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(r)::text END
             FROM unnest(pol.polroles) r ORDER BY 1),
       pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid)
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_policy pol ON pol.polrelid = c.oid
WHERE n.nspname = ANY(:schemas) AND NOT c.relispartition AND c.relpersistence <> 't'
  AND c.relkind = ANY(ARRAY['r', 'p'])
  AND (c.relrowsecurity OR c.relforcerowsecurity OR pol.oid IS NOT NULL) AND {_CLASS}
ORDER BY 1, 2, 5
"""


def expression(text: str | None) -> str | None:
    """The compared form of a policy expression (None: absent)."""
    return None if text is None else canonical_sql(text, "postgresql")


def fetch_policies(
    conn: Connection, schemas: Sequence[str], default: str
) -> tuple[tuple[Policy, ...], tuple[RowSecurity, ...]]:
    """Every policy, and every table with row-level security on, of ``schemas`` (default
    schema keyed None)."""
    version = conn.dialect.server_version_info or (10,)
    sql = _POLICIES.format(permissive="pol.polpermissive" if version >= (10,) else "true")
    policies: list[Policy] = []
    tables: dict[tuple[str | None, str], RowSecurity] = {}
    for schema, table, rls, force, name, cmd, permissive, roles, qual, check in conn.execute(
        sa.text(sql), {"schemas": list(schemas)}
    ):
        key_schema = None if schema == default else schema
        if rls or force:
            tables[(key_schema, table)] = RowSecurity(table, key_schema, bool(rls), bool(force))
        if name is None:
            continue
        policies.append(
            Policy(
                name=name,
                table=table,
                schema=key_schema,
                command=_COMMANDS.get(cmd, cmd),
                permissive=bool(permissive),
                roles=tuple(sorted(roles or ("public",))),
                using=expression(qual),
                with_check=expression(check),
                raw_using=qual,
                raw_with_check=check,
            )
        )
    return tuple(policies), tuple(
        tables[k] for k in sorted(tables, key=lambda k: (k[0] or "", k[1]))
    )


_PROBES = """
SELECT c.relname::text, pg_catalog.pg_get_expr(pol.polqual, pol.polrelid),
       pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid)
FROM pg_catalog.pg_policy pol JOIN pg_catalog.pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE 'schemadiff\\_probe\\_%%'
"""


def role_keywords(conn: Connection) -> dict[str, str]:
    """The roles ``current_user`` (``current_role``) and ``session_user`` name on ``conn``:
    PostgreSQL stores a policy ``TO CURRENT_USER`` as that role (``pg_policy.polroles`` holds
    OIDs), so a declared keyword compares as the connected role."""
    current, session = conn.execute(sa.text("SELECT current_user::text, session_user::text")).one()
    return {"current_user": current, "current_role": current, "session_user": session}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def settle_policies(
    conn: Connection, policies: Sequence[Policy], default: str
) -> dict[PolicyKey, tuple[str | None, str | None] | None]:
    """The server's own ``pg_get_expr`` of each declared policy's USING and WITH CHECK,
    learnt on a second connection with the same search path (``conn`` is read-only), in one
    transaction that is rolled back: each policy made on a temporary copy of its table's
    columns (a savepoint each, so one the server refuses does not stop the others).
    None: refused."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[PolicyKey, tuple[str | None, str | None] | None] = {}
    probes: dict[str, PolicyKey] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        for i, policy in enumerate(policies):
            name = f"schemadiff_probe_{i}"
            source = ".".join(quote(part) for part in (policy.schema or default, policy.table))
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(f"CREATE TEMPORARY TABLE {name} (LIKE {source})")
                    # only the expressions matter
                    everyone = replace(policy, roles=("public",), raw_roles=())
                    sql = policy_ddl(everyone, f"pg_temp.{name}", quote)
                    probe.exec_driver_sql(sql.replace("%", "%%"))
            except sa.exc.DBAPIError:
                out[policy.key] = None
                continue
            probes[name] = policy.key
        for name, qual, check in probe.exec_driver_sql(_PROBES):
            if name in probes:
                out[probes[name]] = (qual, check)
        transaction.rollback()
    return out
