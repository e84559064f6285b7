"""Pairing of constraints between the two sides: by name, then by structure for unnamed ones.

A constraint whose name is None on either side (a model without a naming convention, SQLite's
anonymous constraints) cannot be matched by name; it matches the first unmatched constraint on the
other side with the same structure (columns, expression, referred table...). Two named
constraints with different names never match, even with the same structure.

The same constraint declared twice on one side (a column's ``ForeignKey`` plus a table's
``ForeignKeyConstraint`` for the same columns; a database that got both) is one object:
:func:`collapse` keeps one before matching, and the comparator warns about the others.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from schemadiff.comparators.context import TablePair
from schemadiff.diff.result import Notice


class Named(Protocol):
    @property
    def name(self) -> str | None: ...


T = TypeVar("T", bound=Named)


@dataclass(frozen=True)
class Matched(Generic[T]):
    """Result of :func:`match`, each list in input order."""

    pairs: list[tuple[T, T]]
    db_only: list[T]
    model_only: list[T]


def match(
    db_items: Sequence[T], model_items: Sequence[T], structure: Callable[[T], Hashable]
) -> Matched[T]:
    """Pair ``db_items`` with ``model_items`` (see module docstring)."""
    db_by_name = {d.name: i for i, d in enumerate(db_items) if d.name is not None}
    used_db: set[int] = set()
    partner: dict[int, int] = {}
    for mi, m in enumerate(model_items):
        if m.name is not None and m.name in db_by_name:
            partner[mi] = db_by_name[m.name]
            used_db.add(db_by_name[m.name])
    for mi, m in enumerate(model_items):
        if mi in partner:
            continue
        for di, d in enumerate(db_items):
            if di in used_db or (m.name is not None and d.name is not None):
                continue
            if structure(d) == structure(m):
                partner[mi] = di
                used_db.add(di)
                break
    pairs = [(db_items[partner[mi]], m) for mi, m in enumerate(model_items) if mi in partner]
    model_only = [m for mi, m in enumerate(model_items) if mi not in partner]
    db_only = [d for di, d in enumerate(db_items) if di not in used_db]
    return Matched(pairs, db_only, model_only)


@dataclass(frozen=True)
class Collapsed(Generic[T]):
    """Result of :func:`collapse`: the items to compare and the repeats left out."""

    kept: list[T]
    repeats: list[T]


def collapse(
    items: Sequence[T], same: Callable[[T], Hashable], preferred: set[str | None]
) -> Collapsed[T]:
    """One item per ``same(item)`` value: of a group of repeats, the first whose name is in
    ``preferred`` (the other side's names, so that a name match survives), else the first."""
    groups: dict[Hashable, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(same(item), []).append(i)
    if len(groups) == len(items):
        return Collapsed(list(items), [])  # no repeats (the common case)
    keep: set[int] = set()
    for members in groups.values():
        named = [i for i in members if items[i].name is not None and items[i].name in preferred]
        keep.add(named[0] if named else members[0])
    kept = [item for i, item in enumerate(items) if i in keep]
    repeats = [item for i, item in enumerate(items) if i not in keep]
    return Collapsed(kept, repeats)


def collapse_sides(
    pair: TablePair,
    kind: str,
    db_items: Sequence[T],
    model_items: Sequence[T],
    same: Callable[[T], Hashable],
    describe: Callable[[T], str],
) -> tuple[list[T], list[T], list[Notice]]:
    """:func:`collapse` both sides of ``pair`` (each preferring the other's names): the kept
    database items, the kept model items, and a warning per repeat left out."""
    db = collapse(db_items, same, {item.name for item in model_items})
    models = collapse(model_items, same, {item.name for item in db_items})
    notices = [
        repeated_notice(pair, kind, item.name, describe(item), side)
        for side, repeats in (("database", db.repeats), ("models", models.repeats))
        for item in repeats
    ]
    return db.kept, models.kept, notices


def repeated_notice(pair: TablePair, kind: str, name: str | None, what: str, side: str) -> Notice:
    """The warning for a repeat :func:`collapse` left out."""
    label = f"{kind} {name}" if name else kind
    return Notice(
        "warning",
        f"{label} {what} on {pair.label} is declared twice in the {side} "
        "(the same as another one): compared once",
        pair.schema,
        pair.name,
    )
