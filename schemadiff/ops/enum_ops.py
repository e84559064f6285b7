"""Ops on named enum types (PostgreSQL ``CREATE TYPE ... AS ENUM``)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.ops.objects import Creates, Drops, SchemaObjectOp, pair
from schemadiff.snapshot.model import Enum


class _EnumOp(SchemaObjectOp[Enum]):
    def described(self) -> str:
        return f"enum type {qualified(self.subject.schema, self.subject.name)}"


@dataclass(frozen=True)
class CreateEnum(_EnumOp, Creates):
    kind = "create_enum"
    phase = Phase.CREATE_ENUM
    subject_field = "enum"
    enum: Enum

    def describe(self) -> str:
        values = ", ".join(repr(v) for v in self.enum.values)
        return f"{super().describe()} ({values})"


@dataclass(frozen=True)
class DropEnum(_EnumOp, Drops):
    kind = "drop_enum"
    phase = Phase.DROP_ENUM
    subject_field = "enum"
    enum: Enum


pair(CreateEnum, DropEnum)


@dataclass(frozen=True)
class AddEnumValue(_EnumOp):
    """Append or insert one value (``ALTER TYPE ... ADD VALUE``); ``old``/``new`` are the whole
    types."""

    kind = "add_enum_value"
    phase = Phase.CREATE_ENUM
    old: Enum
    new: Enum
    value: str
    before: str | None = None
    after: str | None = None
    #: columns using the type (see ReplaceEnum), so that the reverse can convert them
    columns: tuple[tuple[str | None, str, str, str | None], ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        # several values added to one enum must run in the order they were planned
        return (*super().sort_key(), len(self.old.values))

    def reverse(self) -> Op:
        return ReplaceEnum(old=self.new, new=self.old, columns=self.columns)

    def describe(self) -> str:
        where = ""
        if self.before is not None:
            where = f" before {self.before!r}"
        elif self.after is not None:
            where = f" after {self.after!r}"
        return (
            f"add value {self.value!r} to enum {qualified(self.new.schema, self.new.name)}{where}"
        )


@dataclass(frozen=True)
class ReplaceEnum(_EnumOp):
    """Recreate an enum with a different value list (values removed or reordered).

    Destructive whenever a value disappears or the order changes: rows holding a removed value can
    no longer be converted, and sort order of existing data changes. ``columns`` lists the
    columns that use the type as (schema, table, column, server default SQL or None): they are
    converted to the new type, their defaults dropped and restored around the conversion.
    """

    kind = "replace_enum"
    phase = Phase.ALTER_ENUM
    old: Enum
    new: Enum
    columns: tuple[tuple[str | None, str, str, str | None], ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        # a downgrade undoes several added values as a chain of replacements, longest list first
        return (*super().sort_key(), -len(self.old.values))

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.old.values if v not in self.new.values)

    @property
    def destructive(self) -> bool:
        kept_old = [v for v in self.old.values if v in self.new.values]
        kept_new = [v for v in self.new.values if v in self.old.values]
        return bool(self.removed) or kept_old != kept_new

    def reverse(self) -> Op:
        """The reverse; when it only inserts one value back, an :class:`AddEnumValue`."""
        value = _single_insert(self.new.values, self.old.values)
        if value is None:
            return ReplaceEnum(old=self.new, new=self.old, columns=self.columns)
        before, after = insert_position(self.old.values, value, self.new.values)
        return AddEnumValue(self.new, self.old, value, before, after, self.columns)

    def describe(self) -> str:
        name = qualified(self.new.schema, self.new.name)
        parts = []
        if self.removed:
            parts.append("remove " + ", ".join(repr(v) for v in self.removed))
        added = [v for v in self.new.values if v not in self.old.values]
        if added:
            parts.append("add " + ", ".join(repr(v) for v in added))
        if not parts:
            parts.append("reorder values")
        return f"change enum {name}: {'; '.join(parts)}"


def insert_position(
    values: tuple[str, ...], value: str, existing: Collection[str]
) -> tuple[str | None, str | None]:
    """Where ``value`` goes to end up at its place in ``values``, given the ``existing`` values:
    ``(before, None)`` naming the next existing value, or ``(None, None)`` to append."""
    index = values.index(value)
    for following in values[index + 1 :]:
        if following in existing:
            return following, None
    return None, None


def _single_insert(old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
    """The one value ``new`` inserts into ``old`` (order otherwise kept), else None."""
    added = [v for v in new if v not in old]
    if len(added) != 1 or len(new) != len(old) + 1:
        return None
    return added[0] if tuple(v for v in new if v != added[0]) == old else None
