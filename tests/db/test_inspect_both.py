"""Reflecting while the models' snapshot is built in a worker thread gives exactly what building
them one after the other gives, and an error in the models still reaches the caller."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures import kitchen_sink
from schemadiff.sources import inspect_both, inspect_database, settle_models
from schemadiff.sources.metadata import inspect_metadata

pytestmark = pytest.mark.db


def test_same_snapshots_as_one_after_the_other(engine: Engine) -> None:
    metadata = kitchen_sink.build(engine.dialect.name)
    schemas = sorted({t.schema for t in metadata.tables.values() if t.schema})
    with engine.begin() as conn:
        kitchen_sink.create(metadata, conn)
    with engine.connect() as conn:
        db, models = inspect_both(conn, schemas, metadata)
        expected_db = inspect_database(conn, schemas)
        built = inspect_metadata(metadata, conn.dialect, expected_db.default_schema)
        expected_models = settle_models(conn, expected_db, built)
    assert db == expected_db
    assert models == expected_models


class _Unwritable(sa.types.UserDefinedType[str]):
    cache_ok = True

    def get_col_spec(self, **kw: object) -> str:
        raise RuntimeError("this type cannot be compiled")


def test_an_error_in_the_models_reaches_the_caller(engine: Engine) -> None:
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table("u", metadata, sa.Column("x", _Unwritable()))
    with engine.connect() as conn, pytest.raises(RuntimeError, match="cannot be compiled"):
        inspect_both(conn, [], metadata)
