"""Deterministic ordering of ops: by phase, then foreign-key topology, then name.

Tables created in one migration are created parents first; tables dropped are dropped children
first. A foreign-key cycle among new tables cannot be created inline, so its constraints are split
out of ``CreateTable`` into ``AddForeignKey`` ops that run after all tables exist (and, for drops,
into ``DropForeignKey`` ops that run before any table goes). A foreign key that leans on a
primary key or unique constraint this migration drops (from a dropped table) or adds (from a
created table) is split out the same way: the server refuses to drop a key a foreign key still
uses, and to create a foreign key before the key it refers to exists. Ties are broken by the
op's sort key and its ``repr``, so the order never depends on input order or hash seeds.
Functions move before the tables whose expressions call them, and their drops after those
expressions go (:mod:`schemadiff.diff.function_calls`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from schemadiff.diff.function_calls import function_slots, unchecked_bodies
from schemadiff.ops import (
    AddForeignKey,
    AddPrimaryKey,
    AddUniqueConstraint,
    CreateFunction,
    CreateIndex,
    CreateTable,
    DropForeignKey,
    DropIndex,
    DropPrimaryKey,
    DropTable,
    DropUniqueConstraint,
    Op,
    ReplaceFunction,
)
from schemadiff.snapshot.model import ForeignKey, Table, TableKey

_SortKey = tuple[int, int, tuple[Any, ...]]


def order_ops(ops: Iterable[Op]) -> list[Op]:
    """Return ``ops`` in an order that runs first time, splitting FK cycles where needed."""
    ops = list(ops)
    creates = [op for op in ops if isinstance(op, CreateTable)]
    drops = [op for op in ops if isinstance(op, DropTable)]
    rest = [op for op in ops if not isinstance(op, (CreateTable, DropTable))]

    create_order, create_extra = _split_cycles([op.table_obj for op in creates])
    create_order, leaning = _split_leaning(create_order, _changed_keys(rest, added=True))
    create_extra += leaning
    drop_order, drop_extra = _split_cycles([op.table_obj for op in drops])
    drop_order, leaning = _split_leaning(drop_order, _changed_keys(rest, added=False))
    drop_extra += leaning

    out: list[tuple[_SortKey, Op]] = []
    for i, table in enumerate(create_order):
        out.append(((CreateTable.phase, i, ()), CreateTable(table)))
    for i, table in enumerate(reversed(drop_order)):
        out.append(((DropTable.phase, i, ()), DropTable(table)))
    extra: list[Op] = [AddForeignKey(t.schema, t.name, fk) for t, fk in create_extra]
    extra += [DropForeignKey(t.schema, t.name, fk) for t, fk in drop_extra]
    slots = function_slots(ops)
    unchecked = unchecked_bodies(ops, slots)
    for op in rest + extra:
        phase, rank = slots.get(id(op), (op.run_phase, 0))
        if isinstance(op, (CreateFunction, ReplaceFunction)):
            op = replace(op, unchecked=id(op) in unchecked)
        out.append(((phase, rank, (*op.sort_key(), repr(op))), op))
    out.sort(key=lambda item: item[0])
    return [op for _, op in out]


def _changed_keys(ops: list[Op], added: bool) -> set[tuple[TableKey, frozenset[str]]]:
    """(table, columns) of the primary keys, unique constraints and unique indexes ``ops`` add
    (``added``) or drop: what a foreign key may refer to."""
    keys = (AddPrimaryKey, AddUniqueConstraint) if added else (DropPrimaryKey, DropUniqueConstraint)
    index = CreateIndex if added else DropIndex
    out: set[tuple[TableKey, frozenset[str]]] = set()
    for op in ops:
        if isinstance(op, keys):
            out.add(((op.schema_name, op.table_name), frozenset(op.constraint.columns)))
        elif isinstance(op, index) and op.index.unique:
            out.add(((op.schema_name, op.table_name), frozenset(op.index.column_names)))
    return out


def _split_leaning(
    tables: list[Table], dropped: set[tuple[TableKey, frozenset[str]]]
) -> tuple[list[Table], list[tuple[Table, ForeignKey]]]:
    """Foreign keys of dropped ``tables`` that refer to a key in ``dropped``, taken out of
    their table (they must go before that key does, so before the table is dropped)."""
    if not dropped:
        return tables, []
    result: list[Table] = []
    split: list[tuple[Table, ForeignKey]] = []
    for table in tables:
        moved = [
            fk
            for fk in table.foreign_keys
            if (fk.referred_key, frozenset(fk.referred_columns)) in dropped
        ]
        if moved:
            table = replace(
                table, foreign_keys=tuple(f for f in table.foreign_keys if f not in moved)
            )
            split.extend((table, fk) for fk in moved)
        result.append(table)
    return result, split


def _table_sort(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])


def _split_cycles(
    tables: list[Table],
) -> tuple[list[Table], list[tuple[Table, ForeignKey]]]:
    """Topologically sort ``tables`` (referenced first); FKs that close a cycle are removed from
    their table and returned separately. Self-references are fine inline."""
    by_key: dict[TableKey, Table] = {t.key: t for t in tables}
    keys = sorted(by_key, key=_table_sort)
    deps: dict[TableKey, list[TableKey]] = {
        k: sorted(
            {fk.referred_key for fk in by_key[k].foreign_keys if fk.referred_key in by_key} - {k},
            key=_table_sort,
        )
        for k in keys
    }
    order: list[TableKey] = []
    state: dict[TableKey, int] = {}
    cut: set[tuple[TableKey, TableKey]] = set()

    def visit(k: TableKey) -> None:
        state[k] = 1
        for d in deps[k]:
            if state.get(d) == 1:
                cut.add((k, d))
            elif d not in state:
                visit(d)
        state[k] = 2
        order.append(k)

    for k in keys:
        if k not in state:
            visit(k)

    result: list[Table] = []
    split: list[tuple[Table, ForeignKey]] = []
    for k in order:
        table = by_key[k]
        moved = [fk for fk in table.foreign_keys if (k, fk.referred_key) in cut]
        if moved:
            kept = tuple(fk for fk in table.foreign_keys if fk not in moved)
            table = replace(table, foreign_keys=kept)
            split.extend((table, fk) for fk in moved)
        result.append(table)
    return result, split
