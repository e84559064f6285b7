"""Table options a backend stores and the models set (SQLite's ``AUTOINCREMENT``)."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import AlterTableOptions
from schemadiff.snapshot.partitions import PARTITION_BY_OPTION


def compare_table_options(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    """One op when the options differ (both sides come from the same backend's rules)."""
    old, new = _compared(pair.db.options), _compared(pair.model.options)
    if old != new:
        yield AlterTableOptions(pair.schema, pair.name, old, new)


def _compared(options: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """The options compared here: a partitioned table's key is compared as partitioning
    (:mod:`schemadiff.comparators.partitions`), by meaning."""
    return tuple(o for o in options if o[0] != PARTITION_BY_OPTION)
