"""SQLite triggers, from the ``sqlite_master`` rows the catalog already read (no statement of
their own): SQLite keeps a trigger's text as written, so it is compared as text with its layout
normalized."""

from __future__ import annotations

from collections.abc import Iterable

from schemadiff.canonical.routines import TriggerSyntaxError, canonical_trigger
from schemadiff.snapshot.model import DbObject
from schemadiff.snapshot.routines import Trigger


def sqlite_triggers(objects: Iterable[DbObject]) -> tuple[Trigger, ...]:
    """The triggers among the catalog's views and triggers, sorted by key. One whose text we
    cannot split is kept, not comparable (a difference is then "not compared")."""
    out = []
    for obj in objects:
        if obj.kind != "trigger" or not obj.definition:
            continue
        try:
            definition, comparable = canonical_trigger(obj.definition, rewritten=False)
        except TriggerSyntaxError:
            definition, comparable = obj.definition, False
        out.append(Trigger(obj.name, obj.table or "", definition, None, comparable, obj.definition))
    return tuple(sorted(out, key=lambda t: (t.table, t.name)))
