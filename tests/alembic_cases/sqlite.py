"""Cases from Alembic's ``tests/test_sqlite.py`` (SQLite only).

``SQLiteTest`` and ``SQLiteAutogenRenderTest`` check Alembic's SQL and code output and have no
counterpart here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, DateTime, Float, Index, Integer, MetaData, String, Table, func, text

from tests.alembic_cases import Registry

cases = Registry()

SL = "sqlite"


def _default(
    type_: Any, orig: Any, alternate: Any = None
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("test", m1, Column("somecol", type_, server_default=orig))
        Table(
            "test",
            m2,
            Column("somecol", type_, server_default=orig if alternate is None else alternate),
        )
        return m1, m2

    return build


_DEFAULTS: list[tuple[str, Any, Any, Any]] = [
    ("current_timestamp_func", DateTime(), func.datetime("now", "localtime"), None),
    ("current_timestamp_func_now", DateTime(), func.now(), None),
    ("current_timestamp_text", DateTime(), text("(datetime('now', 'localtime'))"), None),
    ("integer_str", Integer(), "5", None),
    ("integer_str_diff", Integer(), "5", "7"),
    ("integer_text", Integer(), text("5"), None),
    ("integer_text_diff", Integer(), text("5"), "7"),
    ("float_str", Float(), "5.2", None),
    ("float_str_diff", Float(), "5.2", "5.3"),
    ("float_text", Float(), text("5.2"), None),
    ("float_text_diff", Float(), text("5.2"), "5.3"),
    ("string_literal", String(), "im a default", None),
    ("string_literal_diff", String(), "im a default", "me too"),
]
for _label, _type, _orig, _alt in _DEFAULTS:
    cases.add(
        ["alter_column:server_default"] if _alt is not None else [],
        backends=SL,
        name=f"sqlite_default_{_label}",
        source=f"SQLiteDefaultCompareTest.test_compare_{_label}: {_orig!r} -> {_alt!r}",
    )(_default(_type, _orig, _alt))


@cases.add([], backends=SL)
def sqlite_functional_ix_one() -> tuple[MetaData, MetaData]:
    """SQLiteAutogenIndexTest.test_functional_ix_one: a unique index over lower(email).
    Alembic cannot reflect it and skips it with a warning; we compare it: no change."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        t = Table("foo", m, Column("id", Integer, primary_key=True), Column("email", String(50)))
        Index("email_idx", func.lower(t.c.email), unique=True)
    return m1, m2


@cases.add([], backends=SL)
def sqlite_functional_ix_two() -> tuple[MetaData, MetaData]:
    """SQLiteAutogenIndexTest.test_functional_ix_two: coalesce(email, name) DESC, unique."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        t = Table(
            "foo",
            m,
            Column("id", Integer, primary_key=True),
            Column("email", String(50)),
            Column("name", String(50)),
        )
        Index("email_idx", func.coalesce(t.c.email, t.c.name).desc(), unique=True)
    return m1, m2


@cases.add(["create_table"], backends=SL)
def sqlite_create_table_with_comment() -> tuple[MetaData, MetaData]:
    """SQLiteTest.test_create_table_with_comment_ignored / test_add_column_with_comment_ignored:
    SQLite stores no comments; a model's comments are not a difference after the table exists."""
    m2 = MetaData()
    Table(
        "t2",
        m2,
        Column("c1", Integer, primary_key=True, comment="c1 comment"),
        comment="t2 comment",
    )
    return MetaData(), m2
