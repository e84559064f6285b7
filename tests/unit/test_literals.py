"""Literal defaults cast to the column's type family, per backend
(schemadiff.canonical.literals)."""

from __future__ import annotations

import pytest

from schemadiff.backends.registry import rules_for
from schemadiff.canonical.literals import interval_text, interval_value


@pytest.mark.parametrize(
    ("dialect", "type_sql", "left", "right"),
    [
        ("postgresql", "boolean", "'0'", "FALSE"),
        ("postgresql", "boolean", "'t'", "TRUE"),
        ("postgresql", "boolean", "' Yes '", "TRUE"),
        ("postgresql", "boolean", "'of'", "FALSE"),
        ("postgresql", "integer", "'-1'", "-1"),
        ("postgresql", "numeric(5,2)", "'1.5'", "1.50"),
        ("postgresql", "numeric(5,2)", "1.505", "1.51"),
        ("postgresql", "double", "1e3", "1000"),
        ("postgresql", "double", "'5'", "5.0"),
        ("postgresql", "varchar(10)", "5", "'5'"),
        ("postgresql", "interval", "'0'", "'00:00:00'"),
        ("postgresql", "interval", "'1 day 2 hours'", "'1 day 02:00:00'"),
        ("postgresql", "interval", "'90 minutes'", "'01:30:00'"),
        ("postgresql", "date", "'2020-01-01 10:00'", "'2020-01-01'"),
        ("postgresql", "timestamp", "'2020-01-01'", "'2020-01-01 00:00:00'"),
        ("postgresql", "timestamptz", "'2020-01-01 02:00:00+02'", "'2020-01-01 00:00:00+00'"),
        ("postgresql", "uuid", "'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'",
         "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'"),
        ("mysql", "boolean", "'1'", "1"),
        ("mysql", "boolean", "TRUE", "1"),
        ("mysql", "numeric(10,2)", "5.00", "'5'"),
        ("mysql", "datetime", "'2020-01-01'", "'2020-01-01 00:00:00'"),
        ("sqlite", "integer", "'-1'", "-1"),
        ("sqlite", "numeric(5,2)", "'1.50'", "1.5"),
        ("sqlite", "boolean", "'0'", "0"),
        ("sqlite", "varchar(10)", "5", "'5'"),
    ],
)  # fmt: skip
def test_same_value_after_the_cast(dialect: str, type_sql: str, left: str, right: str) -> None:
    rules = rules_for(dialect)
    assert rules.typed_default(left, type_sql) == rules.typed_default(right, type_sql)


@pytest.mark.parametrize(
    ("dialect", "type_sql", "left", "right"),
    [
        ("postgresql", "boolean", "'0'", "'1'"),
        ("postgresql", "boolean", "'o'", "'off'"),  # ambiguous: left as text
        ("postgresql", "integer", "'-1'", "1"),
        ("postgresql", "numeric(5,2)", "1.50", "1.51"),
        ("postgresql", "varchar(10)", "'0'", "'00'"),
        ("postgresql", "varchar(10)", "'1.0'", "1"),
        ("postgresql", "interval", "'1 day'", "'24:00:00'"),  # PostgreSQL keeps them apart
        ("postgresql", "jsonb", "'5'", "5"),  # unknown family: canonical text
        ("postgresql", "integer[]", "'{1}'", "'{01}'"),
        ("postgresql", "timestamptz", "'2020-01-01 00:00:00'", "'2020-01-01 00:00:00+00'"),
        ("mysql", "varchar(10)", "'007'", "7"),
        ("sqlite", "boolean", "'true'", "1"),  # SQLite does not read 'true' as a number
        ("sqlite", "blob", "'1'", "1"),
        ("sqlite", "text", "'1.0'", "1"),
    ],
)  # fmt: skip
def test_different_values_stay_different(
    dialect: str, type_sql: str, left: str, right: str
) -> None:
    rules = rules_for(dialect)
    assert rules.typed_default(left, type_sql) != rules.typed_default(right, type_sql)


@pytest.mark.parametrize(
    "text", ["00:00:00", "1 day", "1 year 2 mons 3 days 04:05:06.5", "-01:00:00", "5 days"]
)
def test_interval_text_reads_back_as_itself(text: str) -> None:
    parsed = interval_value(text)
    assert parsed is not None
    assert interval_text(*parsed) == text


@pytest.mark.parametrize("dialect", ["postgresql", "mysql", "sqlite"])
@pytest.mark.parametrize(
    ("type_sql", "default"),
    [("boolean", "'t'"), ("numeric(5,2)", "'1.5'"), ("interval", "'1 hour'"), ("date", "'2020-1'"),
     ("timestamp", "'2020-01-01'"), ("varchar(3)", "-1.0"), ("integer", "now()")],
)  # fmt: skip
def test_typed_default_is_idempotent(dialect: str, type_sql: str, default: str) -> None:
    rules = rules_for(dialect)
    once = rules.typed_default(default, type_sql)
    assert once is not None
    assert rules.typed_default(once, type_sql) == once


def test_numbers_past_decimal_precision_stay_text() -> None:
    rules = rules_for("postgresql")
    huge = "1" * 40
    assert rules.typed_default(huge, "bigint") == huge
    assert rules.typed_default(huge + ".5", "numeric(60,10)") == huge + ".5"


def test_fractional_seconds_compare_by_value() -> None:
    """MariaDB shows ``DATETIME(6)`` defaults with all six digits."""
    rules = rules_for("mysql")
    left = rules.typed_default("'2020-01-01 00:00:00.000000'", "datetime(6)")
    assert left == rules.typed_default("'2020-01-01 00:00:00'", "datetime(6)")
    assert left != rules.typed_default("'2020-01-01 00:00:00.5'", "datetime(6)")
