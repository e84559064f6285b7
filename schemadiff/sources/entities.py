"""Which of the models' objects alembic_utils entities declare (see
:class:`schemadiff.snapshot.entities.EntitySource`): those given to alembic_utils' own
``register_entities`` and those named by the ``entities`` setting. A declaration of ours of the
same object wins, as it does when the objects are read (:mod:`schemadiff.sources.routines`)."""

from __future__ import annotations

import sys
from typing import Any

import sqlalchemy as sa

from schemadiff.canonical.routines import identity_args
from schemadiff.objects.extensions import Extension, declared_extensions
from schemadiff.objects.functions import Function, declared_functions
from schemadiff.objects.policies import Policy, declared_policies
from schemadiff.objects.triggers import Trigger, declared_triggers
from schemadiff.objects.views import (
    ENTITIES_KEY,
    ENTITY_CONVERTERS,
    UNSUPPORTED_KEY,
    declared_views,
)
from schemadiff.snapshot.entities import EntitySource

#: the classes whose constructor escapes colons for ``sa.text`` (``\\:``) in the definition
_ESCAPED = frozenset({"PGFunction", "PGTrigger", "PGPolicy"})
#: the classes whose objects scripts write with alembic_utils' operations; the other entities
#: that are compared (``PGGrantTable``) are migrated with ``op.execute`` (GRANT / REVOKE)
_SCRIPTED = frozenset(
    {"PGView", "PGMaterializedView", "PGFunction", "PGTrigger", "PGExtension", "PGPolicy"}
)


def _registry() -> list[Any] | None:
    """The entities given to alembic_utils' ``register_entities``; None when the project has
    not imported alembic_utils (we never import it)."""
    module = sys.modules.get("alembic_utils.replaceable_entity")
    registry = getattr(module, "registry", None)
    return None if registry is None else list(registry.entities())


def metadata_entities(
    metadata: sa.MetaData, default_schema: str | None
) -> tuple[EntitySource, ...] | None:
    """The entities that declare the models' objects, sorted; None when no alembic_utils
    entity reached us (the project does not use alembic_utils: scripts stay ``op.execute``)."""
    pairs: list[tuple[Any, Any]] = list(metadata.info.get(ENTITIES_KEY) or ())
    registered = _registry() or []
    if not (pairs or registered or metadata.info.get(UNSUPPORTED_KEY)):
        return None

    def fold(schema: str | None) -> str | None:
        return None if schema == default_schema else schema

    own = [
        *declared_views(metadata),
        *declared_functions(metadata),
        *declared_triggers(metadata),
        *declared_policies(metadata),
        *declared_extensions(metadata),
    ]
    declared = {_key(decl, fold) for decl in own}
    out: dict[tuple[str, tuple[Any, ...]], EntitySource] = {}
    scratch = sa.MetaData()
    for entity in registered:
        convert = ENTITY_CONVERTERS.get(type(entity).__name__)
        if convert is None or type(entity).__name__ not in _SCRIPTED:
            continue
        key = _key(convert(scratch, entity), fold)
        if key not in declared:  # a declaration on the MetaData wins
            out[key] = _source(entity, key)
    current = {id(decl) for decl in own}
    for decl, entity in pairs:
        if id(decl) in current:  # not replaced by a later declaration of ours
            key = _key(decl, fold)
            out[key] = _source(entity, key)
    return tuple(sorted(out.values(), key=lambda s: (s.kind, repr(s.key))))


def _key(decl: Any, fold: Any) -> tuple[str, tuple[Any, ...]]:
    """(our kind, the object's key in the snapshot) of a declaration."""
    if isinstance(decl, Function):
        return ("function", (fold(decl.schema), decl.name, identity_args(decl.args)))
    if isinstance(decl, Trigger):
        return ("trigger", (fold(decl.schema), decl.table, decl.name))
    if isinstance(decl, Policy):
        return ("policy", (fold(decl.schema), decl.table, decl.name))
    if isinstance(decl, Extension):
        return ("extension", (decl.name,))
    return ("view", (fold(decl.schema), decl.name))


def _source(entity: Any, key: tuple[str, tuple[Any, ...]]) -> EntitySource:
    cls = type(entity).__name__
    definition = "" if cls == "PGExtension" else str(entity.definition)
    if cls in _ESCAPED:
        definition = definition.replace("\\:", ":")
    on_entity = getattr(entity, "on_entity", None)
    return EntitySource(
        cls=cls,
        kind=key[0],
        key=key[1],
        schema=str(entity.schema),
        signature=str(entity.signature),
        definition=definition,
        on_entity=None if on_entity is None else str(on_entity),
        is_constraint=bool(getattr(entity, "is_constraint", False)),
        with_data=bool(getattr(entity, "with_data", True)),
    )
