"""PostgreSQL catalog text read without a server: type texts, index option bits, CHECK text."""

from __future__ import annotations

import pytest
from sqlalchemy.dialects import postgresql

from schemadiff.backends.postgresql import convert as pg_convert
from schemadiff.backends.postgresql.queries import ConstraintRow
from schemadiff.backends.postgresql.rules import PostgresqlRules
from schemadiff.backends.postgresql.types import catalog_type, sa_type
from schemadiff.backends.registry import rules_for

DIALECT = postgresql.dialect()


def _rules() -> PostgresqlRules:
    rules = rules_for("postgresql")
    assert isinstance(rules, PostgresqlRules)
    return rules


@pytest.mark.parametrize(
    ("text", "sql", "python"),
    [
        ("integer", "integer", "sa.INTEGER()"),
        ("character varying(30)", "varchar(30)", "sa.VARCHAR(length=30)"),
        ("numeric(10,2)", "numeric(10,2)", "sa.NUMERIC(precision=10, scale=2)"),
        ("timestamp(3) with time zone", "timestamptz(3)", None),
        ("double precision", "double", None),
        ("bit varying(5)", "bit varying(5)", None),
        ("interval day to second(2)", "interval day to second(2)", None),
        ("integer[]", "integer[]", "postgresql.ARRAY(sa.INTEGER())"),
    ],
)
def test_catalog_types(text: str, sql: str, python: str | None) -> None:
    ctype = catalog_type(_rules(), DIALECT, text, None, None)
    assert (ctype.sql, ctype.known) == (sql, True)
    if python is not None:
        assert ctype.python == python


def test_unknown_catalog_type_keeps_its_text() -> None:
    ctype = catalog_type(_rules(), DIALECT, "geometry(Point,4326)", None, None)
    assert (ctype.sql, ctype.known, ctype.python) == ("geometry(Point,4326)", False, None)


def test_domain_and_collation_hints() -> None:
    domain = sa_type(DIALECT, '"Pos"', "integer")
    assert isinstance(domain, postgresql.DOMAIN) and domain.name == "Pos"
    assert not domain.create_type
    collated = sa_type(DIALECT, "text", None, "C")
    assert getattr(collated, "collation", None) == "C"


@pytest.mark.parametrize(
    ("flags", "sorting"),
    [(0, ()), (1, ("desc", "nulls_last")), (3, ("desc",)), (2, ("nulls_first",))],
)
def test_index_option_bits(flags: int, sorting: tuple[str, ...]) -> None:
    assert pg_convert._sorting(flags) == sorting


@pytest.mark.parametrize(
    ("definition", "raw"),
    [
        ("CHECK (a > 0)", "a > 0"),
        ("CHECK ((a > 0))", "a > 0"),
        ("CHECK ((a > 0) AND (b < 1)) NOT VALID", "(a > 0) AND (b < 1)"),
        ("CHECK (a = ')(') NO INHERIT", "a = ')('"),
    ],
)
def test_check_text(definition: str, raw: str) -> None:
    ctx = pg_convert.Context(_rules(), DIALECT, "public")
    row = ConstraintRow("ck", "c", [1], None, None, None, " ", " ", False, False, definition)
    assert pg_convert.check(ctx, row).raw == raw
