"""Row-level security (PostgreSQL): policies created, dropped, or dropped and created again
when they change; tables' ``ENABLE`` / ``FORCE ROW LEVEL SECURITY`` switched.

USING and WITH CHECK compare in a canonical form of the server's own spelling
(``pg_get_expr``): a declared expression is settled by asking the server
(:func:`schemadiff.sources.policies.settle_policies`); when it could not be asked and the
spellings differ, the policy is listed as not compared, never taken for equal. A policy whose
table is dropped goes with it (``DropPolicy.with_table``).

Models that declare neither a policy nor row-level security leave the database's alone (listed
as not compared): declaring one opts the project in, for both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from schemadiff.comparators.context import CompareContext, Item, refused_warning
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AlterColumn,
    AlterRowSecurity,
    CreatePolicy,
    DropPolicy,
    Op,
    RenameColumn,
    RenameTable,
    qualified,
)
from schemadiff.snapshot.model import DbObject, Snapshot
from schemadiff.snapshot.policies import ROLE_KEYWORDS, Policy, RowSecurity


def _shape(p: Policy) -> tuple[object, ...]:
    return (p.command, p.permissive, p.roles)


def compare_policies(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("policies"):
        if ctx.models.policies or ctx.models.row_security:
            yield ctx.not_supported("policies")
        return
    if not managed(ctx.models):
        return  # see unmanaged_policies
    kept_tables = {t.key for t in ctx.models.tables}
    existing_tables = {t.key for t in ctx.db.tables}
    yield from _row_security(ctx, kept_tables)
    old = {p.key: p for p in ctx.db.policies}
    new = {p.key: p for p in ctx.models.policies}

    def renamed(policy: Policy) -> bool:
        return (policy.schema, policy.table) in ctx.renamed

    for key in sorted(new, key=lambda k: (k[0] or "", k[1], k[2])):
        if (why := new[key].refused) is not None:
            yield refused_warning(new[key].describe(), why, key[0], new[key].table)
    for key in sorted(set(old) | set(new), key=lambda k: (k[0] or "", k[1], k[2])):
        if key not in old and (new[key].schema, new[key].table) not in kept_tables:
            yield _no_table(new[key].describe(), (new[key].schema, new[key].table), "created")
        elif key not in old:
            made = (new[key].schema, new[key].table) not in existing_tables
            yield CreatePolicy(new[key], with_table=made)
        elif key not in new:
            gone = (old[key].schema, old[key].table) not in kept_tables
            yield DropPolicy(old[key], with_table=gone, after_renames=renamed(old[key]))
        elif _shape(old[key]) != _shape(new[key]) and _unresolved(old[key], new[key]):
            yield Notice(
                "not_compared",
                f"{old[key].describe()}: its roles name "
                f"{', '.join(r.upper() for r in new[key].roles if r in ROLE_KEYWORDS)}, which "
                "the server stores as the role it names; with no server to ask, not compared",
                old[key].schema,
                old[key].table,
            )
        elif _shape(old[key]) != _shape(new[key]):
            yield DropPolicy(old[key], after_renames=renamed(old[key]))
            yield CreatePolicy(new[key])
        elif (old[key].using, old[key].with_check) == (new[key].using, new[key].with_check):
            continue
        elif not new[key].comparable:
            yield Notice(
                "not_compared",
                f"{old[key].describe()}: its USING / WITH CHECK expressions could not be "
                "compared with the server's own spelling of them",
                old[key].schema,
                old[key].table,
            )
        else:
            yield DropPolicy(old[key], after_renames=renamed(old[key]))
            yield CreatePolicy(new[key])


def _no_table(what: str, table: tuple[str | None, str], verb: str) -> Notice:
    """A warning for a declaration on a table the models do not declare (a typo, a table
    renamed in the models): the migration would fail on it, so it is left out."""
    return Notice(
        "warning",
        f"{what}: the models declare no table {qualified(*table)}; not {verb}",
        table[0],
        table[1],
    )


def _unresolved(old: Policy, new: Policy) -> bool:
    """``new`` differs from ``old`` at most in roles that name a role keyword unresolved
    (no connection to say which role it is)."""
    return bool(ROLE_KEYWORDS & set(new.roles)) and (old.command, old.permissive) == (
        new.command,
        new.permissive,
    )


def _row_security(ctx: CompareContext, kept_tables: set[tuple[str | None, str]]) -> Iterator[Item]:
    old = {r.key: r for r in ctx.db.row_security}
    new = {r.key: r for r in ctx.models.row_security}
    for key in sorted(set(old) | set(new), key=lambda k: (k[0] or "", k[1])):
        schema, table = key
        off = RowSecurity(table, schema, False, False)
        before, after = old.get(key, off), new.get(key, off)
        if (before.enabled, before.forced) == (after.enabled, after.forced):
            continue
        if key not in old and key not in kept_tables:  # declared on a table the models lack
            if after.enabled or after.forced:
                yield _no_table(f"row-level security on {qualified(schema, table)}", key, "set")
            continue
        yield AlterRowSecurity(before, after, with_table=key not in kept_tables)


def managed(models: Snapshot) -> bool:
    """True when the models declare a policy or row-level security (opted in)."""
    return bool(models.policies or models.row_security)


def unmanaged_policies(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's policies and row-level security when the models declare none: listed
    as not compared."""
    if managed(models):
        return ()
    return (
        *(DbObject("policy", p.name, p.schema, p.table) for p in db.policies),
        *(DbObject("row-level security", r.table, r.schema, r.table) for r in db.row_security),
    )


def _reads(policy: Policy, column: str) -> bool:
    """True when one of ``policy``'s expressions names ``column`` (as a word, or quoted)."""
    pattern = re.compile(rf'(?<![\w$"]){re.escape(column)}(?![\w$"])|"{re.escape(column)}"', re.I)
    return any(
        text is not None and pattern.search(text) is not None
        for text in (policy.raw_using, policy.raw_with_check, policy.using, policy.with_check)
    )


def policies_around_type_changes(ops: Sequence[Op], db: Snapshot, models: Snapshot) -> list[Op]:
    """``ops`` plus a drop (before) and a create (after) of each database policy that reads a
    column whose type changes and is not dropped already: PostgreSQL refuses to change the type
    of a column a policy uses. Created again as the models declare it, or as it was where the
    models leave policies alone."""
    changed = {
        (op.schema_name, op.table_name, op.old.name)
        for op in ops
        if isinstance(op, AlterColumn) and "type" in op.changes
    }
    if not changed or not db.policies:
        return list(ops)
    dropped = {op.policy.key for op in ops if isinstance(op, DropPolicy)}
    renamed = {(op.schema_name, op.new_name) for op in ops if isinstance(op, RenameTable)} | {
        (op.schema_name, op.table_name) for op in ops if isinstance(op, RenameColumn)
    }
    wanted = {p.key: p for p in models.policies} if managed(models) else {}
    out = list(ops)
    for policy in db.policies:
        if policy.key in dropped:
            continue
        columns = [c for s, t, c in changed if (s, t) == (policy.schema, policy.table)]
        if not any(_reads(policy, c) for c in columns):
            continue
        # as declared both ways where declared: the server's own text of an expression is not
        # always read back the same once a column under it changed type
        again = wanted.get(policy.key, policy)
        out.append(DropPolicy(again, after_renames=(policy.schema, policy.table) in renamed))
        out.append(CreatePolicy(again))
    return out
