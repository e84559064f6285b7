"""From a diff to script bodies: name unnamed constraints, reverse, render both directions."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.backends.registry import rules_for
from schemadiff.diff.ordering import order_ops
from schemadiff.diff.result import DiffResult
from schemadiff.diff.simulate import apply_in_place
from schemadiff.perf import without_gc
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.entity_index import entity_index
from schemadiff.render.naming import name_unnamed_constraints
from schemadiff.render.ops import render_ops
from schemadiff.render.routines import trigger_objects
from schemadiff.render.views import kept_views
from schemadiff.snapshot.model import Snapshot


@dataclass(frozen=True)
class ScriptBodies:
    """The rendered ``upgrade()`` and ``downgrade()`` bodies of one migration."""

    upgrade: Code
    downgrade: Code


def batch_enabled(render_as_batch: bool | str, dialect: str) -> bool:
    """``"auto"`` turns batch mode on where the backend rebuilds tables to alter them (SQLite)."""
    if isinstance(render_as_batch, str):
        if render_as_batch == "auto":
            return rules_for(dialect).batch_by_default
        return render_as_batch == "true"
    return render_as_batch


@without_gc
def render_bodies(
    result: DiffResult,
    db: Snapshot,
    models: Snapshot,
    render_as_batch: bool | str = "auto",
) -> ScriptBodies:
    """Upgrade (database -> models) and downgrade (back) bodies for ``result``."""
    upgrade_ops = order_ops(name_unnamed_constraints(result.ops, result.dialect))
    # the downgrade adds back what the upgrade drops: a constraint SQLite kept without a name
    # comes back under a name too (batch mode adds constraints by name only)
    downgrade_ops = order_ops(
        name_unnamed_constraints([op.reverse() for op in upgrade_ops], result.dialect)
    )
    enums = {**db.enum_map(), **models.enum_map()}
    batch = batch_enabled(render_as_batch, result.dialect)
    before = db.table_map()
    # the tables as the upgrade leaves them (with the names it gave), not as the models say
    after = dict(before)
    for op in upgrade_ops:
        apply_in_place(after, op)
    up_objects = (
        *db.uncompared,
        *trigger_objects(db.triggers, upgrade_ops),
        *kept_views(db.views, upgrade_ops, result.dialect),
    )
    down_objects = (
        *db.uncompared,
        *trigger_objects(models.triggers or db.triggers, downgrade_ops),
        *kept_views(models.views, downgrade_ops, result.dialect),
    )
    entities = entity_index(models, result.dialect)
    up_ctx = RenderContext(result.dialect, enums, batch, before, up_objects, entities)
    down_ctx = RenderContext(result.dialect, enums, batch, after, down_objects, entities)
    return ScriptBodies(render_ops(upgrade_ops, up_ctx), render_ops(downgrade_ops, down_ctx))
