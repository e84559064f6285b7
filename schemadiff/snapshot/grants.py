"""Table privileges and roles in the snapshot model (PostgreSQL).

A :class:`Privilege` is one privilege one role holds on a table or view, or on one of its
columns (``column``), whoever granted it; ``grantable`` when it holds it ``WITH GRANT OPTION``.
The owner's own privileges are never listed (they come with owning). A :class:`RoleState` is
a role of the server (roles are shared by every database of the cluster) and the roles it is a
member of.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

#: (schema, table, column or None, role, privilege) of a privilege
PrivilegeKey = tuple[str | None, str, str | None, str, str]

#: what ``GRANT ALL`` on a table gives, per server (PostgreSQL 17 added MAINTAIN)
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
#: what ``GRANT ALL (columns)`` gives
COLUMN_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "REFERENCES")
#: ``aclexplode``'s privilege_type values we compare (every table privilege)
ALL_TABLE_PRIVILEGES = (*TABLE_PRIVILEGES, "MAINTAIN")


def table_privileges(server_version: str | None) -> tuple[str, ...]:
    """``ALL`` on a table, as the server of that version expands it."""
    try:
        major = int((server_version or "0").split(".")[0])
    except ValueError:
        major = 0
    return (*TABLE_PRIVILEGES, "MAINTAIN") if major >= 17 else TABLE_PRIVILEGES


@dataclass(frozen=True)
class Privilege:
    """``role`` holds ``privilege`` on ``schema.table`` (on its ``column`` only, when set);
    ``grantable``: with the right to grant it on (``WITH GRANT OPTION``). ``role`` is
    ``public`` for every role."""

    table: str
    role: str
    privilege: str
    schema: str | None = None
    column: str | None = None
    grantable: bool = False

    @property
    def key(self) -> PrivilegeKey:
        return (self.schema, self.table, self.column, self.role, self.privilege)

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        on = f"{table}({self.column})" if self.column else table
        return f"{self.privilege} on {on} to {self.role}"


def privilege_sort_key(p: Privilege) -> tuple[str, str, str, str, str]:
    return (p.schema or "", p.table, p.column or "", p.role, p.privilege)


def expand_all(
    privileges: tuple[Privilege, ...], server_version: str | None
) -> tuple[Privilege, ...]:
    """``privileges`` with each ``ALL`` replaced by what the server gives for it (on a
    table: every table privilege of its version; on columns: SELECT, INSERT, UPDATE,
    REFERENCES); an explicit privilege declared with grant option wins over ALL's."""
    if not any(p.privilege == "ALL" for p in privileges):
        return privileges
    found: dict[tuple[object, ...], Privilege] = {}
    for p in privileges:
        if p.privilege != "ALL":
            names: tuple[str, ...] = (p.privilege,)
        else:
            names = COLUMN_PRIVILEGES if p.column else table_privileges(server_version)
        for name in names:
            q = Privilege(p.table, p.role, name, p.schema, p.column, p.grantable)
            old = found.get(q.key)
            if old is None or (q.grantable and not old.grantable):
                found[q.key] = q
    return tuple(sorted(found.values(), key=privilege_sort_key))


@dataclass(frozen=True)
class RelationOwner:
    """The role that owns a table or view (it holds every privilege on it by owning it)."""

    table: str
    owner: str
    schema: str | None = None

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.schema, self.table)


@dataclass(frozen=True)
class RoleState:
    """A role: its attributes and the roles it is a member of (sorted). ``current``: the role
    the connection runs as (database side, not compared)."""

    name: str
    login: bool = False
    superuser: bool = False
    createdb: bool = False
    createrole: bool = False
    inherit: bool = True
    in_roles: tuple[str, ...] = ()
    current: bool = field(default=False, compare=False)

    def attributes(self) -> dict[str, bool]:
        return {
            "login": self.login,
            "superuser": self.superuser,
            "createdb": self.createdb,
            "createrole": self.createrole,
            "inherit": self.inherit,
        }

    def describe(self) -> str:
        return f"role {self.name}"


#: role attribute -> (keyword when on, keyword when off)
ROLE_KEYWORDS = {
    "login": ("LOGIN", "NOLOGIN"),
    "superuser": ("SUPERUSER", "NOSUPERUSER"),
    "createdb": ("CREATEDB", "NOCREATEDB"),
    "createrole": ("CREATEROLE", "NOCREATEROLE"),
    "inherit": ("INHERIT", "NOINHERIT"),
}


def role_sql(role: str, quote: Callable[[str], str]) -> str:
    """A grantee as ``GRANT ... TO`` takes it: ``PUBLIC`` bare, a name quoted."""
    return "PUBLIC" if role == "public" else quote(role)


def grant_sql(
    privileges: tuple[str, ...],
    table_sql: str,
    role: str,
    quote: Callable[[str], str],
    columns: tuple[str, ...] = (),
    grant_option: bool = False,
) -> str:
    """``GRANT SELECT, INSERT [(a, b)] ON TABLE t TO r [WITH GRANT OPTION]``."""
    what = _privileges_sql(privileges, columns, quote)
    option = " WITH GRANT OPTION" if grant_option else ""
    return f"GRANT {what} ON TABLE {table_sql} TO {role_sql(role, quote)}{option}"


def revoke_sql(
    privileges: tuple[str, ...],
    table_sql: str,
    role: str,
    quote: Callable[[str], str],
    columns: tuple[str, ...] = (),
    option_only: bool = False,
) -> str:
    """``REVOKE [GRANT OPTION FOR] SELECT [(a, b)] ON TABLE t FROM r``."""
    what = _privileges_sql(privileges, columns, quote)
    head = "REVOKE GRANT OPTION FOR" if option_only else "REVOKE"
    return f"{head} {what} ON TABLE {table_sql} FROM {role_sql(role, quote)}"


def _privileges_sql(
    privileges: tuple[str, ...], columns: tuple[str, ...], quote: Callable[[str], str]
) -> str:
    if not columns:
        return ", ".join(privileges)
    names = ", ".join(quote(c) for c in columns)
    return ", ".join(f"{p} ({names})" for p in privileges)


def role_ddl(role: RoleState, quote: Callable[[str], str]) -> str:
    """``CREATE ROLE name WITH ...`` (every attribute spelt out; memberships apart)."""
    words = [ROLE_KEYWORDS[k][0 if v else 1] for k, v in role.attributes().items()]
    return f"CREATE ROLE {quote(role.name)} WITH {' '.join(words)}"


def _literal(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def create_role_sql(role: RoleState, quote: Callable[[str], str]) -> str:
    """``CREATE ROLE``, unless the server has the role already: roles are shared by every
    database of the server, so another database's migration may have made it."""
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = "
        f"{_literal(role.name)}) THEN {role_ddl(role, quote)}; END IF; END $$"
    )


def drop_role_sql(role: RoleState, quote: Callable[[str], str]) -> str:
    """``DROP ROLE``, unless something of the server still depends on the role (privileges or
    objects in any database, ``pg_shdepend``): then it is kept, with a notice saying so."""
    name = _literal(role.name)
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_shdepend d "
        "JOIN pg_catalog.pg_roles r ON r.oid = d.refobjid "
        "WHERE d.refclassid = 'pg_catalog.pg_authid'::regclass AND r.rolname = "
        f"{name}) THEN DROP ROLE IF EXISTS {quote(role.name)}; ELSE RAISE NOTICE "
        f"'role % is kept: objects or privileges of this server still depend on it', {name}; "
        "END IF; END $$"
    )


def alter_role_sql(old: RoleState, new: RoleState, quote: Callable[[str], str]) -> list[str]:
    """The statements that take role ``old`` to ``new`` (attributes, then memberships)."""
    name = quote(new.name)
    out = []
    changed = [
        ROLE_KEYWORDS[k][0 if v else 1]
        for k, v in new.attributes().items()
        if old.attributes()[k] != v
    ]
    if changed:
        out.append(f"ALTER ROLE {name} WITH {' '.join(changed)}")
    for member_of in sorted(set(new.in_roles) - set(old.in_roles)):
        out.append(f"GRANT {quote(member_of)} TO {name}")
    for member_of in sorted(set(old.in_roles) - set(new.in_roles)):
        out.append(f"REVOKE {quote(member_of)} FROM {name}")
    return out
