"""Policy and RowLevelSecurity declarations: their checks, alembic_utils' definition text read
part by part, and backends without row-level security saying so."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from schemadiff.diff.engine import compute_diff
from schemadiff.objects import Policy, RowLevelSecurity
from schemadiff.objects.policies import parse_policy_definition
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata


def test_a_definition_is_read_part_by_part() -> None:
    assert parse_policy_definition("USING ((a = (b)) AND c = ')')") == {
        "permissive": True,
        "command": "ALL",
        "roles": ("public",),
        "using": "(a = (b)) AND c = ')'",
    }
    assert parse_policy_definition("as RESTRICTIVE for insert to a, b with check (x > 1);") == {
        "permissive": False,
        "command": "INSERT",
        "roles": ("a", "b"),
        "with_check": "x > 1",
    }
    with pytest.raises(ValueError, match="cannot read"):
        parse_policy_definition("USING x = 1")


def test_bad_declarations_say_why() -> None:
    metadata = sa.MetaData()
    with pytest.raises(ValueError, match="command must be one of"):
        Policy(metadata, "p", "t", command="MERGE")
    with pytest.raises(ValueError, match="at least one role"):
        Policy(metadata, "p", "t", roles=())
    with pytest.raises(TypeError, match="SQL text"):
        Policy(metadata, "p", "t", using=sa.text("x"))  # type: ignore[arg-type]


def test_sqlite_says_it_does_not_compare_policies() -> None:
    engine = sa.create_engine("sqlite://")
    metadata = sa.MetaData()
    sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True))
    RowLevelSecurity(metadata, "orders")
    Policy(metadata, "own_rows", "orders", using="id > 0")
    with engine.begin() as conn:
        metadata.create_all(conn)
    db = inspect_database(engine, [])
    result = compute_diff(db, inspect_metadata(metadata, engine.dialect, db.default_schema))
    assert result.ops == ()
    assert [n.message for n in result.notices if n.level == "not_compared"] == [
        "row-level security policies: the sqlite backend does not report them, so they were "
        "not compared"
    ]
