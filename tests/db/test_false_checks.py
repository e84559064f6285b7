"""Check constraints with negative literals compare by value: what ``create_all`` built from the
models shows no difference (PostgreSQL reports ``amount > -1`` as ``(amount > '-1'::integer)``,
``amount > -1.5`` as ``((amount)::numeric > '-1.5'::numeric)``), and a real change is found."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.kit.false_positives import create, described, diff

CHECKS = (
    "amount > -1",
    "amount > (-1)",
    "amount > - 1",
    "amount >= -1.5",
    "price > -0.5 AND price < 1e3",
    "amount BETWEEN -10 AND -2 OR amount > 0",
    "big <> -9000000000",
)


@pytest.fixture(params=("sqlite", "postgresql", "mysql"))
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _models(checks: tuple[str, ...]) -> sa.MetaData:
    m = sa.MetaData()
    sa.Table(
        "ledger",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("amount", sa.Integer),
        sa.Column("price", sa.Numeric(8, 2)),
        sa.Column("big", sa.BigInteger),
        *(sa.CheckConstraint(text, name=f"ck_{i}") for i, text in enumerate(checks)),
    )
    return m


def test_negative_literals_show_no_difference(engine: Engine) -> None:
    create(engine, _models(CHECKS))
    assert described(diff(engine, _models(CHECKS))) == []


def test_a_changed_negative_literal_is_found(engine: Engine) -> None:
    create(engine, _models(("amount > -1",)))
    result = diff(engine, _models(("amount > -2",)))
    assert sorted(op.kind for op in result.ops) == [
        "add_check_constraint",
        "drop_check_constraint",
    ], described(result)
