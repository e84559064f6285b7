"""Cases from Alembic's ``tests/test_mysql.py`` (MariaDB/MySQL only).

``MySQLOpTest`` and ``MySQLAutogenRenderTest`` check Alembic's SQL and code output and have no
counterpart here. ``MySQLBackendOpTest`` alters a column with ``op.alter_column`` and checks the
result; here the same change comes from the models.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import DATETIME, TIMESTAMP, Boolean, Column, Enum, Integer, MetaData, Table, text
from sqlalchemy.dialects.mysql import ENUM as MYSQL_ENUM

from tests.alembic_cases import Registry

cases = Registry()

MY = "mysql"


def _column(type_: Any, old: Any, new: Any) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("x", m1, Column("colname", type_, server_default=old))
        Table("x", m2, Column("colname", type_, server_default=new))
        return m1, m2

    return build


_ALTER_DEFAULTS = [
    ("timestamp_current_timestamp", TIMESTAMP(), text("CURRENT_TIMESTAMP")),
    ("datetime_current_timestamp", DATETIME(), text("CURRENT_TIMESTAMP")),
    ("timestamp_now", TIMESTAMP(), text("NOW()")),
    ("datetime_now", DATETIME(), text("NOW()")),
    (
        "timestamp_current_timestamp_onupdate",
        TIMESTAMP(),
        text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
    ),
    (
        "datetime_current_timestamp_onupdate",
        DATETIME(),
        text("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
    ),
]
for _label, _type, _default in _ALTER_DEFAULTS:
    cases.add(
        ["alter_column:server_default"],
        backends=MY,
        name=f"mysql_add_default_{_label}",
        source=(
            f"MySQLBackendOpTest.test_add_{_label.replace('onupdate', 'bundle_onupdate')}: a "
            f"nullable {_type!r} column gains server_default {_default}"
        ),
    )(_column(_type, None, _default))
    cases.add(
        [],
        backends=MY,
        name=f"mysql_same_default_{_label}",
        source=(
            "MySQLBackendOpTest / MySQLDefaultCompareTest: the column with server_default "
            f"{_default} compares equal to itself (NOW() is read back as current_timestamp())"
        ),
    )(_column(_type, _default, _default))

_COMPARE = [
    ("timestamp_current_timestamp_diff", TIMESTAMP(), None, "CURRENT_TIMESTAMP"),
    (
        "timestamp_current_timestamp_diff_bundle_onupdate",
        TIMESTAMP(),
        None,
        "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
    ),
    ("integer_from_none", Integer(), None, "0"),
    ("integer_same", Integer(), "5", None),
    ("integer_diff", Integer(), "5", "7"),
    ("boolean_same", Boolean(), "1", None),
    ("boolean_diff", Boolean(), "1", "0"),
]
for _label, _type, _old, _new in _COMPARE:
    cases.add(
        ["alter_column:server_default"] if _new is not None else [],
        backends=MY,
        name=f"mysql_default_{_label}",
        source=f"MySQLDefaultCompareTest.test_compare_{_label}: {_old!r} -> {_new or _old!r}",
    )(
        _column(
            _type,
            text(_old) if _old else None,
            text(_new) if _new else text(_old) if _old else None,
        )
    )


def _enum_pair(a: Any, b: Any) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("t", m1, Column("x", a))
        Table("t", m2, Column("x", b))
        return m1, m2

    return build


_ENUMS = [
    ("same", Enum("A", "B", "C", native_enum=True), Enum("A", "B", "C", native_enum=True), False),
    (
        "added",
        Enum("A", "B", "C", native_enum=True),
        Enum("A", "B", "C", "D", native_enum=True),
        True,
    ),
    (
        "removed",
        Enum("A", "B", "C", "D", native_enum=True),
        Enum("A", "B", "C", native_enum=True),
        True,
    ),
    ("mysql_same", MYSQL_ENUM("A", "B", "C"), MYSQL_ENUM("A", "B", "C"), False),
    ("mysql_added", MYSQL_ENUM("A", "B", "C"), MYSQL_ENUM("A", "B", "C", "D"), True),
]
for _label, _a, _b, _changed in _ENUMS:
    cases.add(
        ["alter_column:type"] if _changed else [],
        backends=MY,
        name=f"mysql_enum_{_label}",
        source=f"MySQLEnumCompareTest.test_compare_enum_types: {_a!r} -> {_b!r}",
    )(_enum_pair(_a, _b))

cases.add(
    ["alter_column:type"],
    backends=MY,
    name="mysql_enum_reordered",
    source=(
        "MySQLEnumCompareTest.test_compare_enum_types: ENUM('A','B','C') -> ENUM('C','B','A'). "
        "Alembic calls the two equivalent; a MySQL ENUM sorts and stores by the position of its "
        "values, so a new order is a real change and we report it"
    ),
)(_enum_pair(Enum("A", "B", "C", native_enum=True), Enum("C", "B", "A", native_enum=True)))
