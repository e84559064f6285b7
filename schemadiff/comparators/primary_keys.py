"""Primary keys: a changed column list (or a changed name, when both sides are named) is a drop
of the old key plus an add of the new one.

A key change can also change which column fills itself: ``create_all`` makes only a table's sole
integer key SERIAL / AUTO_INCREMENT, so a key growing from ``(id)`` to ``(id, tenant_id)`` takes
that from ``id`` and the reverse gives it back (on backends where it is separate DDL; SQLite's
rebuilt table simply is, or is not, an ``INTEGER PRIMARY KEY``).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.ops import AddAutoincrement, AddPrimaryKey, DropAutoincrement, DropPrimaryKey
from schemadiff.snapshot.model import PrimaryKey


def compare_primary_key(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    old, new = pair.db.primary_key, pair.model.primary_key
    if not _differs(old, new):
        return
    if old is not None:
        yield DropPrimaryKey(pair.schema, pair.name, old)
    if new is not None:
        yield AddPrimaryKey(pair.schema, pair.name, new)
    if ctx.supports("autoincrement"):
        yield from _autoincrement_changes(pair)


def _autoincrement_changes(pair: TablePair) -> Iterator[Item]:
    db_columns = {c.name: c for c in pair.db.columns}
    for new in pair.model.columns:
        old = db_columns.get(new.name)
        if old is None or old.autoincrement == new.autoincrement:
            continue
        if old.identity is not None or new.identity is not None:
            continue  # an identity column is compared as such
        if old.autoincrement:
            yield DropAutoincrement(pair.schema, pair.name, old)
        else:
            yield AddAutoincrement(pair.schema, pair.name, new)


def _differs(old: PrimaryKey | None, new: PrimaryKey | None) -> bool:
    if old is None or new is None:
        return old is not new
    if old.columns != new.columns:
        return True
    return old.name is not None and new.name is not None and old.name != new.name
