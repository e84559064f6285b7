"""A stable order for the constraints and indexes of a table Alembic's batch mode rebuilds.

Alembic's ``ApplyBatchImpl`` collects them by iterating ``Table.constraints`` and
``Table.indexes``, which SQLAlchemy keeps in sets hashed by object identity: the copy's
``CREATE TABLE`` listed its constraints (and the rebuild its ``CREATE INDEX``es) in a different
order from run to run. :func:`install` makes the collection follow the order the constraints were
declared in (``copy_from`` in a script, or reflection), and the indexes' names, so ``--sql``,
``diff --format sql`` and the rebuilt table's schema are the same on every run.
"""

from __future__ import annotations

from typing import Any

_INSTALLED = False


def install() -> None:
    """Wrap ``ApplyBatchImpl._grab_table_elements`` once per process (idempotent)."""
    global _INSTALLED
    if _INSTALLED:
        return
    from alembic.operations.batch import ApplyBatchImpl

    original = ApplyBatchImpl._grab_table_elements

    def grab_in_order(self: Any) -> None:
        original(self)
        self.named_constraints = dict(
            sorted(self.named_constraints.items(), key=lambda item: _declared(item[1]))
        )
        self.unnamed_constraints.sort(key=_declared)
        self.indexes = dict(sorted(self.indexes.items(), key=lambda item: str(item[0])))

    ApplyBatchImpl._grab_table_elements = grab_in_order  # type: ignore[method-assign]
    _INSTALLED = True


def _declared(constraint: Any) -> tuple[int, str, str]:
    """Declaration order (SQLAlchemy numbers constraints as they are created), then the name
    and kind for constraints made at the same moment."""
    order = getattr(constraint, "_creation_order", 0)
    return (
        order if isinstance(order, int) else 0,
        str(constraint.name or ""),
        type(constraint).__name__,
    )
