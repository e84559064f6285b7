"""Ops on table constraints: primary keys, unique constraints, foreign keys, check constraints.

Every kind comes as an add and a drop that mirror each other: one generic :class:`ConstraintOp`
carries the table and the constraint, names the op after the constraint and reverses into its
mirror; a family base per kind says how the constraint reads in a description.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import CheckConstraint, ForeignKey, PrimaryKey, UniqueConstraint

C = TypeVar("C", PrimaryKey, UniqueConstraint, ForeignKey, CheckConstraint)


def _cols(columns: tuple[str, ...]) -> str:
    return "(" + ", ".join(columns) + ")"


@dataclass(frozen=True)
class ConstraintOp(Op, Generic[C]):
    """Add or drop one constraint of a table."""

    schema_name: str | None
    table_name: str
    constraint: C

    #: "add" or "drop", the first word of the description
    verb: ClassVar[str]
    #: the op that undoes this one (the add of a drop, the drop of an add)
    mirror: ClassVar[type[ConstraintOp[Any]]]

    @property
    def name(self) -> str | None:
        return self.constraint.name

    @property
    def target(self) -> str:
        return qualified(self.schema_name, self.table_name)

    def reverse(self) -> Op:
        return self.mirror(self.schema_name, self.table_name, self.constraint)

    def describe(self) -> str:
        return f"{self.verb} {self.subject()}"

    def subject(self) -> str:
        """The constraint as the description names it (after the verb)."""
        raise NotImplementedError


@dataclass(frozen=True)
class PrimaryKeyOp(ConstraintOp[PrimaryKey]):
    def subject(self) -> str:
        return f"primary key {_cols(self.constraint.columns)} on {self.target}"


@dataclass(frozen=True)
class UniqueConstraintOp(ConstraintOp[UniqueConstraint]):
    def subject(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        nulls = " NULLS NOT DISTINCT" if self.constraint.nulls_not_distinct else ""
        return f"unique constraint{label} {_cols(self.constraint.columns)}{nulls} on {self.target}"


@dataclass(frozen=True)
class ForeignKeyOp(ConstraintOp[ForeignKey]):
    def subject(self) -> str:
        return f"foreign key {_fk_text(self.schema_name, self.table_name, self.constraint)}"


@dataclass(frozen=True)
class CheckConstraintOp(ConstraintOp[CheckConstraint]):
    def subject(self) -> str:
        label = f" {self.constraint.name}" if self.constraint.name else ""
        return f"check constraint{label} on {self.target}: {self.constraint.sqltext}"


@dataclass(frozen=True)
class AddPrimaryKey(PrimaryKeyOp):
    kind = "add_primary_key"
    phase = Phase.ADD_CONSTRAINT
    verb = "add"


@dataclass(frozen=True)
class DropPrimaryKey(PrimaryKeyOp):
    kind = "drop_primary_key"
    phase = Phase.DROP_CONSTRAINT
    verb = "drop"


@dataclass(frozen=True)
class AddUniqueConstraint(UniqueConstraintOp):
    kind = "add_unique_constraint"
    phase = Phase.ADD_CONSTRAINT
    verb = "add"


@dataclass(frozen=True)
class DropUniqueConstraint(UniqueConstraintOp):
    kind = "drop_unique_constraint"
    phase = Phase.DROP_CONSTRAINT
    verb = "drop"


@dataclass(frozen=True)
class AddForeignKey(ForeignKeyOp):
    kind = "add_foreign_key"
    phase = Phase.ADD_FOREIGN_KEY
    verb = "add"


@dataclass(frozen=True)
class DropForeignKey(ForeignKeyOp):
    kind = "drop_foreign_key"
    phase = Phase.DROP_FOREIGN_KEY
    verb = "drop"


@dataclass(frozen=True)
class AddCheckConstraint(CheckConstraintOp):
    kind = "add_check_constraint"
    phase = Phase.ADD_CONSTRAINT
    verb = "add"


@dataclass(frozen=True)
class DropCheckConstraint(CheckConstraintOp):
    kind = "drop_check_constraint"
    phase = Phase.DROP_CONSTRAINT
    verb = "drop"


for _add, _drop in (
    (AddPrimaryKey, DropPrimaryKey),
    (AddUniqueConstraint, DropUniqueConstraint),
    (AddForeignKey, DropForeignKey),
    (AddCheckConstraint, DropCheckConstraint),
):
    _add.mirror, _drop.mirror = _drop, _add


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
