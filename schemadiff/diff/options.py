"""What steers a comparison: the options built from config and command-line flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: ``compare_type`` / ``compare_server_default`` hooks: (context, db_column, model_column, ...)
#: return True (different), False (same) or None (use the built-in rule).
CompareHook = Callable[..., bool | None]


@dataclass(frozen=True)
class CompareOptions:
    """Everything that steers a comparison (built from config and command-line flags)."""

    compare_type: bool | CompareHook = True
    compare_server_default: bool | CompareHook = True
    include_object: Callable[..., bool] | None = None
    include_name: Callable[..., bool] | None = None
    exclude_tables: tuple[str, ...] = ()
    version_table: str = "alembic_version"
    #: explicit rename hints: (schema, old table, new table) and (schema, table, old col, new col)
    rename_tables: tuple[tuple[str | None, str, str], ...] = ()
    rename_columns: tuple[tuple[str | None, str, str, str], ...] = ()
    #: extra comparators: fn(ctx, db_snapshot, model_snapshot) -> Iterable[Op | Notice]
    comparators: tuple[Callable[..., Any], ...] = ()
    #: load comparators from the ``schemadiff.comparators`` entry-point group
    use_entry_points: bool = True
    #: the SQLAlchemy MetaData the model snapshot came from (for include_object's ``object``)
    metadata: Any = None
    #: asks the user about a possible rename: (kind, table, old, new) -> bool; None: warn only
    questioner: Callable[[str, str, str, str], bool] | None = None
