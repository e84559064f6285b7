"""Ops on functions, procedures and triggers.

Functions are created after the tables they may read and before the triggers that call them;
triggers are dropped first of all (before the columns and functions they use change) and created
last. A trigger on a table that is dropped goes with it: its :class:`DropTrigger` is marked
``with_table`` and runs nothing, but keeps the definition so that the downgrade creates it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.ops.objects import (
    Creates,
    Drops,
    SchemaObjectOp,
    TableObjectOp,
    pair,
    with_table_note,
)
from schemadiff.snapshot.routines import Function, Trigger

#: said of a function whose body is not checked when it is created
_UNCHECKED = " (body checked when first run: it reads what the migration makes after it)"


class _FunctionOp(SchemaObjectOp[Function]):
    @property
    def name(self) -> str:
        return f"{self.subject.name}({self.subject.args})"


@dataclass(frozen=True)
class CreateFunction(_FunctionOp, Creates):
    """Create a function or procedure. ``unchecked``: its SQL body reads a table, column or view
    that the migration makes only later (see :mod:`schemadiff.diff.function_calls`), so the
    server is asked not to check the body now (PostgreSQL: ``check_function_bodies``); set by
    the ordering."""

    kind = "create_function"
    phase = Phase.CREATE_FUNCTION
    subject_field = "function"
    function: Function
    unchecked: bool = False

    def describe(self) -> str:
        return super().describe() + _UNCHECKED * self.unchecked


@dataclass(frozen=True)
class DropFunction(_FunctionOp, Drops):
    """Drop a function or procedure; ``function`` is the database's (what the downgrade makes
    again)."""

    kind = "drop_function"
    phase = Phase.DROP_FUNCTION
    subject_field = "function"
    function: Function


pair(CreateFunction, DropFunction)


@dataclass(frozen=True)
class ReplaceFunction(_FunctionOp):
    """``CREATE OR REPLACE`` a function with the same signature and result type: a new body,
    language, volatility, security or strictness. ``unchecked``: as for
    :class:`CreateFunction`."""

    kind = "replace_function"
    phase = Phase.CREATE_FUNCTION
    old: Function
    new: Function
    unchecked: bool = False

    def reverse(self) -> Op:
        return ReplaceFunction(self.new, self.old)

    def changes(self) -> list[str]:
        out = []
        for attr in ("body", "language", "volatility", "security_definer", "strict"):
            if getattr(self.old, attr) != getattr(self.new, attr):
                out.append(attr.replace("_", " "))
        return out

    def describe(self) -> str:
        changes = ", ".join(self.changes()) or "definition"
        return f"replace {self.new.describe()} ({changes})" + _UNCHECKED * self.unchecked


@dataclass(frozen=True)
class _TriggerOp(TableObjectOp[Trigger]):
    subject_field = "trigger"
    trigger: Trigger
    with_table: bool = False
    after_renames: bool = False
    #: its table is a view: created once the views are (``with_table``: the view's drop
    #: takes it)
    on_view: bool = False


@dataclass(frozen=True)
class CreateTrigger(_TriggerOp, Creates):
    """Create a trigger. ``with_table``: its table is created in the same migration (so the
    reverse, in the downgrade, goes with the table's drop). ``after_renames``: the reverse of a
    :class:`DropTrigger` on a renamed table, in the downgrade; its statement is the database's
    own (naming the table by its old name), so it runs once the renames are undone."""

    kind = "create_trigger"
    phase = Phase.CREATE_TRIGGER

    @property
    def run_phase(self) -> Phase:
        if self.on_view:
            return Phase.CREATE_VIEW_TRIGGER
        return Phase.CREATE_RENAMED_TRIGGER if self.after_renames else self.phase


@dataclass(frozen=True)
class DropTrigger(_TriggerOp, Drops):
    """Drop a trigger (the database's, for the downgrade). ``with_table``: its table is
    dropped in the same migration and takes the trigger with it (nothing to run).
    ``after_renames``: its table is renamed in the same migration; the op names the table by its
    new name, so it runs just after the renames instead of first of all."""

    kind = "drop_trigger"
    phase = Phase.DROP_TRIGGER

    @property
    def run_phase(self) -> Phase:
        return Phase.DROP_RENAMED_TRIGGER if self.after_renames else self.phase

    def describe(self) -> str:
        if self.with_table and self.on_view:
            view = qualified(self.trigger.schema, self.trigger.table)
            return f"{super().describe()} (with view {view})"
        return super().describe() + with_table_note(self.with_table, self.trigger)


pair(CreateTrigger, DropTrigger)
