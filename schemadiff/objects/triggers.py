"""Declared triggers: our own ``Trigger`` and alembic_utils' ``PGTrigger`` entities."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

#: where a MetaData keeps its declared triggers: ``{(schema, table, name): Trigger}``
TRIGGERS_KEY = "schemadiff.triggers"


class Trigger:
    """A trigger the models declare on a table; ``definition`` is what follows
    ``CREATE TRIGGER name`` (``ON table`` may be left out, it is added)::

        Trigger(metadata, "orders_touch", "orders",
                "BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION touch_updated_at()")
        Trigger(metadata, "orders_log", "orders",
                "AFTER INSERT BEGIN INSERT INTO log (order_id) VALUES (NEW.id); END")  # SQLite

    Kept in ``metadata.info``."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        table: str,
        definition: str,
        schema: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a trigger needs a name")
        if not isinstance(table, str) or not table:
            raise ValueError(f"trigger {name!r} needs the name of its table")
        if not isinstance(definition, str):
            raise TypeError(f"trigger {name!r}: the definition must be SQL text")
        self.name = name
        self.table = table
        self.definition = definition
        self.schema = schema
        metadata.info.setdefault(TRIGGERS_KEY, {})[(schema, table, name)] = self

    def __repr__(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"Trigger({self.name!r}, on={table!r})"


def declared_triggers(metadata: sa.MetaData) -> list[Trigger]:
    """The triggers declared on ``metadata``, in declaration order."""
    found = metadata.info.get(TRIGGERS_KEY) or {}
    return [t for t in found.values() if isinstance(t, Trigger)]


def trigger_from_entity(metadata: sa.MetaData, entity: Any) -> Trigger:
    """An alembic_utils ``PGTrigger`` (``signature`` the trigger name, ``on_entity``
    ``schema.table``, ``definition`` the text after the name) as a :class:`Trigger`."""
    on = str(entity.on_entity)
    schema, _, table = on.rpartition(".")
    return Trigger(
        metadata,
        str(entity.signature),
        table,
        str(entity.definition),
        schema=schema or getattr(entity, "schema", None),
    )
