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
from schemadiff.ops.objects import Creates, Drops, PairedOp, TableObjectOp, pair
from schemadiff.snapshot.model import Table
from schemadiff.snapshot.partitions import Partition


class _PartitionOp(TableObjectOp[Partition]):
    subject_field = "partition"


@dataclass(frozen=True)
class _PartitionWithParent(_PartitionOp):
    partition: Partition
    depth: int = 0
    with_table: bool = False
    default: str | None = None


@dataclass(frozen=True)
class CreatePartition(_PartitionWithParent, Creates):
    """``CREATE TABLE name PARTITION OF parent bounds [PARTITION BY key]``. ``with_table``:
    its parent is created in the same migration (kept for the reverse). ``default``: the
    parent's DEFAULT partition, which may hold rows in the new bounds: it is detached while the
    partition is made, gives it those rows, and is attached again (rows kept)."""

    kind = "create_partition"
    phase = Phase.CREATE_PARTITION

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    def describe(self) -> str:
        rows = f" (its rows taken from {self.default})" if self.default else ""
        return f"{super().describe()} {self.partition.run_bounds}{rows}"


@dataclass(frozen=True)
class DropPartition(_PartitionWithParent, Drops):
    """``DROP TABLE`` of a partition (the database's; its rows are lost). ``with_table``: its
    parent is dropped in the same migration and takes it along (nothing to run). ``default``
    (the reverse of a partition made beside a DEFAULT one): its rows go back to the parent's
    DEFAULT partition first, none is lost."""

    kind = "drop_partition"
    phase = Phase.DROP_PARTITION

    def sort_key(self) -> tuple[Any, ...]:
        return (-self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        """The partition's rows go with it (with its table: counted on the table's drop)."""
        return not self.with_table and self.default is None

    def describe(self) -> str:
        if self.with_table:
            return f"drop {self.partition.describe()} (with table {self.partition.table})"
        if self.default:
            return f"drop {self.partition.describe()} (its rows moved to {self.default})"
        return f"drop {self.partition.describe()}"


pair(CreatePartition, DropPartition)


@dataclass(frozen=True)
class DetachPartition(_PartitionOp, PairedOp):
    """``ALTER TABLE parent DETACH PARTITION name``: the first half of a change of bounds (the
    partition, the database's, stays a table with its rows until attached again)."""

    kind = "detach_partition"
    phase = Phase.DETACH_PARTITION
    partition: Partition

    def describe(self) -> str:
        name = qualified(self.partition.schema, self.partition.name)
        return f"detach partition {name} from {self.partition.table} (to change its bounds)"


@dataclass(frozen=True)
class AttachPartition(_PartitionOp, PairedOp):
    """``ALTER TABLE parent ATTACH PARTITION name bounds``: the second half of a change of
    bounds. The server checks every row against the bounds and refuses the migration when one
    does not fit."""

    kind = "attach_partition"
    phase = Phase.ATTACH_PARTITION
    partition: Partition

    def describe(self) -> str:
        name = qualified(self.partition.schema, self.partition.name)
        return f"attach partition {name} to {self.partition.table} {self.partition.run_bounds}"


pair(DetachPartition, AttachPartition)


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
    #: why schemadiff does not rebuild it (what stands in the way)
    reason: str = ""

    @property
    def name(self) -> str:
        return self.table_name

    def reverse(self) -> Op:
        return ChangePartitioning(
            self.schema_name, self.table_name, self.new_key, self.old_key, self.reason
        )

    def keys(self) -> str:
        return _keys(self.old_key, self.new_key)

    def describe(self) -> str:
        table = qualified(self.schema_name, self.table_name)
        why = f"; {self.reason}" if self.reason else ""
        return (
            f"change partitioning of {table}: {self.keys()} "
            f"(not supported{why}: rebuild the table by hand)"
        )


def _keys(old_key: str | None, new_key: str | None) -> str:
    old = f"PARTITION BY {old_key}" if old_key else "not partitioned"
    new = f"PARTITION BY {new_key}" if new_key else "not partitioned"
    return f"{old} -> {new}"


@dataclass(frozen=True)
class RepartitionTable(Op):
    """Rebuild a table whose partitioning changes (a new key, or a table that becomes
    partitioned or stops being one), rows kept: they are copied aside
    (``CREATE TABLE .. AS SELECT``), the table is dropped (its partitions, indexes,
    constraints and owned sequences with it), made again as the models declare it (``new``,
    with its indexes) with its partitions (``new_partitions``), the rows copied back (columns
    on both sides; an identity or serial column's sequence set past its largest value), and
    the copy dropped. The other changes to the table in the same migration are part of it.

    A row that fits no new partition stops the migration (the server refuses the insert),
    never lost. Destructive: columns the models no longer declare lose their values, and what
    the rebuild does not make again is lost (privileges granted on the table, its owner)."""

    kind = "repartition_table"
    phase = Phase.REPARTITION_TABLE
    old: Table
    new: Table
    old_key: str | None
    new_key: str | None
    old_partitions: tuple[Partition, ...] = ()
    new_partitions: tuple[Partition, ...] = ()

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def table(self) -> str:
        return self.new.name

    @property
    def name(self) -> str:
        return self.new.name

    @property
    def destructive(self) -> bool:
        return True

    @property
    def copied(self) -> tuple[str, ...]:
        """The columns whose values are copied back: on both sides, not generated."""
        old = {c.name for c in self.old.columns}
        return tuple(c.name for c in self.new.columns if c.name in old and c.computed is None)

    def reverse(self) -> Op:
        return RepartitionTable(
            self.new,
            self.old,
            self.new_key,
            self.old_key,
            self.new_partitions,
            self.old_partitions,
        )

    def describe(self) -> str:
        table = qualified(self.new.schema, self.new.name)
        lost = sorted({c.name for c in self.old.columns} - {c.name for c in self.new.columns})
        tail = f"; values of {', '.join(lost)} lost" if lost else ""
        return (
            f"rebuild table {table}: {_keys(self.old_key, self.new_key)} "
            f"({_count(len(self.new_partitions), 'partition')}, rows copied{tail})"
        )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
