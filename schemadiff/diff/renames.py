"""Renames: decide which dropped+added tables and columns are really renames.

Renames are never guessed silently. A rename is made only from an explicit hint
(``CompareOptions.rename_tables`` / ``rename_columns``, i.e. ``--rename-table`` /
``--rename-column``), from ``info={"renamed_from": "old"}`` on a model ``Table`` / ``Column``, or
from a "yes" of the questioner (a terminal prompt). Otherwise a dropped and an added object that
look alike (a column of the same type; a table with the same columns) stay a drop plus an add,
with a warning naming the hint to use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import Notice
from schemadiff.ops import RenameColumn, RenameTable, qualified
from schemadiff.snapshot.model import Column, Snapshot, Table, TableKey


@dataclass(frozen=True)
class RenamePlan:
    """The confirmed renames (as ops) and the warnings found on the way."""

    tables: tuple[RenameTable, ...] = ()
    columns: tuple[RenameColumn, ...] = ()
    notices: tuple[Notice, ...] = ()


def plan_renames(db: Snapshot, models: Snapshot, options: CompareOptions) -> RenamePlan:
    """Find the renames from ``db`` to ``models`` (both already filtered)."""
    planner = _Planner(db.table_map(), models.table_map(), options)
    planner.plan_tables(list(models.tables))
    for db_table, model_table in planner.table_pairs(models):
        planner.plan_columns(db_table, model_table)
    return RenamePlan(tuple(planner.table_ops), tuple(planner.column_ops), tuple(planner.notices))


@dataclass
class _Planner:
    db: dict[TableKey, Table]
    models: dict[TableKey, Table]
    options: CompareOptions
    table_ops: list[RenameTable] = field(default_factory=list)
    column_ops: list[RenameColumn] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def warn(self, message: str, schema: str | None = None, table: str | None = None) -> None:
        self.notices.append(Notice("warning", message, schema, table))

    # --- tables -----------------------------------------------------------------------------

    def renamed_tables(self) -> dict[TableKey, str]:
        """(schema, old name) -> new name."""
        return {(op.schema_name, op.old_name): op.new_name for op in self.table_ops}

    def rename_table_op(self, schema: str | None, old: str, new: str) -> RenameTable:
        """The op, with the columns whose sequence follows the table's name (SERIAL)."""
        table = self.db[(schema, old)]
        serial = tuple(c.name for c in table.columns if c.autoincrement and c.identity is None)
        return RenameTable(schema, old, new, serial_columns=serial)

    def table_problem(self, schema: str | None, old: str, new: str) -> str | None:
        if (schema, old) not in self.db:
            return f"there is no table {qualified(schema, old)} in the database"
        if (schema, new) not in self.models:
            return f"there is no table {qualified(schema, new)} in the models"
        if (schema, new) in self.db:
            return f"table {qualified(schema, new)} already exists in the database"
        if (schema, old) in self.models:
            return f"table {qualified(schema, old)} is still in the models"
        if (schema, old) in self.renamed_tables() or any(
            op.schema_name == schema and op.new_name == new for op in self.table_ops
        ):
            return "one of the tables is already part of another rename"
        return None

    def plan_tables(self, model_tables: list[Table]) -> None:
        for schema, old, new in self.options.rename_tables:
            problem = self.table_problem(schema, old, new)
            if problem:
                hint = f"{qualified(schema, old)}={new}"
                self.warn(f"--rename-table {hint} ignored: {problem}", schema, new)
            else:
                self.table_ops.append(self.rename_table_op(schema, old, new))
        for table in model_tables:
            if table.renamed_from is None or table.key in self.db:
                continue  # no hint, or the rename already happened
            old = table.renamed_from
            problem = self.table_problem(table.schema, old, table.name)
            if problem is None:
                self.table_ops.append(self.rename_table_op(table.schema, old, table.name))
            elif (table.schema, old) not in self.db:
                self.warn(
                    f"renamed_from {old!r} on table {qualified(table.schema, table.name)} "
                    f"ignored: {problem}",
                    table.schema,
                    table.name,
                )
        self.ask_tables()

    def ask_tables(self) -> None:
        renamed = self.renamed_tables()
        taken = {(op.schema_name, op.new_name) for op in self.table_ops}
        dropped = [t for k, t in sorted(self.db.items(), key=_key) if k not in self.models]
        added = [t for k, t in sorted(self.models.items(), key=_key) if k not in self.db]
        for old in dropped:
            if old.key in renamed:
                continue
            for new in added:
                if new.key in taken or new.schema != old.schema or not _same_columns(old, new):
                    continue
                if self.confirm("table", qualified(old.schema, old.name), old.name, new.name):
                    self.table_ops.append(self.rename_table_op(old.schema, old.name, new.name))
                    taken.add(new.key)
                    break
                self.warn(
                    f"possible rename of table {qualified(old.schema, old.name)} to {new.name}: "
                    f"pass --rename-table {qualified(old.schema, old.name)}={new.name} or set "
                    f'info={{"renamed_from": "{old.name}"}} on the table',
                    new.schema,
                    new.name,
                )

    def table_pairs(self, models: Snapshot) -> list[tuple[Table, Table]]:
        """(database table under its old name, model table) for every table on both sides."""
        old_of = {(op.schema_name, op.new_name): op.old_name for op in self.table_ops}
        pairs = []
        for table in models.tables:
            db_key = (table.schema, old_of.get(table.key, table.name))
            if db_key in self.db:
                pairs.append((self.db[db_key], table))
        return pairs

    # --- columns ----------------------------------------------------------------------------

    def plan_columns(self, db_table: Table, model_table: Table) -> None:
        label = qualified(model_table.schema, model_table.name)
        ops: list[RenameColumn] = []

        def problem(old: str, new: str) -> str | None:
            if db_table.column(old) is None:
                return f"there is no column {old!r} in the database table {label}"
            if model_table.column(new) is None:
                return f"there is no column {new!r} in the model table {label}"
            if db_table.column(new) is not None:
                return f"column {label}.{new} already exists in the database"
            if model_table.column(old) is not None:
                return f"column {label}.{old} is still in the models"
            if any(op.old_name == old or op.new_name == new for op in ops):
                return "one of the columns is already part of another rename"
            return None

        def accept(old: str, new: str) -> None:
            column = db_table.column(old)
            ops.append(RenameColumn(model_table.schema, model_table.name, old, new, column))

        for schema, table, old, new in self.options.rename_columns:
            if schema != model_table.schema or table not in (db_table.name, model_table.name):
                continue
            reason = problem(old, new)
            if reason:
                self.warn(
                    f"--rename-column {label}.{old}={new} ignored: {reason}",
                    model_table.schema,
                    model_table.name,
                )
            else:
                accept(old, new)
        for col in model_table.columns:
            if col.renamed_from is None or db_table.column(col.name) is not None:
                continue
            reason = problem(col.renamed_from, col.name)
            if reason is None:
                accept(col.renamed_from, col.name)
            elif db_table.column(col.renamed_from) is None:
                self.warn(
                    f"renamed_from {col.renamed_from!r} on column {label}.{col.name} ignored: "
                    f"{reason}",
                    model_table.schema,
                    model_table.name,
                )
        self.ask_columns(db_table, model_table, ops)
        self.column_ops.extend(ops)

    def ask_columns(self, db_table: Table, model_table: Table, ops: list[RenameColumn]) -> None:
        label = qualified(model_table.schema, model_table.name)
        renamed = {op.old_name for op in ops}
        taken = {op.new_name for op in ops}
        db_names = {c.name for c in db_table.columns}
        model_names = {c.name for c in model_table.columns}
        dropped = [c for c in db_table.columns if c.name not in model_names]
        added = [c for c in model_table.columns if c.name not in db_names]
        for old in dropped:
            if old.name in renamed:
                continue
            for new in added:
                if new.name in taken or not _same_type(old, new):
                    continue
                if self.confirm("column", label, old.name, new.name):
                    ops.append(
                        RenameColumn(model_table.schema, model_table.name, old.name, new.name, old)
                    )
                    taken.add(new.name)
                    break
                self.warn(
                    f"possible rename of {label}.{old.name} to {label}.{new.name}: pass "
                    f"--rename-column {label}.{old.name}={new.name} or set "
                    f'info={{"renamed_from": "{old.name}"}} on the column',
                    model_table.schema,
                    model_table.name,
                )

    def confirm(self, kind: str, table: str, old: str, new: str) -> bool:
        """Ask the questioner, if there is one: ``questioner(kind, table, old, new)`` where
        ``table`` is the qualified table the question is about (its old name for a table)."""
        ask = self.options.questioner
        return bool(ask(kind, table, old, new)) if ask is not None else False


def _key(item: tuple[TableKey, Table]) -> tuple[str, str]:
    return (item[0][0] or "", item[0][1])


def _same_type(a: Column, b: Column) -> bool:
    return a.type.known and b.type.known and a.type.sql == b.type.sql


def _same_columns(a: Table, b: Table) -> bool:
    def cols(t: Table) -> list[tuple[str, str]]:
        return sorted((c.name, c.type.sql) for c in t.columns)

    return bool(a.columns) and cols(a) == cols(b)
