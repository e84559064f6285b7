"""A schema listed in ``schemas`` (config or ``--schema``) that the models do not use is never
proposed for ``DROP SCHEMA``: listing it asks to compare it, not to own it."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
import sqlalchemy as sa

from tests.kit.false_positives import create, described, diff


def _models(schema: str | None = None) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    if schema is not None:
        sa.Table("log", m, sa.Column("id", sa.Integer, primary_key=True), schema=schema)
    return m


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_listed_unused_schema_is_not_dropped(
    backend: str, backend_url: Callable[[str], str]
) -> None:
    engine = sa.create_engine(backend_url(backend))
    schema = f"sd_audit_{uuid.uuid4().hex[:8]}"
    quote = engine.dialect.identifier_preparer.quote
    keyword = "SCHEMA" if backend == "postgresql" else "DATABASE"
    try:
        create(engine, _models(), [f"CREATE {keyword} {quote(schema)}"])
        result = diff(engine, _models(), schemas=[schema])
        assert described(result) == []
        assert any(schema in n.message for n in result.notices if n.level == "info")
        if backend == "mysql":
            return  # a listed database that does not exist is taken as existing (left, reported)
        # a schema the models do use is still created when missing
        other = f"sd_new_{uuid.uuid4().hex[:8]}"
        result = diff(engine, _models(other), schemas=[schema, other])
        assert sorted(op.kind for op in result.ops) == ["create_schema", "create_table"]
    finally:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP {keyword} IF EXISTS {quote(schema)}")
        engine.dispose()
