"""Columns: add, drop, and each alterable attribute, with hooks and feature gating."""

from __future__ import annotations

from typing import Any

import pytest

from schemadiff.ops import AddColumn, AlterColumn, DropColumn
from schemadiff.snapshot.model import Column, Computed, Identity
from tests.kit.builders import col, diff, kinds, limited_dialect, messages, snap, table


def one_alter(db_col: Column, model_col: Column, **options: Any) -> AlterColumn:
    result = diff(snap(table("t", db_col)), snap(table("t", model_col)), **options)
    assert kinds(result) == ["alter_column"], result.ops
    op = result.ops[0]
    assert isinstance(op, AlterColumn)
    return op


def no_change(db_col: Column, model_col: Column, **options: Any) -> None:
    result = diff(snap(table("t", db_col)), snap(table("t", model_col)), **options)
    assert result.ops == (), result.ops


def test_add_and_drop_column() -> None:
    db = snap(table("t", col("id"), col("old", "text")))
    models = snap(table("t", col("id"), col("new", "varchar(5)")))
    result = diff(db, models)
    assert kinds(result) == ["add_column", "drop_column"]
    add, drop = result.ops
    assert isinstance(add, AddColumn) and add.column.name == "new"
    assert isinstance(drop, DropColumn) and drop.column.name == "old" and drop.destructive
    assert "possible rename" not in " ".join(messages(result))  # different types


@pytest.mark.parametrize(
    ("attr", "old", "new"),
    [
        ("type", col("c", "varchar(50)"), col("c", "varchar(100)")),
        ("type", col("c", "integer"), col("c", "bigint")),
        ("nullable", col("c", nullable=True), col("c", nullable=False)),
        ("server_default", col("c", server_default="0"), col("c", server_default="1")),
        ("server_default", col("c"), col("c", server_default="1")),
        ("comment", col("c", comment="a"), col("c", comment="b")),
        ("identity", col("c"), col("c", identity=Identity(always=True))),
        ("computed", col("c", computed=Computed("a + 1")), col("c", computed=Computed("a + 2"))),
        ("collation", col("c", "text", collation="C"), col("c", "text", collation="de_DE")),
    ],
)
def test_each_attribute_change_is_one_alter(attr: str, old: Column, new: Column) -> None:
    op = one_alter(old, new)
    assert op.changes == (attr,)
    assert op.old == old
    assert op.describe()


def test_alter_lists_several_changes_in_one_op() -> None:
    op = one_alter(col("c", "varchar(5)"), col("c", "varchar(9)", nullable=False, comment="x"))
    assert op.changes == ("type", "nullable", "comment")
    assert not op.destructive  # widening


def test_narrowing_type_is_destructive() -> None:
    assert one_alter(col("c", "varchar(50)"), col("c", "varchar(10)")).destructive
    assert one_alter(col("c", "bigint"), col("c", "integer")).destructive


def test_collation_compared_only_when_the_model_sets_one() -> None:
    no_change(col("c", "text", collation="en_US"), col("c", "text"))


@pytest.mark.parametrize(
    "change",
    [
        {"increment": 7},
        {"always": True},
        {"cycle": True},
        {"minvalue": 0},
        {"maxvalue": 100},
        {"start": 5},
    ],
)
def test_every_identity_option_is_compared(change: dict[str, object]) -> None:
    """Both sides store an option at the backend's default as None (the dialect rules
    canonicalize them), so options compare one by one."""
    no_change(col("c", identity=Identity(start=5)), col("c", identity=Identity(start=5)))
    op = one_alter(col("c", identity=Identity()), col("c", identity=Identity(**change)))  # type: ignore[arg-type]
    assert op.changes == ("identity",)
    assert op.describe().startswith("alter column t.c: identity ")


def test_defaults_of_generated_columns_are_not_compared() -> None:
    no_change(col("c", autoincrement=True, server_default="nextval('s')"), col("c"))
    no_change(col("c", identity=Identity(), server_default="x"), col("c", identity=Identity()))


def test_unchanged_attributes_keep_database_values_in_the_op() -> None:
    op = one_alter(col("c", "text", collation="en_US"), col("c", "text", nullable=False))
    assert op.changes == ("nullable",)
    assert op.new.collation == "en_US"


def test_compare_type_false_skips_types() -> None:
    no_change(col("c", "integer"), col("c", "bigint"), compare_type=False)


def test_compare_type_hook_decides_or_defers() -> None:
    seen: list[tuple[str, str, str, str]] = []

    def hook(ctx: Any, db_col: Column, model_col: Column, db_t: Any, model_t: Any) -> bool | None:
        seen.append((db_col.type.sql, model_col.type.sql, db_t.name, model_t.name))
        if db_col.type.sql == "json":
            return False
        return None

    no_change(col("c", "json"), col("c", "jsonb"), compare_type=hook)
    assert seen == [("json", "jsonb", "t", "t")]
    assert one_alter(col("c", "integer"), col("c", "bigint"), compare_type=hook).changes == (
        "type",
    )


def test_compare_server_default_hook() -> None:
    def never(*args: Any) -> bool:
        return False

    no_change(
        col("c", server_default="0"), col("c", server_default="1"), compare_server_default=never
    )
    no_change(
        col("c", server_default="0"), col("c", server_default="1"), compare_server_default=False
    )


def test_hook_saying_different_forces_equal_values_into_the_op() -> None:
    """Alembic's test_user_compare_server_default_return_values: a hook returning True for
    defaults we consider equal still yields an alter that sets the model's default."""

    def always(*args: Any) -> bool:
        return True

    db_col, model_col = col("c", server_default="'x'"), col("c", server_default="'x'")
    op = one_alter(db_col, model_col, compare_server_default=always)
    assert op.changes == ("server_default",)
    assert op.forced == ("server_default",)
    assert op.new.server_default == "'x'"
    assert "(a compare hook says it differs)" in op.describe()
    reverse = op.reverse()
    assert isinstance(reverse, AlterColumn) and reverse.changes == ("server_default",)
    assert reverse.reverse() == op
    # the same through compare_type; a value that really differs is not "forced"
    op = one_alter(col("c", "text"), col("c", "text"), compare_type=always)
    assert (op.changes, op.forced) == (("type",), ("type",))
    op = one_alter(
        col("c", server_default="0"), col("c", server_default="1"), compare_server_default=always
    )
    assert (op.changes, op.forced) == (("server_default",), ())
    assert "hook" not in op.describe()


def test_unknown_type_is_not_compared_with_a_notice() -> None:
    db = snap(table("t", col("c", "geometry", known=False)))
    models = snap(table("t", col("c", "text")))
    result = diff(db, models)
    assert result.ops == ()
    [note] = messages(result, "not_compared")
    assert "t.c" in note and "geometry" in note
    # other attributes of the same column are still compared
    models = snap(table("t", col("c", "text", nullable=False)))
    assert kinds(diff(db, models)) == ["alter_column"]


def test_not_null_column_without_default_warns_about_backfill() -> None:
    db = snap(table("t", col("id")))
    models = snap(table("t", col("id"), col("c", nullable=False)))
    result = diff(db, models)
    assert kinds(result) == ["add_column"]
    [warning] = messages(result, "warning")
    assert "t.c" in warning and "server default" in warning and "backfill" in warning
    models = snap(table("t", col("id"), col("c", nullable=False, server_default="0")))
    assert messages(diff(db, models), "warning") == []


def test_comments_on_a_backend_without_them(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch, "collation")
    db = snap(table("t", col("c"), col("d")), dialect=name)
    models = snap(
        table("t", col("c", comment="x"), col("d", comment="y"), comment="z"), dialect=name
    )
    result = diff(db, models)
    assert result.ops == ()
    assert len(messages(result, "not_compared")) == 1
    assert "comments" in messages(result, "not_compared")[0]


def test_identity_and_computed_gated_by_features(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch)
    db = snap(table("t", col("c"), col("d")), dialect=name)
    models = snap(
        table("t", col("c", identity=Identity()), col("d", computed=Computed("c"))), dialect=name
    )
    result = diff(db, models)
    assert result.ops == ()
    assert len(messages(result, "not_compared")) == 2
