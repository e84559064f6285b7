"""Renames: hints, info, questioner, warnings, and everything that mentions a renamed object."""

from __future__ import annotations

from typing import Any

from schemadiff.ops import AlterColumn, RenameColumn, RenameTable
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    ForeignKey,
    PrimaryKey,
    UniqueConstraint,
)
from tests.kit.builders import col, diff, index, kinds, messages, snap, table


def users(name_col: str, type_: str = "varchar(50)", **kw: Any) -> Any:
    return table("users", col("id", nullable=False), col(name_col, type_, **kw))


def test_column_hint_renames() -> None:
    result = diff(
        snap(users("name")),
        snap(users("full_name")),
        rename_columns=((None, "users", "name", "full_name"),),
    )
    assert kinds(result) == ["rename_column"]
    op = result.ops[0]
    assert isinstance(op, RenameColumn)
    assert (op.table_name, op.old_name, op.new_name) == ("users", "name", "full_name")
    assert op.column is not None and op.column.name == "name"
    assert messages(result) == []


def test_rename_plus_type_change_is_rename_and_alter() -> None:
    result = diff(
        snap(users("mail", "varchar(50)")),
        snap(users("email", "varchar(120)")),
        rename_columns=((None, "users", "mail", "email"),),
    )
    assert kinds(result) == ["rename_column", "alter_column"]
    alter = result.ops[1]
    assert isinstance(alter, AlterColumn)
    assert alter.name == "email" and alter.changes == ("type",)


def test_column_info_renames_and_is_silent_once_applied() -> None:
    model = snap(users("full_name", renamed_from="name"))
    assert kinds(diff(snap(users("name")), model)) == ["rename_column"]
    applied = diff(snap(users("full_name")), model)
    assert applied.ops == () and applied.notices == ()


def test_stale_info_hint_warns() -> None:
    result = diff(snap(users("x", "text")), snap(users("full_name", renamed_from="name")))
    assert sorted(kinds(result)) == ["add_column", "drop_column"]
    assert any("renamed_from 'name'" in m for m in messages(result, "warning"))


def test_hint_naming_nothing_warns() -> None:
    result = diff(
        snap(users("name")),
        snap(users("name")),
        rename_columns=((None, "users", "nope", "name2"),),
        rename_tables=((None, "ghost", "spirit"),),
    )
    assert result.ops == ()
    warnings = messages(result, "warning")
    assert len(warnings) == 2
    assert any("--rename-column users.nope=name2 ignored" in w for w in warnings)
    assert any("--rename-table ghost=spirit ignored" in w for w in warnings)


def test_unhinted_same_type_column_warns_with_the_hint_to_use() -> None:
    result = diff(snap(users("name")), snap(users("full_name")))
    assert sorted(kinds(result)) == ["add_column", "drop_column"]
    [warning] = messages(result, "warning")
    assert warning == (
        "possible rename of users.name to users.full_name: pass --rename-column "
        'users.name=full_name or set info={"renamed_from": "name"} on the column'
    )


def test_questioner_turns_yes_into_a_rename() -> None:
    asked: list[tuple[str, str, str, str]] = []

    def yes(kind: str, table: str, old: str, new: str) -> bool:
        asked.append((kind, table, old, new))
        return True

    result = diff(snap(users("name")), snap(users("full_name")), questioner=yes)
    assert kinds(result) == ["rename_column"]
    assert asked == [("column", "users", "name", "full_name")]
    assert messages(result) == []


def test_questioner_no_keeps_drop_and_add_with_warning() -> None:
    result = diff(snap(users("name")), snap(users("full_name")), questioner=lambda *a: False)
    assert sorted(kinds(result)) == ["add_column", "drop_column"]
    assert len(messages(result, "warning")) == 1


def test_table_hint_and_info() -> None:
    db, models = snap(table("posts")), snap(table("articles"))
    result = diff(db, models, rename_tables=((None, "posts", "articles"),))
    assert list(result.ops) == [RenameTable(None, "posts", "articles")]
    models = snap(table("articles", renamed_from="posts"))
    assert list(diff(db, models).ops) == [RenameTable(None, "posts", "articles")]
    assert diff(snap(table("articles")), models).ops == ()


def test_unhinted_table_rename_warns_and_questioner_confirms() -> None:
    db, models = snap(table("posts")), snap(table("articles"))
    result = diff(db, models)
    assert kinds(result) == ["create_table", "drop_table"]
    [warning] = messages(result, "warning")
    assert "--rename-table posts=articles" in warning
    confirmed = diff(db, models, questioner=lambda kind, *a: kind == "table")
    assert kinds(confirmed) == ["rename_table"]


def test_renamed_table_with_renamed_column_and_changes() -> None:
    db = snap(table("posts", col("id"), col("title", "varchar(10)")))
    models = snap(
        table(
            "articles",
            col("id"),
            col("headline", "varchar(20)", renamed_from="title"),
            renamed_from="posts",
        )
    )
    result = diff(db, models)
    assert kinds(result) == ["rename_table", "rename_column", "alter_column"]
    rename_col = result.ops[1]
    assert isinstance(rename_col, RenameColumn) and rename_col.table_name == "articles"
    # the downgrade undoes the changes first, then the renames (columns before the table)
    down = result.downgrade_ops()
    assert [op.kind for op in down] == ["alter_column", "rename_column", "rename_table"]
    assert down[-1] == RenameTable(None, "articles", "posts", undo=True)


def test_constraints_and_indexes_follow_a_renamed_column() -> None:
    def t(name: str, **kw: Any) -> Any:
        return table(
            "t",
            col("id", nullable=False),
            col(name, **kw),
            col("g", computed=Computed(f"{name} * 2")),
            primary_key=PrimaryKey(("id", name), "t_pkey"),
            unique_constraints=(UniqueConstraint((name,), "uq"),),
            check_constraints=(CheckConstraint(f"{name} >= 0", "ck"),),
            indexes=(index("ix", name), index("ix2", f"=ABS({name})", where=f"{name} > 1")),
        )

    result = diff(
        snap(t("qty")), snap(t("quantity")), rename_columns=((None, "t", "qty", "quantity"),)
    )
    assert kinds(result) == ["rename_column"]


def test_foreign_keys_in_other_tables_follow_renames() -> None:
    def db_side() -> Any:
        parent = table("authors", col("aid", nullable=False))
        child = table(
            "books",
            col("id"),
            col("author_id"),
            foreign_keys=(ForeignKey(("author_id",), None, "authors", ("aid",), "fk_books"),),
        )
        return snap(parent, child)

    parent = table(
        "writers", col("writer_id", nullable=False, renamed_from="aid"), renamed_from="authors"
    )
    child = table(
        "books",
        col("id"),
        col("writer", renamed_from="author_id"),
        foreign_keys=(ForeignKey(("writer",), None, "writers", ("writer_id",), "fk_books"),),
    )
    result = diff(db_side(), snap(parent, child))
    assert kinds(result) == ["rename_table", "rename_column", "rename_column"]


def test_unknown_types_are_never_rename_candidates() -> None:
    unknown = ColumnType("geometry", known=False)
    db = snap(table("t", col("id"), Column("a", unknown)))
    models = snap(table("t", col("id"), Column("b", unknown)))
    assert messages(diff(db, models), "warning") == []
