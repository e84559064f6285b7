"""Alembic's ``user_module_prefix`` (from a project's env.py): a user's own column type is written
``<prefix>MyType(...)`` instead of being imported from its module, so that the script refers to
it the way the project's ``script.py.mako`` imports it (``import myapp.types``)."""

from __future__ import annotations

from dataclasses import replace

from schemadiff.snapshot.model import Column, Snapshot


def with_user_module_prefix(snapshot: Snapshot, prefix: str) -> Snapshot:
    """The snapshot with every user type's script hint prefixed (SQLAlchemy's own types keep
    ``sa.`` / dialect prefixes); types are hints only, so comparisons are unchanged."""
    tables = tuple(
        replace(table, columns=tuple(_prefixed(c, prefix) for c in table.columns))
        for table in snapshot.tables
    )
    return replace(snapshot, tables=tables)


def _prefixed(column: Column, prefix: str) -> Column:
    hint = column.type
    if hint.python is None:
        return column
    for line in hint.imports:
        module, _, name = line.removeprefix("from ").partition(" import ")
        if not line.startswith("from ") or module.split(".")[0] == "sqlalchemy":
            continue
        if hint.python.startswith(f"{name}(") or hint.python == name:
            imports = tuple(i for i in hint.imports if i != line)
            return replace(column, type=replace(hint, python=prefix + hint.python, imports=imports))
    return column
