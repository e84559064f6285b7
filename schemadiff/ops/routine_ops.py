"""Ops on functions, procedures and triggers.

Functions are created after the tables they may read and before the triggers that call them;
triggers are dropped first of all (before the columns and functions they use change) and created
last. A trigger on a table that is dropped goes with it: its :class:`DropTrigger` is marked
``with_table`` and runs nothing, but keeps the definition so that the downgrade creates it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.routines import Function, Trigger

#: said of a function whose body is not checked when it is created
_UNCHECKED = " (body checked when first run: it reads what the migration makes after it)"


@dataclass(frozen=True)
class CreateFunction(Op):
    """Create a function or procedure. ``unchecked``: its SQL body reads a table, column or view
    that the migration makes only later (see :mod:`schemadiff.diff.function_calls`), so the
    server is asked not to check the body now (PostgreSQL: ``check_function_bodies``); set by
    the ordering."""

    kind = "create_function"
    phase = Phase.CREATE_FUNCTION
    function: Function
    unchecked: bool = False

    @property
    def schema(self) -> str | None:
        return self.function.schema

    @property
    def name(self) -> str:
        return f"{self.function.name}({self.function.args})"

    def reverse(self) -> Op:
        return DropFunction(self.function)

    def describe(self) -> str:
        return f"create {self.function.describe()}" + _UNCHECKED * self.unchecked


@dataclass(frozen=True)
class DropFunction(Op):
    """Drop a function or procedure; ``function`` is the database's (what the downgrade makes
    again)."""

    kind = "drop_function"
    phase = Phase.DROP_FUNCTION
    function: Function

    @property
    def schema(self) -> str | None:
        return self.function.schema

    @property
    def name(self) -> str:
        return f"{self.function.name}({self.function.args})"

    def reverse(self) -> Op:
        return CreateFunction(self.function)

    def describe(self) -> str:
        return f"drop {self.function.describe()}"


@dataclass(frozen=True)
class ReplaceFunction(Op):
    """``CREATE OR REPLACE`` a function with the same signature and result type: a new body,
    language, volatility, security or strictness. ``unchecked``: as for
    :class:`CreateFunction`."""

    kind = "replace_function"
    phase = Phase.CREATE_FUNCTION
    old: Function
    new: Function
    unchecked: bool = False

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def name(self) -> str:
        return f"{self.new.name}({self.new.args})"

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
class CreateTrigger(Op):
    """Create a trigger. ``with_table``: its table is created in the same migration (so the
    reverse, in the downgrade, goes with the table's drop). ``after_renames``: the reverse of a
    :class:`DropTrigger` on a renamed table, in the downgrade; its statement is the database's
    own (naming the table by its old name), so it runs once the renames are undone."""

    kind = "create_trigger"
    phase = Phase.CREATE_TRIGGER
    trigger: Trigger
    with_table: bool = False
    after_renames: bool = False
    #: its table is a view: created once the views are
    on_view: bool = False

    @property
    def run_phase(self) -> Phase:
        if self.on_view:
            return Phase.CREATE_VIEW_TRIGGER
        return Phase.CREATE_RENAMED_TRIGGER if self.after_renames else self.phase

    @property
    def schema(self) -> str | None:
        return self.trigger.schema

    @property
    def table(self) -> str:
        return self.trigger.table

    @property
    def name(self) -> str:
        return self.trigger.name

    def reverse(self) -> Op:
        return DropTrigger(self.trigger, self.with_table, self.after_renames, self.on_view)

    def describe(self) -> str:
        return f"create {self.trigger.describe()}"


@dataclass(frozen=True)
class DropTrigger(Op):
    """Drop a trigger (the database's, for the downgrade). ``with_table``: its table is
    dropped in the same migration and takes the trigger with it (nothing to run).
    ``after_renames``: its table is renamed in the same migration; the op names the table by its
    new name, so it runs just after the renames instead of first of all."""

    kind = "drop_trigger"
    phase = Phase.DROP_TRIGGER
    trigger: Trigger
    with_table: bool = False
    after_renames: bool = False
    #: its table is a view (``with_table``: the view's drop takes it)
    on_view: bool = False

    @property
    def run_phase(self) -> Phase:
        return Phase.DROP_RENAMED_TRIGGER if self.after_renames else self.phase

    @property
    def schema(self) -> str | None:
        return self.trigger.schema

    @property
    def table(self) -> str:
        return self.trigger.table

    @property
    def name(self) -> str:
        return self.trigger.name

    def reverse(self) -> Op:
        return CreateTrigger(self.trigger, self.with_table, self.after_renames, self.on_view)

    def describe(self) -> str:
        if self.with_table:
            table = qualified(self.trigger.schema, self.trigger.table)
            what = "view" if self.on_view else "table"
            return f"drop {self.trigger.describe()} (with {what} {table})"
        return f"drop {self.trigger.describe()}"
