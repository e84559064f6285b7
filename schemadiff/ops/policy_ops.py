"""Ops on row-level security: policies and a table's ``ENABLE`` / ``FORCE ROW LEVEL SECURITY``.

Policies are dropped first of all (before the columns and functions their expressions read
change) and created near the end, after the tables, columns and functions exist. A policy on a
table that is dropped goes with it: its :class:`DropPolicy` is marked ``with_table`` and runs
nothing, but keeps the definition so that the downgrade creates it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Phase, qualified
from schemadiff.ops.objects import (
    Creates,
    Drops,
    SwapsOldNew,
    TableObjectOp,
    TableSettingOp,
    pair,
    with_table_note,
)
from schemadiff.snapshot.policies import Policy, RowSecurity


@dataclass(frozen=True)
class _PolicyOp(TableObjectOp[Policy]):
    subject_field = "policy"
    policy: Policy
    with_table: bool = False
    after_renames: bool = False


@dataclass(frozen=True)
class CreatePolicy(_PolicyOp, Creates):
    """Create a policy. ``with_table``: its table is created in the same migration.
    ``after_renames`` is kept for the reverse (see :class:`DropPolicy`)."""

    kind = "create_policy"
    phase = Phase.CREATE_POLICY


@dataclass(frozen=True)
class DropPolicy(_PolicyOp, Drops):
    """Drop a policy (the database's, for the downgrade). ``with_table``: its table is dropped
    in the same migration and takes the policy with it (nothing to run). ``after_renames``: its
    table is renamed (or has columns renamed) in the same migration: the op names the table by
    its new name, so it runs just after the renames instead of first of all."""

    kind = "drop_policy"
    phase = Phase.DROP_POLICY

    @property
    def run_phase(self) -> Phase:
        return Phase.DROP_RENAMED_POLICY if self.after_renames else self.phase

    @property
    def destructive(self) -> bool:
        """Dropping a policy changes which rows a role may see or write (never loses any)."""
        return False

    def describe(self) -> str:
        return super().describe() + with_table_note(self.with_table, self.policy)


pair(CreatePolicy, DropPolicy)


@dataclass(frozen=True)
class AlterRowSecurity(TableSettingOp[RowSecurity], SwapsOldNew):
    """Turn a table's row-level security on or off, forced or not (``old`` to ``new``).
    ``with_table``: the table is dropped in the same migration and ``new`` is off (nothing to
    run; the downgrade turns it on again on the table it makes again)."""

    kind = "alter_row_security"
    phase = Phase.ALTER_ROW_SECURITY
    old: RowSecurity
    new: RowSecurity
    with_table: bool = False

    def describe(self) -> str:
        table = qualified(self.new.schema, self.new.table)
        if self.with_table and not (self.new.enabled or self.new.forced):
            return f"drop row-level security on {table} (with table {table})"
        return f"row-level security on {table}: {self.old.state()} -> {self.new.state()}"
