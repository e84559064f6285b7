"""Importing the models' MetaData named by the ``metadata`` setting (hooks: see plugins.py).

The current directory is importable (as with ``python -m``), so
``metadata = "models:Base.metadata"`` works from a project's root. Every failure names the
reference and what to do.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from schemadiff.errors import ConfigError, MetadataError
from schemadiff.settings.usercode import UserCodeExited, import_user_module

if TYPE_CHECKING:
    import sqlalchemy as sa


def import_reference(ref: str, setting: str) -> Any:
    """Import ``"module:attr"`` (``attr`` may be dotted) named by the ``setting`` key."""
    module_name, sep, attr_path = ref.partition(":")
    if not sep or not module_name or not attr_path:
        raise ConfigError(
            f"{setting} must look like 'module:attribute' (e.g. 'models:Base.metadata'), "
            f"got {ref!r}"
        )
    _cwd_importable()
    module = _import_module(module_name, ref, setting)
    obj: Any = module
    parts = attr_path.split(".")
    for i, part in enumerate(parts):
        if not hasattr(obj, part):
            owner = repr(f"{module_name}:{'.'.join(parts[:i])}") if i else f"module {module_name!r}"
            raise MetadataError(
                f"{owner} has no attribute {part!r} ({setting} = {ref!r}); "
                f"fix the {setting} setting{_suggest(module)}"
            )
        obj = getattr(obj, part)
    return obj


def metadata_refs(value: str) -> list[str]:
    """The references of a ``metadata`` setting: one, or several separated by commas."""
    return [ref.strip() for ref in value.split(",") if ref.strip()]


def load_metadata(value: str) -> sa.MetaData:
    """The MetaData named by ``value``; a declarative Base (anything with a ``.metadata``) works.
    Several references (``"app.models:Base.metadata, audit.models:metadata"``) give one MetaData
    holding the tables of all (:func:`merge_metadata`)."""
    refs = metadata_refs(value)
    if len(refs) == 1:
        return _load_one(refs[0])
    return merge_metadata([(ref, _load_one(ref)) for ref in refs])


def merge_metadata(named: list[tuple[str, sa.MetaData]]) -> sa.MetaData:
    """One MetaData with the tables of each (the same Table objects, so each keeps its own
    MetaData's naming convention and foreign keys); a table name in two of them is an error."""
    import sqlalchemy as sa

    merged = sa.MetaData()
    owner: dict[str, str] = {}
    seen: set[int] = set()
    for ref, metadata in named:
        if id(metadata) in seen:
            continue  # the same MetaData named twice (e.g. Base and Base.metadata)
        seen.add(id(metadata))
        # SQLAlchemy 2.1 keeps types created with metadata=... (named enums) on the MetaData
        if isinstance(getattr(metadata, "_objects", None), set):
            merged._objects |= metadata._objects
        # standalone sequences (Sequence(..., metadata=...)) are compared too
        for name, sequence in metadata._sequences.items():
            merged._sequences.setdefault(name, sequence)
        for key, table in metadata.tables.items():
            if key in owner:
                raise MetadataError(
                    f"table {key!r} is in two of the models' MetaData ({owner[key]!r} and "
                    f"{ref!r}); a table must belong to one of them: fix the metadata setting "
                    "or rename one table"
                )
            owner[key] = ref
            merged._add_table(table.name, table.schema, table)  # keeps the Table object itself
        _merge_views(merged, metadata)
    return merged


def _merge_views(merged: sa.MetaData, metadata: sa.MetaData) -> None:
    """The views declared on ``metadata`` (:mod:`schemadiff.objects`) go with its tables."""
    from schemadiff.objects.declarative_extensions import merge_declext
    from schemadiff.objects.views import VIEWS_KEY

    merge_declext(merged, metadata)  # sqlalchemy-declarative-extensions' declarations
    views = metadata.info.get(VIEWS_KEY)
    if views:
        merged.info.setdefault(VIEWS_KEY, {}).update(views)


def load_entities(refs: tuple[str, ...], metadata: sa.MetaData) -> None:
    """Attach the alembic_utils entities named by the ``entities`` setting (each
    ``"module:attr"`` an entity or a list of them) to ``metadata`` as declared views."""
    from schemadiff.objects.views import register_entities

    for ref in refs:
        found = import_reference(ref, "entities")
        entities = list(found) if isinstance(found, (list, tuple)) else [found]
        odd = [e for e in entities if not hasattr(e, "signature")]
        if odd:
            raise ConfigError(
                f"entities = {ref!r} names a {type(odd[0]).__name__}, not an alembic_utils "
                "entity (PGView...); point it at one entity or a list of them"
            )
        register_entities(metadata, entities)


def _load_one(ref: str) -> sa.MetaData:
    import sqlalchemy as sa

    obj = import_reference(ref, "metadata")
    if isinstance(obj, sa.MetaData):
        return obj
    inner = getattr(obj, "metadata", None)
    if isinstance(inner, sa.MetaData):
        return inner
    raise MetadataError(
        f"{ref!r} is a {type(obj).__name__}, not a SQLAlchemy MetaData; point 'metadata' at one, "
        "e.g. 'models:Base.metadata'"
    )


def _cwd_importable() -> None:
    cwd = os.getcwd()
    if cwd not in sys.path and "" not in sys.path:
        sys.path.insert(0, cwd)


def _import_module(name: str, ref: str, setting: str) -> Any:
    role = "models module" if setting == "metadata" else f"{setting} module"
    try:
        return import_user_module(name, role)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            raise MetadataError(
                f"cannot import module {name!r} ({setting} = {ref!r}); run schemadiff from the "
                f"directory that contains it, or fix the {setting} setting"
            ) from exc
        raise MetadataError(_failed_import(name, exc)) from exc
    except UserCodeExited:
        raise
    except Exception as exc:  # noqa: BLE001 - user code may raise anything while importing
        raise MetadataError(_failed_import(name, exc)) from exc


def _failed_import(name: str, exc: BaseException) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return (
        f"importing module {name!r} failed: {type(exc).__name__}: {first}; "
        "fix that module (run with --debug for the traceback)"
    )


def _suggest(module: Any) -> str:
    """Point at the MetaData objects the module does have, if any."""
    import sqlalchemy as sa

    found: dict[int, str] = {}
    for attr, value in sorted(vars(module).items()):
        if attr.startswith("_") or hasattr(value, "__table__"):
            continue  # mapped classes share their Base's MetaData
        if isinstance(value, sa.MetaData):
            found.setdefault(id(value), f"{module.__name__}:{attr}")
            continue
        inner = getattr(value, "metadata", None) if isinstance(value, type) else None
        if isinstance(inner, sa.MetaData):
            found.setdefault(id(inner), f"{module.__name__}:{attr}.metadata")
    if not found:
        return ""
    return " (MetaData found: " + ", ".join(list(found.values())[:3]) + ")"
