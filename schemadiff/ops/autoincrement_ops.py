"""Ops that make a key column stop / start filling itself (PostgreSQL SERIAL's ``nextval``
default and owned sequence, MySQL's ``AUTO_INCREMENT``).

They go with a primary-key change: ``create_all`` makes only a table's sole integer key column
auto-increment, so a key growing from ``(id)`` to ``(id, tenant_id)`` loses it and the reverse
gains it. Their phases bracket the key's own drop and add: MySQL refuses to drop a key its
AUTO_INCREMENT column needs (error 1075), and to make a column AUTO_INCREMENT before it is a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot import Column


@dataclass(frozen=True)
class DropAutoincrement(Op):
    """``column`` (as it is when the op runs) stops filling itself."""

    kind = "drop_autoincrement"
    phase = Phase.DROP_AUTOINCREMENT
    schema_name: str | None
    table_name: str
    column: Column

    @property
    def name(self) -> str:
        return self.column.name

    def reverse(self) -> Op:
        return AddAutoincrement(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        target = f"{qualified(self.schema_name, self.table_name)}.{self.column.name}"
        return f"drop autoincrement of {target} (it is no longer the sole integer key)"


@dataclass(frozen=True)
class AddAutoincrement(Op):
    """``column`` (as it is when the op runs) starts filling itself, after the largest value
    it holds."""

    kind = "add_autoincrement"
    phase = Phase.ADD_AUTOINCREMENT
    schema_name: str | None
    table_name: str
    column: Column

    @property
    def name(self) -> str:
        return self.column.name

    def reverse(self) -> Op:
        return DropAutoincrement(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        target = f"{qualified(self.schema_name, self.table_name)}.{self.column.name}"
        return f"add autoincrement to {target} (it is now the sole integer key)"
