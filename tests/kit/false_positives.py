"""Helpers for the "no false differences" tests: build a database with ``create_all`` (or with
the DDL a test gives) and diff it against models, with schemadiff's own engine."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata


def create(engine: Engine, metadata: sa.MetaData, ddl: Iterable[str] = ()) -> None:
    """``create_all`` of ``metadata``, then the extra DDL statements."""
    with engine.begin() as conn:
        metadata.create_all(conn)
        for statement in ddl:
            conn.exec_driver_sql(statement)


def diff(engine: Engine, models: sa.MetaData, schemas: Iterable[str] = ()) -> DiffResult:
    with engine.connect() as conn:
        db = inspect_database(conn, list(schemas))
        snapshot = inspect_metadata(models, conn.dialect, db.default_schema)
    return compute_diff(db, snapshot, CompareOptions(metadata=models, use_entry_points=False))


def settled_diff(engine: Engine, models: sa.MetaData, schemas: Iterable[str] = ()) -> DiffResult:
    """As the commands do: the models' objects settled by the server where it spells them its
    own way (domains, functions, triggers, policies, views); ``schemas`` reflected too."""
    from schemadiff.sources import inspect_both

    with engine.connect() as conn:
        db, wanted = inspect_both(conn, list(schemas), models)
    return compute_diff(db, wanted)


def described(result: DiffResult) -> list[str]:
    return [op.describe() for op in result.ops]


def backend_of(engine: Engine) -> str:
    return "mysql" if engine.dialect.name in ("mysql", "mariadb") else engine.dialect.name
