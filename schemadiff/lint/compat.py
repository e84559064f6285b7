"""SD4xx: changes that break application code already deployed against the old schema."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.lint.actions import Action
from schemadiff.lint.destructive import column_ref, qualified
from schemadiff.lint.rules import Hit
from schemadiff.lint.state import RevisionContext

_EXPAND_CONTRACT = (
    "code deployed against the old name fails until it is redeployed; expand/contract instead: "
    "add the new {what}, write to both, move readers, drop the old one in a later release"
)


def check(action: Action, ctx: RevisionContext) -> Iterator[Hit]:
    if action.kind == "rename_table":
        yield Hit(
            "SD401",
            f"rename table {qualified(action.schema, action.table)} to {action.new_name or '?'}: "
            + _EXPAND_CONTRACT.format(what="table"),
        )
    elif action.kind == "alter_column" and action.new_name and action.new_name != action.name:
        yield Hit(
            "SD401",
            f"rename column {column_ref(action)} to {action.new_name}: "
            + _EXPAND_CONTRACT.format(what="column"),
        )
