"""Cases from Alembic's ``alembic/testing/suite/test_autogen_comments.py`` (backends that store
comments: PostgreSQL and MariaDB/MySQL)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Float, MetaData, String, Table

from tests.alembic_cases import Registry

cases = Registry()

WITH_COMMENTS = "postgresql mysql"


def _table_comment(old: str | None, new: str | None) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("some_table", m1, Column("test", String(10), primary_key=True), comment=old)
        Table("some_table", m2, Column("test", String(10), primary_key=True), comment=new)
        return m1, m2

    return build


def _column_comment(old: str | None, new: str | None) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        for m, comment in ((m1, old), (m2, new)):
            Table(
                "some_table",
                m,
                Column("test", String(10), primary_key=True),
                Column("amount", Float, comment=comment),
            )
        return m1, m2

    return build


T = "this is some table"
A = "the amount"
for _name, _old, _new, _changed in (
    ("existing_table_comment_no_change", T, T, False),
    ("add_table_comment", None, T, True),
    ("remove_table_comment", T, None, True),
    ("alter_table_comment", T, "this is also some table", True),
):
    cases.add(
        ["alter_table_comment"] if _changed else [],
        backends=WITH_COMMENTS,
        name=_name,
        source=f"AutogenerateCommentsTest.test_{_name}: {_old!r} -> {_new!r}",
    )(_table_comment(_old, _new))
for _name, _old, _new, _changed in (
    ("existing_column_comment_no_change", A, A, False),
    ("add_column_comment", None, A, True),
    ("remove_column_comment", A, None, True),
    ("alter_column_comment", A, "the adjusted amount", True),
):
    cases.add(
        ["alter_column:comment"] if _changed else [],
        backends=WITH_COMMENTS,
        name=_name,
        source=f"AutogenerateCommentsTest.test_{_name}: {_old!r} -> {_new!r}",
    )(_column_comment(_old, _new))
