"""Ops that make a key column stop / start filling itself (PostgreSQL SERIAL's ``nextval``
default and owned sequence, MySQL's ``AUTO_INCREMENT``).

They go with a primary-key change: ``create_all`` makes only a table's sole integer key column
auto-increment, so a key growing from ``(id)`` to ``(id, tenant_id)`` loses it and the reverse
gains it. Their phases bracket the key's own drop and add: MySQL refuses to drop a key its
AUTO_INCREMENT column needs (error 1075), and to make a column AUTO_INCREMENT before it is a key.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase
from schemadiff.ops.column_ops import WholeColumnOp


@dataclass(frozen=True)
class DropAutoincrement(WholeColumnOp):
    """``column`` (as it is when the op runs) stops filling itself."""

    kind = "drop_autoincrement"
    phase = Phase.DROP_AUTOINCREMENT

    def reverse(self) -> Op:
        return AddAutoincrement(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        return (
            f"drop autoincrement of {self.qualified_column} (it is no longer the sole integer key)"
        )


@dataclass(frozen=True)
class AddAutoincrement(WholeColumnOp):
    """``column`` (as it is when the op runs) starts filling itself, after the largest value
    it holds."""

    kind = "add_autoincrement"
    phase = Phase.ADD_AUTOINCREMENT

    def reverse(self) -> Op:
        return DropAutoincrement(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        return f"add autoincrement to {self.qualified_column} (it is now the sole integer key)"
