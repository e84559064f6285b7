"""Cases from Alembic's ``tests/test_autogen_indexes.py``.

MariaDB/MySQL keep a unique constraint as a unique index; we read both as a unique constraint
where the index came from one, so the expectations are the same as on the other backends unless
a case says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    asc,
    column,
    desc,
    nullsfirst,
    nullslast,
)

from tests.alembic_cases import Registry

cases = Registry()

Fill = Callable[[MetaData], Any]


def same(
    fill: Fill, naming: dict[str, str] | None = None
) -> Callable[[], tuple[MetaData, MetaData]]:
    """The same tables on both sides."""

    def build() -> tuple[MetaData, MetaData]:
        m1 = MetaData(naming_convention=naming) if naming else MetaData()
        m2 = MetaData(naming_convention=naming) if naming else MetaData()
        fill(m1)
        fill(m2)
        return m1, m2

    return build


NAMING = {
    "ix": "index_%(table_name)s_%(column_0_label)s",
    "uq": "unique_%(table_name)s_%(column_0_label)s",
}


@cases.add(["drop_index", "add_unique_constraint"])
def index_flag_becomes_named_unique_constraint() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_index_flag_becomes_named_unique_constraint."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "user",
        m1,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False, index=True),
        Column("a1", String(10), server_default="x"),
    )
    Table(
        "user",
        m2,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False),
        Column("a1", String(10), server_default="x"),
        UniqueConstraint("name", name="uq_user_name"),
    )
    return m1, m2


@cases.add(["add_unique_constraint"])
def add_unique_constraint() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_add_unique_constraint."""
    m1, m2 = MetaData(), MetaData()
    for m, uq in ((m1, False), (m2, True)):
        Table(
            "address",
            m,
            Column("id", Integer, primary_key=True),
            Column("email_address", String(100), nullable=False),
            Column("qpr", String(10), index=True),
            *([UniqueConstraint("email_address", name="uq_email_address")] if uq else []),
        )
    return m1, m2


cases.add(
    [],
    name="unique_flag_nothing_changed",
    source=(
        "AutogenerateUniqueIndexTest.test_unique_flag_nothing_changed: a unique index named "
        "like its column"
    ),
)(
    same(
        lambda m: Table(
            "unq_idx",
            m,
            Column("id", Integer, primary_key=True),
            Column("x", String(20)),
            Index("x", "x", unique=True),
        )
    )
)


@cases.add({"*": ["drop_index", "create_index"], "mysql": ["drop_index", "add_unique_constraint"]})
def index_becomes_unique() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_index_becomes_unique: drop and create the index (on
    MariaDB/MySQL a unique index is a unique constraint, and is read as one)."""
    m1, m2 = MetaData(), MetaData()
    for m, unique in ((m1, False), (m2, True)):
        Table(
            "order",
            m,
            Column("order_id", Integer, primary_key=True),
            Column("amount", Numeric(10, 2), nullable=True),
            Column("user_id", Integer),
            UniqueConstraint("order_id", "user_id", name="order_order_id_user_id_unique"),
            Index("order_user_id_amount_idx", "user_id", "amount", unique=unique),
        )
    return m1, m2


@cases.add([])
def mismatch_db_named_col_flag() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_mismatch_db_named_col_flag: ``unique=True`` on the column
    and a named unique constraint over it in the database are the same constraint."""
    m1, m2 = MetaData(), MetaData()
    Table("item", m1, Column("x", Integer), UniqueConstraint("x", name="db_generated_name"))
    Table("item", m2, Column("x", Integer, unique=True))
    return m1, m2


@cases.add(["drop_unique_constraint", "add_unique_constraint"])
def named_unique_cols_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_named_cols_changed."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "col_change",
        m1,
        Column("x", Integer),
        Column("y", Integer),
        UniqueConstraint("x", name="nochange"),
    )
    Table(
        "col_change",
        m2,
        Column("x", Integer),
        Column("y", Integer),
        UniqueConstraint("x", "y", name="nochange"),
    )
    return m1, m2


cases.add(
    [],
    name="unique_nothing_changed_one",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_one",
)(same(lambda m: Table("nothing_changed", m, Column("x", String(20), unique=True, index=True))))
cases.add(
    [],
    name="unique_nothing_changed_implicit_uq_naming",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_implicit_uq_w_naming_conv",
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id1", Integer, primary_key=True),
            Column("id2", Integer, primary_key=True),
            Column("x", String(20), unique=True),
            mysql_engine="InnoDB",
        ),
        {"ix": "ix_%(column_0_label)s", "uq": "uq_%(column_0_label)s"},
    )
)
cases.add(
    [],
    name="unique_nothing_changed_long_label",
    source=(
        "AutogenerateUniqueIndexTest.test_nothing_uq_changed_labels_were_truncated (Alembic "
        "shortens max_identifier_length to 30; here the backends' own limits apply)"
    ),
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id1", Integer, primary_key=True),
            Column("id2", Integer, primary_key=True),
            Column("a_long_name", String(20), unique=True),
            mysql_engine="InnoDB",
        ),
        NAMING,
    )
)
cases.add(
    [],
    name="unique_nothing_changed_mixed_case_naming",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_uq_w_mixed_case_nconv_name",
)(
    same(
        lambda m: Table(
            "NothingChanged",
            m,
            Column("id", Integer, primary_key=True),
            Column("XCol", Integer),
            UniqueConstraint("XCol"),
            mysql_engine="InnoDB",
        ),
        NAMING,
    )
)
cases.add(
    [],
    name="unique_nothing_changed_mixed_case_name",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_uq_w_mixed_case_plain_name",
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id", Integer, primary_key=True),
            Column("x", Integer),
            UniqueConstraint("x", name="SomeConstraint"),
            mysql_engine="InnoDB",
        )
    )
)


def _nothing_changed_two(m: MetaData) -> None:
    Table(
        "nothing_changed",
        m,
        Column("id1", Integer, primary_key=True),
        Column("id2", Integer, primary_key=True),
        Column("x", String(20), unique=True),
        mysql_engine="InnoDB",
    )
    Table(
        "nothing_changed_related",
        m,
        Column("id1", Integer),
        Column("id2", Integer),
        ForeignKeyConstraint(["id1", "id2"], ["nothing_changed.id1", "nothing_changed.id2"]),
        mysql_engine="InnoDB",
    )


cases.add(
    [],
    name="unique_nothing_changed_two",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_two",
)(same(_nothing_changed_two))
cases.add(
    [],
    name="unique_nothing_changed_colkeys",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_unique_w_colkeys",
)(
    same(
        lambda m: Table(
            "nothing_changed", m, Column("x", String(20), key="nx"), UniqueConstraint("nx")
        )
    )
)


def _unsorted(m: MetaData, both: bool = True) -> None:
    Table(
        "nothing_changed",
        m,
        Column("id", Integer, primary_key=True),
        Column("sid", Integer, nullable=False),
        Column("label", String(30), nullable=False),
        Column("fid", Integer, nullable=False),
        *([UniqueConstraint("sid", "label")] if both else []),
        UniqueConstraint("sid", "fid"),
    )


cases.add(
    [],
    name="unique_nothing_changed_cols_unsorted",
    source="AutogenerateUniqueIndexTest.test_nothing_changed_cols_unsorted (#1240)",
)(same(_unsorted))


@cases.add(["drop_unique_constraint"])
def remove_uq_constraint() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_remove_uq_constraint (#1240): one unnamed unique
    constraint of two goes."""
    m1, m2 = MetaData(), MetaData()
    _unsorted(m1)
    _unsorted(m2, both=False)
    return m1, m2


@cases.add(
    ["drop_unique_constraint", "add_unique_constraint"],
    backends="sqlite postgresql",
)
def uq_casing_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_uq_casing_convention_changed_so_put_drops_first. On
    MariaDB/MySQL index names are case-insensitive (see uq_casing_changed_mysql)."""
    m1, m2 = MetaData(), MetaData()
    for m, name in ((m1, "SomeCasingConvention"), (m2, "somecasingconvention")):
        Table(
            "new_idx",
            m,
            Column("id1", Integer, primary_key=True),
            Column("x", String(20)),
            UniqueConstraint("x", name=name),
        )
    return m1, m2


@cases.add(["drop_unique_constraint", "add_unique_constraint"], backends="mysql")
def uq_casing_changed_mysql() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_uq_casing_convention_changed_so_put_drops_first on
    MariaDB/MySQL: a rename by case only is still a change (drop, then add)."""
    return uq_casing_changed()


@cases.add(["drop_table"])
def drop_table_with_uq() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_drop_table_w_uq_constraint: one drop_table (its unique
    constraint goes with it; Alembic on MySQL also lists a remove_index)."""
    m1 = MetaData()
    Table(
        "some_table",
        m1,
        Column("id", Integer, primary_key=True),
        Column("x", String(20)),
        Column("y", String(20)),
        UniqueConstraint("y", name="uq_y"),
    )
    return m1, MetaData()


@cases.add(["drop_unique_constraint", "add_unique_constraint"])
def unnamed_uq_cols_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_unnamed_cols_changed."""
    m1, m2 = MetaData(), MetaData()
    Table("col_change", m1, Column("x", Integer), Column("y", Integer), UniqueConstraint("x"))
    Table("col_change", m2, Column("x", Integer), Column("y", Integer), UniqueConstraint("x", "y"))
    return m1, m2


@cases.add({"*": ["drop_index"], "mysql": ["drop_unique_constraint"]})
def remove_named_unique_index() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_remove_named_unique_index (a unique constraint on
    MariaDB/MySQL, where the two are one object)."""
    m1, m2 = MetaData(), MetaData()
    Table("remove_idx", m1, Column("x", Integer), Index("xidx", "x", unique=True))
    Table("remove_idx", m2, Column("x", Integer))
    return m1, m2


@cases.add(["drop_unique_constraint"])
def remove_named_unique_constraint() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_remove_named_unique_constraint (Alembic on MySQL reports
    a remove_index; a unique constraint is what the database holds)."""
    m1, m2 = MetaData(), MetaData()
    Table("remove_idx", m1, Column("x", Integer), UniqueConstraint("x", name="xidx"))
    Table("remove_idx", m2, Column("x", Integer))
    return m1, m2


@cases.add(["create_table"])
def dont_add_uq_on_table_create() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_dont_add_uq_on_table_create: the unique constraint is part
    of the create_table, not a separate op."""
    m2 = MetaData()
    Table("no_uq", m2, Column("x", String(50), unique=True))
    return MetaData(), m2


@cases.add(["drop_table"])
def dont_add_uq_on_reverse_table_drop() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_dont_add_uq_on_reverse_table_drop."""
    m1 = MetaData()
    Table("no_uq", m1, Column("x", String(50), unique=True))
    return m1, MetaData()


@cases.add(["create_table"])
def add_uq_ix_on_table_create() -> tuple[MetaData, MetaData]:
    """AutogenerateUniqueIndexTest.test_add_uq_ix_on_table_create: unique=True, index=True is one
    unique index (Alembic lists it as a separate add_index; our create_table op carries the
    table's indexes)."""
    m2 = MetaData()
    Table("add_ix", m2, Column("x", String(50), unique=True, index=True))
    return MetaData(), m2


# --- AutogenerateIndexTest -----------------------------------------------------------------------

cases.add(
    [], name="index_nothing_changed_one", source="AutogenerateIndexTest.test_nothing_changed_one"
)(same(lambda m: Table("nothing_changed", m, Column("x", String(20), index=True))))
cases.add(
    [],
    name="index_nothing_changed_long_label",
    source="AutogenerateIndexTest.test_nothing_ix_changed_labels_were_truncated",
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id1", Integer, primary_key=True),
            Column("id2", Integer, primary_key=True),
            Column("a_particularly_long_column_name", String(20), index=True),
            mysql_engine="InnoDB",
        ),
        NAMING,
    )
)
cases.add(
    [],
    name="index_nothing_changed_mixed_case_name",
    source="AutogenerateIndexTest.test_nothing_changed_ix_w_mixed_case_plain_name",
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id", Integer, primary_key=True),
            Column("x", Integer),
            Index("SomeIndex", "x"),
            mysql_engine="InnoDB",
        )
    )
)
cases.add(
    [],
    name="index_nothing_changed_mixed_case_naming",
    source="AutogenerateIndexTest.test_nothing_changed_ix_w_mixed_case_nconv_name",
)(
    same(
        lambda m: Table(
            "NothingChanged",
            m,
            Column("id", Integer, primary_key=True),
            Column("XCol", Integer, index=True),
            mysql_engine="InnoDB",
        ),
        NAMING,
    )
)


@cases.add(["create_table"])
def index_new_table_added() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_new_table_added: the table with ix_extra_foo and newtable_idx
    (one create_table op carries its indexes; Alembic lists two add_index after it)."""
    m2 = MetaData()
    Table(
        "extra",
        m2,
        Column("foo", Integer, index=True),
        Column("bar", Integer),
        Index("newtable_idx", "bar"),
    )
    return MetaData(), m2


cases.add(
    [],
    name="index_nothing_changed_colkeys",
    source="AutogenerateIndexTest.test_nothing_changed_index_w_colkeys",
)(
    same(
        lambda m: Table(
            "nothing_changed", m, Column("x", String(20), key="nx"), Index("foobar", "nx")
        )
    )
)


def _index_named_as_column(m: MetaData, with_index: bool = True) -> None:
    Table(
        "nothing_changed" if with_index else "nothing_changed",
        m,
        Column("id1", Integer, primary_key=True),
        Column("id2", Integer, primary_key=True),
        Column("x", String(20)),
        *([Index("x", "x")] if with_index else []),
    )


cases.add(
    [],
    name="index_nothing_changed_named_as_column",
    source="AutogenerateIndexTest.test_nothing_changed_index_named_as_column",
)(same(_index_named_as_column))


def _implicit_fk_index(m: MetaData) -> None:
    Table(
        "nothing_changed",
        m,
        Column("id", Integer, primary_key=True),
        Column("other_id", ForeignKey("nc2.id", name="fk_my_table_other_table"), nullable=False),
        Column("foo", Integer),
        mysql_engine="InnoDB",
    )
    Table("nc2", m, Column("id", Integer, primary_key=True), mysql_engine="InnoDB")


def _implicit_composite_fk_index(m: MetaData) -> None:
    Table(
        "nothing_changed",
        m,
        Column("id", Integer, primary_key=True),
        Column("other_id_1", Integer),
        Column("other_id_2", Integer),
        Column("foo", Integer),
        ForeignKeyConstraint(
            ["other_id_1", "other_id_2"], ["nc2.id1", "nc2.id2"], name="fk_my_table_other_table"
        ),
        mysql_engine="InnoDB",
    )
    Table(
        "nc2",
        m,
        Column("id1", Integer, primary_key=True),
        Column("id2", Integer, primary_key=True),
        mysql_engine="InnoDB",
    )


cases.add(
    [],
    name="index_nothing_changed_implicit_fk_index",
    source="AutogenerateIndexTest.test_nothing_changed_implicit_fk_index_named: MySQL's FK index",
)(same(_implicit_fk_index))
cases.add(
    [],
    name="index_nothing_changed_implicit_composite_fk_index",
    source="AutogenerateIndexTest.test_nothing_changed_implicit_composite_fk_index_named",
)(same(_implicit_composite_fk_index))


def _casing(name: str) -> Fill:
    return lambda m: Table(
        "new_idx",
        m,
        Column("id1", Integer, primary_key=True),
        Column("x", String(20)),
        Index(name, "x"),
    )


@cases.add(["drop_index", "create_index"])
def ix_casing_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_ix_casing_convention_changed_so_put_drops_first."""
    m1, m2 = MetaData(), MetaData()
    _casing("SomeCasingConvention")(m1)
    _casing("somecasingconvention")(m2)
    return m1, m2


@cases.add(["create_index"])
def new_idx_named_as_column() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_new_idx_index_named_as_column."""
    m1, m2 = MetaData(), MetaData()
    _index_named_as_column(m1, with_index=False)
    _index_named_as_column(m2)
    return m1, m2


@cases.add(["drop_index"])
def removed_idx_named_as_column() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_removed_idx_index_named_as_column (Alembic marks it failing on
    MySQL/MariaDB; the correct outcome is one drop_index everywhere)."""
    m1, m2 = MetaData(), MetaData()
    _index_named_as_column(m1)
    _index_named_as_column(m2, with_index=False)
    return m1, m2


@cases.add(["drop_table"])
def drop_table_with_indexes() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_drop_table_w_indexes: the indexes go with the table."""
    m1 = MetaData()
    t = Table(
        "some_table",
        m1,
        Column("id", Integer, primary_key=True),
        Column("x", String(20)),
        Column("y", String(20)),
    )
    Index("xy_idx", t.c.x, t.c.y)
    Index("y_idx", t.c.y)
    return m1, MetaData()


@cases.add(["create_table"])
def add_ix_on_table_create() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_add_ix_on_table_create (the index is part of the create_table
    op)."""
    m2 = MetaData()
    Table("add_ix", m2, Column("x", String(50), index=True))
    return MetaData(), m2


@cases.add(["create_index"])
def add_idx_non_col() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_add_idx_non_col: an index over ``x DESC``."""
    m1, m2 = MetaData(), MetaData()
    Table("add_ix", m1, Column("x", String(50)))
    t2 = Table("add_ix", m2, Column("x", String(50)))
    Index("foo_idx", t2.c.x.desc())
    return m1, m2


cases.add(
    [],
    name="idx_string_col_in_fn_no_change",
    source="AutogenerateIndexTest.test_idx_string_col_in_fn_no_change (#880): desc(column('x'))",
)(same(lambda m: Table("add_ix", m, Column("x", String(50)), Index("foo_idx", desc(column("x"))))))


def _desc_index(m: MetaData) -> None:
    t = Table("add_ix", m, Column("x", String(50)))
    Index("foo_idx", t.c.x.desc())


cases.add(
    [], name="unchanged_idx_non_col", source="AutogenerateIndexTest.test_unchanged_idx_non_col"
)(same(_desc_index))
cases.add(
    [],
    name="unchanged_case_sensitive_implicit_idx",
    source="AutogenerateIndexTest.test_unchanged_case_sensitive_implicit_idx",
)(same(lambda m: Table("add_ix", m, Column("regNumber", String(50), index=True))))


def _case_sensitive_explicit(m: MetaData) -> None:
    t = Table("add_ix", m, Column("reg_number", String(50)))
    Index("regNumber_idx", t.c.reg_number)


cases.add(
    [],
    name="unchanged_case_sensitive_explicit_idx",
    source="AutogenerateIndexTest.test_unchanged_case_sensitive_explicit_idx",
)(same(_case_sensitive_explicit))
cases.add(
    [],
    backends="postgresql",
    name="nothing_changed_covering_index",
    source="AutogenerateIndexTest.test_nothing_changed_covering_index: postgresql_include",
)(
    same(
        lambda m: Table(
            "nothing_changed",
            m,
            Column("id", Integer, primary_key=True),
            Column("x", Integer),
            Column("y", Integer),
            Index("SomeIndex", "x", postgresql_include=["y"]),
        )
    )
)


@cases.add(["drop_index", "create_index"])
def index_column_order_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateIndexTest.test_column_order_changed."""
    m1, m2 = MetaData(), MetaData()
    for m, cols in ((m1, ("x", "y")), (m2, ("y", "x"))):
        Table(
            "order_change",
            m,
            Column("id", Integer, primary_key=True),
            Column("x", Integer),
            Column("y", Integer),
            Index("SomeIndex", *cols),
        )
    return m1, m2


def _plain(x: Any) -> Any:
    return x


def _sorted_index(
    old_fn: Callable[[Any], Any], new_fn: Callable[[Any], Any]
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("order_change", m1, Column("y", Integer), Index("SomeIndex", old_fn(column("y"))))
        Table("order_change", m2, Column("y", Integer), Index("SomeIndex", new_fn(column("y"))))
        return m1, m2

    return build


_SORT_CHANGED = [
    ("desc_asc", desc, asc, "sqlite postgresql mysql"),
    ("asc_desc", asc, desc, "sqlite postgresql mysql"),
    ("desc_desc_nullslast", desc, lambda x: nullslast(desc(x)), "postgresql"),
    ("nullslast_nullsfirst", nullslast, nullsfirst, "postgresql"),
    ("nullsfirst_nullslast", nullsfirst, nullslast, "postgresql"),
    (
        "desc_nullslast_asc_nullsfirst",
        lambda x: nullslast(desc(x)),
        lambda x: nullsfirst(asc(x)),
        "postgresql",
    ),
]
for _label, _old, _new, _where in _SORT_CHANGED:
    cases.add(
        ["drop_index", "create_index"],
        backends=_where,
        name=f"column_sort_changed_{_label}",
        source=(
            "AutogenerateIndexTest.test_column_sort_changed (NULLS FIRST/LAST only where the "
            "backend has them)"
        ),
    )(_sorted_index(_old, _new))

_SORT_SAME = [
    ("asc_asc", asc, asc, "sqlite postgresql mysql"),
    ("desc_desc", desc, desc, "sqlite postgresql mysql"),
    ("nullslast_nullslast", nullslast, nullslast, "postgresql"),
    ("nullsfirst_nullsfirst", nullsfirst, nullsfirst, "postgresql"),
    ("plain_asc", _plain, asc, "sqlite postgresql mysql"),
    ("plain_nullslast", _plain, nullslast, "postgresql"),
    ("desc_desc_nullsfirst", desc, lambda x: nullsfirst(desc(x)), "postgresql"),
    ("asc_nullslast_plain", lambda x: nullslast(asc(x)), _plain, "postgresql"),
]
for _label, _old, _new, _where in _SORT_SAME:
    cases.add(
        [],
        backends=_where,
        name=f"column_sort_not_changed_{_label}",
        source="AutogenerateIndexTest.test_column_sort_not_changed: the backend's default order",
    )(_sorted_index(_old, _new))


# --- AutogenerateExpressionIndexTest (PostgreSQL and SQLite have expression indexes) -------------

from sqlalchemy import Float, func, text  # noqa: E402
from sqlalchemy.dialects.postgresql import DOUBLE_PRECISION  # noqa: E402

IndexFn = Callable[[Table, Table], Any]


def _expression_tables(m: MetaData) -> tuple[Table, Table]:
    t = Table(
        "exp_index",
        m,
        Column("id", Integer, primary_key=True),
        Column("x", String(100)),
        Column("y", String(100)),
        Column("q", String(100)),
        Column("z", Integer),
        Column("ff", Float().with_variant(DOUBLE_PRECISION, "postgresql")),
    )
    cap = Table(
        "CapT table",
        m,
        Column("id", Integer, primary_key=True),
        Column("XCol", String(100)),
        Column("y", String(100)),
    )
    return t, cap


def _expression_pair(
    old: IndexFn | None, new: IndexFn | None
) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        if old is not None:
            old(*_expression_tables(m1))
        else:
            _expression_tables(m1)
        if new is not None:
            new(*_expression_tables(m2))
        else:
            _expression_tables(m2)
        return m1, m2

    return build


#: _lots_of_indexes: pairs of different indexes named idx (old, new)
DIFFERENT: list[tuple[IndexFn, IndexFn]] = [
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", func.lower(t.c.x)),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(c.c.XCol)),
        lambda t, c: Index("idx", func.lower(c.c.XCol)),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(column("x")), _table=t),
        lambda t, c: Index("idx", func.lower(column("x")), _table=t),
    ),
    (
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
        lambda t, c: Index("idx", func.lower(t.c.x), t.c.y),
    ),
    (
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.q)),
    ),
    (
        lambda t, c: Index("idx", t.c.z, func.lower(t.c.x)),
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
    ),
    (
        lambda t, c: Index("idx", func.lower(t.c.x)),
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
    ),
    (
        lambda t, c: Index("idx", t.c.y, func.upper(t.c.x)),
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
    ),
    (lambda t, c: Index("idx", t.c.y, t.c.ff + 1), lambda t, c: Index("idx", t.c.y, t.c.ff + 3)),
    (
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x)),
        lambda t, c: Index("idx", t.c.y, func.lower(t.c.x + t.c.q)),
    ),
    (lambda t, c: Index("idx", t.c.y, t.c.z + 3), lambda t, c: Index("idx", t.c.y, t.c.z * 3)),
    (
        lambda t, c: Index("idx", func.lower(t.c.x), t.c.q + "42"),
        lambda t, c: Index("idx", func.lower(t.c.q), t.c.x + "42"),
    ),
    (
        lambda t, c: Index("idx", func.lower(t.c.x), t.c.z + 42),
        lambda t, c: Index("idx", t.c.z + 42, func.lower(t.c.q)),
    ),
    (lambda t, c: Index("idx", t.c.ff + 42), lambda t, c: Index("idx", 42 + t.c.ff)),
    (
        lambda t, c: Index("idx", text("coalesce(z, -1)"), _table=t),
        lambda t, c: Index("idx", text("coalesce(q, '-1')"), _table=t),
    ),
    (
        lambda t, c: Index("idx", t.c.y.cast(Integer)),
        lambda t, c: Index("idx", t.c.x.cast(Integer)),
    ),
]

#: the with_sort pairs (PostgreSQL reflects the sort order of expression elements)
DIFFERENT_SORT: list[tuple[IndexFn, IndexFn]] = [
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", "y", desc(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", desc("y"), func.lower(t.c.x)),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", "y", nullsfirst(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", nullsfirst("y"), func.lower(t.c.x)),
    ),
    (
        lambda t, c: Index("idx", asc(func.lower(t.c.x))),
        lambda t, c: Index("idx", desc(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", desc(func.lower(t.c.x))),
        lambda t, c: Index("idx", asc(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", nullslast(asc(func.lower(t.c.x)))),
        lambda t, c: Index("idx", nullslast(desc(func.lower(t.c.x)))),
    ),
    (
        lambda t, c: Index("idx", nullslast(desc(func.lower(t.c.x)))),
        lambda t, c: Index("idx", nullsfirst(desc(func.lower(t.c.x)))),
    ),
    (
        lambda t, c: Index("idx", nullsfirst(func.lower(t.c.x))),
        lambda t, c: Index("idx", desc(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", text("x nulls first"), text("lower(y)"), _table=t),
        lambda t, c: Index("idx", text("x nulls last"), text("lower(y)"), _table=t),
    ),
    (
        lambda t, c: Index("idx", text("x nulls last"), text("lower(y)"), _table=t),
        lambda t, c: Index("idx", text("x nulls first"), text("lower(y)"), _table=t),
    ),
    (
        lambda t, c: Index("idx", text("x nulls first"), text("lower(y)"), _table=t),
        lambda t, c: Index("idx", text("y nulls first"), text("lower(x)"), _table=t),
    ),
    (
        lambda t, c: Index("idx", text("x nulls last"), text("lower(y)"), _table=t),
        lambda t, c: Index("idx", text("y nulls last"), text("lower(x)"), _table=t),
    ),
]

#: equal pairs beyond "each index above against itself"
EQUAL_SORT: list[tuple[IndexFn, IndexFn]] = [
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", "y", asc(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", "y", nullslast(func.lower(t.c.x))),
    ),
    (
        lambda t, c: Index("idx", "y", func.lower(t.c.x)),
        lambda t, c: Index("idx", "y", nullslast(asc(func.lower(t.c.x)))),
    ),
    (
        lambda t, c: Index("idx", "y", desc(func.lower(t.c.x))),
        lambda t, c: Index("idx", "y", nullsfirst(desc(func.lower(t.c.x)))),
    ),
]


def _text_index(sql: str) -> IndexFn:
    return lambda t, c: Index("idx", text(sql), _table=t)


#: textual sort orders (database spelling, model spelling)
EQUAL_SORT += [
    (_text_index(conn), _text_index(meta))
    for meta, conn in (
        ("z nulls first", "z nulls first"),
        ("z nulls last", "z"),
        ("z asc", "z"),
        ("z asc nulls first", "z nulls first"),
        ("z asc nulls last", "z"),
        ("z desc", "z desc"),
        ("z desc nulls first", "z desc"),
        ("z desc nulls last", "z desc nulls last"),
    )
]

EXPRESSION_BACKENDS = "sqlite postgresql"

cases.add(
    ["create_index"],
    backends=EXPRESSION_BACKENDS,
    name="expression_index_add",
    source="AutogenerateExpressionIndexTest.test_expression_indexes_add: ('y', lower(x))",
)(_expression_pair(None, lambda t, c: Index("SomeIndex", "y", func.lower(column("x")), _table=t)))
cases.add(
    ["drop_index"],
    backends=EXPRESSION_BACKENDS,
    name="expression_index_remove",
    source="AutogenerateExpressionIndexTest.test_expression_indexes_remove",
)(_expression_pair(lambda t, c: Index("SomeIndex", "y", func.lower(column("x")), _table=t), None))

for _i, (_old, _new) in enumerate(DIFFERENT):
    cases.add(
        ["drop_index", "create_index"],
        backends=EXPRESSION_BACKENDS,
        name=f"expression_index_changed_{_i}",
        source=(
            "AutogenerateExpressionIndexTest.test_expression_indexes_changed, pair "
            f"{_i} of _lots_of_indexes"
        ),
    )(_expression_pair(_old, _new))
for _i, (_old, _new) in enumerate(DIFFERENT_SORT):
    cases.add(
        ["drop_index", "create_index"],
        backends="postgresql",
        name=f"expression_index_sort_changed_{_i}",
        source=(
            "AutogenerateExpressionIndexTest.test_expression_indexes_changed, with_sort pair "
            f"{_i} (sort order of expressions: PostgreSQL)"
        ),
    )(_expression_pair(_old, _new))

_EVERY_INDEX: list[tuple[IndexFn, str]] = [
    (f, EXPRESSION_BACKENDS) for pair in DIFFERENT for f in pair
]
_EVERY_INDEX += [(f, "postgresql") for pair in DIFFERENT_SORT for f in pair]
for _i, (_fn, _where) in enumerate(_EVERY_INDEX):
    cases.add(
        [],
        backends=_where,
        name=f"expression_index_same_{_i}",
        source=(
            "AutogenerateExpressionIndexTest.test_expression_indexes_no_change: index "
            f"{_i} of _lots_of_indexes(flatten=True) against itself"
        ),
    )(_expression_pair(_fn, _fn))
for _i, (_old, _new) in enumerate(EQUAL_SORT):
    cases.add(
        [],
        backends="postgresql",
        name=f"expression_index_equal_sort_{_i}",
        source=(
            "AutogenerateExpressionIndexTest.test_expression_indexes_no_change: equal sort orders "
            f"(pair {_i}: default ASC / NULLS LAST, textual spellings)"
        ),
    )(_expression_pair(_old, _new))


# --- NoUqReflectionIndexTest (SQLite) ------------------------------------------------------------


def _order(m: MetaData, *extra: Any) -> None:
    Table(
        "order",
        m,
        Column("order_id", Integer, primary_key=True),
        Column("amount", Numeric(10, 2), nullable=True),
        Column("user_id", Integer),
        *extra,
    )


cases.add(
    [],
    name="unique_not_reported",
    source="NoUqReflectionIndexTest.test_unique_not_reported: an unchanged unique constraint",
)(
    same(
        lambda m: _order(
            m, UniqueConstraint("order_id", "user_id", name="order_order_id_user_id_unique")
        )
    )
)


@cases.add({"*": ["drop_index"], "mysql": ["drop_unique_constraint"]})
def remove_unique_index() -> tuple[MetaData, MetaData]:
    """NoUqReflectionIndexTest.test_remove_unique_index_not_reported: Alembic, simulating a
    dialect without unique-constraint reflection, reports nothing; the database has a unique
    index the models dropped, and the correct outcome is to drop it (a unique constraint on
    MariaDB/MySQL, see remove_named_unique_index)."""
    m1, m2 = MetaData(), MetaData()
    _order(m1, Index("oid_ix", "order_id", "user_id", unique=True))
    _order(m2)
    return m1, m2


@cases.add(["drop_index"])
def remove_plain_index_is_reported() -> tuple[MetaData, MetaData]:
    """NoUqReflectionIndexTest.test_remove_plain_index_is_reported."""
    m1, m2 = MetaData(), MetaData()
    _order(m1, Index("oid_ix", "order_id", "user_id"))
    _order(m2)
    return m1, m2


# --- IncludeHooksTest ----------------------------------------------------------------------------


def _two_indexes() -> tuple[MetaData, MetaData]:
    m1, m2 = MetaData(), MetaData()
    t1 = Table("t", m1, Column("x", Integer), Column("y", Integer))
    Index("ix1", t1.c.x)
    Index("ix2", t1.c.y)
    Table("t", m2, Column("x", Integer), Column("y", Integer))
    return m1, m2


def _skip_reflected_ix1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    if type_ == "unique_constraint":
        return False
    return not (type_ == "index" and reflected and name == "ix1")


def _skip_ix1_name(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    return name != "ix1"


cases.add(
    ["drop_index"],
    options={"include_object": _skip_reflected_ix1},
    name="include_object_remove_connection_index",
    source="IncludeHooksTest.test_remove_connection_index[object]: only ix2 is dropped",
)(_two_indexes)
cases.add(
    ["drop_index"],
    options={"include_name": _skip_ix1_name},
    name="include_name_remove_connection_index",
    source="IncludeHooksTest.test_remove_connection_index[name]: only ix2 is dropped",
)(_two_indexes)


def _two_uniques() -> tuple[MetaData, MetaData]:
    m1, m2 = MetaData(), MetaData()
    Table(
        "t",
        m1,
        Column("x", Integer),
        Column("y", Integer),
        UniqueConstraint("x", name="uq1"),
        UniqueConstraint("y", name="uq2"),
    )
    Table("t", m2, Column("x", Integer), Column("y", Integer))
    return m1, m2


def _skip_reflected_uq1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    if type_ == "index":
        return False
    return not (type_ == "unique_constraint" and reflected and name == "uq1")


def _skip_uq1_name(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    if type_ == "index":
        return False
    return name != "uq1"


cases.add(
    ["drop_unique_constraint"],
    backends="postgresql mysql",
    options={"include_object": _skip_reflected_uq1},
    name="include_object_remove_connection_uq",
    source=(
        "IncludeHooksTest.test_remove_connection_uq[object]: only uq2 is dropped (SQLite: "
        "Alembic requires unambiguous unique reflection)"
    ),
)(_two_uniques)
cases.add(
    ["drop_unique_constraint"],
    backends="postgresql mysql",
    options={"include_name": _skip_uq1_name},
    name="include_name_remove_connection_uq",
    source="IncludeHooksTest.test_remove_connection_uq[name]: only uq2 is dropped",
)(_two_uniques)


def _skip_model_ix1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "index" and not reflected and name == "ix1")


@cases.add(["create_index"], options={"include_object": _skip_model_ix1})
def include_object_add_metadata_index() -> tuple[MetaData, MetaData]:
    """IncludeHooksTest.test_add_metadata_index: ix1 filtered out, only ix2 created."""
    m1, m2 = MetaData(), MetaData()
    Table("t", m1, Column("x", Integer))
    t2 = Table("t", m2, Column("x", Integer))
    Index("ix1", t2.c.x)
    Index("ix2", t2.c.x)
    return m1, m2


def _skip_model_uq1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "unique_constraint" and not reflected and name == "uq1")


@cases.add(["add_unique_constraint"], options={"include_object": _skip_model_uq1})
def include_object_add_metadata_unique() -> tuple[MetaData, MetaData]:
    """IncludeHooksTest.test_add_metadata_unique: uq1 filtered out, only uq2 added."""
    m1, m2 = MetaData(), MetaData()
    Table("t", m1, Column("x", Integer))
    Table(
        "t",
        m2,
        Column("x", Integer),
        UniqueConstraint("x", name="uq1"),
        UniqueConstraint("x", name="uq2"),
    )
    return m1, m2


def _skip_compared_ix1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "index" and not reflected and name == "ix1" and other is not None)


@cases.add(["drop_index", "create_index"], options={"include_object": _skip_compared_ix1})
def include_object_change_index() -> tuple[MetaData, MetaData]:
    """IncludeHooksTest.test_change_index: ix1 (present on both sides) filtered out; ix2
    changes."""
    m1, m2 = MetaData(), MetaData()
    t1 = Table("t", m1, Column("x", Integer), Column("y", Integer), Column("z", Integer))
    Index("ix1", t1.c.x)
    Index("ix2", t1.c.y)
    t2 = Table("t", m2, Column("x", Integer), Column("y", Integer), Column("z", Integer))
    Index("ix1", t2.c.x, t2.c.y)
    Index("ix2", t2.c.x, t2.c.z)
    return m1, m2


def _skip_compared_uq1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    if type_ == "index":
        return False
    return not (
        type_ == "unique_constraint" and not reflected and name == "uq1" and other is not None
    )


@cases.add(
    ["drop_unique_constraint", "add_unique_constraint"],
    options={"include_object": _skip_compared_uq1},
)
def include_object_change_unique() -> tuple[MetaData, MetaData]:
    """IncludeHooksTest.test_change_unique: uq1 filtered out; uq2 changes."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "t",
        m1,
        Column("x", Integer),
        Column("y", Integer),
        Column("z", Integer),
        UniqueConstraint("x", name="uq1"),
        UniqueConstraint("y", name="uq2"),
    )
    Table(
        "t",
        m2,
        Column("x", Integer),
        Column("y", Integer),
        Column("z", Integer),
        UniqueConstraint("x", "z", name="uq1"),
        UniqueConstraint("y", "z", name="uq2"),
    )
    return m1, m2


@cases.add([])
def truncated_index_name() -> tuple[MetaData, MetaData]:
    """TruncatedIdxTest.test_idx_matches_long: a long conv() index name (Alembic cuts the
    identifier limit to 30; here each backend's own limit applies and the name must match)."""
    from sqlalchemy.sql.naming import conv

    def fill(m: MetaData) -> None:
        Table(
            "q",
            m,
            Column("id", Integer, primary_key=True),
            Column("data", Integer),
            Index(conv("idx_q_table_this_is_more_than_thirty_characters"), "data"),
        )

    m1, m2 = MetaData(), MetaData()
    fill(m1)
    fill(m2)
    return m1, m2
