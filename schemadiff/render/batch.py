"""Batch mode (SQLite): changes SQLite cannot ALTER in place go inside ``op.batch_alter_table``
(Alembic's copy-and-move), consecutive ops on one table sharing a block."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.comments import comment
from schemadiff.render.registry import render_op
from schemadiff.render.table_expr import SQLITE_BATCH_NAMING, table_expr
from schemadiff.snapshot.model import (
    Table,
)

_BATCH_KINDS = (
    O.AlterColumn,
    O.DropColumn,
    O.AddPrimaryKey,
    O.DropPrimaryKey,
    O.AddUniqueConstraint,
    O.DropUniqueConstraint,
    O.AddForeignKey,
    O.DropForeignKey,
    O.AddCheckConstraint,
    O.DropCheckConstraint,
    O.AlterTableOptions,
)


def _needs_batch(op: O.Op, ctx: RenderContext) -> bool:
    return isinstance(op, _BATCH_KINDS) or _rebuilt_add(op, ctx)


def _rebuilt_add(op: O.Op, ctx: RenderContext) -> bool:
    """An added column the backend cannot ``ADD COLUMN`` in place (see
    :meth:`~schemadiff.backends.base.DialectRules.adds_column_in_place`)."""
    return isinstance(op, O.AddColumn) and not rules_for(ctx.dialect).adds_column_in_place(
        op.column
    )


def batch_run(ops: Sequence[O.Op], i: int, ctx: RenderContext) -> tuple[int, bool]:
    """The consecutive ops on one table from ``ops[i]`` that batch mode can run (added columns
    too, so that one rebuild makes them all), and whether they form a block: only when one of
    them needs the rebuild. A lone op of another kind is a run of one."""
    key = (ops[i].schema, ops[i].table)
    j = i
    while (
        j < len(ops)
        and isinstance(ops[j], (*_BATCH_KINDS, O.AddColumn))
        and (ops[j].schema, ops[j].table) == key
    ):
        j += 1
    if j == i:
        return i + 1, False
    return j, any(_needs_batch(op, ctx) for op in ops[i:j])


def batch_block(ops: Sequence[O.Op], ctx: RenderContext, copy_from: Table | None) -> Code:
    first = ops[0]
    args = [repr(first.table)]
    if first.schema:
        args.append(f"schema={first.schema!r}")
    options = _option_args(ops)
    if options:
        args += options
    elif any(_rebuilt_add(op, ctx) for op in ops):
        # batch mode's "auto" would ALTER a block of added columns in place
        args.append('recreate="always"')
    imports: frozenset[str] = frozenset()
    targets: Sequence[O.Op] = ops
    if copy_from is not None:
        targets, copy_from = _name_dropped_checks(ops, copy_from)
        table = table_expr(copy_from, ctx)
        args.append(f"copy_from={table.lines[0]}")
        imports = table.imports
    else:
        args.append(f"naming_convention={SQLITE_BATCH_NAMING!r}")
    head = f"with op.batch_alter_table({', '.join(args)}) as batch_op:"
    body = Code()
    for op, target in zip(ops, targets, strict=True):
        body += comment(op, ctx) + render_op(target, ctx, "batch_op")
    if all(isinstance(op, O.AlterTableOptions) for op in ops):
        body += Code(("pass",))  # the rebuild itself is the change
    block = Code((head, *("    " + line for line in body.lines)), body.imports | imports)
    if first.table is None or first.schema:
        return block
    guard = rules_for(ctx.dialect).rebuild_guard(first.table, ctx.objects)
    if guard is None:
        return block
    return Code(
        (f"with {guard.call}:", *("    " + line for line in block.lines)),
        block.imports | guard.imports,
        frozenset({guard.helpers}),
    )


def _name_dropped_checks(ops: Sequence[O.Op], table: Table) -> tuple[list[O.Op], Table]:
    """SQLite keeps checks without a name, and batch mode drops a constraint by name only: each
    unnamed check the block drops gets a name in the table definition the rebuild starts from
    (``copy_from``) and is dropped by it. The name never reaches the database."""
    checks = list(table.check_constraints)
    taken = {c.name for c in checks} | {
        op.constraint.name for op in ops if isinstance(op, O.AddCheckConstraint)
    }
    out: list[O.Op] = []
    for op in ops:
        if isinstance(op, O.DropCheckConstraint) and op.constraint.name is None:
            index = next((i for i, c in enumerate(checks) if c == op.constraint), None)
            if index is not None:
                n = 1
                while f"{table.name}_unnamed_check_{n}" in taken:
                    n += 1
                named = replace(checks[index], name=f"{table.name}_unnamed_check_{n}")
                taken.add(named.name)
                checks[index] = named
                op = replace(op, constraint=named)
        out.append(op)
    return out, replace(table, check_constraints=tuple(checks))


def _option_args(ops: Sequence[O.Op]) -> list[str]:
    """A table option change rebuilds the table with the new options (``table_kwargs`` win
    over ``copy_from``'s), even when no other op of the block needs a rebuild."""
    kwargs: dict[str, str] = {}
    for op in ops:
        if isinstance(op, O.AlterTableOptions):
            kwargs.update(op.table_kwargs())
    if not kwargs:
        return []
    items = ", ".join(f"{k!r}: {v}" for k, v in kwargs.items())
    return ['recreate="always"', f"table_kwargs={{{items}}}"]
