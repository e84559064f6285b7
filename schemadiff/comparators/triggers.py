"""Triggers: created, dropped, or dropped and created again when their definition changes.

Definitions compare in a canonical form (:mod:`schemadiff.canonical.routines`): the server's
spelling on PostgreSQL (``pg_get_triggerdef``), the text as written elsewhere, layout
normalized. A declared PostgreSQL ``WHEN`` condition is compared in the server's own rewrite of
it (:func:`schemadiff.sources.routines.settle_triggers`); when the server could not be asked and
the spellings differ, the trigger is listed as not compared. A trigger whose table is dropped
goes with it (``DropTrigger.with_table``).

Models that declare no trigger at all leave the database's alone (listed as not compared):
declaring one opts the project in.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.comparators.views import recreated_views
from schemadiff.diff.result import Notice
from schemadiff.ops import CreateTrigger, DropTrigger, qualified
from schemadiff.snapshot.model import DbObject, Snapshot
from schemadiff.snapshot.routines import RoutineKey


def compare_triggers(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("triggers"):
        if ctx.models.triggers:
            yield ctx.not_supported("triggers")
        return
    if not ctx.models.triggers:
        return  # see unmanaged_triggers
    old = {t.key: t for t in ctx.db.triggers}
    new = {t.key: t for t in ctx.models.triggers}
    db_views = {v.key for v in ctx.db.views}
    # the views the migration keeps: the declared ones, or all of them when none is declared
    kept_views = {v.key for v in ctx.models.views} if ctx.models.views else db_views
    kept_tables = {t.key for t in ctx.models.tables} | kept_views
    existing_tables = {t.key for t in ctx.db.tables} | db_views
    recreated = recreated_views(ctx)
    for key in sorted(set(old) | set(new), key=_sort_key):
        if key not in old and (new[key].schema, new[key].table) not in kept_tables:
            yield Notice(
                "warning",
                f"{new[key].describe()}: the models declare no table or view "
                f"{qualified(new[key].schema, new[key].table)}; not created",
                new[key].schema,
                new[key].table,
            )
        elif key not in old:
            on = (new[key].schema, new[key].table)
            made = on not in existing_tables
            yield CreateTrigger(new[key], with_table=made, on_view=on in kept_views)
        elif key not in new:
            on = (old[key].schema, old[key].table)
            gone = on not in kept_tables or on in recreated
            renamed = on in ctx.renamed
            yield DropTrigger(
                old[key],
                with_table=gone,
                after_renames=renamed and not gone,
                on_view=on in db_views,
            )
        elif (old[key].schema, old[key].table) in recreated:
            # the view's drop takes the trigger; created again after the view
            yield DropTrigger(old[key], with_table=True, on_view=True)
            yield CreateTrigger(new[key], with_table=True, on_view=True)
        elif old[key].definition == new[key].definition:
            continue
        elif not (old[key].comparable and new[key].comparable):
            yield Notice(
                "not_compared",
                f"{old[key].describe()}: its WHEN condition could not be compared with the "
                "server's own spelling of it",
                old[key].schema,
                old[key].table,
            )
        else:
            on = (old[key].schema, old[key].table)
            renamed = on in ctx.renamed
            yield DropTrigger(old[key], after_renames=renamed, on_view=on in db_views)
            yield CreateTrigger(new[key], on_view=on in kept_views)


def unmanaged_triggers(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's triggers when the models declare none: listed as not compared."""
    if models.triggers:
        return ()
    return tuple(DbObject("trigger", t.name, t.schema, t.table) for t in db.triggers)


def _sort_key(key: RoutineKey) -> tuple[str, str, str]:
    return (key[0] or "", key[1], key[2])
