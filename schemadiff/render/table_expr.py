"""``sa.Table(...)`` code for a whole table: the definition a batch block copies from
(``copy_from``, so scripts also work offline) and the items of ``op.create_table``."""

from __future__ import annotations

from schemadiff.render.code import Code, RenderContext, kw
from schemadiff.render.columns import column_code
from schemadiff.render.constraints import check_text, fk_options, unique_kw
from schemadiff.render.indexes import index_columns, index_dialect_kw
from schemadiff.render.python_types import SA
from schemadiff.snapshot.model import (
    Table,
)

#: names given to SQLite's unnamed constraints while a batch block reflects the table
SQLITE_BATCH_NAMING = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def table_expr(table: Table, ctx: RenderContext) -> Code:
    """``sa.Table(...)`` with the table's columns, constraints and indexes (for ``copy_from``)."""
    items = table_items(table, ctx)
    # unnamed constraints get the names the batch ops drop them by
    parts = [repr(table.name), f"sa.MetaData(naming_convention={SQLITE_BATCH_NAMING!r})"]
    parts += items.lines
    for index in table.indexes:
        cols, _ = index_columns(index, ctx)
        kw = ["unique=True"] if index.unique else []
        kw += index_dialect_kw(index, ctx)
        parts.append(f"sa.Index({', '.join([repr(index.name), *cols, *kw])})")
    return Code((f"sa.Table({', '.join(parts)})",), items.imports | {SA})


def table_items(table: Table, ctx: RenderContext) -> Code:
    """The ``Table``/``create_table`` arguments after the name: columns, constraints, options;
    one per line of the returned Code."""
    parts: list[str] = []
    imports: set[str] = {SA}
    pk_cols = set(table.primary_key.columns) if table.primary_key else set()
    for col in table.columns:
        c = column_code(col, ctx, col.name in pk_cols)
        parts.append(c.lines[0])
        imports |= c.imports
    if table.primary_key is not None:
        cols = ", ".join(repr(c) for c in table.primary_key.columns)
        name = f", name={table.primary_key.name!r}" if table.primary_key.name else ""
        parts.append(f"sa.PrimaryKeyConstraint({cols}{name})")
    for uq in table.unique_constraints:
        cols = ", ".join(repr(c) for c in uq.columns)
        name = f", name={uq.name!r}" if uq.name else ""
        options = "".join(f", {kw}" for kw in unique_kw(uq, ctx.dialect))
        parts.append(f"sa.UniqueConstraint({cols}{name}{options})")
    for fk in table.foreign_keys:
        ref = ".".join(x for x in (fk.referred_schema, fk.referred_table) if x)
        remote = ", ".join(repr(f"{ref}.{c}") for c in fk.referred_columns)
        local = ", ".join(repr(c) for c in fk.columns)
        extra = [kw("name", fk.name)] if fk.name else []
        extra += fk_options(fk)
        tail = (", " + ", ".join(extra)) if extra else ""
        parts.append(f"sa.ForeignKeyConstraint([{local}], [{remote}]{tail})")
    for ck in table.check_constraints:
        name = f", name={ck.name!r}" if ck.name else ""
        parts.append(f"sa.CheckConstraint({check_text(ck)!r}{name})")
    if table.schema:
        parts.append(kw("schema", table.schema))
    if table.comment is not None:
        parts.append(kw("comment", table.comment))
    parts += [f"{key}={value}" for key, value in table.options]
    return Code(tuple(parts), frozenset(imports))
