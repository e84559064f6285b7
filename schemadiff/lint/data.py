"""SD2xx: changes that work or fail depending on the data already in the table."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.lint.actions import Action
from schemadiff.lint.destructive import column_ref, qualified
from schemadiff.lint.rules import Hit
from schemadiff.lint.state import RevisionContext


def check(action: Action, ctx: RevisionContext) -> Iterator[Hit]:
    if action.kind == "add_column" and action.column is not None:
        col = action.column
        if col.nullable is False and not col.filled:
            yield Hit(
                "SD201",
                f"add NOT NULL column {column_ref(action)} without a server default: fails on a "
                "table that has rows; give it a server_default, or add it nullable, fill it, "
                "then set nullable=False",
            )
    elif action.kind == "create_unique_constraint" or (
        action.kind == "create_index" and action.unique
    ):
        what = "unique constraint" if action.kind == "create_unique_constraint" else "unique index"
        name = f" {action.name}" if action.name else ""
        yield Hit(
            "SD202",
            f"{what}{name} on existing table {qualified(action.schema, action.table)}: fails if "
            "the rows already hold duplicates; check for (and resolve) duplicates before "
            "deploying",
        )
