"""Table options a backend stores and the models set (SQLite's ``AUTOINCREMENT``)."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import AlterTableOptions


def compare_table_options(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    """One op when the options differ (both sides come from the same backend's rules)."""
    if pair.db.options != pair.model.options:
        yield AlterTableOptions(pair.schema, pair.name, pair.db.options, pair.model.options)
