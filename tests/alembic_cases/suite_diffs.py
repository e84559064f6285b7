"""Cases from Alembic's ``alembic/testing/suite/test_autogen_diffs.py``.

``AlterColumnTest`` checks that the existing_* arguments of its alter_column are filled in, and
``AutoincrementTest`` the ``autoincrement`` flag it passes; here the same changes must simply
run and converge (a wrong existing_type or a lost AUTO_INCREMENT shows up as a second diff).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, MetaData, Table

from tests.alembic_cases import Registry

cases = Registry()

WITH_COMMENTS = "postgresql mysql"
#: Alembic's integer_subtype_comparisons: SQLite keeps INTEGER and BIGINT in one storage class
SUBTYPES = "postgresql mysql"


def _pair(
    old: Callable[[MetaData], Any], new: Callable[[MetaData], Any]
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        old(m1)
        new(m2)
        return m1, m2

    return build


for _pk in (True, False):
    _sfx = "pk" if _pk else "nopk"
    cases.add(
        ["alter_column:comment"],
        backends=WITH_COMMENTS,
        name=f"existings_filled_{_sfx}",
        source=f"AlterColumnTest.test_all_existings_filled[pk={_pk}]",
    )(
        _pair(
            lambda m, pk=_pk: Table("a", m, Column("x", Integer, primary_key=pk)),
            lambda m, pk=_pk: Table("a", m, Column("x", Integer, comment="x", primary_key=pk)),
        )
    )
    cases.add(
        ["alter_column:comment"],
        backends=WITH_COMMENTS,
        name=f"existings_filled_notnull_{_sfx}",
        source=f"AlterColumnTest.test_all_existings_filled_in_notnull[pk={_pk}]",
    )(
        _pair(
            lambda m, pk=_pk: Table("a", m, Column("x", Integer, nullable=False, primary_key=pk)),
            lambda m, pk=_pk: Table(
                "a", m, Column("x", Integer, nullable=False, comment="x", primary_key=pk)
            ),
        )
    )
    cases.add(
        ["alter_column:comment"],
        backends=WITH_COMMENTS,
        name=f"existings_filled_comment_{_sfx}",
        source=f"AlterColumnTest.test_all_existings_filled_in_comment[pk={_pk}]",
    )(
        _pair(
            lambda m, pk=_pk: Table("a", m, Column("x", Integer, comment="old", primary_key=pk)),
            lambda m, pk=_pk: Table("a", m, Column("x", Integer, comment="new", primary_key=pk)),
        )
    )
    cases.add(
        ["alter_column:comment"],
        backends=WITH_COMMENTS,
        name=f"existings_filled_server_default_{_sfx}",
        source=f"AlterColumnTest.test_all_existings_filled_in_server_default[pk={_pk}]",
    )(
        _pair(
            lambda m, pk=_pk: Table(
                "a", m, Column("x", Integer, server_default="5", primary_key=pk)
            ),
            lambda m, pk=_pk: Table(
                "a", m, Column("x", Integer, server_default="5", comment="new", primary_key=pk)
            ),
        )
    )

cases.add(
    ["alter_column:nullable"],
    name="autoincrement_none",
    source="AutoincrementTest.test_alter_column_autoincrement_none: NOT NULL -> nullable",
)(
    _pair(
        lambda m: Table("a", m, Column("x", Integer, nullable=False)),
        lambda m: Table("a", m, Column("x", Integer, nullable=True)),
    )
)


def _widen(
    *columns: tuple[str, dict[str, Any]], **table_kw: Any
) -> Callable[[], tuple[MetaData, MetaData]]:
    """Each column (name, Column kwargs); the one named x goes from INTEGER to BIGINT."""

    def fill(m: MetaData, big: bool) -> None:
        Table(
            "a",
            m,
            *(Column(n, BigInteger if big and n == "x" else Integer, **kw) for n, kw in columns),
            **table_kw,
        )

    return _pair(lambda m: fill(m, False), lambda m: fill(m, True))


_AUTOINC: list[tuple[str, tuple[tuple[str, dict[str, Any]], ...]]] = [
    ("pk_false", (("x", {"primary_key": True, "autoincrement": False}),)),
    ("pk_implicit_true", (("x", {"primary_key": True}),)),
    ("pk_explicit_true", (("x", {"primary_key": True, "autoincrement": True}),)),
    ("nonpk_false", (("id", {"primary_key": True}), ("x", {"autoincrement": False}))),
    ("nonpk_implicit_false", (("id", {"primary_key": True}), ("x", {}))),
    (
        "nonpk_explicit_true",
        (("id", {"primary_key": True, "autoincrement": False}), ("x", {"autoincrement": True})),
    ),
    (
        "compositepk_false",
        (("id", {"primary_key": True}), ("x", {"primary_key": True, "autoincrement": False})),
    ),
    ("compositepk_implicit_false", (("id", {"primary_key": True}), ("x", {"primary_key": True}))),
    (
        "compositepk_explicit_true",
        (
            ("id", {"primary_key": True, "autoincrement": False}),
            ("x", {"primary_key": True, "autoincrement": True}),
        ),
    ),
]
#: on PostgreSQL these x columns are SERIAL: their sequence widens with them (AS bigint)
_SERIAL_X = {"pk_implicit_true", "pk_explicit_true", "compositepk_explicit_true"}
for _label, _columns in _AUTOINC:
    cases.add(
        {"*": ["alter_column:type"], "postgresql": ["alter_column:type", "alter_sequence"]}
        if _label in _SERIAL_X
        else ["alter_column:type"],
        backends=SUBTYPES,
        name=f"autoincrement_{_label}",
        source=(
            f"AutoincrementTest.test_alter_column_autoincrement_{_label}: x INTEGER -> BIGINT "
            "keeps its key and auto-increment"
        ),
    )(_widen(*_columns, mysql_engine="InnoDB"))
