"""MariaDB/MySQL refuse to change the type (or collation) of a column that a foreign key uses,
on either side of the key (error 1832, "Cannot change column ... used in a foreign key
constraint"). The diff therefore drops each such key before the column changes and adds it back
after (phases order them; the downgrade reverses the pair like any other op).

The key's index goes with it and comes back under its own name, whether the server had named it
after the key or after the column (MariaDB renames a kept one after the re-added key).
"""

from __future__ import annotations

from schemadiff.ops import AddForeignKey, AlterColumn, DropForeignKey, DropTable, Op
from schemadiff.snapshot.model import ForeignKey, Snapshot, Table

ColumnRef = tuple[str | None, str, str]
#: the changes that make the server rewrite a column's values (and so check its keys)
_REWRITES = frozenset({"type", "collation"})


def keys_around_column_changes(ops: list[Op], db: Snapshot) -> list[Op]:
    """``ops`` plus a drop and a re-add of every unchanged foreign key (of ``db``, renames
    applied) over a column whose type or collation the ops change."""
    altered = {
        (op.schema_name, op.table_name, op.new.name)
        for op in ops
        if isinstance(op, AlterColumn) and _REWRITES.intersection(op.changes)
    }
    if not altered:
        return ops
    handled = {
        (op.schema_name, op.table_name, op.constraint.name)
        for op in ops
        if isinstance(op, DropForeignKey)
    }
    gone = {(op.schema, op.table) for op in ops if isinstance(op, DropTable)}
    extra: list[Op] = []
    for table in db.tables:
        if table.key in gone:
            continue
        for fk in table.foreign_keys:
            if fk.name is None:  # only a hand-made snapshot has one (the server names all)
                continue
            if (table.schema, table.name, fk.name) in handled or not _uses(table, fk, altered):
                continue
            extra += [
                DropForeignKey(table.schema, table.name, fk),
                AddForeignKey(table.schema, table.name, fk),
            ]
    return ops + extra


def _uses(table: Table, fk: ForeignKey, altered: set[ColumnRef]) -> bool:
    local = any((table.schema, table.name, c) in altered for c in fk.columns)
    remote = any((fk.referred_schema, fk.referred_table, c) in altered for c in fk.referred_columns)
    return local or remote
