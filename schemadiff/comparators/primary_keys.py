"""Primary keys: a changed column list (or a changed name, when both sides are named) is a drop
of the old key plus an add of the new one."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import AddPrimaryKey, DropPrimaryKey
from schemadiff.snapshot import PrimaryKey


def compare_primary_key(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    old, new = pair.db.primary_key, pair.model.primary_key
    if not _differs(old, new):
        return
    if old is not None:
        yield DropPrimaryKey(pair.schema, pair.name, old)
    if new is not None:
        yield AddPrimaryKey(pair.schema, pair.name, new)


def _differs(old: PrimaryKey | None, new: PrimaryKey | None) -> bool:
    if old is None or new is None:
        return old is not new
    if old.columns != new.columns:
        return True
    return old.name is not None and new.name is not None and old.name != new.name
