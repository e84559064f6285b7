"""The three contenders, each from "models imported" to "diff computed".

Each function does its own imports, creates its engine and connects (all of which is timed, as a
user pays for it), and returns how many changes it found. Alembic appears here as the reference
and nowhere in ``schemadiff/``. The floor is what any tool has to do at least: the catalog queries
themselves (SQLAlchemy's bulk ``get_multi_*`` on PostgreSQL, the handful of ``information_schema``
queries on MariaDB, the PRAGMA joins on SQLite), with no comparison at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa


def schemadiff_diff(url: str, metadata: sa.MetaData, schemas: Sequence[str]) -> int:
    """What ``schemadiff diff`` does in-process: reflect the database while the models' snapshot
    is built (``pipeline.reflect_with_models``), compare."""
    from schemadiff.diff.engine import compute_diff
    from schemadiff.diff.options import CompareOptions
    from schemadiff.perf import gc_paused
    from schemadiff.sources import inspect_both

    with gc_paused():  # as pipeline.compare: one pause for the whole run
        engine = sa.create_engine(url)
        try:
            with engine.connect() as conn:
                db, models = inspect_both(conn, list(schemas), metadata)
        finally:
            engine.dispose()
        result = compute_diff(db, models, CompareOptions(metadata=metadata))
    return len(result.ops)


def alembic_compare(url: str, metadata: sa.MetaData, schemas: Sequence[str]) -> int:
    """Alembic's ``compare_metadata`` with types and server defaults compared, as schemadiff."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    wanted = set(schemas)

    def include_name(name: str | None, type_: str, parent: Any) -> bool:
        return type_ != "schema" or name is None or name in wanted

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_schemas": bool(wanted),
                    "include_name": include_name,
                    "target_metadata": metadata,
                },
            )
            diffs = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    return len(diffs)


def catalog_floor(url: str, metadata: sa.MetaData, schemas: Sequence[str]) -> int:
    """The bare catalog queries, rows fetched, nothing compared."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            name = conn.dialect.name
            if name == "postgresql":
                return _postgresql_floor(conn, schemas)
            if name in ("mysql", "mariadb"):
                return _mysql_floor(conn, schemas)
            return _sqlite_floor(conn)
    finally:
        engine.dispose()


def _postgresql_floor(conn: sa.Connection, schemas: Sequence[str]) -> int:
    inspector: Any = sa.inspect(conn)
    inspector.get_enums(schema="*")
    found = 0
    for schema in [conn.dialect.default_schema_name, *schemas]:
        found += len(inspector.get_multi_columns(schema=schema))
        inspector.get_multi_pk_constraint(schema=schema)
        inspector.get_multi_unique_constraints(schema=schema)
        inspector.get_multi_foreign_keys(schema=schema)
        inspector.get_multi_indexes(schema=schema)
        inspector.get_multi_check_constraints(schema=schema)
        inspector.get_multi_table_comment(schema=schema)
    return found


def _mysql_floor(conn: sa.Connection, schemas: Sequence[str]) -> int:
    from schemadiff.backends.mysql.queries import fetch_catalog, server_info

    server = server_info(conn)
    # row by row, as the issue defines the floor: schemadiff itself reads them packed into one
    # JSON value per statement (``packed=None``), which is faster than this floor
    rows = fetch_catalog(conn, server, [server.database, *schemas], packed=False)
    return len(rows.tables)


#: the statements of :mod:`schemadiff.backends.sqlite.catalog` (copied, so the floor imports
#: nothing)
_SQLITE_USER_TABLES = "m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
_SQLITE_QUERIES = (
    "SELECT type, name, sql FROM main.sqlite_master ORDER BY name",
    'SELECT m.name, c.cid, c.name, c.type, c."notnull", c.dflt_value, c.pk, c.hidden '
    "FROM main.sqlite_master m JOIN pragma_table_xinfo(m.name, 'main') c "
    f"WHERE {_SQLITE_USER_TABLES} ORDER BY m.name, c.cid",
    'SELECT m.name, f.id, f.seq, f."table", f."from", f."to", f.on_update, f.on_delete '
    "FROM main.sqlite_master m JOIN pragma_foreign_key_list(m.name, 'main') f "
    f"WHERE {_SQLITE_USER_TABLES} ORDER BY m.name, f.id, f.seq",
    'SELECT m.name, il.name, il."unique", il.origin, x.seqno, x.cid, x.name, x."desc" '
    "FROM main.sqlite_master m JOIN pragma_index_list(m.name, 'main') il "
    "JOIN pragma_index_xinfo(il.name, 'main') x "
    f"WHERE {_SQLITE_USER_TABLES} AND x.key = 1 ORDER BY m.name, il.name, x.seqno",
)


def _sqlite_floor(conn: sa.Connection) -> int:
    found = 0
    for sql in _SQLITE_QUERIES:
        found = len(conn.exec_driver_sql(sql).all())
    return found


TOOLS = {
    "schemadiff": schemadiff_diff,
    "alembic": alembic_compare,
    "floor": catalog_floor,
}
