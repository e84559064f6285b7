"""PostgreSQL declarative partitioning: each partitioned table's key, and its partitions
created, dropped, or given new bounds (detached and attached again, rows kept).

Keys and bounds compare in a canonical form of the server's own spelling
(``pg_get_partkeydef``, ``pg_get_expr(relpartbound)``): a declared one is settled by asking the
server (:func:`schemadiff.sources.partitions.settle_partitions`); when it could not be asked
and the spellings differ, it is listed as not compared, never taken for equal.

Opt-in: models that declare no ``postgresql_partition_by`` and no ``Partition`` leave the
database's partitioning alone (listed as not compared). Declaring one opts the project in for
keys; a table's partitions are compared when the models declare at least one partition of it
(partitions made by a scheduler the models do not list are left alone, listed as not
compared), or when its table is dropped (they go with it, and the downgrade makes them again).

A changed key, or a table that becomes partitioned or stops being, is not migrated (that
takes rebuilding the table): it is a :class:`ChangePartitioning` change, which ``diff`` and
``check`` report and which stops ``revision`` with an error naming the table; the table's
partitions are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AttachPartition,
    ChangePartitioning,
    CreatePartition,
    DetachPartition,
    DropPartition,
)
from schemadiff.snapshot.model import DbObject, Snapshot
from schemadiff.snapshot.partitions import Partition, PartitionKey, PartitionName, partition_depth


def managed(models: Snapshot) -> bool:
    """True when the models declare a partitioned table or a partition (opted in)."""
    return bool(models.partition_keys or models.partitions)


def _root(partition: Partition, by_key: dict[PartitionName, Partition]) -> PartitionName:
    """The table (not a partition) at the top of ``partition``'s parents."""
    seen = {partition.key}
    current = partition
    while current.parent_key in by_key and current.parent_key not in seen:
        current = by_key[current.parent_key]
        seen.add(current.key)
    return current.parent_key


def compared_partitions(db: Snapshot, models: Snapshot) -> set[PartitionName]:
    """The database's partitions the comparison covers (see the module's docstring)."""
    if not managed(models):
        return set()
    new = {p.key: p for p in models.partitions}
    roots = {_root(p, new) for p in models.partitions}
    kept_tables = {t.key for t in models.tables}
    old = {p.key: p for p in db.partitions}
    out = set()
    for p in db.partitions:
        root = _root(p, old)
        if root in roots or root not in kept_tables or p.key in new:
            out.add(p.key)
    return out


def _qualified(key: PartitionName) -> str:
    return f"{key[0]}.{key[1]}" if key[0] else key[1]


def compare_partitions(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("partitions"):
        if ctx.models.partitions or ctx.models.partition_keys:
            yield ctx.not_supported("partitions")
        return
    if not managed(ctx.models):
        return  # see unmanaged_partitions
    yield from _keys(ctx)
    old = {p.key: p for p in ctx.db.partitions}
    new = {p.key: p for p in ctx.models.partitions}
    compared = compared_partitions(ctx.db, ctx.models)
    # a table whose partitioning changes keeps its partitions as they are (not migrated)
    rebuilt = {key for key, _, _ in _changed_keys(ctx.db, ctx.models)}
    compared = {k for k in compared if _root(old[k], old) not in rebuilt}
    db_tables = {t.key for t in ctx.db.tables}
    kept_tables = {t.key for t in ctx.models.tables}
    for key in sorted(compared | set(new), key=lambda k: (k[0] or "", k[1])):
        before, after = old.get(key), new.get(key)
        if after is not None and _root(after, new) in rebuilt:
            continue
        if before is None and after is not None:
            made = after.parent_key not in db_tables and after.parent_key not in old
            yield CreatePartition(after, partition_depth(after, new), with_table=made)
        elif after is None and before is not None:
            gone = before.parent_key not in kept_tables and before.parent_key not in new
            yield DropPartition(before, partition_depth(before, old), with_table=gone)
        elif before is not None and after is not None:
            yield from _changed(before, after)


def _changed(before: Partition, after: Partition) -> Iterator[Item]:
    if before.partition_by != after.partition_by and after.comparable:
        yield Notice(
            "not_compared",
            f"{before.describe()}: not supported: its sub-partitioning changes "
            f"({before.raw_partition_by or 'none'} -> {after.raw_partition_by or 'none'}); "
            "schemadiff does not change a partition key: rebuild the partition in a "
            "hand-written migration (or drop and declare it again, losing its rows)",
            before.schema,
            before.table,
        )
        return
    if (before.table, before.bounds, before.partition_by) == (
        after.table,
        after.bounds,
        after.partition_by,
    ):
        return
    if not after.comparable:
        yield Notice(
            "not_compared",
            f"{before.describe()}: its bounds could not be compared with the server's own "
            "spelling of them",
            before.schema,
            before.table,
        )
        return
    yield DetachPartition(before)
    yield AttachPartition(after)


def _keys(ctx: CompareContext) -> Iterator[Item]:
    """A not-supported :class:`ChangePartitioning` for each table on both sides whose
    partitioning changes, a notice for each whose declared key could not be settled."""
    for key, before, after in _changed_keys(ctx.db, ctx.models):
        if before is not None and after is not None and not after.comparable:
            yield Notice(
                "not_compared",
                f"{before.describe()}: its key could not be compared with the server's own "
                "spelling of it",
                key[0],
                key[1],
            )
            continue
        yield ChangePartitioning(
            key[0], key[1], before.raw if before else None, after.raw if after else None
        )


def _changed_keys(
    db: Snapshot, models: Snapshot
) -> Iterator[tuple[PartitionName, PartitionKey | None, PartitionKey | None]]:
    old = {k.name_key: k for k in db.partition_keys}
    new = {k.name_key: k for k in models.partition_keys}
    both = {t.key for t in db.tables} & {t.key for t in models.tables}
    for key in sorted(both, key=lambda k: (k[0] or "", k[1])):
        before, after = old.get(key), new.get(key)
        if before is None and after is None:
            continue
        if before is not None and after is not None and before.key == after.key:
            continue
        yield key, before, after


def unmanaged_partitions(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's partitioning the comparison leaves alone: all of it when the models
    declare none, else the partitions of tables the models declare no partition of."""
    compared = compared_partitions(db, models)
    out = [DbObject("partition", p.name, p.schema, p.table) for p in db.partitions]
    out = [o for o in out if (o.schema, o.name) not in compared]
    if not managed(models):
        out += [DbObject("partitioning", k.table, k.schema, k.table) for k in db.partition_keys]
    return tuple(out)
