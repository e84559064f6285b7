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

A changed key, or a table that becomes partitioned or stops being, rebuilds the table, rows
kept (:class:`RepartitionTable`: the table's other changes in the migration are part of it).
Where something a rebuild would lose hangs off the table (foreign keys of other tables that
refer to it, triggers, row-level security, views reading it, a rename in the same migration),
it is a :class:`ChangePartitioning` change instead, not supported: ``diff`` and ``check``
report it, and it stops ``revision`` with an error naming the table and what stands in the
way; the table's partitions are then left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from schemadiff.comparators.context import CompareContext, Item, refused_warning
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AddAutoincrement,
    AddCheckConstraint,
    AddColumn,
    AddForeignKey,
    AddPrimaryKey,
    AddUniqueConstraint,
    AlterColumn,
    AlterTableComment,
    AlterTableOptions,
    AttachPartition,
    ChangePartitioning,
    CreateIndex,
    CreatePartition,
    DetachPartition,
    DropAutoincrement,
    DropCheckConstraint,
    DropColumn,
    DropForeignKey,
    DropIndex,
    DropPartition,
    DropPrimaryKey,
    DropUniqueConstraint,
    Op,
    RepartitionTable,
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
    keyed = {k.name_key for k in ctx.models.partition_keys}
    defaults = _kept_defaults(old, new)
    for part in new.values():
        if part.refused is not None:
            yield refused_warning(part.describe(), part.refused, part.schema, part.table)
    for key in sorted(compared | set(new), key=lambda k: (k[0] or "", k[1])):
        before, after = old.get(key), new.get(key)
        if after is not None and _root(after, new) in rebuilt:
            continue
        if before is None and after is not None:
            problem = _parent_problem(after, new, keyed)
            if problem:
                yield Notice("warning", f"{after.describe()}: {problem}", after.schema, after.table)
                continue
            made = after.parent_key not in db_tables and after.parent_key not in old
            # (a partition partitioned again has nowhere to put rows until its own partitions
            # exist: rows of the DEFAULT partition in its bounds make the server refuse it)
            takes_rows = not made and after.bounds != "default" and after.partition_by is None
            default = defaults.get(after.parent_key) if takes_rows else None
            yield CreatePartition(after, partition_depth(after, new), made, default)
        elif after is None and before is not None:
            gone = before.parent_key not in kept_tables and before.parent_key not in new
            yield DropPartition(before, partition_depth(before, old), with_table=gone)
        elif before is not None and after is not None:
            yield from _changed(before, after)


def _kept_defaults(
    old: dict[PartitionName, Partition], new: dict[PartitionName, Partition]
) -> dict[PartitionName, str]:
    """Parent -> the name of its DEFAULT partition that the database has and the models keep:
    a new partition takes over that partition's rows in its bounds (PostgreSQL refuses to
    create it while they are there)."""
    return {
        p.parent_key: p.name
        for key, p in old.items()
        if p.bounds == "default"
        and key in new
        and new[key].bounds == "default"
        and new[key].table == p.table
    }


def _parent_problem(
    partition: Partition, new: dict[PartitionName, Partition], keyed: set[PartitionName]
) -> str:
    """Why ``partition`` cannot be created as the models declare it ("": it can)."""
    parent = new.get(partition.parent_key)
    if parent is not None:
        if parent.partition_by is None:
            return (
                f"its parent partition {parent.name} is not partitioned (declare its "
                "partition_by); not created"
            )
        return ""
    if partition.parent_key not in keyed:
        return (
            f"the models declare no partitioned table {_qualified(partition.parent_key)} "
            "(postgresql_partition_by) nor such a partition; not created"
        )
    return ""


def _changed(before: Partition, after: Partition) -> Iterator[Item]:
    if before.partition_by != after.partition_by and after.comparable:
        yield ChangePartitioning(
            before.schema,
            before.name,
            before.raw_partition_by,
            after.raw_partition_by,
            f"it is a partition of {before.table}: schemadiff rebuilds tables, not partitions",
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
    """A :class:`RepartitionTable` for each table on both sides whose partitioning changes
    (a :class:`ChangePartitioning`, not supported, where something stands in the way of a
    rebuild), a notice for each whose declared key could not be settled."""
    old_tables, new_tables = ctx.db.table_map(), ctx.models.table_map()
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
        old_key, new_key = before.raw if before else None, after.raw if after else None
        reason = _why_not_rebuilt(ctx, key)
        if reason:
            yield ChangePartitioning(key[0], key[1], old_key, new_key, reason)
            continue
        yield RepartitionTable(
            old_tables[key],
            new_tables[key],
            old_key,
            new_key,
            _under(ctx.db.partitions, key),
            _under(ctx.models.partitions, key),
        )


def _under(partitions: tuple[Partition, ...], root: PartitionName) -> tuple[Partition, ...]:
    """The partitions whose root table is ``root``, parents first."""
    by_key = {p.key: p for p in partitions}
    found = [p for p in partitions if _root(p, by_key) == root]
    return tuple(sorted(found, key=lambda p: (partition_depth(p, by_key), p.name)))


def _why_not_rebuilt(ctx: CompareContext, key: PartitionName) -> str:
    """What stands in the way of rebuilding table ``key`` ("": nothing): what a rebuild
    would have to drop and make again besides the table itself."""
    db = ctx.db
    if key in ctx.renamed:
        return "it is renamed, or has columns renamed, in the same migration"
    referring = sorted(
        t.name
        for t in db.tables
        if t.key != key and any(fk.referred_key == key for fk in t.foreign_keys)
    )
    if referring:
        return f"foreign keys of {', '.join(referring)} refer to it"
    if any((t.schema, t.table) == key for t in db.triggers):
        return "it has triggers"
    if any((p.schema, p.table) == key for p in db.policies) or any(
        r.key == key for r in db.row_security
    ):
        return "it has row-level security"
    readers = sorted(v.name for v in db.views if v.reads is None or key in v.reads)
    if readers:
        return f"views read it ({', '.join(readers)})"
    return ""


#: the ops on a table that a rebuild of it makes part of itself
_ABSORBED = (
    AddColumn,
    DropColumn,
    AlterColumn,
    AddPrimaryKey,
    DropPrimaryKey,
    AddUniqueConstraint,
    DropUniqueConstraint,
    AddForeignKey,
    DropForeignKey,
    AddCheckConstraint,
    DropCheckConstraint,
    CreateIndex,
    DropIndex,
    AlterTableComment,
    AlterTableOptions,
    AddAutoincrement,
    DropAutoincrement,
)


def absorbed_by_rebuilds(ops: Sequence[Op]) -> list[Op]:
    """``ops`` without the changes to tables that a :class:`RepartitionTable` makes again as
    the models declare them."""
    rebuilt = {(op.schema, op.table) for op in ops if isinstance(op, RepartitionTable)}
    if not rebuilt:
        return list(ops)
    return [
        op for op in ops if not (isinstance(op, _ABSORBED) and (op.schema, op.table) in rebuilt)
    ]


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
    if not managed(models):
        out = [DbObject("partition", p.name, p.schema, p.table) for p in db.partitions]
        out += [DbObject("partitioning", k.table, k.schema, k.table) for k in db.partition_keys]
        return tuple(out)
    compared = compared_partitions(db, models)
    old = {p.key: p for p in db.partitions}
    rebuilt = {key for key, _, _ in _changed_keys(db, models)}  # their partitions go with them
    return tuple(
        DbObject("partition", p.name, p.schema, p.table)
        for p in db.partitions
        if p.key not in compared and _root(p, old) not in rebuilt
    )
