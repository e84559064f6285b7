"""Cases from Alembic's ``tests/test_autogen_composition.py``.

Its tests check the rendered script text; the comparisons under them are transcribed here
(ModelOne's is in :mod:`tests.alembic_cases.autogen_diffs`).
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.sql.naming import conv

from tests.alembic_cases import Registry

cases = Registry()


@cases.add(["add_column", "add_column", "add_column"])
def add_column_order() -> tuple[MetaData, MetaData]:
    """AddColumnOrderTest.test_render_add_columns (#827): three columns added."""
    m1, m2 = MetaData(), MetaData()
    Table("user", m1, Column("id", Integer, primary_key=True), Column("name", String(50)))
    Table(
        "user",
        m2,
        Column("id", Integer, primary_key=True),
        Column("name", String(50)),
        Column("username", String(50)),
        Column("password_hash", String(32)),
        Column("timestamp", DateTime),
    )
    return m1, m2


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(constraint_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def naming_conv_db() -> MetaData:
    """NamingConvModel._get_db_schema: every constraint with a "database generated" name."""
    m = MetaData()
    Table(
        "x1",
        m,
        Column("q", Integer),
        Index("db_x1_index_q", "q"),
        PrimaryKeyConstraint("q", name="db_x1_primary_q"),
    )
    Table(
        "x2",
        m,
        Column("q", Integer),
        Column("p", ForeignKey("x1.q", name="db_x2_foreign_q")),
        CheckConstraint("q > 5", name="db_x2_check_q"),
    )
    Table(
        "x3",
        m,
        Column("q", Integer),
        Column("r", Integer),
        Column("s", Integer),
        UniqueConstraint("q", name="db_x3_unique_q"),
    )
    Table("x4", m, Column("q", Integer), PrimaryKeyConstraint("q", name="db_x4_primary_q"))
    Table(
        "x5",
        m,
        Column("q", Integer),
        Column("p", ForeignKey("x4.q", name="db_x5_foreign_q")),
        Column("r", Integer),
        Column("s", Integer),
        PrimaryKeyConstraint("q", name="db_x5_primary_q"),
        UniqueConstraint("r", name="db_x5_unique_r"),
        CheckConstraint("s > 5", name="db_x5_check_s"),
    )
    Table(
        "unnamed_sqlite",
        m,
        Column("q", Integer),
        Column("r", Integer),
        PrimaryKeyConstraint("q"),
        UniqueConstraint("r"),
    )
    return m


def naming_conv_models() -> MetaData:
    """NamingConvModel._get_model_schema: the same objects named by a naming convention."""
    m = MetaData(naming_convention=NAMING)
    Table("x1", m, Column("q", Integer, primary_key=True), Index(None, "q"))
    Table(
        "x2",
        m,
        Column("q", Integer),
        Column("p", ForeignKey("x1.q")),
        CheckConstraint("q > 5", name="token_x2check1"),
    )
    Table(
        "x3",
        m,
        Column("q", Integer),
        Column("r", Integer),
        Column("s", Integer),
        UniqueConstraint("r", name="token_x3r"),
        UniqueConstraint("s", name=conv("userdef_x3_unique_s")),
    )
    Table("x4", m, Column("q", Integer, primary_key=True), Index("userdef_x4_idx_q", "q"))
    Table(
        "x6",
        m,
        Column("q", Integer, primary_key=True),
        Column("p", ForeignKey("x4.q")),
        Column("r", Integer),
        Column("s", Integer),
        UniqueConstraint("r", name="token_x6r"),
        CheckConstraint("s > 5", "token_x6check1"),
        CheckConstraint("s < 20", conv("userdef_x6_check_s")),
    )
    return m


#: what AutogenerateNamingConvTest.test_render_diffs_naming_conv renders: x6 created, x5 and
#: unnamed_sqlite dropped, on x1 the index renamed, on x2 the check renamed, on x3 one unique
#: dropped and two added, on x4 an index added. Alembic does not compare the names of primary
#: and foreign keys; we do (a later migration drops a key by its name), so the keys of x1 and x4
#: (named pk_x1, pk_x4 by the convention) and of x2 (fk_x2_p_x1) are dropped and added again;
#: MariaDB/MySQL name every primary key PRIMARY, so only the foreign key there. Where the key of
#: x4 is dropped, x5's foreign key to it goes first (its own drop_foreign_key, before the table),
#: and x6's foreign key to it is added once the new key exists (its own add_foreign_key).
NAMING_CONV = [
    "create_table",
    "drop_table",
    "drop_table",
    "drop_index",
    "create_index",
    "drop_check_constraint",
    "add_check_constraint",
    "drop_unique_constraint",
    "add_unique_constraint",
    "add_unique_constraint",
    "create_index",
]


KEYS = ["drop_primary_key", "add_primary_key"] * 2
FK = ["drop_foreign_key", "add_foreign_key"]


@cases.add(
    {
        "*": [*NAMING_CONV, *KEYS, *FK, "drop_foreign_key", "add_foreign_key"],
        "mysql": [*NAMING_CONV, *FK],
    }
)
def naming_convention() -> tuple[MetaData, MetaData]:
    """AutogenerateNamingConvTest.test_render_diffs_naming_conv (and its batch variant): a
    database with generated names against models named by a convention."""
    return naming_conv_db(), naming_conv_models()
