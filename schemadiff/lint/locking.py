"""SD3xx: PostgreSQL changes that hold strong locks for as long as the table is scanned or
rewritten, blocking the application meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.canonical.typeorder import split_type
from schemadiff.lint.actions import Action
from schemadiff.lint.destructive import column_ref, qualified
from schemadiff.lint.rules import Hit
from schemadiff.lint.state import RevisionContext

_TIME_TYPES = ("timestamp", "timestamptz", "time", "timetz", "interval")


def check(action: Action, ctx: RevisionContext) -> Iterator[Hit]:
    table = qualified(action.schema, action.table)
    if action.kind == "create_index" and not action.concurrently:
        name = f" {action.name}" if action.name else ""
        yield Hit(
            "SD301",
            f"create index{name} on {table} without CONCURRENTLY: writes to the table are blocked "
            "while it builds; use postgresql_concurrently=True inside "
            "op.get_context().autocommit_block()",
        )
    elif action.kind == "create_unique_constraint":
        name = f" {action.name}" if action.name else ""
        yield Hit(
            "SD301",
            f"unique constraint{name} on {table} builds its index without CONCURRENTLY, blocking "
            "writes; create a unique index concurrently first, then ADD CONSTRAINT ... USING INDEX",
        )
    elif action.kind == "create_foreign_key" and not action.not_valid:
        name = f" {action.name}" if action.name else ""
        yield Hit(
            "SD302",
            f"foreign key{name} on {table} is validated while locks are held on both tables; add "
            "it with postgresql_not_valid=True, then VALIDATE CONSTRAINT in a later revision",
        )
    elif action.kind == "alter_column":
        old, new = action.old_type, action.new_type
        if (
            old
            and new
            and old.sql
            and new.sql
            and old.enum_values is None
            and rewrites(old.sql, new.sql)
        ):
            yield Hit(
                "SD303",
                f"alter column {column_ref(action)} from {old.sql} to {new.sql} rewrites the "
                "whole table under an ACCESS EXCLUSIVE lock; add a new column, backfill it in "
                "batches and swap, or schedule downtime",
            )


def rewrites(old: str, new: str) -> bool:
    """Whether PostgreSQL rewrites the table for this type change. Only the binary-compatible
    changes are known not to: a longer (or unlimited) varchar, varchar <-> text, more numeric
    precision at the same scale, more fractional-second precision, cidr -> inet."""
    if old == new:
        return False
    try:
        return _rewrites(*split_type(old), *split_type(new))
    except ValueError:  # a length that is not a number: assume the worst
        return True


def _rewrites(a: str, aa: tuple[str, ...], b: str, ba: tuple[str, ...]) -> bool:
    if a in ("varchar", "text") and b in ("varchar", "text"):
        if b == "text" or not ba:
            return False
        return a == "text" or not aa or int(ba[0]) < int(aa[0])
    if a == b == "numeric":
        if not ba:
            return False
        if len(aa) != len(ba) or not aa:
            return True
        return not (aa[1:] == ba[1:] and int(ba[0]) >= int(aa[0]))
    if a == b and a in _TIME_TYPES:
        old_precision = int(aa[0]) if aa else 6
        return bool(ba) and int(ba[0]) < old_precision
    return not (a == "cidr" and b == "inet")
