"""Literal server defaults compare by value after the server's cast to the column's type.

A database built by ``create_all`` from the models shows no difference, whatever spelling the
models use (``"0"``, ``"false"``, ``sa.false()`` on a Boolean; ``"-1"`` on an Integer; ``"0"`` on an
Interval; ``5.0`` on a Float...), and a real change of value is still found and converges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Engine

from tests.kit.false_positives import create, described, diff

BACKENDS = ("sqlite", "postgresql", "mysql")


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _defaults(backend: str) -> list[tuple[sa.types.TypeEngine, object]]:
    """(type, server_default) pairs ``create_all`` accepts on ``backend``."""
    pairs: list[tuple[sa.types.TypeEngine, object]] = [
        (sa.Boolean(), "0"),
        (sa.Boolean(), "1"),
        (sa.Boolean(), sa.false()),
        (sa.Boolean(), sa.true()),
        (sa.Integer(), "-1"),
        (sa.Integer(), sa.text("-1")),
        (sa.Integer(), sa.text("(-1)")),
        (sa.Integer(), "5"),
        (sa.BigInteger(), sa.text("'7'")),
        (sa.Numeric(5, 2), "1.50"),
        (sa.Numeric(5, 2), "1.5"),
        (sa.Numeric(5, 2), sa.text("1.5")),
        (sa.Numeric(10, 2), "5.00"),
        (sa.Float(), "5.0"),
        (sa.Float(), sa.text("5.0")),
        (sa.Float(), sa.text("5")),
        (sa.Float(), sa.text("1e3")),
        (sa.Float(), sa.text("-1.5")),
        (sa.Date(), "2020-01-01"),
        (sa.DateTime(), "2020-01-01 00:00:00"),
        (sa.DateTime(), "2020-01-01"),
        (sa.Enum("a", "b", name="letters"), "a"),
        (sa.String(10), "x"),
        (sa.String(10), sa.text("5")),
        (sa.String(10), "0"),
    ]
    if backend in ("postgresql", "sqlite"):
        pairs += [
            (sa.Boolean(), "t"),
            (sa.Boolean(), "false"),
            (sa.Boolean(), "true"),
            (sa.Boolean(), " yes "),
            (sa.Boolean(), "off"),
        ]
    if backend in ("mysql", "sqlite"):
        pairs += [(sa.Boolean(), sa.text("0")), (sa.Boolean(), sa.text("1"))]
    if backend == "mysql":  # MariaDB shows these as '2020-01-01 00:00:00.000000', '01:02:03.000'
        pairs += [
            (mysql.DATETIME(fsp=6), "2020-01-01 00:00:00"),
            (mysql.TIME(fsp=3), "01:02:03"),
        ]
    if backend == "postgresql":
        pairs += [
            (sa.Interval(), "0"),
            (sa.Interval(), "1 day"),
            (sa.Interval(), "01:30:00"),
            (sa.Interval(), "2 hours 30 minutes"),
            (pg.UUID(), "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"),
            (sa.DateTime(timezone=True), "2020-01-01 00:00:00+00"),
            (sa.Time(), "1:02:03"),
        ]
    return pairs


def _models(backend: str, override: dict[int, object] | None = None) -> sa.MetaData:
    m = sa.MetaData()
    columns = [sa.Column("id", sa.Integer, primary_key=True)]
    for i, (type_, default) in enumerate(_defaults(backend)):
        if override and i in override:
            default = override[i]
        columns.append(sa.Column(f"c{i}", type_, server_default=default))  # type: ignore[arg-type]
    sa.Table("t", m, *columns)
    return m


def _backend(engine: Engine) -> str:
    return "mysql" if engine.dialect.name in ("mysql", "mariadb") else engine.dialect.name


def test_create_all_defaults_show_no_difference(engine: Engine) -> None:
    backend = _backend(engine)
    create(engine, _models(backend))
    assert described(diff(engine, _models(backend))) == []


@pytest.mark.parametrize(
    ("type_", "old", "new"),
    [
        (sa.Boolean(), "0", "1"),
        (sa.Integer(), "-1", "1"),
        (sa.Numeric(5, 2), "1.50", "1.51"),
        (sa.Float(), "5.0", "5.5"),
        (sa.String(10), "0", "00"),
        (sa.Date(), "2020-01-01", "2020-01-02"),
    ],
)
def test_a_changed_value_is_still_found_and_converges(
    engine: Engine, type_: sa.types.TypeEngine, old: str, new: str
) -> None:
    def models(default: str) -> sa.MetaData:
        m = sa.MetaData()
        sa.Table(
            "t",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("c", type_, server_default=default),
        )
        return m

    create(engine, models(old))
    result = diff(engine, models(new))
    assert [op.kind for op in result.ops] == ["alter_column"], described(result)
    assert result.ops[0].changes == ("server_default",)  # type: ignore[attr-defined]
    # apply it the way a migration does, then the database matches the models
    with engine.begin() as conn:
        table = f"{engine.dialect.identifier_preparer.quote('t')}"
        literal = "'" + new + "'"
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TABLE t")
            models(new).create_all(conn)
        elif engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN c SET DEFAULT {literal}")
        else:
            conn.exec_driver_sql(f"ALTER TABLE {table} ALTER COLUMN c SET DEFAULT {literal}")
    assert described(diff(engine, models(new))) == []


@pytest.mark.parametrize(
    ("db_default", "model_default"),
    [("'-1'", sa.text("-1")), ("-1", "-1"), ("'5.0'", "5"), ("1.50", "1.5")],
)
def test_sqlite_keeps_the_number_it_was_given(
    backend_url: Callable[[str], str], db_default: str, model_default: object
) -> None:
    """SQLite stores the DDL's text: ``DEFAULT '-1'`` on a numeric-affinity column holds -1."""
    engine = sa.create_engine(backend_url("sqlite"))
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f"CREATE TABLE t (id INTEGER NOT NULL PRIMARY KEY, c NUMERIC DEFAULT {db_default})"
            )
        m = sa.MetaData()
        sa.Table(
            "t",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("c", sa.Numeric, server_default=model_default),  # type: ignore[arg-type]
        )
        assert described(diff(engine, m)) == []
    finally:
        engine.dispose()
