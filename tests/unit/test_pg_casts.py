"""Which PostgreSQL type changes get USING and a guard (no server: the rules as a table)."""

from __future__ import annotations

import pytest

from schemadiff.backends.postgresql.casts import cast_type, plan_type_change
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.typeorder import is_widening


@pytest.mark.parametrize(
    ("old", "new", "using"),
    [
        ("varchar(100)", "varchar(40)", None),
        ("numeric(10,3)", "numeric(8,2)", None),
        ("numeric(10,2)", "integer", None),
        ("bigint", "integer", None),
        ("double", "real", None),
        ("timestamptz", "timestamp", None),
        ("integer", "text", None),
        ("text", "varchar(10)", None),
        ("enum(mood)", "text", None),
        ("integer[]", "smallint[]", None),
        ("text", "integer", '"c"::integer'),
        ("integer", "boolean", '"c"::boolean'),
        ("text", "enum(s.mood)", '"c"::"s"."mood"'),
        ("integer", "enum(mood)", '"c"::text::"mood"'),
        ("enum(a)", "enum(b)", '"c"::text::"b"'),
        ("text", "timestamptz(3)", '"c"::timestamp(3) with time zone'),
        ("text", "uuid", '"c"::uuid'),
    ],
)
def test_using_only_without_an_assignment_cast(old: str, new: str, using: str | None) -> None:
    assert plan_type_change(None, "t", "c", old, new).using == using


def test_guard_on_every_change_that_is_not_a_widening() -> None:
    assert plan_type_change(None, "t", "c", "varchar(40)", "varchar(100)").guard is None
    assert plan_type_change(None, "t", "c", "integer", "bigint").guard is None
    guard = plan_type_change("s", "t", "c", "numeric(10,3)", "numeric(8,2)").guard
    assert guard is not None
    assert 'FROM "s"."t" WHERE CAST(CAST("c" AS numeric(8,2)) AS numeric(10,3))' in guard
    assert 'IS DISTINCT FROM "c"' in guard and "RAISE EXCEPTION" in guard
    # json has no equality operator: no guard can compare its values
    assert plan_type_change(None, "t", "c", "json", "varchar(10)").guard is None


def test_guard_message_is_quoted() -> None:
    guard = plan_type_change(None, "it's", "100%", "text", "integer").guard
    assert guard is not None
    assert "it''s.100%%" in guard and '"it\'s"' in guard


def test_cast_type_spellings() -> None:
    assert cast_type("double") == "double precision"
    assert cast_type("timetz(2)") == "time(2) with time zone"
    assert cast_type("enum(Mood)[]") == '"Mood"[]'


def test_other_backends_keep_their_own_conversion() -> None:
    change = rules_for("mysql").type_change(None, "t", "c", "varchar(100)", "varchar(40)")
    assert (change.kwargs, change.guard) == ((), None)


def test_precision_zero_is_narrower_than_the_default() -> None:
    assert not is_widening("timestamp(6)", "timestamp(0)")
    assert is_widening("timestamp(0)", "timestamp")
    assert is_widening("integer", "text") and not is_widening("text", "integer")
