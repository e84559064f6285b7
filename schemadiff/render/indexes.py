"""Index ops: create and drop, with the backend's index options."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, kw, schema_kw, sql_text
from schemadiff.render.python_types import SA
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import (
    Index,
    IndexElement,
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
        if _plain_column(e):
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


def _plain_column(e: IndexElement) -> bool:
    return not (e.is_expression or e.descending or e.nulls)


def index_dialect_kw(index: Index, ctx: RenderContext) -> list[str]:
    out = []
    if ctx.dialect == "postgresql":
        if index.where:
            out.append(f"postgresql_where={sql_text(index.raw_where or index.where)}")
        if index.using:
            out.append(kw("postgresql_using", index.using))
        if index.include:
            out.append(kw("postgresql_include", list(index.include)))
        opclasses = {e.expr: e.opclass for e in index.elements if e.opclass and _plain_column(e)}
        if opclasses:
            out.append(kw("postgresql_ops", opclasses))
        if index.nulls_not_distinct:
            out.append("postgresql_nulls_not_distinct=True")
    elif ctx.dialect in ("mysql", "mariadb"):
        lengths = {e.expr: e.length for e in index.elements if e.length and not e.is_expression}
        if lengths:
            out.append(kw("mysql_length", lengths))
        if index.using in ("fulltext", "spatial"):
            out.append(kw("mysql_prefix", index.using.upper()))
    elif ctx.dialect == "sqlite" and index.where:
        out.append(f"sqlite_where={sql_text(index.raw_where or index.where)}")
    return out


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
