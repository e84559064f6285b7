"""Foreign keys, matched by name or (for unnamed ones) by columns and referred columns.

A changed foreign key (columns, target, ON DELETE / ON UPDATE, deferrability) is dropped and added
again: no backend can alter one in place.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.comparators.matching import collapse_sides, match
from schemadiff.ops import AddForeignKey, DropForeignKey
from schemadiff.snapshot.model import ForeignKey


def structure(fk: ForeignKey) -> Hashable:
    return (fk.columns, fk.referred_schema, fk.referred_table, fk.referred_columns)


def describe(fk: ForeignKey) -> str:
    target = (
        f"{fk.referred_schema}.{fk.referred_table}" if fk.referred_schema else fk.referred_table
    )
    return f"({', '.join(fk.columns)}) -> {target}({', '.join(fk.referred_columns)})"


def _options(fk: ForeignKey) -> Hashable:
    """Options, with the defaults spelled one way (not deferrable, initially immediate)."""
    deferrable = bool(fk.deferrable)
    initially = (fk.initially or "IMMEDIATE").upper() if deferrable else None
    return (fk.ondelete, fk.onupdate, deferrable, initially)


def same_foreign_key(fk: ForeignKey) -> Hashable:
    """Two foreign keys with this equal are the same constraint (whatever their names)."""
    return (structure(fk), _options(fk))


def compare_foreign_keys(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    db, models, notices = collapse_sides(
        pair,
        "foreign key",
        pair.db.foreign_keys,
        pair.model.foreign_keys,
        same_foreign_key,
        describe,
    )
    yield from notices
    found = match(db, models, structure)
    changed = [
        (d, m) for d, m in found.pairs if structure(d) != structure(m) or _options(d) != _options(m)
    ]
    for old in [*found.db_only, *(d for d, _ in changed)]:
        yield DropForeignKey(pair.schema, pair.name, old)
    for new in [*found.model_only, *(m for _, m in changed)]:
        yield AddForeignKey(pair.schema, pair.name, new)
