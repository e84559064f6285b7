"""Named enum types (PostgreSQL): create, drop, add a value, replace."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.render.code import Code, RenderContext, execute_call, quote_ident, sql_literal
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import (
    Enum,
)


def _enum_name(enum: Enum) -> str:
    return (quote_ident(enum.schema) + "." if enum.schema else "") + quote_ident(enum.name)


@renders(O.CreateEnum)
def _create_enum(op: O.CreateEnum, ctx: RenderContext, target: str) -> Code:
    values = ", ".join(sql_literal(v) for v in op.enum.values)
    sql = f"CREATE TYPE {_enum_name(op.enum)} AS ENUM ({values})"
    return Code((execute_call(sql),))


@renders(O.DropEnum)
def _drop_enum(op: O.DropEnum, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute({f'DROP TYPE {_enum_name(op.enum)}'!r})",))


@renders(O.AddEnumValue)
def _add_enum_value(op: O.AddEnumValue, ctx: RenderContext, target: str) -> Code:
    sql = f"ALTER TYPE {_enum_name(op.new)} ADD VALUE IF NOT EXISTS {sql_literal(op.value)}"
    if op.before is not None:
        sql += f" BEFORE {sql_literal(op.before)}"
    elif op.after is not None:
        sql += f" AFTER {sql_literal(op.after)}"
    # ADD VALUE cannot run inside a transaction block on older PostgreSQL, and a new value cannot
    # be used in the transaction that adds it: run it in its own autocommit block.
    return Code(
        (
            "with op.get_context().autocommit_block():",
            f"    {execute_call(sql)}",
        )
    )


@renders(O.ReplaceEnum)
def _replace_enum(op: O.ReplaceEnum, ctx: RenderContext, target: str) -> Code:
    old_name = op.old.name + "_old"
    qualified_old = (quote_ident(op.old.schema) + "." if op.old.schema else "") + quote_ident(
        old_name
    )
    values = ", ".join(sql_literal(v) for v in op.new.values)
    lines = [
        f"op.execute({f'ALTER TYPE {_enum_name(op.old)} RENAME TO {quote_ident(old_name)}'!r})",
        execute_call(f"CREATE TYPE {_enum_name(op.new)} AS ENUM ({values})"),
    ]
    for schema, table, column, default in op.columns:
        qtable = (quote_ident(schema) + "." if schema else "") + quote_ident(table)
        qcol = quote_ident(column)
        alter = f"ALTER TABLE {qtable} ALTER COLUMN {qcol}"
        if default is not None:
            lines.append(f"op.execute({f'{alter} DROP DEFAULT'!r})")
        sql = f"{alter} TYPE {_enum_name(op.new)} USING {qcol}::text::{_enum_name(op.new)}"
        lines.append(f"op.execute({sql!r})")
        if default is not None:
            lines.append(execute_call(f"{alter} SET DEFAULT {default}"))
    lines.append(f"op.execute({f'DROP TYPE {qualified_old}'!r})")
    return Code(tuple(lines))
