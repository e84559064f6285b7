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

from schemadiff.ops.base import Phase, qualified
from schemadiff.ops.objects import Creates, Drops, SchemaObjectOp, SwapsOldNew, pair
from schemadiff.snapshot.model import View


class _ViewOp(SchemaObjectOp[View]):
    def described(self) -> str:
        return f"{self.subject.kind} {qualified(self.subject.schema, self.subject.name)}"


@dataclass(frozen=True)
class _ViewWithDepth(_ViewOp):
    subject_field = "view"
    view: View
    depth: int = 0
    recreated: bool = False


@dataclass(frozen=True)
class CreateView(_ViewWithDepth, Creates):
    """``CREATE VIEW``; ``recreated``: the second half of a drop around changes to what the
    view reads (see :class:`DropView`)."""

    kind = "create_view"
    phase = Phase.CREATE_VIEW

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    def describe(self) -> str:
        again = " again (after the changes to what it reads)" if self.recreated else ""
        return f"{super().describe()}{again}"


@dataclass(frozen=True)
class DropView(_ViewWithDepth, Drops):
    """``DROP VIEW``; ``view`` is the database's (its definition is what the reverse creates).
    ``recreated``: dropped only while a table or view it reads changes, created again after."""

    kind = "drop_view"
    phase = Phase.DROP_VIEW

    def sort_key(self) -> tuple[Any, ...]:
        return (-self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        return self.view.materialized

    def describe(self) -> str:
        why = " (created again after the changes to what it reads)" if self.recreated else ""
        return f"{super().describe()}{why}"


pair(CreateView, DropView)


@dataclass(frozen=True)
class ReplaceView(_ViewOp, SwapsOldNew):
    """A view whose query changed (nothing it reads changes): dropped and created with the new
    query in one step, at the end of the migration (a new query may read new columns)."""

    kind = "replace_view"
    phase = Phase.CREATE_VIEW
    old: View
    new: View
    depth: int = 0

    def sort_key(self) -> tuple[Any, ...]:
        return (self.depth, *super().sort_key())

    @property
    def destructive(self) -> bool:
        return self.old.materialized

    def describe(self) -> str:
        what = self.described()
        if self.old.materialized != self.new.materialized:
            return (
                f"replace {self.old.kind} {qualified(self.old.schema, self.old.name)} by a {what}"
            )
        return f"replace {what} (its query changed)"
