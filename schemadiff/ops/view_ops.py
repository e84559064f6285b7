"""Ops on views: create, drop, replace.

Plain views hold no rows; dropping a materialized view (PostgreSQL) loses its rows, so it is
destructive (they come back only by recomputing the query). Views are dropped first (``DROP_VIEW``
runs before any table change) and created last (``CREATE_VIEW``), so a view never stands in
the way of a change to the columns it reads. ``depth`` orders views over views: a view that
reads other views of the same migration has a larger depth, is created after them and dropped
before them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import View


@dataclass(frozen=True)
class CreateView(Op):
    """``CREATE VIEW``; ``recreated``: the second half of a drop around changes to what the
    view reads (see :class:`DropView`)."""

    kind = "create_view"
    phase = Phase.CREATE_VIEW
    view: View
    depth: int = 0
    recreated: bool = False

    @property
    def schema(self) -> str | None:
        return self.view.schema

    @property
    def name(self) -> str:
        return self.view.name

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    def reverse(self) -> Op:
        return DropView(self.view, self.depth, self.recreated)

    def describe(self) -> str:
        again = " again (after the changes to what it reads)" if self.recreated else ""
        return f"create {self.view.kind} {qualified(self.view.schema, self.view.name)}{again}"


@dataclass(frozen=True)
class DropView(Op):
    """``DROP VIEW``; ``view`` is the database's (its definition is what the reverse creates).
    ``recreated``: dropped only while a table or view it reads changes, created again after."""

    kind = "drop_view"
    phase = Phase.DROP_VIEW
    view: View
    depth: int = 0
    recreated: bool = False

    @property
    def schema(self) -> str | None:
        return self.view.schema

    @property
    def name(self) -> str:
        return self.view.name

    def sort_key(self) -> tuple[Any, ...]:
        return (-self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        return self.view.materialized

    def reverse(self) -> Op:
        return CreateView(self.view, self.depth, self.recreated)

    def describe(self) -> str:
        why = " (created again after the changes to what it reads)" if self.recreated else ""
        return f"drop {self.view.kind} {qualified(self.view.schema, self.view.name)}{why}"


@dataclass(frozen=True)
class ReplaceView(Op):
    """A view whose query changed (nothing it reads changes): dropped and created with the new
    query in one step, at the end of the migration (a new query may read new columns)."""

    kind = "replace_view"
    phase = Phase.CREATE_VIEW
    old: View
    new: View
    depth: int = 0

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def name(self) -> str:
        return self.new.name

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        return self.old.materialized

    def reverse(self) -> Op:
        return ReplaceView(self.new, self.old, self.depth)

    def describe(self) -> str:
        what = f"{self.new.kind} {qualified(self.new.schema, self.new.name)}"
        if self.old.materialized != self.new.materialized:
            return (
                f"replace {self.old.kind} {qualified(self.old.schema, self.old.name)} by a {what}"
            )
        return f"replace {what} (its query changed)"
