"""Row-level security in the snapshot model: PostgreSQL policies and each table's
``ENABLE`` / ``FORCE ROW LEVEL SECURITY``.

``using`` and ``with_check`` are compared in a canonical form of the server's own spelling
(``pg_get_expr``); the ``raw_*`` fields are what a migration runs, never compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: (schema, table, name) of a policy
PolicyKey = tuple[str | None, str, str]


@dataclass(frozen=True)
class Policy:
    """A policy on a table. ``command`` ALL, SELECT, INSERT, UPDATE or DELETE; ``roles``
    sorted (``public`` for everyone); ``comparable`` False: a declared expression whose
    canonical form is not sure to be the server's (not yet settled), so a difference in it is
    "not compared"."""

    name: str
    table: str
    schema: str | None = None
    command: str = "ALL"
    permissive: bool = True
    roles: tuple[str, ...] = ("public",)
    using: str | None = None
    with_check: str | None = None
    comparable: bool = True
    raw_using: str | None = field(default=None, compare=False)
    raw_with_check: str | None = field(default=None, compare=False)
    #: the roles as declared, for CREATE, when they name ``CURRENT_USER`` / ``SESSION_USER`` /
    #: ``CURRENT_ROLE`` (``roles`` then holds the role each resolves to: what the server stores)
    raw_roles: tuple[str, ...] = field(default=(), compare=False)
    #: models' side: the server's syntax error for the declared policy (the migration fails)
    refused: str | None = field(default=None, compare=False, metadata={"json": False})

    @property
    def key(self) -> PolicyKey:
        return (self.schema, self.table, self.name)

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"policy {self.name} on {table}"


@dataclass(frozen=True)
class RowSecurity:
    """A table's row-level security switches (only tables with one of them on are listed)."""

    table: str
    schema: str | None = None
    enabled: bool = True
    forced: bool = False

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.schema, self.table)

    def state(self) -> str:
        """``enabled``, ``enabled and forced``, ``forced`` (not enabled) or ``off``."""
        if self.enabled:
            return "enabled and forced" if self.forced else "enabled"
        return "forced" if self.forced else "off"

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"row-level security on {table}"


SPECIAL_ROLES = frozenset({"public", "current_user", "session_user", "current_role"})
#: the role keywords the server resolves to a role when it stores a policy
ROLE_KEYWORDS = SPECIAL_ROLES - {"public"}


def role_sql(role: str, quote: object) -> str:
    """A role as ``CREATE POLICY ... TO`` takes it: the keywords bare, names quoted."""
    if role in SPECIAL_ROLES:
        return role.upper() if role != "public" else "PUBLIC"
    assert callable(quote)
    return str(quote(role))


def policy_ddl(policy: Policy, table_sql: str, quote: object) -> str:
    """``CREATE POLICY name ON table AS ... FOR ... TO ... USING (...) WITH CHECK (...)``."""
    assert callable(quote)
    parts = [
        f"CREATE POLICY {quote(policy.name)} ON {table_sql}",
        f"AS {'PERMISSIVE' if policy.permissive else 'RESTRICTIVE'}",
        f"FOR {policy.command}",
        "TO " + ", ".join(role_sql(r, quote) for r in policy.raw_roles or policy.roles),
    ]
    using = policy.raw_using if policy.raw_using is not None else policy.using
    check = policy.raw_with_check if policy.raw_with_check is not None else policy.with_check
    if using is not None:
        parts.append(f"USING ({using})")
    if check is not None:
        parts.append(f"WITH CHECK ({check})")
    return " ".join(parts)
