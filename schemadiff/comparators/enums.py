"""Named enum types (PostgreSQL): create, drop, add values in place, or replace the type.

Adding values keeps the existing order, so it is done in place with ``ADD VALUE ... BEFORE``;
removing or reordering values needs the type to be recreated (``ReplaceEnum``, destructive).
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.ops import AddEnumValue, CreateEnum, DropEnum, ReplaceEnum
from schemadiff.ops.enum_ops import insert_position
from schemadiff.snapshot.model import Enum, Snapshot

#: (schema, table, column, server default SQL or None) of a column using an enum type
EnumColumn = tuple[str | None, str, str, str | None]


def compare_enums(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("enums"):
        if ctx.models.enums:
            yield ctx.not_supported("enums")
        return
    db_enums = ctx.db.enum_map()
    model_enums = ctx.models.enum_map()
    for key in sorted(model_enums, key=_sort_key):
        new = model_enums[key]
        old = db_enums.get(key)
        if old is None:
            yield CreateEnum(new)
        elif old.values != new.values:
            yield from _changed(old, new, enum_columns(ctx.db, old))
    for key in sorted(db_enums, key=_sort_key):
        if key not in model_enums:
            yield DropEnum(db_enums[key])


def _sort_key(key: tuple[str | None, str]) -> tuple[str, str]:
    return (key[0] or "", key[1])


def _changed(old: Enum, new: Enum, columns: tuple[EnumColumn, ...]) -> Iterator[Item]:
    if not _only_additions(old.values, new.values):
        yield ReplaceEnum(old, new, columns)
        return
    current = old
    for value in new.values:
        if value in current.values:
            continue
        before, after = insert_position(new.values, value, current.values)
        values = tuple(v for v in new.values if v in current.values or v == value)
        step = Enum(new.name, values, new.schema)
        yield AddEnumValue(current, step, value, before, after, columns)
        current = step


def _only_additions(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """True when every old value is kept, in the same relative order."""
    return all(v in new for v in old) and [v for v in new if v in old] == list(old)


def enum_columns(snapshot: Snapshot, enum: Enum) -> tuple[EnumColumn, ...]:
    """Columns of ``snapshot`` whose type is ``enum`` (they must be converted when it is
    recreated)."""
    type_sql = enum.column_type
    return tuple(
        (table.schema, table.name, col.name, col.raw_default or col.server_default)
        for table in snapshot.tables
        for col in table.columns
        if col.type.sql == type_sql
    )
