"""Ops on table constraints: primary keys, unique constraints, foreign keys, check constraints."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import CheckConstraint, ForeignKey, PrimaryKey, UniqueConstraint


def _cols(columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(columns) + ")"


@dataclass(frozen=True)
class AddPrimaryKey(Op):
    kind = "add_primary_key"
    phase = Phase.ADD_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: PrimaryKey

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return DropPrimaryKey(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        target = qualified(self.schema_name, self.table_name)
        return f"add primary key {_cols(self.constraint.columns)} on {target}"


@dataclass(frozen=True)
class DropPrimaryKey(Op):
    kind = "drop_primary_key"
    phase = Phase.DROP_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: PrimaryKey

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return AddPrimaryKey(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        target = qualified(self.schema_name, self.table_name)
        return f"drop primary key {_cols(self.constraint.columns)} on {target}"


@dataclass(frozen=True)
class AddUniqueConstraint(Op):
    kind = "add_unique_constraint"
    phase = Phase.ADD_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: UniqueConstraint

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return DropUniqueConstraint(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        target = qualified(self.schema_name, self.table_name)
        nulls = " NULLS NOT DISTINCT" if self.constraint.nulls_not_distinct else ""
        return f"add unique constraint{label} {_cols(self.constraint.columns)}{nulls} on {target}"


@dataclass(frozen=True)
class DropUniqueConstraint(Op):
    kind = "drop_unique_constraint"
    phase = Phase.DROP_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: UniqueConstraint

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return AddUniqueConstraint(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        target = qualified(self.schema_name, self.table_name)
        nulls = " NULLS NOT DISTINCT" if self.constraint.nulls_not_distinct else ""
        return f"drop unique constraint{label} {_cols(self.constraint.columns)}{nulls} on {target}"


@dataclass(frozen=True)
class AddForeignKey(Op):
    kind = "add_foreign_key"
    phase = Phase.ADD_FOREIGN_KEY
    schema_name: str | None
    table_name: str
    constraint: ForeignKey

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return DropForeignKey(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        return f"add foreign key {_fk_text(self.schema_name, self.table_name, self.constraint)}"


@dataclass(frozen=True)
class DropForeignKey(Op):
    kind = "drop_foreign_key"
    phase = Phase.DROP_FOREIGN_KEY
    schema_name: str | None
    table_name: str
    constraint: ForeignKey

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return AddForeignKey(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        return f"drop foreign key {_fk_text(self.schema_name, self.table_name, self.constraint)}"


@dataclass(frozen=True)
class AddCheckConstraint(Op):
    kind = "add_check_constraint"
    phase = Phase.ADD_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: CheckConstraint

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return DropCheckConstraint(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        target = qualified(self.schema_name, self.table_name)
        return f"add check constraint{label} on {target}: {self.constraint.sqltext}"


@dataclass(frozen=True)
class DropCheckConstraint(Op):
    kind = "drop_check_constraint"
    phase = Phase.DROP_CONSTRAINT
    schema_name: str | None
    table_name: str
    constraint: CheckConstraint

    @property
    def name(self) -> str | None:
        return self.constraint.name

    def reverse(self) -> Op:
        return AddCheckConstraint(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        target = qualified(self.schema_name, self.table_name)
        return f"drop check constraint{label} on {target}: {self.constraint.sqltext}"


def _fk_text(schema: str | None, table: str, fk: ForeignKey) -> str:
    label = f"{fk.name} " if fk.name else ""
    ref = qualified(fk.referred_schema, fk.referred_table)
    opts = []
    if fk.ondelete:
        opts.append(f"ON DELETE {fk.ondelete}")
    if fk.onupdate:
        opts.append(f"ON UPDATE {fk.onupdate}")
    if fk.deferrable:
        opts.append("DEFERRABLE")
    if fk.initially:
        opts.append(f"INITIALLY {fk.initially}")
    tail = (" " + " ".join(opts)) if opts else ""
    return (
        f"{label}{qualified(schema, table)}{_cols(fk.columns)}"
        f" -> {ref}{_cols(fk.referred_columns)}{tail}"
    )
