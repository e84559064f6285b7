"""Ops on PostgreSQL partitions: create, drop, and a change of bounds as a detach and an attach.

A partition is created (``CREATE TABLE .. PARTITION OF``) just after the tables, its parent
first (``depth``: partitions of partitions after them), and before the columns added to its
parent, which PostgreSQL adds to every partition. Partitions are dropped (``DROP TABLE``: their
rows go) before the changes to their parent; a partition whose parent table (or parent
partition) is dropped in the same migration goes with it (``with_table``: nothing to run, but
the downgrade creates it again). New bounds are taken by detaching the partition early and
attaching it again with them late: its rows stay, and the attach fails when one of them does
not fit the new bounds (the server checks), never losing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.partitions import Partition


class _OnPartition(Op):
    partition: Partition

    @property
    def schema(self) -> str | None:
        return self.partition.schema

    @property
    def table(self) -> str:
        return self.partition.table

    @property
    def name(self) -> str:
        return self.partition.name


@dataclass(frozen=True)
class CreatePartition(_OnPartition):
    """``CREATE TABLE name PARTITION OF parent bounds [PARTITION BY key]``. ``with_table``:
    its parent is created in the same migration (kept for the reverse)."""

    kind = "create_partition"
    phase = Phase.CREATE_PARTITION
    partition: Partition
    depth: int = 0
    with_table: bool = False

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    def reverse(self) -> Op:
        return DropPartition(self.partition, self.depth, self.with_table)

    def describe(self) -> str:
        return f"create {self.partition.describe()} {self.partition.run_bounds}"


@dataclass(frozen=True)
class DropPartition(_OnPartition):
    """``DROP TABLE`` of a partition (the database's; its rows are lost). ``with_table``: its
    parent is dropped in the same migration and takes it along (nothing to run)."""

    kind = "drop_partition"
    phase = Phase.DROP_PARTITION
    partition: Partition
    depth: int = 0
    with_table: bool = False

    def sort_key(self) -> tuple[Any, ...]:
        return (-self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        """The partition's rows go with it (with its table: counted on the table's drop)."""
        return not self.with_table

    def reverse(self) -> Op:
        return CreatePartition(self.partition, self.depth, self.with_table)

    def describe(self) -> str:
        if self.with_table:
            return f"drop {self.partition.describe()} (with table {self.partition.table})"
        return f"drop {self.partition.describe()}"


@dataclass(frozen=True)
class DetachPartition(_OnPartition):
    """``ALTER TABLE parent DETACH PARTITION name``: the first half of a change of bounds (the
    partition, the database's, stays a table with its rows until attached again)."""

    kind = "detach_partition"
    phase = Phase.DETACH_PARTITION
    partition: Partition

    def reverse(self) -> Op:
        return AttachPartition(self.partition)

    def describe(self) -> str:
        name = qualified(self.partition.schema, self.partition.name)
        return f"detach partition {name} from {self.partition.table} (to change its bounds)"


@dataclass(frozen=True)
class AttachPartition(_OnPartition):
    """``ALTER TABLE parent ATTACH PARTITION name bounds``: the second half of a change of
    bounds. The server checks every row against the bounds and refuses the migration when one
    does not fit."""

    kind = "attach_partition"
    phase = Phase.ATTACH_PARTITION
    partition: Partition

    def reverse(self) -> Op:
        return DetachPartition(self.partition)

    def describe(self) -> str:
        name = qualified(self.partition.schema, self.partition.name)
        return f"attach partition {name} to {self.partition.table} {self.partition.run_bounds}"


@dataclass(frozen=True)
class ChangePartitioning(Op):
    """A table whose partition key changes, or that becomes partitioned or stops being one
    (``old_key`` / ``new_key`` None: not partitioned). Not migrated: that takes rebuilding the
    table (a new one, its partitions, the rows copied, the old one dropped, the new one
    renamed), which schemadiff does not write. Listed as a change (``diff`` and ``check`` see
    the drift); writing a migration with it stops with an error naming the table."""

    kind = "change_partitioning"
    phase = Phase.CHANGE_PARTITIONING
    schema_name: str | None
    table_name: str
    old_key: str | None
    new_key: str | None

    @property
    def name(self) -> str:
        return self.table_name

    def reverse(self) -> Op:
        return ChangePartitioning(self.schema_name, self.table_name, self.new_key, self.old_key)

    def keys(self) -> str:
        old = f"PARTITION BY {self.old_key}" if self.old_key else "not partitioned"
        new = f"PARTITION BY {self.new_key}" if self.new_key else "not partitioned"
        return f"{old} -> {new}"

    def describe(self) -> str:
        table = qualified(self.schema_name, self.table_name)
        return (
            f"change partitioning of {table}: {self.keys()} "
            "(not supported: rebuild the table by hand)"
        )
