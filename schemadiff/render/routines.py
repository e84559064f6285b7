"""Functions, procedures and triggers: ``op.execute`` with the exact DDL, so scripts run under
plain ``alembic upgrade`` and offline (``--sql``) alike."""

from __future__ import annotations

from collections.abc import Sequence

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.entities import (
    entity_op,
    fallback,
    function_entity,
    function_fallback,
    trigger_entity,
    uses_entities,
)
from schemadiff.render.execute import execute_line, with_compound_helper
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import DbObject
from schemadiff.snapshot.routines import Function, Trigger


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
    return execute_call(sql)


@renders(O.CreateFunction)
def _create_function(op: O.CreateFunction, ctx: RenderContext, target: str) -> Code:
    rules = rules_for(ctx.dialect)
    statements = rules.function_statements(op.function)
    code = _checked_function_op(ctx, "create", op.function, statements, op.unchecked)
    return with_compound_helper(code)


@renders(O.ReplaceFunction)
def _replace_function(op: O.ReplaceFunction, ctx: RenderContext, target: str) -> Code:
    rules = rules_for(ctx.dialect)
    statements = rules.function_statements(op.new, replace=True)
    code = _checked_function_op(ctx, "replace", op.new, statements, op.unchecked)
    return with_compound_helper(code)


@renders(O.DropFunction)
def _drop_function(op: O.DropFunction, ctx: RenderContext, target: str) -> Code:
    sql = rules_for(ctx.dialect).drop_function_statement(op.function)
    return _function_op(ctx, "drop", op.function, (_execute(sql),))


def _checked_function_op(
    ctx: RenderContext,
    verb: str,
    function: Function,
    statements: tuple[str, ...],
    unchecked: bool,
) -> Code:
    """``statements`` as a create/replace of ``function``; an ``unchecked`` one (its SQL body
    reads what the migration creates after it) runs with ``check_function_bodies`` off, which
    alembic_utils' operations cannot do: plain ``op.execute`` then, even in such projects."""
    rules = rules_for(ctx.dialect)
    if not unchecked:
        lines = tuple(execute_line(sql, ctx.dialect) for sql in statements)
        return _function_op(ctx, verb, function, lines)
    lines = tuple(_execute(sql) for sql in rules.unchecked_body(statements))
    entities = ctx.entities
    if entities is not None and uses_entities(entities, "function", function.key):
        return fallback("its body reads what this migration creates after it", lines)
    return Code(lines)


def _function_op(ctx: RenderContext, verb: str, function: Function, lines: tuple[str, ...]) -> Code:
    """alembic_utils' operation on ``function`` in a project that uses it, else ``lines``."""
    entities = ctx.entities
    if entities is None or not uses_entities(entities, "function", function.key):
        return Code(lines)
    why = function_fallback(entities, function)
    if why is not None:
        return fallback(why, lines)
    return entity_op(verb, function_entity(entities, function))


@renders(O.CreateTrigger)
def _create_trigger(op: O.CreateTrigger, ctx: RenderContext, target: str) -> Code:
    line = execute_line(op.trigger.raw, ctx.dialect)
    return with_compound_helper(_trigger_op(ctx, "create", op.trigger, (line,)))


@renders(O.DropTrigger)
def _drop_trigger(op: O.DropTrigger, ctx: RenderContext, target: str) -> Code:
    if op.with_table:
        table = f"{op.trigger.schema}.{op.trigger.table}" if op.trigger.schema else op.trigger.table
        what = "view" if op.on_view else "table"
        return Code((f"# trigger {op.trigger.name} goes with {what} {table}",))
    drop = (_execute(drop_trigger_sql(op.trigger, ctx.dialect)),)
    return _trigger_op(ctx, "drop", op.trigger, drop)


def _trigger_op(ctx: RenderContext, verb: str, trigger: Trigger, lines: tuple[str, ...]) -> Code:
    entities = ctx.entities
    if entities is None or not uses_entities(entities, "trigger", trigger.key):
        return Code(lines)
    entity = trigger_entity(entities, trigger)
    if entity is None:
        why = "alembic_utils' PGTrigger would write its table's name unquoted"
        return fallback(why, lines)
    return entity_op(verb, entity)
