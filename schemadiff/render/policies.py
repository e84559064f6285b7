"""Row-level security: ``op.execute`` with the exact DDL (``CREATE POLICY``, ``DROP POLICY``,
``ALTER TABLE ... ENABLE / DISABLE / [NO] FORCE ROW LEVEL SECURITY``), so scripts run under
plain ``alembic upgrade`` and offline (``--sql``) alike."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.entities import entity_op, fallback, policy_entity, uses_entities
from schemadiff.render.registry import renders
from schemadiff.snapshot.policies import Policy, RowSecurity, policy_ddl


def _table(dialect: str, schema: str | None, name: str) -> str:
    rules = rules_for(dialect)
    return (rules.quote_identifier(schema) + "." if schema else "") + rules.quote_identifier(name)


def _execute(sql: str) -> str:
    return execute_call(sql)


def row_security_statements(old: RowSecurity, new: RowSecurity, table: str) -> list[str]:
    """The ``ALTER TABLE`` statements that take ``table`` from ``old`` to ``new``."""
    out = []
    if old.enabled != new.enabled:
        verb = "ENABLE" if new.enabled else "DISABLE"
        out.append(f"ALTER TABLE {table} {verb} ROW LEVEL SECURITY")
    if old.forced != new.forced:
        verb = "FORCE" if new.forced else "NO FORCE"
        out.append(f"ALTER TABLE {table} {verb} ROW LEVEL SECURITY")
    return out


@renders(O.CreatePolicy)
def _create_policy(op: O.CreatePolicy, ctx: RenderContext, target: str) -> Code:
    policy = op.policy
    table = _table(ctx.dialect, policy.schema, policy.table)
    create = (_execute(policy_ddl(policy, table, rules_for(ctx.dialect).quote_identifier)),)
    return _policy_op(ctx, "create", policy, create)


@renders(O.DropPolicy)
def _drop_policy(op: O.DropPolicy, ctx: RenderContext, target: str) -> Code:
    policy = op.policy
    table = _table(ctx.dialect, policy.schema, policy.table)
    if op.with_table:
        return Code((f"# policy {policy.name} goes with table {policy.table}",))
    name = rules_for(ctx.dialect).quote_identifier(policy.name)
    return _policy_op(ctx, "drop", policy, (_execute(f"DROP POLICY {name} ON {table}"),))


def _policy_op(ctx: RenderContext, verb: str, policy: Policy, lines: tuple[str, ...]) -> Code:
    """alembic_utils' operation on ``policy`` in a project that uses it, else ``lines``."""
    entities = ctx.entities
    if entities is None or not uses_entities(entities, "policy", policy.key):
        return Code(lines)
    entity = policy_entity(entities, policy)
    if entity is None:
        why = "alembic_utils' PGPolicy would write a name unquoted that needs quotes"
        return fallback(why, lines)
    return entity_op(verb, entity)


@renders(O.AlterRowSecurity)
def _alter_row_security(op: O.AlterRowSecurity, ctx: RenderContext, target: str) -> Code:
    if op.with_table and not (op.new.enabled or op.new.forced):
        return Code((f"# row-level security goes with table {op.new.table}",))
    table = _table(ctx.dialect, op.new.schema, op.new.table)
    return Code(tuple(_execute(sql) for sql in row_security_statements(op.old, op.new, table)))
