"""The models' extensions: those declared with :class:`schemadiff.objects.Extension` and
alembic_utils' ``PGExtension`` entities registered with alembic_utils."""

from __future__ import annotations

import sqlalchemy as sa

from schemadiff.objects.extensions import declared_extensions
from schemadiff.snapshot.model import Extension


def metadata_extensions(metadata: sa.MetaData, default_schema: str | None) -> tuple[Extension, ...]:
    """Every declared extension, sorted by name (one declared on the MetaData wins over one of
    the same name registered with alembic_utils). plpgsql is left out: every database has it,
    it is never compared."""
    from schemadiff.sources.views import registered_entities

    found = {e.name: e for e in registered_entities(frozenset({"PGExtension"}))}
    found.update((e.name, e) for e in declared_extensions(metadata))
    return tuple(
        Extension(name, None if e.schema == default_schema else e.schema, e.version)
        for name, e in sorted(found.items())
        if name != "plpgsql"
    )
