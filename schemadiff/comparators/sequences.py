"""Standalone sequences (PostgreSQL, MariaDB): create, drop, alter options.

Both sides carry every option (the models' side filled in with the server's defaults), so a
difference is a real one. SERIAL's own sequence (``implicit``) is part of its column: never
dropped, compared only when the models declare a sequence of that name. PostgreSQL's ``OWNED BY``
is set apart from the create (the owner column may be created later in the same migration) and
taken off before the drop (dropping the owner drops the sequence).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.ops import AlterSequence, CreateSequence, DropSequence
from schemadiff.snapshot.model import TableKey


def compare_sequences(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("sequences"):
        if ctx.models.sequences:
            yield ctx.not_supported("sequences")
        return
    db = ctx.db.sequence_map()
    models = ctx.models.sequence_map()
    for key in sorted(models, key=_sort_key):
        new = models[key]
        old = db.get(key)
        if old is None:
            unowned = replace(new, owned_by=None)
            yield CreateSequence(unowned)
            if new.owned_by is not None:
                yield AlterSequence(unowned, new)
        elif old != new:
            yield AlterSequence(old, new)
    for key in sorted(db, key=_sort_key):
        old = db[key]
        if key in models or old.implicit:
            continue
        if old.owned_by is not None:
            unowned = replace(old, owned_by=None)
            yield AlterSequence(old, unowned)
            yield DropSequence(unowned)
        else:
            yield DropSequence(old)


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])
