"""Tables and schemas on hand-built snapshots."""

from __future__ import annotations

import pytest

from schemadiff.ops import CreateSchema, CreateTable, DropSchema, DropTable
from schemadiff.snapshot.model import Column, ColumnType, PrimaryKey
from tests.kit.builders import col, diff, kinds, limited_dialect, messages, snap, table


def test_equal_snapshots_give_no_ops() -> None:
    users = table(
        "users",
        col("id", nullable=False),
        col("name", "varchar(50)"),
        primary_key=PrimaryKey(("id",), "users_pkey"),
        comment="people",
    )
    result = diff(snap(users), snap(users))
    assert result.ops == ()
    assert result.notices == ()
    assert result.is_empty


def test_create_and_drop_table() -> None:
    result = diff(snap(table("old")), snap(table("new")))
    assert kinds(result) == ["create_table", "drop_table"]
    create, drop = result.ops
    assert isinstance(create, CreateTable) and create.table_obj.name == "new"
    assert isinstance(drop, DropTable) and drop.table_obj.name == "old"
    assert drop.destructive


def test_created_table_gets_no_per_table_ops() -> None:
    new = table("t", Column("a", ColumnType("integer"), nullable=False), comment="x")
    result = diff(snap(), snap(new))
    assert kinds(result) == ["create_table"]
    assert messages(result, "warning") == []  # no backfill warning for a new table


def test_schemas_created_never_dropped() -> None:
    db = snap(table("a", schema="gone"), schemas=("gone",))
    models = snap(table("b", schema="fresh"), schemas=("fresh",))
    result = diff(db, models)
    assert kinds(result) == ["create_schema", "create_table", "drop_table"]
    assert result.ops[0] == CreateSchema("fresh")
    assert not any(isinstance(op, DropSchema) for op in result.ops)
    assert any("gone" in m for m in messages(result, "info"))


def test_default_schema_is_never_created() -> None:
    db = snap(default_schema="public")
    models = snap(table("t"), default_schema="public", schemas=())
    assert kinds(diff(db, models)) == ["create_table"]


def test_schemas_not_supported_gives_one_notice(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch)
    db = snap(table("a", schema="s"), dialect=name, schemas=("s",))
    models = snap(table("a", schema="s"), table("b", schema="t"), dialect=name, schemas=("s", "t"))
    result = diff(db, models)
    assert kinds(result) == ["create_table"]
    assert len(messages(result, "not_compared")) == 1
    assert "schemas" in messages(result, "not_compared")[0]


def test_source_notes_become_not_compared_notices() -> None:
    db = snap(not_compared=("exclusion constraints",))
    models = snap(not_compared=("exclusion constraints", "triggers"))
    result = diff(db, models)
    assert result.ops == ()
    assert messages(result, "not_compared") == ["exclusion constraints", "triggers"]


def test_dialect_of_result_is_the_databases() -> None:
    assert diff(snap(), snap()).dialect == "unit"
