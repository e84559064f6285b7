"""Table ops: create (with its indexes), drop, rename, comment, table options."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.batch import batch_block
from schemadiff.render.code import Code, RenderContext, kw, schema_kw
from schemadiff.render.indexes import (
    create_index,
    implied_fk_indexes,
)
from schemadiff.render.registry import renders
from schemadiff.render.table_expr import table_items
from schemadiff.snapshot.model import (
    Table,
)


@renders(O.CreateTable)
def _create_table(op: O.CreateTable, ctx: RenderContext, target: str) -> Code:
    table: Table = op.table_obj
    items = table_items(table, ctx)
    lines = [f"op.create_table({', '.join((repr(table.name), *items.lines))})"]
    code = Code(tuple(lines), items.imports)
    for index in table.indexes:
        code += create_index(O.CreateIndex(table.schema, table.name, index), ctx, "op")
    if rules_for(ctx.dialect).fk_implies_index:
        code += implied_fk_indexes(table)
    return code


@renders(O.AlterTableOptions)
def _alter_table_options(op: O.AlterTableOptions, ctx: RenderContext, target: str) -> Code:
    """Nothing inside a batch block (its head carries the options); alone, a block of its own."""
    if target == "batch_op":
        return Code()
    return batch_block([op], ctx, None)


@renders(O.DropTable)
def _drop_table(op: O.DropTable, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.table)] + schema_kw(op.schema, "op")
    return Code((f"op.drop_table({', '.join(args)})",))


@renders(O.RenameTable)
def _rename_table(op: O.RenameTable, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.old_name), repr(op.new_name)] + schema_kw(op.schema_name, "op")
    lines = [f"op.rename_table({', '.join(args)})"]
    rules = rules_for(ctx.dialect)
    for sql in rules.rename_table_sql(op.schema_name, op.old_name, op.new_name, op.serial_columns):
        lines.append(f"op.execute({sql!r})")
    return Code(tuple(lines))


@renders(O.AlterTableComment)
def _alter_table_comment(op: O.AlterTableComment, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.table_name)]
    if op.new_comment is None:
        args.append(kw("existing_comment", op.old_comment))
        args += schema_kw(op.schema_name, "op")
        return Code((f"op.drop_table_comment({', '.join(args)})",))
    args.append(repr(op.new_comment))
    args.append(kw("existing_comment", op.old_comment))
    args += schema_kw(op.schema_name, "op")
    return Code((f"op.create_table_comment({', '.join(args)})",))
