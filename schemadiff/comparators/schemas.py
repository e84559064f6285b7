"""Schemas: create the ones the models use that the database lacks. A schema is never dropped:
one that is compared (listed in ``schemas``) but that no model uses gets an info line. Listing a
schema asks schemadiff to compare it, not to own it (it may hold what other tools manage), and
Alembic never drops one either; a migration that created one still drops it on downgrade (the
reverse of its ``CreateSchema``). The schema an extension is installed into is one the models
use: created when missing, before the extension (its other objects are compared only when
something else names it, see :func:`schemadiff.pipeline.extension_only_schemas`)."""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.diff.result import Notice
from schemadiff.ops import CreateSchema
from schemadiff.snapshot.model import Snapshot


def covered_schemas(snapshot: Snapshot) -> set[str]:
    """Non-default schemas a snapshot covers: listed ones plus those its objects live in."""
    names = set(snapshot.schemas)
    names.update(t.schema for t in snapshot.tables if t.schema)
    names.update(e.schema for e in snapshot.enums if e.schema)
    names.update(f.schema for f in snapshot.functions if f.schema)
    names.update(d.schema for d in snapshot.domains if d.schema)
    names.update(v.schema for v in snapshot.views if v.schema)
    # the schema an extension is installed into: created before it when missing
    names.update(e.schema for e in snapshot.extensions if e.schema)
    names.discard(snapshot.default_schema or "")
    return names


def compare_schemas(ctx: CompareContext) -> Iterator[Item]:
    model_schemas = covered_schemas(ctx.models)
    if not ctx.supports("schemas"):
        if model_schemas:
            yield ctx.not_supported("schemas")
        return
    db_schemas = covered_schemas(ctx.db)
    for name in sorted(model_schemas - db_schemas):
        yield CreateSchema(name)
    for name in sorted(db_schemas - model_schemas):
        yield Notice(
            "info",
            f"schema {name} is compared but no model uses it: left as it is "
            "(schemadiff never drops a schema)",
            name,
        )
