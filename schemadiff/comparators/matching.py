"""Pairing of constraints between the two sides: by name, then by structure for unnamed ones.

A constraint whose name is None on either side (a model without a naming convention, SQLite's
anonymous constraints) cannot be matched by name; it matches the first unmatched constraint on the
other side with the same structure (columns, expression, referred table...). Two named
constraints with different names never match, even with the same structure.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar


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
