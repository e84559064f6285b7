"""Migration code: ops to Alembic ``op.*`` calls (one module per object family, each registering
its renderers with :func:`.registry.renders`), batch blocks for SQLite, script files and offline
SQL.

Every script we write runs under plain ``alembic upgrade``, so we only emit calls from Alembic's
public operations API, plus raw SQL through ``op.execute`` where that API has no call (enum
types, schemas). Importing this package loads every family, so the registry is always complete.
"""

from schemadiff.render import (  # noqa: F401 - each registers its renderers
    columns,
    constraints,
    domains,
    enums,
    execute,
    extensions,
    grants,
    indexes,
    partitions,
    policies,
    routines,
    schemas,
    sequences,
    table_partitioning,
    tables,
    views,
)
