"""What a comparison returns: ordered ops plus notices (the input of every report and script)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from schemadiff.diff.ordering import order_ops
from schemadiff.ops import Op
from schemadiff.snapshot.model import DbObject


@dataclass(frozen=True)
class Notice:
    """A line for the report that is not a change.

    ``level`` is ``"warning"`` (e.g. a possible rename, a NOT NULL column without a default),
    ``"not_compared"`` (something this run could not compare) or ``"info"``. ``objects`` names
    the database objects a "not compared" summary counts (see :mod:`.comparators.coverage`).
    """

    level: str
    message: str
    schema: str | None = None
    table: str | None = None
    objects: tuple[DbObject, ...] = ()


@dataclass(frozen=True)
class DiffResult:
    """Ordered ops (upgrade direction: database -> models) plus notices."""

    dialect: str
    ops: tuple[Op, ...]
    notices: tuple[Notice, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def destructive_count(self) -> int:
        return sum(1 for op in self.ops if op.destructive)

    @property
    def is_empty(self) -> bool:
        return not self.ops

    def downgrade_ops(self) -> tuple[Op, ...]:
        return tuple(order_ops(op.reverse() for op in self.ops))
