"""Index ops: create and drop, with the backend's index options."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, dialect_kwargs, kw, schema_kw, sql_text
from schemadiff.render.python_types import SA
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import (
    Index,
    Table,
)


def index_columns(index: Index, ctx: RenderContext) -> tuple[list[str], bool]:
    """Index elements as ``create_index`` arguments; True when any needs ``sa.text``.

    A plain column is its name (its operator class goes in ``postgresql_ops``); anything else
    is text in ``CREATE INDEX`` grammar: the expression as the backend wants it (in
    parentheses), then the operator class, then the order (``(jb -> 'x') jsonb_path_ops``,
    ``x text_pattern_ops DESC``), so that nothing is lost when an index is recreated."""
    cols: list[str] = []
    uses_text = False
    rules = rules_for(ctx.dialect)
    for e in index.elements:
        if e.is_plain_column:
            cols.append(repr(e.expr))
            continue
        uses_text = True
        if e.is_expression:
            text = rules.index_expression_sql(e.raw or e.expr)
        else:
            text = rules.quote_identifier(e.expr)
        if e.opclass:
            text += f" {e.opclass}"
        if e.descending:
            text += " DESC"
        if e.nulls:
            text += f" NULLS {e.nulls.upper()}"
        cols.append(sql_text(text))
    return cols, uses_text


def index_dialect_kw(index: Index, ctx: RenderContext) -> list[str]:
    """The backend's own keywords (:meth:`~schemadiff.backends.base.DialectRules.index_kwargs`)."""
    return dialect_kwargs(rules_for(ctx.dialect).index_kwargs(index))


@renders(O.CreateIndex)
def create_index(op: O.CreateIndex, ctx: RenderContext, target: str) -> Code:
    cols, uses_text = index_columns(op.index, ctx)
    args = [repr(op.index.name), repr(op.table_name), f"[{', '.join(cols)}]"]
    if op.index.unique:
        args.append("unique=True")
    args += schema_kw(op.schema_name, "op")
    kw = index_dialect_kw(op.index, ctx)
    imports = frozenset({SA}) if uses_text or kw else frozenset()
    return Code((f"op.create_index({', '.join(args + kw)})",), imports)


@renders(O.DropIndex)
def _drop_index(op: O.DropIndex, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.index.name), kw("table_name", op.table_name)]
    args += schema_kw(op.schema_name, "op")
    return Code((f"op.drop_index({', '.join(args)})",))


def implied_fk_indexes(table: Table) -> Code:
    """Recreate a foreign key's server-made index under its original name (MySQL names it after
    the key or the column, depending on how the key was declared); the server then silently
    drops the one it just made for the key."""
    lines = []
    for fk in table.foreign_keys:
        if fk.implied_index and fk.implied_index != fk.name:
            args = [repr(fk.implied_index), repr(table.name), repr(list(fk.columns))]
            args += schema_kw(table.schema, "op")
            lines.append(f"op.create_index({', '.join(args)})")
    return Code(tuple(lines))
