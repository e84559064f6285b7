"""Table comments (column comments are compared with the other column attributes)."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import AlterTableComment


def compare_table_comment(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    old, new = pair.db.comment, pair.model.comment
    if not ctx.supports("comments"):
        if new is not None:
            yield ctx.not_supported("comments")
        return
    if old != new:
        yield AlterTableComment(pair.schema, pair.name, old, new)
