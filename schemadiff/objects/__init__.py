"""Declarations of schema objects that are not tables, attached to a MetaData.

``View(metadata, "active_users", select(...) or "SELECT ...", schema=None)`` declares a view,
``MaterializedView(...)`` a materialized one (PostgreSQL); each is kept in ``metadata.info`` (so
it lives as long as the MetaData and travels with it) and compared like the tables.
alembic_utils' ``PGView`` and ``PGMaterializedView`` entities can be attached with
:func:`register_entities` (alembic_utils stays optional: nothing here imports it).
"""

from schemadiff.objects.views import (
    VIEWS_KEY,
    MaterializedView,
    View,
    create_views,
    declared_views,
    drop_views,
    register_entities,
    unsupported_entities,
)

__all__ = [
    "VIEWS_KEY",
    "MaterializedView",
    "View",
    "create_views",
    "declared_views",
    "drop_views",
    "register_entities",
    "unsupported_entities",
]
