"""Helpers shared by the tests that run golden cases against real databases."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.cases import Case
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata


def schemas_of(*metadatas: sa.MetaData) -> list[str]:
    return sorted({t.schema for m in metadatas for t in m.tables.values() if t.schema})


def build_v1(engine: Engine, case: Case) -> None:
    """``create_all`` of v1 (with its schemas) plus the seed rows."""
    meta = case.v1()
    with engine.begin() as conn:
        for schema in schemas_of(meta):
            _create_schema(conn, schema)
        meta.create_all(conn)
        for table in meta.sorted_tables:
            rows = case.rows.get(table.name)
            if rows:
                conn.execute(table.insert(), rows)


def _create_schema(conn: sa.Connection, schema: str) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    elif conn.dialect.name in ("mysql", "mariadb"):
        conn.execute(sa.text(f"CREATE DATABASE IF NOT EXISTS `{schema}`"))


def diff_against(engine: Engine, case: Case, target: sa.MetaData) -> DiffResult:
    """Diff the database against ``target`` with the case's rename hints."""
    schemas = schemas_of(case.v1(), case.v2())
    with engine.connect() as conn:
        db = inspect_database(conn, schemas)
        models = inspect_metadata(target, conn.dialect, db.default_schema)
    options = CompareOptions(
        rename_tables=case.rename_tables,
        rename_columns=case.rename_columns,
        metadata=target,
        use_entry_points=False,
    )
    return compute_diff(db, models, options)
