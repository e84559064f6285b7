"""Check constraints, matched by name or (for unnamed ones) by canonical expression.

Expressions are canonical SQL (see :mod:`schemadiff.canonical.sqlexpr`), so spelling differences
between
the catalog and the compiled model are gone; a changed expression, a changed name and a name the
models give an unnamed check are each a drop plus an add.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.comparators.matching import collapse_sides, match
from schemadiff.ops import AddCheckConstraint, DropCheckConstraint
from schemadiff.snapshot.model import CheckConstraint


def _structure(check: CheckConstraint) -> str:
    return check.sqltext


def _gains_name(db: CheckConstraint, model: CheckConstraint) -> bool:
    """The models name a check the database has without one (only SQLite keeps checks unnamed):
    a drop plus an add under the name. The other way round is no change: a model check without
    a name accepts whatever name the database gave it."""
    return db.name is None and model.name is not None


def compare_check_constraints(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    if not ctx.supports("check_constraints"):
        if pair.model.check_constraints:
            yield ctx.not_supported("check_constraints")
        return
    db, models, notices = collapse_sides(
        pair,
        "check constraint",
        pair.db.check_constraints,
        pair.model.check_constraints,
        _structure,
        _structure,
    )
    yield from notices
    found = match(db, models, _structure)
    changed = [(d, m) for d, m in found.pairs if d.sqltext != m.sqltext or _gains_name(d, m)]
    for old in [*found.db_only, *(d for d, _ in changed)]:
        yield DropCheckConstraint(pair.schema, pair.name, old)
    for new in [*found.model_only, *(m for _, m in changed)]:
        yield AddCheckConstraint(pair.schema, pair.name, new)
