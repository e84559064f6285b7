"""The diff pipeline's public entry point and its result types.

``compute_diff(db, models, options)`` filters both snapshots, runs every comparator (built-in,
configured and entry-point plugins), orders the ops and returns a :class:`DiffResult` that renderers
turn into text, JSON, SQL or a revision script.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from schemadiff.ops import Op
from schemadiff.snapshot.model import DbObject, Snapshot

#: ``compare_type`` / ``compare_server_default`` hooks: (context, db_column, model_column, ...)
#: return True (different), False (same) or None (use the built-in rule).
CompareHook = Callable[..., bool | None]


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
class CompareOptions:
    """Everything that steers a comparison (built from config and command-line flags)."""

    compare_type: bool | CompareHook = True
    compare_server_default: bool | CompareHook = True
    include_object: Callable[..., bool] | None = None
    include_name: Callable[..., bool] | None = None
    exclude_tables: tuple[str, ...] = ()
    version_table: str = "alembic_version"
    #: explicit rename hints: (schema, old table, new table) and (schema, table, old col, new col)
    rename_tables: tuple[tuple[str | None, str, str], ...] = ()
    rename_columns: tuple[tuple[str | None, str, str, str], ...] = ()
    #: extra comparators: fn(ctx, db_snapshot, model_snapshot) -> Iterable[Op | Notice]
    comparators: tuple[Callable[..., Any], ...] = ()
    #: load comparators from the ``schemadiff.comparators`` entry-point group
    use_entry_points: bool = True
    #: the SQLAlchemy MetaData the model snapshot came from (for include_object's ``object``)
    metadata: Any = None
    #: asks the user about a possible rename: (kind, table, old, new) -> bool; None: warn only
    questioner: Callable[[str, str, str, str], bool] | None = None


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
        from schemadiff.diff.ordering import order_ops

        return tuple(order_ops(op.reverse() for op in self.ops))


def compute_diff(
    db: Snapshot, models: Snapshot, options: CompareOptions | None = None
) -> DiffResult:
    """Compare ``db`` (the current state) with ``models`` (the wanted state)."""
    from schemadiff.comparators import run_comparators
    from schemadiff.perf import gc_paused

    with gc_paused():
        return run_comparators(db, models, options or CompareOptions())
