"""Apply ops to table snapshots: what a table looks like part-way through a migration.

SQLite's batch mode rebuilds a table from a definition of it. Online, Alembic reflects that
definition; offline (``--sql``) there is nothing to reflect, so the script must carry it
(``copy_from``). We know the table as the database had it and every op before the batch block,
so we can compute the definition at that point instead of asking the database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from schemadiff import ops as O
from schemadiff.snapshot.model import Column, Table, TableKey


def apply_op(tables: Mapping[TableKey, Table], op: O.Op) -> dict[TableKey, Table]:
    """``tables`` after ``op`` (a new dict; snapshots are immutable)."""
    out = dict(tables)
    apply_in_place(out, op)
    return out


#: ops that add, drop or rename whole tables (handled by :func:`apply_in_place` itself)
WHOLE_TABLES: tuple[type[O.Op], ...] = (
    O.CreateTable,
    O.DropTable,
    O.RenameTable,
    O.RepartitionTable,
)
#: ops that change no table definition: nothing to simulate
NO_TABLE_CHANGE: tuple[type[O.Op], ...] = (
    O.CreateSchema,
    O.DropSchema,
    O.CreateEnum,
    O.DropEnum,
    O.AddEnumValue,
    O.ReplaceEnum,
    O.ExecuteSQL,
    O.CreateSequence,
    O.DropSequence,
    O.AlterSequence,
    O.CreateFunction,
    O.DropFunction,
    O.ReplaceFunction,
    O.CreateTrigger,
    O.DropTrigger,
    O.CreatePolicy,
    O.DropPolicy,
    O.AlterRowSecurity,
    O.CreatePartition,
    O.DropPartition,
    O.DetachPartition,
    O.AttachPartition,
    O.ChangePartitioning,
    O.CreateView,
    O.DropView,
    O.ReplaceView,
    O.CreateExtension,
    O.DropExtension,
    O.AlterExtension,
    O.CreateDomain,
    O.DropDomain,
    O.AlterDomain,
    O.PartitionTable,
    O.RemovePartitioning,
    O.AddPartitions,
    O.DropPartitions,
    O.ReorganizePartitions,
    O.GrantPrivileges,
    O.RevokePrivileges,
    O.CreateRole,
    O.AlterRole,
    O.DropRole,
)


def simulates(op_type: type[O.Op]) -> bool:
    """True when the simulator knows what ``op_type`` does to the tables (if anything)."""
    return op_type in _TABLE_CHANGES or op_type in WHOLE_TABLES or op_type in NO_TABLE_CHANGE


def apply_in_place(out: dict[TableKey, Table], op: O.Op) -> None:
    """Like :func:`apply_op`, updating ``out`` itself (a caller stepping through thousands of
    ops would otherwise copy the whole dict at each)."""
    if isinstance(op, O.CreateTable):
        out[op.table_obj.key] = op.table_obj
        return
    if isinstance(op, O.DropTable):
        out.pop(op.table_obj.key, None)
        return
    if isinstance(op, O.RepartitionTable):
        out[op.new.key] = op.new  # made again as the models declare it
        return
    if isinstance(op, O.RenameTable):
        old = out.pop((op.schema_name, op.old_name), None)
        if old is not None:
            out[(op.schema_name, op.new_name)] = replace(old, name=op.new_name)
        return
    key = (op.schema, op.table)
    table = out.get(key)  # type: ignore[arg-type]
    change = _TABLE_CHANGES.get(type(op))
    if table is not None and change is not None:
        out[key] = change(table, op)  # type: ignore[index]


def _columns(table: Table, fn: Callable[[Column], Column | None]) -> Table:
    cols = [c2 for c in table.columns if (c2 := fn(c)) is not None]
    return replace(table, columns=tuple(cols))


def _add_column(t: Table, op: O.AddColumn) -> Table:
    return replace(t, columns=(*t.columns, op.column))


def _drop_column(t: Table, op: O.DropColumn) -> Table:
    return _columns(t, lambda c: None if c.name == op.column.name else c)


def _alter_column(t: Table, op: O.AlterColumn) -> Table:
    return _columns(t, lambda c: op.new if c.name == op.old.name else c)


def _rename_column(t: Table, op: O.RenameColumn) -> Table:
    return _columns(t, lambda c: replace(c, name=op.new_name) if c.name == op.old_name else c)


def _autoincrement(t: Table, op: O.AddAutoincrement | O.DropAutoincrement) -> Table:
    on = isinstance(op, O.AddAutoincrement)
    return _columns(t, lambda c: replace(c, autoincrement=on) if c.name == op.column.name else c)


def _set_pk(t: Table, op: O.AddPrimaryKey) -> Table:
    return replace(t, primary_key=op.constraint)


def _drop_pk(t: Table, op: O.DropPrimaryKey) -> Table:
    return replace(t, primary_key=None)


def _add_unique(t: Table, op: O.AddUniqueConstraint) -> Table:
    return replace(t, unique_constraints=(*t.unique_constraints, op.constraint))


def _drop_unique(t: Table, op: O.DropUniqueConstraint) -> Table:
    kept = tuple(u for u in t.unique_constraints if not _same(u, op.constraint))
    return replace(t, unique_constraints=kept)


def _add_fk(t: Table, op: O.AddForeignKey) -> Table:
    return replace(t, foreign_keys=(*t.foreign_keys, op.constraint))


def _drop_fk(t: Table, op: O.DropForeignKey) -> Table:
    return replace(t, foreign_keys=tuple(f for f in t.foreign_keys if not _same(f, op.constraint)))


def _add_check(t: Table, op: O.AddCheckConstraint) -> Table:
    return replace(t, check_constraints=(*t.check_constraints, op.constraint))


def _drop_check(t: Table, op: O.DropCheckConstraint) -> Table:
    kept = tuple(c for c in t.check_constraints if not _same(c, op.constraint))
    return replace(t, check_constraints=kept)


def _create_index(t: Table, op: O.CreateIndex) -> Table:
    return replace(t, indexes=(*t.indexes, op.index))


def _drop_index(t: Table, op: O.DropIndex) -> Table:
    return replace(t, indexes=tuple(i for i in t.indexes if i.name != op.index.name))


def _comment(t: Table, op: O.AlterTableComment) -> Table:
    return replace(t, comment=op.new_comment)


def _options(t: Table, op: O.AlterTableOptions) -> Table:
    return replace(t, options=op.new_options)


def _same(a: object, b: object) -> bool:
    """Same constraint: by name when both have one, else by value."""
    name_a, name_b = getattr(a, "name", None), getattr(b, "name", None)
    if name_a is not None and name_b is not None:
        return bool(name_a == name_b)
    return a == replace(b, name=name_a)  # type: ignore[type-var]


_TABLE_CHANGES: dict[type, Callable[..., Table]] = {
    O.AddColumn: _add_column,
    O.DropColumn: _drop_column,
    O.AlterColumn: _alter_column,
    O.RenameColumn: _rename_column,
    O.AddAutoincrement: _autoincrement,
    O.DropAutoincrement: _autoincrement,
    O.AddPrimaryKey: _set_pk,
    O.DropPrimaryKey: _drop_pk,
    O.AddUniqueConstraint: _add_unique,
    O.DropUniqueConstraint: _drop_unique,
    O.AddForeignKey: _add_fk,
    O.DropForeignKey: _drop_fk,
    O.AddCheckConstraint: _add_check,
    O.DropCheckConstraint: _drop_check,
    O.CreateIndex: _create_index,
    O.DropIndex: _drop_index,
    O.AlterTableComment: _comment,
    O.AlterTableOptions: _options,
}
