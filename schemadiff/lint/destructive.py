"""SD1xx: changes that lose data (a dropped table or column, a narrower type, enum values gone,
a dropped sequence, a dropped materialized view, a dropped extension, a dropped partition)."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.canonical.typeorder import is_widening
from schemadiff.lint import sequences
from schemadiff.lint.actions import Action
from schemadiff.lint.rules import Hit
from schemadiff.lint.state import RevisionContext


def qualified(schema: str | None, name: str | None) -> str:
    """``schema.name`` for messages (``?`` for a name the script does not spell as a literal)."""
    return f"{schema}.{name or '?'}" if schema else (name or "?")


def column_ref(action: Action) -> str:
    return f"{qualified(action.schema, action.table)}.{action.name or '?'}"


def check(action: Action, ctx: RevisionContext) -> Iterator[Hit]:
    if action.kind == "drop_table":
        yield Hit(
            "SD101",
            f"drop table {qualified(action.schema, action.table)}: its rows are lost and code "
            "still using it fails; stop using it in a release first, and keep a backup",
        )
    elif action.kind == "drop_column":
        yield Hit(
            "SD102",
            f"drop column {column_ref(action)}: its values are lost and code still reading it "
            "fails; stop using it in a release first, then drop it in a later one",
        )
    elif action.kind == "drop_materialized_view":
        yield Hit(
            "SD106",
            f"drop materialized view {qualified(action.schema, action.name)}: its rows are lost "
            "until the query runs again (a refresh can take long on a large table); create the "
            "new one beside it and switch readers first",
        )
    elif action.kind == "drop_extension":
        yield Hit(
            "SD107",
            f"drop extension {action.name or '?'}: its types, functions and operators go with "
            "it (and, with CASCADE, the columns and indexes using them); check nothing uses it, "
            "and keep a backup",
        )
    elif action.kind == "drop_partition":
        yield Hit(
            "SD109",
            f"drop partition {action.name or '?'} of {qualified(action.schema, action.table)}: "
            "the rows in it are lost; move them first (REORGANIZE PARTITION keeps rows), and "
            "keep a backup",
        )
    elif action.kind == "alter_column":
        yield from _type_change(action)
    elif action.kind == "create_enum":
        yield from _recreated_enum(action, ctx)
    elif action.kind == "drop_sequence":
        yield from sequences.check(action)


def _type_change(action: Action) -> Iterator[Hit]:
    old, new = action.old_type, action.new_type
    if old is None or new is None:
        return
    if old.enum_values is not None and new.enum_values is not None:
        removed = [v for v in old.enum_values if v not in new.enum_values]
        if removed:
            yield Hit(
                "SD104",
                f"alter column {column_ref(action)} removes enum value(s) "
                f"{_listed(removed)}: rows holding them cannot be converted; migrate those rows "
                "first (UPDATE), then drop the values",
            )
        return
    if old.sql is None or new.sql is None or is_widening(old.sql, new.sql):
        return
    yield Hit(
        "SD103",
        f"alter column {column_ref(action)} from {old.sql} to {new.sql} narrows the type: the "
        "migration fails on values that do not fit (or, with a cast in USING, may cut or round "
        "them); widen instead, or fix the data first",
    )


def _recreated_enum(action: Action, ctx: RevisionContext) -> Iterator[Hit]:
    recreated, former = ctx.former_values(action)
    if not recreated:
        return
    name = qualified(action.schema, action.name)
    if former is None:
        yield Hit(
            "SD104",
            f"enum type {name} is recreated, and its previous values are not spelled out in the "
            "chain: check that no value is removed (rows holding one cannot be converted)",
        )
        return
    removed = [v for v in former if v not in action.values]
    if removed:
        yield Hit(
            "SD104",
            f"enum type {name} is recreated without value(s) {_listed(removed)}: rows holding "
            "them cannot be converted; migrate those rows first (UPDATE), then drop the values",
        )


def _listed(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values)
