"""Cases from Alembic's ``alembic/testing/suite/test_autogen_identity.py`` (PostgreSQL: the
backend here with identity columns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Column, Integer, MetaData, Table

from tests.alembic_cases import Registry

cases = Registry()

PG = "postgresql"


@cases.add(["add_column", "add_primary_key"], backends=PG)
def add_identity_column() -> tuple[MetaData, MetaData]:
    """AutogenerateIdentityTest.test_add_identity_column: a new identity key column (the table
    had no primary key, so the key is added too)."""
    m1, m2 = MetaData(), MetaData()
    Table("user", m1, Column("other", sa.Text))
    Table(
        "user",
        m2,
        Column("other", sa.Text),
        Column("id", Integer, sa.Identity(start=5, increment=7), primary_key=True),
    )
    return m1, m2


@cases.add(["drop_primary_key", "drop_column", "add_column"], backends=PG)
def remove_identity_column() -> tuple[MetaData, MetaData]:
    """AutogenerateIdentityTest.test_remove_identity_column: the table's only column goes;
    Alembic's models table has no column at all, which PostgreSQL allows but a migration cannot
    reach through DROP COLUMN alone, so the models keep another column here."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "user",
        m1,
        Column("id", Integer, sa.Identity(start=2, increment=3), primary_key=True),
    )
    Table("user", m2, Column("other", sa.Text))
    return m1, m2


@cases.add([], backends=PG)
def no_change_identity_column() -> tuple[MetaData, MetaData]:
    """AutogenerateIdentityTest.test_no_change_identity_column."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        Table("user", m, Column("id", Integer, sa.Identity(start=2)))
    return m1, m2


@cases.add([], backends=PG)
def identity_dialect_kwargs() -> tuple[MetaData, MetaData]:
    """AutogenerateIdentityTest.test_dialect_kwargs_changes: Oracle-only identity options are
    not a change elsewhere."""
    m1, m2 = MetaData(), MetaData()
    Table("user", m1, Column("id", Integer, sa.Identity(start=2)))
    Table(
        "user",
        m2,
        Column("id", Integer, sa.Identity(start=2, oracle_on_null=True, oracle_order=True)),
    )
    return m1, m2


def _identity(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        for m, kw in ((m1, before), (m2, after)):
            Table(
                "user",
                m,
                Column("id", Integer, *([sa.Identity(**kw)] if kw else [])),
                Column("other", sa.Text),
            )
        return m1, m2

    return build


_CHANGES: list[tuple[str, dict[str, Any] | None, dict[str, Any] | None, str]] = [
    ("added", None, {"start": 2}, "nullable+identity"),
    ("removed", {"start": 2}, None, "nullable+identity"),
    ("increment", {"start": 2}, {"start": 2, "increment": 7}, "identity"),
    ("always", {"always": False}, {"always": True}, "identity"),
    (
        "cycle",
        {"start": 1, "minvalue": 0, "maxvalue": 100, "cycle": True},
        {"start": 1, "minvalue": 0, "maxvalue": 100, "cycle": False},
        "identity",
    ),
    (
        "increment_maxvalue",
        {"start": 10, "increment": 3, "maxvalue": 9999},
        {"start": 10, "increment": 1, "maxvalue": 3333},
        "identity",
    ),
    ("add_to_column", None, {"start": 2, "maxvalue": 1000}, "nullable+identity"),
    ("remove_from_column", {"start": 2, "maxvalue": 1000}, None, "nullable+identity"),
]
for _label, _before, _after, _attrs in _CHANGES:
    cases.add(
        [f"alter_column:{_attrs}"],
        backends=PG,
        name=f"identity_{_label}",
        source=(
            "AutogenerateIdentityTest.test_change_identity / test_add_identity_to_column / "
            f"test_remove_identity_from_column: {_before} -> {_after} (an identity column is "
            "NOT NULL, so adding or removing one changes nullability too)"
        ),
    )(_identity(_before, _after))
