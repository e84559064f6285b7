"""PostgreSQL extensions: created, dropped, moved to another schema or updated.

An extension is keyed by name (one per database, whatever its schema). Its schema is compared
(None: the default schema), its version only where the models pin one. plpgsql, which every
database has, is never reported. Objects that belong to an extension are not compared as
tables, types or functions: the extension stands for them.

Models that declare no extension at all leave the database's alone (listed as not compared):
declaring one opts the project in, and then an extension the models do not declare is dropped
(destructive: its objects go with it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.ops import AlterExtension, CreateExtension, DropExtension
from schemadiff.snapshot.model import DbObject, Snapshot


def compare_extensions(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("extensions"):
        if ctx.models.extensions:
            yield ctx.not_supported("extensions")
        return
    if not ctx.models.extensions:
        return  # see unmanaged_extensions
    old = {e.name: e for e in ctx.db.extensions}
    new = {e.name: e for e in ctx.models.extensions}
    for name in sorted(set(old) | set(new)):
        if name not in old:
            yield CreateExtension(new[name])
        elif name not in new:
            yield DropExtension(old[name])
        else:
            # an unpinned version is whatever the database has
            wanted = (
                new[name] if new[name].version else replace(new[name], version=old[name].version)
            )
            if wanted != old[name]:
                yield AlterExtension(old[name], wanted, ctx.db.default_schema)


def unmanaged_extensions(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's extensions when the models declare none: listed as not compared."""
    if models.extensions:
        return ()
    return tuple(DbObject("extension", e.name, e.schema) for e in db.extensions)
