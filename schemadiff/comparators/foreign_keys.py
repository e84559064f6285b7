"""Foreign keys, matched by name or (for unnamed ones) by columns and referred columns.

A changed foreign key (columns, target, ON DELETE / ON UPDATE, deferrability) is dropped and added
again: no backend can alter one in place.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.comparators.matching import match
from schemadiff.ops import AddForeignKey, DropForeignKey
from schemadiff.snapshot import ForeignKey


def structure(fk: ForeignKey) -> Hashable:
    return (fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns)


def _options(fk: ForeignKey) -> Hashable:
    """Options, with the defaults spelled one way (not deferrable, initially immediate)."""
    deferrable = bool(fk.deferrable)
    initially = (fk.initially or "IMMEDIATE").upper() if deferrable else None
    return (fk.ondelete, fk.onupdate, deferrable, initially)


def compare_foreign_keys(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    found = match(pair.db.foreign_keys, pair.model.foreign_keys, structure)
    changed = [
        (d, m) for d, m in found.pairs if structure(d) != structure(m) or _options(d) != _options(m)
    ]
    for old in [*found.db_only, *(d for d, _ in changed)]:
        yield DropForeignKey(pair.schema, pair.name, old)
    for new in [*found.model_only, *(m for _, m in changed)]:
        yield AddForeignKey(pair.schema, pair.name, new)
