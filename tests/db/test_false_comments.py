"""An empty comment and no comment are the same (tables and columns, both directions), on the
backends that store comments; a real comment is still found."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.kit.false_positives import create, described, diff


@pytest.fixture(params=("postgresql", "mysql"))
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _models(comment: str | None) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "notes",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.String(20), comment=comment),
        comment=comment,
    )
    return m


@pytest.mark.parametrize(("built", "wanted"), [("", None), (None, ""), ("", "")])
def test_empty_comment_is_no_comment(engine: Engine, built: str | None, wanted: str | None) -> None:
    create(engine, _models(built))
    assert described(diff(engine, _models(wanted))) == []


def test_database_comment_set_to_empty_is_no_comment(engine: Engine) -> None:
    create(engine, _models("x"))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("COMMENT ON TABLE notes IS ''")
            conn.exec_driver_sql("COMMENT ON COLUMN notes.body IS ''")
        else:
            conn.exec_driver_sql("ALTER TABLE notes COMMENT ''")
            conn.exec_driver_sql("ALTER TABLE notes MODIFY body VARCHAR(20) NULL COMMENT ''")
    assert described(diff(engine, _models(None))) == []
    assert described(diff(engine, _models(""))) == []


def test_a_real_comment_is_still_found(engine: Engine) -> None:
    create(engine, _models(""))
    result = diff(engine, _models("hello"))
    assert sorted(op.kind for op in result.ops) == ["alter_column", "alter_table_comment"]
    create_back = diff(engine, _models(None))
    assert described(create_back) == []
