"""Table descriptions for the generator, and the changes the "changed" variant makes to them."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

#: share of tables the changed variant alters
CHANGE_RATE = 0.10


@dataclass(frozen=True)
class ColSpec:
    """One column, before it becomes an ``sa.Column`` (so a change can edit it)."""

    name: str
    kind: str
    nullable: bool = True
    default: Any = None
    comment: str | None = None
    length: int | None = None
    fk: str | None = None  # referred table name (same schema), column ``id``
    ondelete: str | None = None


@dataclass
class TableSpec:
    """One table's columns and extras, edited by :func:`apply_change`."""

    name: str
    columns: list[ColSpec]
    comment: str | None
    expression_index: bool
    partial_index: bool
    composite_index: bool = True
    extra_index: bool = False
    enum_no: int = 0
    changes: list[str] = field(default_factory=list)


def apply_change(backend: str, spec: TableSpec, rng: random.Random) -> None:
    """One change, chosen by ``rng`` among those the backend can show."""
    kinds = sorted(_CHANGES)
    if backend == "sqlite":
        kinds.remove("comment")  # SQLite stores no comments
    kind = rng.choice(kinds)
    _CHANGES[kind](spec)
    spec.changes.append(kind)


def _add_column(spec: TableSpec) -> None:
    spec.columns.append(ColSpec("added", "string", length=40, comment="new in the models"))


def _drop_column(spec: TableSpec) -> None:
    droppable = [c for c in spec.columns if c.name in {"ratio", "born", "big", "small", "blob"}]
    if droppable:
        spec.columns.remove(droppable[0])
    else:
        _add_column(spec)


def _widen(spec: TableSpec) -> None:
    _edit(spec, "name", lambda c: replace(c, length=(c.length or 50) + 50))


def _nullable(spec: TableSpec) -> None:
    _edit(spec, "code", lambda c: replace(c, nullable=True))


def _default(spec: TableSpec) -> None:
    _edit(spec, "qty", lambda c: replace(c, default="1"))


def _add_index(spec: TableSpec) -> None:
    spec.extra_index = True


def _drop_index(spec: TableSpec) -> None:
    spec.composite_index = False


def _comment(spec: TableSpec) -> None:
    spec.comment = f"{spec.comment or 'table'} (revised)"


def _edit(spec: TableSpec, name: str, change: Callable[[ColSpec], ColSpec]) -> None:
    spec.columns = [change(c) if c.name == name else c for c in spec.columns]


_CHANGES: dict[str, Callable[[TableSpec], None]] = {
    "add_column": _add_column,
    "drop_column": _drop_column,
    "widen_type": _widen,
    "nullable": _nullable,
    "default": _default,
    "add_index": _add_index,
    "drop_index": _drop_index,
    "comment": _comment,
}
