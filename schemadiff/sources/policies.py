"""The models' row-level security: policies and tables declared with
:mod:`schemadiff.objects` (or alembic_utils' ``PGPolicy``), in the compared form."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.registry import rules_for
from schemadiff.canonical.sqlexpr import canonical_sql
from schemadiff.objects.policies import declared_policies, declared_row_security
from schemadiff.snapshot.model import Snapshot
from schemadiff.snapshot.policies import ROLE_KEYWORDS, Policy, RowSecurity


def _role(name: str) -> str:
    """A role as the catalog names it: quoted names kept, others folded to lower case."""
    name = name.strip()
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        return name[1:-1].replace('""', '"')
    return name.lower()


def _roles(declared: tuple[str, ...]) -> tuple[str, ...]:
    """Declared roles as the catalog keeps them, sorted: with ``public`` only ``public``
    (PostgreSQL ignores the others, with a warning)."""
    roles = {_role(r) for r in declared}
    return ("public",) if "public" in roles else tuple(sorted(roles))


def _resolve_roles(
    conn: Connection, dialect: str, policies: tuple[Policy, ...]
) -> tuple[Policy, ...]:
    """``policies`` whose roles name ``CURRENT_USER`` / ``SESSION_USER`` / ``CURRENT_ROLE``
    with those resolved to the connected role, as the server stores them (the keywords kept in
    ``raw_roles`` for CREATE). One statement, only when a policy uses one; when the server
    cannot say, they stay keywords (the comparator lists such a policy as not compared)."""
    if not any(ROLE_KEYWORDS & set(p.roles) for p in policies):
        return policies
    try:
        names = rules_for(dialect).role_keywords(conn)
    except sa.exc.DBAPIError:
        return policies
    if not names:
        return policies
    out = []
    for p in policies:
        if ROLE_KEYWORDS & set(p.roles):
            roles = _roles(tuple(names.get(r, r) for r in p.roles))
            p = replace(p, roles=roles, raw_roles=p.raw_roles or p.roles)
        out.append(p)
    return tuple(out)


def _expression(text: str | None) -> str | None:
    return None if text is None else canonical_sql(text, "postgresql")


def policy_sort_key(p: Policy) -> tuple[str, str, str]:
    return (p.schema or "", p.table, p.name)


def metadata_policies(metadata: sa.MetaData, default_schema: str | None) -> tuple[Policy, ...]:
    """Every declared policy, sorted by key. Its expressions are in our canonical form, not
    sure to be the server's until settled (``comparable`` False, see :func:`settle_policies`)."""
    from schemadiff.sources.routines import _with_registered

    out = []
    for decl in _with_registered(declared_policies(metadata), "PGPolicy"):
        out.append(
            Policy(
                name=decl.name,
                table=decl.table,
                schema=None if decl.schema == default_schema else decl.schema,
                command=decl.command,
                permissive=decl.permissive,
                roles=_roles(decl.roles),
                using=_expression(decl.using),
                with_check=_expression(decl.with_check),
                comparable=decl.using is None and decl.with_check is None,
                raw_using=decl.using,
                raw_with_check=decl.with_check,
            )
        )
    return tuple(sorted(out, key=policy_sort_key))


def metadata_row_security(
    metadata: sa.MetaData, default_schema: str | None
) -> tuple[RowSecurity, ...]:
    """Every table declared with row-level security, sorted by key."""
    out = {
        (None if d.schema == default_schema else d.schema, d.table): d.force
        for d in declared_row_security(metadata)
    }
    return tuple(
        RowSecurity(table, schema, True, force)
        for (schema, table), force in sorted(out.items(), key=lambda i: (i[0][0] or "", i[0][1]))
    )


def settle_policies(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with each declared policy whose expressions differ from the database's
    policy of that key settled: its USING and WITH CHECK replaced by the server's own
    rewrite of them (asked without changing anything, see ``DialectRules.settle_policies``).
    Policies equal already, or with no database counterpart (created), are marked sure. Those
    the server could not be asked about stay unsure: listed as not compared when they differ."""
    resolved = _resolve_roles(conn, db.dialect, models.policies)
    if resolved is not models.policies:
        models = replace(models, policies=resolved)
    stored = {p.key: p for p in db.policies}
    pending = []
    settled: dict[tuple[str | None, str, str], Policy] = {}
    for policy in models.policies:
        old = stored.get(policy.key)
        if policy.comparable:
            continue
        if old is None or (old.using, old.with_check) == (policy.using, policy.with_check):
            settled[policy.key] = replace(policy, comparable=True)
        else:
            pending.append(policy)
    answers: dict = {}
    if pending:
        try:
            answers = rules_for(db.dialect).settle_policies(conn, pending, db.default_schema or "")
        except sa.exc.DBAPIError:
            answers = {}  # no second connection, no rights on temporary tables
    for policy in pending:
        answer = answers.get(policy.key)
        if answer is not None:
            using, check = answer
            settled[policy.key] = replace(
                policy, using=_expression(using), with_check=_expression(check), comparable=True
            )
    if not settled:
        return models
    out = tuple(settled.get(p.key, p) for p in models.policies)
    return replace(models, policies=out)
