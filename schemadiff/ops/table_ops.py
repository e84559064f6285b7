"""Ops on whole tables: create, drop, rename, comment, options."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import Table


@dataclass(frozen=True)
class CreateTable(Op):
    """Create a table with its columns, keys, checks and indexes (foreign keys inline, except those
    the ordering moved to separate ``AddForeignKey`` ops to break a cycle)."""

    kind = "create_table"
    phase = Phase.CREATE_TABLE
    table_obj: Table

    @property
    def schema(self) -> str | None:
        return self.table_obj.schema

    @property
    def table(self) -> str:
        return self.table_obj.name

    @property
    def name(self) -> str:
        return self.table_obj.name

    def reverse(self) -> Op:
        return DropTable(self.table_obj)

    def describe(self) -> str:
        n = len(self.table_obj.columns)
        return f"create table {qualified(self.schema, self.table)} ({n} columns)"


@dataclass(frozen=True)
class DropTable(Op):
    kind = "drop_table"
    phase = Phase.DROP_TABLE
    table_obj: Table

    @property
    def schema(self) -> str | None:
        return self.table_obj.schema

    @property
    def table(self) -> str:
        return self.table_obj.name

    @property
    def name(self) -> str:
        return self.table_obj.name

    @property
    def destructive(self) -> bool:
        return True

    def reverse(self) -> Op:
        return CreateTable(self.table_obj)

    def describe(self) -> str:
        return f"drop table {qualified(self.schema, self.table)}"


@dataclass(frozen=True)
class RenameTable(Op):
    """Rename a table. Other ops of the same migration use ``new_name``, so renames run first;
    ``undo`` marks the reverse (in a downgrade), which runs last for the same reason."""

    kind = "rename_table"
    phase = Phase.RENAME_TABLE
    schema_name: str | None
    old_name: str
    new_name: str
    undo: bool = False
    #: columns fed by a sequence named after the table (PostgreSQL SERIAL): the renderer renames
    #: ``<old>_<col>_seq`` with the table, so the result equals a fresh ``create_all``
    serial_columns: tuple[str, ...] = ()

    @property
    def table(self) -> str:
        return self.new_name

    @property
    def name(self) -> str:
        return self.new_name

    @property
    def run_phase(self) -> Phase:
        return Phase.UNDO_RENAME_TABLE if self.undo else self.phase

    def reverse(self) -> Op:
        return RenameTable(
            self.schema_name, self.new_name, self.old_name, not self.undo, self.serial_columns
        )

    def describe(self) -> str:
        return f"rename table {qualified(self.schema_name, self.old_name)} to {self.new_name}"


@dataclass(frozen=True)
class AlterTableComment(Op):
    kind = "alter_table_comment"
    phase = Phase.ALTER_TABLE
    schema_name: str | None
    table_name: str
    old_comment: str | None
    new_comment: str | None

    @property
    def name(self) -> str:
        return self.table_name

    def reverse(self) -> Op:
        return AlterTableComment(
            self.schema_name, self.table_name, self.new_comment, self.old_comment
        )

    def describe(self) -> str:
        target = qualified(self.schema_name, self.table_name)
        if self.new_comment is None:
            return f"drop comment on table {target}"
        return f"set comment on table {target} to {self.new_comment!r}"


@dataclass(frozen=True)
class AlterTableOptions(Op):
    """Change compared table options (:attr:`Table.options`: SQLite's ``sqlite_autoincrement``).
    SQLite cannot alter them: the table is rebuilt (Alembic's batch copy, rows kept)."""

    kind = "alter_table_options"
    phase = Phase.ALTER_TABLE
    schema_name: str | None
    table_name: str
    old_options: tuple[tuple[str, str], ...]
    new_options: tuple[tuple[str, str], ...]

    @property
    def name(self) -> str:
        return self.table_name

    def reverse(self) -> Op:
        return AlterTableOptions(
            self.schema_name, self.table_name, self.new_options, self.old_options
        )

    def table_kwargs(self) -> dict[str, str]:
        """Each changed option's new value as Python source (``"None"`` when it goes)."""
        new = dict(self.new_options)
        keys = sorted(set(new) | set(dict(self.old_options)))
        return {k: new.get(k, "None") for k in keys if dict(self.old_options).get(k) != new.get(k)}

    def describe(self) -> str:
        changes = ", ".join(
            f"drop {k}" if v == "None" else f"{k}={v}" for k, v in self.table_kwargs().items()
        )
        return f"alter table {qualified(self.schema_name, self.table_name)} options: {changes}"
