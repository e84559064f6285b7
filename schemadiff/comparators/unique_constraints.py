"""Unique constraints, matched by name or (for unnamed ones) by column list; a changed column
list or NULLS NOT DISTINCT is a drop plus an add."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.comparators.matching import match
from schemadiff.ops import AddUniqueConstraint, DropUniqueConstraint
from schemadiff.snapshot.model import UniqueConstraint


def _structure(uq: UniqueConstraint) -> tuple[str, ...]:
    return uq.columns


def compare_unique_constraints(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    found = match(pair.db.unique_constraints, pair.model.unique_constraints, _structure)
    changed = [
        (d, m)
        for d, m in found.pairs
        if d.columns != m.columns or d.nulls_not_distinct != m.nulls_not_distinct
    ]
    for old in [*found.db_only, *(d for d, _ in changed)]:
        yield DropUniqueConstraint(pair.schema, pair.name, old)
    for new in [*found.model_only, *(m for _, m in changed)]:
        yield AddUniqueConstraint(pair.schema, pair.name, new)
