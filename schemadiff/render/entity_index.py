"""Which objects of a script alembic_utils entities declare (see
:mod:`schemadiff.render.entities`, which writes their operations)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.entities import EntitySource
from schemadiff.snapshot.model import Snapshot


@dataclass(frozen=True)
class Entities:
    """What a script's renderers know of the project's alembic_utils entities: by (kind, key),
    the entity that declares the object with the models' object itself (an op's object equal to
    it is the declared one, any other the database's), the keys of objects declared with
    :mod:`schemadiff.objects` (``op.execute``), and the schema entities name when ours say
    None."""

    declared: Mapping[tuple[str, tuple[Any, ...]], tuple[EntitySource, Any]]
    native: frozenset[tuple[str, tuple[Any, ...]]]
    default_schema: str
    dialect: str


def entity_index(models: Snapshot, dialect: str) -> Entities | None:
    """The render context's :class:`Entities` of ``models``; None when the project does not
    use alembic_utils or the backend has no alembic_utils entities."""
    if models.entities is None or not rules_for(dialect).alembic_utils_ops:
        return None
    objects: dict[tuple[str, tuple[Any, ...]], Any] = {}
    objects.update((("view", v.key), v) for v in models.views)
    objects.update((("function", f.key), f) for f in models.functions)
    objects.update((("trigger", t.key), t) for t in models.triggers)
    objects.update((("policy", p.key), p) for p in models.policies)
    objects.update((("extension", (e.name,)), e) for e in models.extensions)
    declared = {}
    for source in models.entities:
        key = _match(source, objects)
        if key is not None:
            declared[key] = (source, objects[key])
    native = frozenset(objects) - frozenset(declared)
    return Entities(declared, native, models.default_schema or "public", dialect)


def _match(source: EntitySource, objects: Mapping[tuple[str, tuple[Any, ...]], Any]) -> Any:
    """The models' object ``source`` declares: by key, or for a function whose arguments the
    server spells its own way, by schema and name when only one function has them."""
    key = (source.kind, source.key)
    if key in objects:
        return key
    if source.kind != "function":
        return None
    same = [k for k in objects if k[0] == "function" and k[1][:2] == source.key[:2]]
    return same[0] if len(same) == 1 else None
