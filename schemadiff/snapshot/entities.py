"""Where the models' non-table objects came from, when a project uses alembic_utils: the
entity (``PGView``, ``PGFunction``...) that declared each one, as written, so that scripts can
create, replace and drop it with alembic_utils' own operations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: our kind of object -> the alembic_utils class that declares it (views: see ``materialized``)
ENTITY_CLASSES = {
    "function": "PGFunction",
    "trigger": "PGTrigger",
    "policy": "PGPolicy",
    "extension": "PGExtension",
}
#: the module of each alembic_utils class
ENTITY_MODULES = {
    "PGView": "alembic_utils.pg_view",
    "PGMaterializedView": "alembic_utils.pg_materialized_view",
    "PGFunction": "alembic_utils.pg_function",
    "PGTrigger": "alembic_utils.pg_trigger",
    "PGPolicy": "alembic_utils.pg_policy",
    "PGExtension": "alembic_utils.pg_extension",
}


@dataclass(frozen=True)
class EntitySource:
    """An alembic_utils entity that declares one of the models' objects: its class name, our
    ``kind`` of object (``view``, ``function``, ``trigger``, ``policy``, ``extension``) and
    the object's ``key`` in the snapshot, then the entity's own arguments as it holds them
    (``definition`` with the colons alembic_utils escaped for ``sa.text`` unescaped)."""

    cls: str
    kind: str
    key: tuple[Any, ...]
    schema: str
    signature: str
    definition: str = ""
    on_entity: str | None = None
    is_constraint: bool = False
    with_data: bool = True
