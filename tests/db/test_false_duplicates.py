"""The same foreign key or check declared twice on one side (the models or the database) is one
object plus a warning: no add, no drop."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schemadiff.diff.result import DiffResult
from tests.kit.false_positives import create, described, diff


@pytest.fixture(params=("sqlite", "postgresql", "mysql"))
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _models(twice: bool) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("owners", m, sa.Column("id", sa.Integer, primary_key=True))
    extra: list[sa.SchemaItem] = []
    if twice:
        extra = [
            sa.ForeignKeyConstraint(["owner_id"], ["owners.id"]),
            sa.CheckConstraint("qty >= 0"),
        ]
    sa.Table(
        "items",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("owners.id")),
        sa.Column("qty", sa.Integer),
        sa.CheckConstraint("qty >= 0"),
        *extra,
    )
    return m


def _warned(result: DiffResult) -> list[str]:
    return [n.message for n in result.notices if n.level == "warning" and "twice" in n.message]


@pytest.mark.parametrize(("built", "wanted"), [(True, True), (True, False), (False, True)])
def test_declared_twice_is_one_object_and_a_warning(
    engine: Engine, built: bool, wanted: bool
) -> None:
    create(engine, _models(built))
    result = diff(engine, _models(wanted))
    assert described(result) == []
    warned = _warned(result)
    assert any("foreign key" in w for w in warned), warned
    assert any("check" in w for w in warned), warned


def test_single_declarations_give_no_warning(engine: Engine) -> None:
    create(engine, _models(False))
    result = diff(engine, _models(False))
    assert described(result) == []
    assert _warned(result) == []
