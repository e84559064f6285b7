"""Table partitioning (MySQL / MariaDB): a table partitioned, partitioned again, its
partitioning removed, partitions added, dropped (destructive) or reorganized.

Opt-in per table: a table whose model declares no partitioning keeps the database's (listed as
not compared, see :func:`unmanaged_partitioning`), so REMOVE PARTITIONING is never proposed
for it; a table whose model declares it is compared by meaning
(:mod:`schemadiff.snapshot.table_partitioning`).

A change of method, key or subpartitioning, or of a HASH/KEY count, partitions the table again
(rows kept). RANGE and LIST partitions are compared one by one: new ones at the end are
added, removed ones dropped (their rows are lost), the rest reorganized (rows kept).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AddPartitions,
    DropPartitions,
    PartitionTable,
    RemovePartitioning,
    ReorganizePartitions,
)
from schemadiff.snapshot.model import DbObject, Snapshot, Table
from schemadiff.snapshot.table_partitioning import TablePartition, TablePartitioning


def compare_table_partitioning(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("table_partitioning"):
        return
    old = {p.key: p for p in ctx.db.table_partitioning}
    new = {p.key: p for p in ctx.models.table_partitioning}
    db_tables = {t.key: t for t in ctx.db.tables}
    model_tables = {t.key: t for t in ctx.models.tables}
    for key in sorted(set(old) | set(new), key=lambda k: (k[0] or "", k[1])):
        before, after = old.get(key), new.get(key)
        if after is None:
            if before is not None and key not in model_tables and key in db_tables:
                yield RemovePartitioning(before, with_table=True)
            continue  # declared nowhere: not compared (unmanaged_partitioning)
        if key not in model_tables:
            continue
        yield from _warnings(after, model_tables[key], ctx.models)
        if before is None:
            yield PartitionTable(after, None, with_table=key not in db_tables)
        elif before.shape() != after.shape() and _keys(db_tables[key]) != _keys(model_tables[key]):
            # the new unique keys need not suit the old partitioning: off before they change,
            # on again after
            yield RemovePartitioning(before)
            yield PartitionTable(after)
        else:
            yield from _changes(before, after)


def _keys(table: Table) -> set[tuple[str, ...]]:
    """The table's unique keys (primary key included), as column tuples."""
    keys = {tuple(table.primary_key.columns)} if table.primary_key else set()
    keys |= {tuple(u.columns) for u in table.unique_constraints}
    return keys | {tuple(map(str, i.column_names)) for i in table.indexes if i.unique}


def _changes(old: TablePartitioning, new: TablePartitioning) -> Iterator[Item]:
    if old.shape() != new.shape() or (old.counted and old.names() != new.names()):
        yield PartitionTable(new, old)
        return
    if old.counted:
        return
    unsure = _unsure(old, new)
    if unsure:
        table = new.describe().removeprefix("partitioning of ")
        yield Notice(
            "not_compared",
            f"bounds of partition {', '.join(unsure)} of {table}: the catalog keeps them "
            "evaluated, so the declared expression was not compared",
            new.schema,
            new.table,
        )
    wanted = tuple(_as_db(p, old) if p.name in unsure else p for p in new.partitions)
    if _same(old.partitions, wanted):
        return
    if new.method.startswith("LIST"):
        yield from _list_changes(old, wanted)
    else:
        yield from _range_changes(old, wanted)


def _same_bound(db: TablePartition, model: TablePartition) -> bool:
    """Equal bounds; MariaDB's catalog shows a LIST ``DEFAULT`` partition as ``IN (0)``."""
    return db.bound == model.bound or (db.bound == "in:0" and model.bound == "default")


def _same(db: tuple[TablePartition, ...], model: tuple[TablePartition, ...]) -> bool:
    return len(db) == len(model) and all(
        a.name == b.name and _same_bound(a, b) for a, b in zip(db, model, strict=True)
    )


def _unsure(old: TablePartitioning, new: TablePartitioning) -> list[str]:
    """Declared partitions whose bound is an expression the catalog shows evaluated and
    reads differently: not compared (kept as the database has them)."""
    stored = {p.name: p for p in old.partitions}
    return [
        p.name
        for p in new.partitions
        if not p.comparable and p.name in stored and not _same_bound(stored[p.name], p)
    ]


def _as_db(p: TablePartition, old: TablePartitioning) -> TablePartition:
    return next(q for q in old.partitions if q.name == p.name)


def _range_changes(old: TablePartitioning, wanted: tuple[TablePartition, ...]) -> Iterator[Item]:
    """RANGE partitions around the ones that stay (same name, same bound): between two of
    those, partitions only removed are dropped, new ones added (at the end) or split off the
    next one, the rest reorganized (with the next one when their upper bound moves, so the
    range they cover together stays the same, as the server requires)."""
    before = old.partitions
    declared = {p.name: p for p in wanted}
    kept = [p for p in before if p.name in declared and _same_bound(p, declared[p.name])]
    names = [p.name for p in kept]
    if [p.name for p in wanted if p.name in set(names)] != names:
        yield ReorganizePartitions(old, before, wanted)  # the server says whether it can
        return
    old_runs, new_runs = _runs(before, names), _runs(wanted, names)
    for i, (gone, made) in enumerate(zip(old_runs, new_runs, strict=True)):
        after = kept[i] if i < len(kept) else None
        if not gone and not made:
            continue
        if not made:
            yield DropPartitions(old, gone, after)
        elif after is None:
            yield AddPartitions(old, made) if not gone else ReorganizePartitions(old, gone, made)
        elif not gone:  # split off the next one: its downgrade merges them back, rows kept
            yield ReorganizePartitions(old, (after,), (*made, after))
        elif _same_bound(gone[-1], made[-1]):
            yield ReorganizePartitions(old, gone, made)
        else:
            yield ReorganizePartitions(old, (*gone, after), (*made, after))


def _runs(
    partitions: tuple[TablePartition, ...], kept: list[str]
) -> list[tuple[TablePartition, ...]]:
    """``partitions`` cut at the kept ones: the run before each, then the run after the last."""
    runs: list[tuple[TablePartition, ...]] = []
    run: list[TablePartition] = []
    stops = set(kept)
    for p in partitions:
        if p.name in stops:
            runs.append(tuple(run))
            run = []
        else:
            run.append(p)
    runs.append(tuple(run))
    return runs


def _list_changes(old: TablePartitioning, wanted: tuple[TablePartition, ...]) -> Iterator[Item]:
    """LIST partitions by name: only new ones are added, only removed ones dropped; otherwise
    the changed, removed and new ones reorganized together (their rows move)."""
    stored = {p.name: p for p in old.partitions}
    declared = {p.name: p for p in wanted}
    removed = tuple(p for p in old.partitions if p.name not in declared)
    added = tuple(p for p in wanted if p.name not in stored)
    changed = [p.name for p in wanted if p.name in stored and not _same_bound(stored[p.name], p)]
    if not changed and not removed and not added:
        return  # the same partitions in another order
    if not changed and not removed:
        yield AddPartitions(old, added)
    elif not changed and not added:
        yield DropPartitions(old, removed)
    else:
        gone = tuple(p for p in old.partitions if p.name in changed or p.name not in declared)
        made = tuple(p for p in wanted if p.name in changed or p.name not in stored)
        yield ReorganizePartitions(old, gone, made)


def _warnings(p: TablePartitioning, table: Table, models: Snapshot) -> Iterator[Notice]:
    """What the server will refuse: foreign keys on (or to) a partitioned InnoDB table, and
    unique keys without every column of the partitioning expression."""
    name = p.describe().removeprefix("partitioning of ")
    referencing = [
        t.name
        for t in models.tables
        for fk in t.foreign_keys
        if (fk.referred_schema, fk.referred_table) == p.key and t.key != p.key
    ]
    if table.foreign_keys or referencing:
        yield Notice(
            "warning",
            f"{name} is partitioned and has (or is the target of) foreign keys: InnoDB refuses "
            "foreign keys on partitioned tables, so the migration will fail there",
            p.schema,
            p.table,
        )
    words = set(re.findall(r"[a-z_$][\w$]*", p.expression + "," + (p.sub_expression or "")))
    used = {c.name.lower() for c in table.columns} & words
    keys = [table.primary_key.columns] if table.primary_key else []
    keys += [u.columns for u in table.unique_constraints]
    keys += [i.column_names for i in table.indexes if i.unique]
    for columns in keys:
        missing = sorted(used - {str(c).lower() for c in columns})
        if missing:
            yield Notice(
                "warning",
                f"{name}: unique key ({', '.join(map(str, columns))}) lacks partitioning column "
                f"{', '.join(missing)}; MySQL and MariaDB require every unique key of a "
                "partitioned table to include them, so the migration will fail",
                p.schema,
                p.table,
            )


def unmanaged_partitioning(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's partitioning of tables the models keep without declaring any: listed
    as not compared (never removed)."""
    declared = {p.key for p in models.table_partitioning}
    kept = {t.key for t in models.tables}
    return tuple(
        DbObject("partitioning", p.table, p.schema, p.table)
        for p in db.table_partitioning
        if p.key not in declared and p.key in kept
    )
