"""Ops on named enum types (PostgreSQL ``CREATE TYPE ... AS ENUM``)."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot import Enum


@dataclass(frozen=True)
class CreateEnum(Op):
    kind = "create_enum"
    phase = Phase.CREATE_ENUM
    enum: Enum

    @property
    def schema(self) -> str | None:
        return self.enum.schema

    @property
    def name(self) -> str:
        return self.enum.name

    def reverse(self) -> Op:
        return DropEnum(self.enum)

    def describe(self) -> str:
        values = ", ".join(repr(v) for v in self.enum.values)
        return f"create enum type {qualified(self.enum.schema, self.enum.name)} ({values})"


@dataclass(frozen=True)
class DropEnum(Op):
    kind = "drop_enum"
    phase = Phase.DROP_ENUM
    enum: Enum

    @property
    def schema(self) -> str | None:
        return self.enum.schema

    @property
    def name(self) -> str:
        return self.enum.name

    def reverse(self) -> Op:
        return CreateEnum(self.enum)

    def describe(self) -> str:
        return f"drop enum type {qualified(self.enum.schema, self.enum.name)}"


@dataclass(frozen=True)
class AddEnumValue(Op):
    """Append or insert one value (``ALTER TYPE ... ADD VALUE``); ``old``/``new`` are the whole types."""

    kind = "add_enum_value"
    phase = Phase.CREATE_ENUM
    old: Enum
    new: Enum
    value: str
    before: str | None = None
    after: str | None = None

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def name(self) -> str:
        return self.new.name

    def reverse(self) -> Op:
        return ReplaceEnum(old=self.new, new=self.old)

    def describe(self) -> str:
        where = ""
        if self.before is not None:
            where = f" before {self.before!r}"
        elif self.after is not None:
            where = f" after {self.after!r}"
        return f"add value {self.value!r} to enum {qualified(self.new.schema, self.new.name)}{where}"


@dataclass(frozen=True)
class ReplaceEnum(Op):
    """Recreate an enum with a different value list (values removed or reordered).

    Destructive whenever a value disappears or the order changes: rows holding a removed value can
    no longer be converted, and sort order of existing data changes.
    """

    kind = "replace_enum"
    phase = Phase.ALTER_ENUM
    old: Enum
    new: Enum

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def name(self) -> str:
        return self.new.name

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(v for v in self.old.values if v not in self.new.values)

    @property
    def destructive(self) -> bool:
        kept_old = [v for v in self.old.values if v in self.new.values]
        kept_new = [v for v in self.new.values if v in self.old.values]
        return bool(self.removed) or kept_old != kept_new

    def reverse(self) -> Op:
        return ReplaceEnum(old=self.new, new=self.old)

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
