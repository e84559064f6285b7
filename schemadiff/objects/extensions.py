"""Declared PostgreSQL extensions: our own ``Extension`` and alembic_utils' ``PGExtension``
(converted, alembic_utils stays optional)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

#: where a MetaData keeps its declared extensions: ``{name: Extension}``
EXTENSIONS_KEY = "schemadiff.extensions"


class Extension:
    """An extension the models need, created before the tables, types and functions that may
    use it::

        Extension(metadata, "hstore")
        Extension(metadata, "pg_trgm", schema="extensions", version="1.6")

    ``schema`` is where its objects go (None: the default schema); ``version`` pins the
    version (None: whatever the server installs, not compared). Kept in ``metadata.info``."""

    kind = "extension"

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        *,
        schema: str | None = None,
        version: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("an extension needs a name")
        if version is not None and (not isinstance(version, str) or not version):
            raise ValueError(f"extension {name!r}: the version must be a non-empty string")
        self.name = name
        self.schema = schema
        self.version = version
        metadata.info.setdefault(EXTENSIONS_KEY, {})[name] = self

    def __repr__(self) -> str:
        return f"Extension({self.name!r}, schema={self.schema!r}, version={self.version!r})"


def declared_extensions(metadata: sa.MetaData) -> list[Extension]:
    """The extensions declared on ``metadata``, in declaration order."""
    found = metadata.info.get(EXTENSIONS_KEY) or {}
    return [e for e in found.values() if isinstance(e, Extension)]


def extension_from_entity(metadata: sa.MetaData, entity: Any) -> Extension:
    """An alembic_utils ``PGExtension(schema, signature)`` as an :class:`Extension` (its
    ``signature`` is the extension's name; it pins no version)."""
    return Extension(metadata, str(entity.signature), schema=getattr(entity, "schema", None))
