"""PostgreSQL extensions: one statement for the whole database (an extension's name is unique
in a database, whatever its schema). plpgsql, which every database has, is left out."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.snapshot.model import Extension

_EXTENSIONS = """
SELECT x.extname::text, n.nspname::text, x.extversion::text
FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
WHERE x.extname <> 'plpgsql'
ORDER BY 1
"""


def fetch_extensions(conn: Connection, default: str) -> tuple[Extension, ...]:
    """Every installed extension but plpgsql, its schema keyed None when it is ``default``."""
    rows = conn.execute(sa.text(_EXTENSIONS))
    return tuple(
        Extension(name, None if schema == default else schema, version)
        for name, schema, version in rows
    )
