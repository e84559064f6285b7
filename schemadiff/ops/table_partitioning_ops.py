"""Ops on a table's partitioning (MySQL / MariaDB, where it is a table option).

Partitioning a table (``ALTER TABLE ... PARTITION BY``) rebuilds it and keeps its rows; so do
``REMOVE PARTITIONING`` and ``REORGANIZE PARTITION ... INTO`` (the server fails, and changes
nothing, when a row would fit no partition). ``DROP PARTITION`` deletes the rows of the
partition: destructive. Partitioning is removed early (before the keys and foreign keys a
partitioned table cannot have are added) and set late (after the keys it needs exist).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.ops.objects import PairedOp, SwapsOldNew, TableSettingOp, pair
from schemadiff.snapshot.table_partitioning import TablePartition, TablePartitioning


@dataclass(frozen=True)
class PartitionTable(TableSettingOp[TablePartitioning]):
    """Partition a table as ``new`` says (``old``: how it was partitioned, None when it was not).
    ``with_table``: the table is created in the same migration (partitioned once it exists)."""

    kind = "partition_table"
    phase = Phase.PARTITION_TABLE
    new: TablePartitioning
    old: TablePartitioning | None = None
    with_table: bool = False

    def reverse(self) -> Op:
        if self.old is None:
            return RemovePartitioning(self.new, self.with_table)
        return PartitionTable(self.old, self.new, self.with_table)

    def describe(self) -> str:
        table = qualified(self.new.schema, self.new.table)
        if self.old is None:
            return f"partition table {table} by {self.new.summary()}"
        return f"partition table {table} again by {self.new.summary()} (was {self.old.summary()})"


@dataclass(frozen=True)
class RemovePartitioning(TableSettingOp[TablePartitioning]):
    """``REMOVE PARTITIONING`` (rows kept). ``with_table``: the table is dropped in the same
    migration (nothing to run; the downgrade partitions the table it makes again)."""

    kind = "remove_partitioning"
    phase = Phase.REMOVE_PARTITIONING
    subject_field = "old"
    old: TablePartitioning
    with_table: bool = False

    def reverse(self) -> Op:
        return PartitionTable(self.old, None, self.with_table)

    def describe(self) -> str:
        table = qualified(self.old.schema, self.old.table)
        if self.with_table:
            return f"drop partitioning of {table} (with table {table})"
        return f"remove partitioning of {table} ({self.old.summary()}; rows kept)"


@dataclass(frozen=True)
class _SomePartitions(TableSettingOp[TablePartitioning], PairedOp):
    subject_field = "target"
    target: TablePartitioning
    partitions: tuple[TablePartition, ...]
    next_partition: TablePartition | None = None


@dataclass(frozen=True)
class AddPartitions(_SomePartitions):
    """``partitions`` added to ``target`` (the table before): ``ADD PARTITION (...)`` at the
    end (or to a LIST); before ``next_partition`` (a RANGE partition that stays) the server
    has no ADD, so that one is split: ``REORGANIZE PARTITION next INTO (..., next)``."""

    kind = "add_partition"
    phase = Phase.ADD_PARTITION

    def describe(self) -> str:
        names = ", ".join(p.name for p in self.partitions)
        table = qualified(self.target.schema, self.target.table)
        before = f" (before {self.next_partition.name})" if self.next_partition else ""
        return f"add partition {names} to {table}{before}"


@dataclass(frozen=True)
class DropPartitions(_SomePartitions):
    """``DROP PARTITION a, b``: the rows in them are deleted. ``next_partition``: the RANGE
    partition after them (it takes over their range), for the reverse."""

    kind = "drop_partitions"
    phase = Phase.DROP_TABLE_PARTITIONS

    @property
    def destructive(self) -> bool:
        return True

    def describe(self) -> str:
        names = ", ".join(p.name for p in self.partitions)
        table = qualified(self.target.schema, self.target.table)
        them = "them" if len(self.partitions) > 1 else "it"
        return f"drop partition {names} of {table} (the rows in {them} are lost)"


pair(AddPartitions, DropPartitions)


@dataclass(frozen=True)
class ReorganizePartitions(TableSettingOp[TablePartitioning], SwapsOldNew):
    """``REORGANIZE PARTITION <old> INTO (<new>)``: rows kept (moved to the new partitions;
    the server fails when one fits none)."""

    kind = "reorganize_partition"
    phase = Phase.REORGANIZE_PARTITION
    subject_field = "target"
    target: TablePartitioning
    old: tuple[TablePartition, ...]
    new: tuple[TablePartition, ...]

    def describe(self) -> str:
        table = qualified(self.target.schema, self.target.table)
        old = ", ".join(p.name for p in self.old)
        new = ", ".join(p.name for p in self.new)
        return f"reorganize partition {old} of {table} into {new} (rows kept)"
