"""Cases from Alembic's ``tests/test_autogen_check_constraints.py``.

Each test there runs twice: the check declared on the table and on the column (``col_and_check``);
both are transcribed. Tests that monkeypatch Alembic's comparison, simulate a dialect without
check reflection or test its renderer have no counterpart here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Column, Integer, MetaData, Table

from tests.alembic_cases import Registry

cases = Registry()

TEST_SCHEMA = "test_schema"
CK_NAMING = {"ck": "ck_%(table_name)s_%(constraint_name)s"}
Build = Callable[[], tuple[MetaData, MetaData]]


def col_and_check(where: str, name: str, check: CheckConstraint) -> list[Any]:
    """The column with its check on the table (``where="table"``) or on the column."""
    if where == "table":
        return [Column(name, Integer), check]
    return [Column(name, Integer, check)]


def plain() -> list[Any]:
    return [Column("x", Integer)]


def ck(sql: str = "x > 0", name: str | None = "ck_t_x_positive") -> CheckConstraint:
    return CheckConstraint(sql, name=name)


def pair(
    old: Callable[[str], list[Any]],
    new: Callable[[str], list[Any]],
    where: str,
    naming: dict[str, str] | None = None,
    schema: str | None = None,
) -> Build:
    def build() -> tuple[MetaData, MetaData]:
        m1 = MetaData()
        m2 = MetaData(naming_convention=naming) if naming else MetaData()
        Table("t", m1, *old(where), schema=schema)
        Table("t", m2, *new(where), schema=schema)
        return m1, m2

    return build


def _no_checks_name(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    return type_ != "check_constraint"


def _no_checks_object(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return type_ != "check_constraint"


#: MariaDB/MySQL take no named CHECK on a column definition (Alembic skips the column variant
#: there: no inline_check_constraint_reflection)
WHERE = {"table": "sqlite postgresql mysql", "column": "sqlite postgresql"}

for _w in ("table", "column"):
    with_ck: Callable[[str], list[Any]] = lambda w: col_and_check(w, "x", ck())  # noqa: E731
    none: Callable[[str], list[Any]] = lambda w: plain()  # noqa: E731
    cases.add(
        ["add_check_constraint"],
        backends=WHERE[_w],
        name=f"add_check_{_w}",
        source=f"AutogenCheckConstraintTest.test_add_check_constraint[{_w}]",
    )(pair(none, with_ck, _w))
    cases.add(
        ["drop_check_constraint"],
        backends=WHERE[_w],
        name=f"remove_check_{_w}",
        source=f"AutogenCheckConstraintTest.test_remove_check_constraint[{_w}]",
    )(pair(with_ck, none, _w))
    cases.add(
        ["drop_check_constraint", "add_check_constraint"],
        backends=WHERE[_w],
        name=f"check_expression_changed_{_w}",
        source=(
            f"AutogenCheckConstraintTest.test_same_name_different_expression_no_change[{_w}]: "
            "Alembic compares checks by name only and misses ``x > 0`` becoming ``x > 5`` (a "
            "false negative; its test_compare_check_constraint_is_different shows the wanted "
            "outcome); we compare the expressions: drop and add"
        ),
    )(pair(with_ck, lambda w: col_and_check(w, "x", ck("x > 5")), _w))
    cases.add(
        [],
        backends=WHERE[_w],
        name=f"check_no_change_{_w}",
        source=f"AutogenCheckConstraintTest.test_no_change_check_constraint[{_w}]",
    )(pair(with_ck, with_ck, _w))
    cases.add(
        ["add_check_constraint"],
        backends=WHERE[_w],
        name=f"unnamed_check_in_models_{_w}",
        source=(
            f"AutogenCheckConstraintTest.test_unnamed_check_constraint_in_metadata_ignored[{_w}]: "
            "Alembic ignores a check without a name in the models (a false negative); the "
            "database lacks it, so we add it"
        ),
    )(pair(none, lambda w: col_and_check(w, "x", ck(name=None)), _w))
    cases.add(
        [],
        backends=WHERE[_w],
        options={"include_object": _no_checks_object},
        name=f"check_excluded_by_object_add_{_w}",
        source=(
            f"AutogenCheckConstraintTest.test_can_be_disabled_via_exclusion[{_w}] / "
            f"AutogenCheckConstraintFilterTest.test_include_object_excludes_add[{_w}]: "
            "include_object returning False for check_constraint"
        ),
    )(pair(none, with_ck, _w))
    cases.add(
        [],
        backends=WHERE[_w],
        options={"include_object": _no_checks_object},
        name=f"check_excluded_by_object_remove_{_w}",
        source=f"AutogenCheckConstraintFilterTest.test_include_object_excludes_remove[{_w}]",
    )(pair(with_ck, none, _w))
    cases.add(
        [],
        backends=WHERE[_w],
        options={"include_name": _no_checks_name},
        name=f"check_excluded_by_name_{_w}",
        source=f"AutogenCheckConstraintFilterTest.test_include_name_excludes_reflected_check_constraint[{_w}]",
    )(pair(with_ck, none, _w))
    cases.add(
        ["add_check_constraint"],
        backends="postgresql",
        schemas=[TEST_SCHEMA],
        name=f"add_check_schema_{_w}",
        source=f"AutogenCheckConstraintSchemaTest.test_add_check_constraint_schema[{_w}]",
    )(pair(none, with_ck, _w, schema=TEST_SCHEMA))
    cases.add(
        ["drop_check_constraint"],
        backends="postgresql",
        schemas=[TEST_SCHEMA],
        name=f"remove_check_schema_{_w}",
        source=f"AutogenCheckConstraintSchemaTest.test_remove_check_constraint_schema[{_w}]",
    )(pair(with_ck, none, _w, schema=TEST_SCHEMA))
    cases.add(
        ["add_check_constraint"],
        backends=WHERE[_w],
        name=f"add_check_named_by_convention_{_w}",
        source=f"AutogenCheckConstraintNamingConvTest.test_add_named_via_convention[{_w}]",
    )(pair(none, lambda w: col_and_check(w, "x", ck(name="x_positive")), _w, CK_NAMING))
    cases.add(
        ["drop_check_constraint"],
        backends=WHERE[_w],
        name=f"remove_check_named_by_convention_{_w}",
        source=f"AutogenCheckConstraintNamingConvTest.test_remove_named_via_convention[{_w}]",
    )(pair(with_ck, none, _w, CK_NAMING))
    cases.add(
        [],
        backends=WHERE[_w],
        name=f"check_no_change_named_by_convention_{_w}",
        source=f"AutogenCheckConstraintNamingConvTest.test_no_change_named_via_convention[{_w}]",
    )(pair(with_ck, lambda w: col_and_check(w, "x", ck(name="x_positive")), _w, CK_NAMING))

    def _multiple(w: str = _w) -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table(
            "t",
            m1,
            Column("x", Integer),
            Column("y", Integer),
            CheckConstraint("x > 0", name="ck_x"),
        )
        Table(
            "t",
            m2,
            Column("x", Integer),
            CheckConstraint("x > 0", name="ck_x"),
            *col_and_check(w, "y", CheckConstraint("y > 0", name="ck_y")),
        )
        return m1, m2

    def _remove_one(w: str = _w) -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table(
            "t",
            m1,
            Column("x", Integer),
            CheckConstraint("x > 0", name="ck_x"),
            *col_and_check(w, "y", CheckConstraint("y > 0", name="ck_y")),
        )
        Table(
            "t",
            m2,
            Column("x", Integer),
            Column("y", Integer),
            CheckConstraint("x > 0", name="ck_x"),
        )
        return m1, m2

    cases.add(
        ["add_check_constraint"],
        backends=WHERE[_w],
        name=f"multiple_checks_{_w}",
        source=f"AutogenCheckConstraintTest.test_multiple_check_constraints[{_w}]: ck_y added",
    )(_multiple)
    cases.add(
        ["drop_check_constraint"],
        backends=WHERE[_w],
        name=f"remove_one_of_multiple_checks_{_w}",
        source=f"AutogenCheckConstraintTest.test_remove_one_of_multiple[{_w}]: ck_y dropped",
    )(_remove_one)


@cases.add(
    {
        "postgresql": ["add_column"],
        "*": ["add_column", "add_check_constraint"],
    }
)
def type_bound_boolean() -> tuple[MetaData, MetaData]:
    """AutogenCheckConstraintTest.test_type_bound_boolean_not_detected: the CHECK a
    ``Boolean(create_constraint=True)`` brings. Alembic leaves it out of the diff (and so out of
    the migration: the database never gets it); where the backend has no boolean type we add
    the column and its check (PostgreSQL has a native boolean: no check)."""
    m1, m2 = MetaData(), MetaData()
    Table("t", m1, Column("x", Integer))
    Table("t", m2, Column("x", Integer), Column("flag", Boolean(create_constraint=True)))
    return m1, m2


@cases.add(["create_table"])
def add_table_with_check() -> tuple[MetaData, MetaData]:
    """AutogenCheckConstraintTest.test_add_table_with_check_constraint_no_duplicate."""
    m1, m2 = MetaData(), MetaData()
    Table("t", m1, Column("x", Integer))
    Table("t", m2, Column("x", Integer))
    Table("new_table", m2, Column("x", Integer), CheckConstraint("x > 0", name="ck_new_x"))
    return m1, m2


@cases.add(["drop_table"])
def drop_table_with_check() -> tuple[MetaData, MetaData]:
    """AutogenCheckConstraintTest.test_drop_table_with_check_constraint_no_duplicate."""
    m1, m2 = MetaData(), MetaData()
    Table("t", m1, Column("x", Integer))
    Table("old_table", m1, Column("x", Integer), CheckConstraint("x > 0", name="ck_old_x"))
    Table("t", m2, Column("x", Integer))
    return m1, m2
