"""Cases from Alembic's ``alembic/testing/suite/test_autogen_computed.py``."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import Column, Integer, MetaData, Table

from tests.alembic_cases import Registry

cases = Registry()


@cases.add(["add_column"])
def add_computed_column() -> tuple[MetaData, MetaData]:
    """AutogenerateComputedTest.test_add_computed_column: ``Computed("5")``."""
    m1, m2 = MetaData(), MetaData()
    Table("user", m1, Column("id", Integer, primary_key=True))
    Table(
        "user",
        m2,
        Column("id", Integer, primary_key=True),
        Column("foo", Integer, sa.Computed("5")),
    )
    return m1, m2


@cases.add(["drop_column"])
def remove_computed_column() -> tuple[MetaData, MetaData]:
    """AutogenerateComputedTest.test_remove_computed_column."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "user",
        m1,
        Column("id", Integer, primary_key=True),
        Column("foo", Integer, sa.Computed("5")),
    )
    Table("user", m2, Column("id", Integer, primary_key=True))
    return m1, m2


def _computed(
    before: Callable[[], sa.Computed | None], after: Callable[[], sa.Computed | None]
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        for m, make in ((m1, before), (m2, after)):
            made = make()
            Table(
                "user",
                m,
                Column("id", Integer, primary_key=True),
                Column("bar", Integer),
                Column("foo", Integer, *([made] if made is not None else [])),
            )
        return m1, m2

    return build


_CHANGED = [
    ("added", lambda: None, lambda: sa.Computed("bar*5"), "sqlite postgresql mysql"),
    ("removed", lambda: sa.Computed("bar*5"), lambda: None, "sqlite postgresql mysql"),
    (
        "changed_persisted",
        lambda: sa.Computed("bar*5"),
        lambda: sa.Computed("bar * 42", persisted=True),
        "postgresql mysql",
    ),
    (
        "changed",
        lambda: sa.Computed("bar*5"),
        lambda: sa.Computed("bar * 42"),
        "sqlite postgresql mysql",
    ),
]
for _label, _before, _after, _where in _CHANGED:
    cases.add(
        ["alter_column:computed"],
        backends=_where,
        name=f"computed_{_label}",
        source=(
            "AutogenerateComputedTest.test_cant_change_computed_warning: Alembic warns that a "
            "computed default cannot be modified and proposes nothing (a false negative); the "
            "column must change, and we do it (as a destructive change: the column is rebuilt)"
        ),
    )(_computed(_before, _after))

_SAME = [
    ("none", lambda: None, lambda: None),
    ("constant", lambda: sa.Computed("5"), lambda: sa.Computed("5")),
    ("expression", lambda: sa.Computed("bar*5"), lambda: sa.Computed("bar*5")),
    ("whitespace", lambda: sa.Computed("bar*5"), lambda: sa.Computed("bar * \r\n\t5")),
]
for _label, _before, _after in _SAME:
    cases.add(
        [],
        name=f"computed_unchanged_{_label}",
        source=f"AutogenerateComputedTest.test_computed_unchanged ({_label})",
    )(_computed(_before, _after))
