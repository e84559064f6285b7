"""Ops on whole tables: create, drop, rename, comment."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot import Table


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
