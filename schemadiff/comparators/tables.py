"""Tables: create and drop whole tables, and pair the tables present on both sides."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import CreateTable, DropTable


def compare_tables(ctx: CompareContext) -> Iterator[Item]:
    """CreateTable for model-only tables, DropTable for database-only ones (renames were already
    applied to ``ctx.db``, so a renamed table is paired, not dropped and created)."""
    db_tables = ctx.db.table_map()
    model_tables = ctx.models.table_map()
    for table in ctx.models.tables:
        if table.key not in db_tables:
            yield CreateTable(table)
    for table in ctx.db.tables:
        if table.key not in model_tables:
            yield DropTable(table)


def table_pairs(ctx: CompareContext) -> list[TablePair]:
    """Tables on both sides, in the models' (deterministic) order."""
    db_tables = ctx.db.table_map()
    return [TablePair(db_tables[t.key], t) for t in ctx.models.tables if t.key in db_tables]
