"""schemadiff: compare a live database (or a snapshot) with SQLAlchemy models.

The public API is re-exported lazily, so ``import schemadiff`` (and ``schemadiff --help``) does not
import SQLAlchemy::

    from schemadiff import compute_diff, inspect_database, inspect_metadata
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> module that defines it
_EXPORTS = {
    "compute_diff": "schemadiff.diff.engine",
    "CompareOptions": "schemadiff.diff.options",
    "DiffResult": "schemadiff.diff.result",
    "Notice": "schemadiff.diff.result",
    "inspect_database": "schemadiff.sources",
    "inspect_metadata": "schemadiff.sources.metadata",
    "Snapshot": "schemadiff.snapshot.model",
    "load_snapshot": "schemadiff.snapshot.io",
    "save_snapshot": "schemadiff.snapshot.io",
    "Settings": "schemadiff.settings.config",
    "load_settings": "schemadiff.settings.config",
    "SchemadiffError": "schemadiff.errors",
}
#: public names that differ from the defining module's name
_ALIASES = {"load_snapshot": "load", "save_snapshot": "save"}

__all__ = [
    "CompareOptions",
    "DiffResult",
    "Notice",
    "SchemadiffError",
    "Settings",
    "Snapshot",
    "__version__",
    "compute_diff",
    "inspect_database",
    "inspect_metadata",
    "load_settings",
    "load_snapshot",
    "save_snapshot",
]

if TYPE_CHECKING:
    from schemadiff.diff.engine import compute_diff
    from schemadiff.diff.options import CompareOptions
    from schemadiff.diff.result import DiffResult, Notice
    from schemadiff.errors import SchemadiffError
    from schemadiff.settings.config import Settings, load_settings
    from schemadiff.snapshot.io import load as load_snapshot
    from schemadiff.snapshot.io import save as save_snapshot
    from schemadiff.snapshot.model import Snapshot
    from schemadiff.sources import inspect_database
    from schemadiff.sources.metadata import inspect_metadata


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'schemadiff' has no attribute {name!r}")
    value = getattr(import_module(module), _ALIASES.get(name, name))
    globals()[name] = value
    return value
