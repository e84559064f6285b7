"""``compare_type`` / ``compare_server_default`` hooks with Alembic's signatures (those a project's
env.py passes to ``context.configure()``), called from schemadiff's column comparison:

- ``compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type)``
- ``compare_server_default(context, inspected_column, metadata_column, inspected_default,
  metadata_default, rendered_metadata_default)``

``context`` is the ``MigrationContext`` env.py configured; ``inspected_column`` a ``sa.Column``
reflected on env.py's connection (one table reflection per table, only for tables whose columns
are compared), ``metadata_column`` the model's ``sa.Column``. True: different, False: the same,
None: schemadiff's own rule decides. Our ``"module:function"`` hooks keep their own signature
(:mod:`schemadiff.comparators.columns`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import Column, Table


class ReflectedColumns:
    """Columns reflected on a connection (env.py's) as ``sa.Column`` objects of a ``sa.Table``,
    the way Alembic hands them to its hooks: one bulk query per schema, asked for only when a
    hook needs it (``Inspector.get_multi_columns``)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._inspector: Any = None
        self._schemas: dict[str | None, dict[str, list[Any]]] = {}
        self._tables: dict[tuple[str | None, str], sa.Table | None] = {}

    def column(self, schema: str | None, table: str, name: str) -> sa.Column[Any] | None:
        key = (schema, table)
        if key not in self._tables:
            self._tables[key] = self._table(schema, table)
        found = self._tables[key]
        return None if found is None else found.c.get(name)

    def _table(self, schema: str | None, name: str) -> sa.Table | None:
        if schema not in self._schemas:
            if self._inspector is None:
                self._inspector = sa.inspect(self._conn)
            found = self._inspector.get_multi_columns(schema=schema)
            self._schemas[schema] = {table: columns for (_, table), columns in found.items()}
        described = self._schemas[schema].get(name)
        if described is None:
            return None
        columns = [_column(d) for d in described]
        return sa.Table(name, sa.MetaData(), *columns, schema=schema)


def _column(described: dict[str, Any]) -> sa.Column[Any]:
    """A ``sa.Column`` from the inspector's description, as ``Table`` reflection makes it."""
    default = described.get("default")
    return sa.Column(
        described["name"],
        described["type"],
        nullable=described.get("nullable", True),
        server_default=None if default is None else sa.DefaultClause(sa.text(str(default))),
        comment=described.get("comment"),
    )


class AlembicHook:
    """An Alembic-signature hook, callable as schemadiff's ``hook(ctx, db_column, model_column,
    db_table, model_table)``."""

    def __init__(
        self,
        fn: Callable[..., Any],
        kind: str,
        context: Any,
        metadata: sa.MetaData,
        reflected: ReflectedColumns,
    ) -> None:
        self.fn = fn
        self.kind = kind  # "type" or "server_default"
        self.context = context
        self.metadata = metadata
        self.reflected = reflected

    def __call__(
        self, ctx: Any, db: Column, model: Column, db_table: Table, model_table: Table
    ) -> bool | None:
        metadata_column = self._model_column(model_table, model.name)
        inspected = self.reflected.column(db_table.schema, db_table.name, db.name)
        if metadata_column is None or inspected is None:
            return None
        if self.kind == "type":
            result = self.fn(
                self.context, inspected, metadata_column, inspected.type, metadata_column.type
            )
        else:
            default = inspected.server_default
            inspected_default = getattr(getattr(default, "arg", None), "text", default)
            result = self.fn(
                self.context,
                inspected,
                metadata_column,
                None if inspected_default is None else str(inspected_default),
                metadata_column.server_default,
                model.server_default,
            )
        return None if result is None else bool(result)

    def _model_column(self, table: Table, name: str) -> sa.Column[Any] | None:
        key = f"{table.schema}.{table.name}" if table.schema else table.name
        found = self.metadata.tables.get(key)
        if found is None and table.schema is None:
            # a table declared with the default schema spelled out
            found = next((t for t in self.metadata.tables.values() if t.name == table.name), None)
        return None if found is None else found.c.get(name)
