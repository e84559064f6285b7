"""Functions, procedures and triggers: ``op.execute`` with the exact DDL, so scripts run under
plain ``alembic upgrade`` and offline (``--sql``) alike."""

from __future__ import annotations

from collections.abc import Sequence

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import DbObject
from schemadiff.snapshot.routines import Trigger


def _name(dialect: str, schema: str | None, name: str) -> str:
    rules = rules_for(dialect)
    return (rules.quote_identifier(schema) + "." if schema else "") + rules.quote_identifier(name)


def drop_trigger_sql(trigger: Trigger, dialect: str) -> str:
    """``DROP TRIGGER name ON table`` where triggers belong to their table (PostgreSQL),
    ``DROP TRIGGER [schema.]name`` where they belong to the schema."""
    rules = rules_for(dialect)
    table = _name(dialect, trigger.schema, trigger.table)
    if rules.trigger_text_verbatim:
        return f"DROP TRIGGER {_name(dialect, trigger.schema, trigger.name)}"
    return f"DROP TRIGGER {rules.quote_identifier(trigger.name)} ON {table}"


def trigger_objects(
    triggers: tuple[Trigger, ...], ops: Sequence[O.Op] = ()
) -> tuple[DbObject, ...]:
    """Triggers as the render context's objects (SQLite's table rebuilds keep them in
    ``--sql``), without those ``ops`` drop first (the script creates them again itself)."""
    dropped = {op.trigger.key for op in ops if isinstance(op, O.DropTrigger)}
    return tuple(
        DbObject("trigger", t.name, t.schema, t.table, t.raw)
        for t in triggers
        if t.key not in dropped
    )


def _execute(sql: str) -> str:
    return f"op.execute({sql!r})"


@renders(O.CreateFunction)
def _create_function(op: O.CreateFunction, ctx: RenderContext, target: str) -> Code:
    rules = rules_for(ctx.dialect)
    statements = rules.function_statements(op.function)
    if op.unchecked:
        statements = rules.unchecked_body(statements)
    return Code(tuple(_execute(sql) for sql in statements))


@renders(O.ReplaceFunction)
def _replace_function(op: O.ReplaceFunction, ctx: RenderContext, target: str) -> Code:
    rules = rules_for(ctx.dialect)
    statements = rules.function_statements(op.new, replace=True)
    if op.unchecked:
        statements = rules.unchecked_body(statements)
    return Code(tuple(_execute(sql) for sql in statements))


@renders(O.DropFunction)
def _drop_function(op: O.DropFunction, ctx: RenderContext, target: str) -> Code:
    return Code((_execute(rules_for(ctx.dialect).drop_function_statement(op.function)),))


@renders(O.CreateTrigger)
def _create_trigger(op: O.CreateTrigger, ctx: RenderContext, target: str) -> Code:
    return Code((_execute(op.trigger.raw),))


@renders(O.DropTrigger)
def _drop_trigger(op: O.DropTrigger, ctx: RenderContext, target: str) -> Code:
    if op.with_table:
        table = f"{op.trigger.schema}.{op.trigger.table}" if op.trigger.schema else op.trigger.table
        return Code((f"# trigger {op.trigger.name} goes with table {table}",))
    return Code((_execute(drop_trigger_sql(op.trigger, ctx.dialect)),))
