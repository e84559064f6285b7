"""Cases from Alembic's ``alembic/testing/suite/test_autogen_fks.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, ForeignKeyConstraint, Integer, MetaData, String, Table

from tests.alembic_cases import Registry

cases = Registry()

Build = Callable[[], tuple[MetaData, MetaData]]


def _user(m: MetaData, *extra: Any, test2: Any = None) -> Table:
    return Table(
        "user",
        m,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False),
        Column("a1", String(10), server_default="x"),
        Column("test2", String(10) if test2 is None else test2),
        *extra,
    )


@cases.add(["drop_foreign_key"])
def remove_fk() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_remove_fk (the key has a server-generated name)."""
    m1, m2 = MetaData(), MetaData()
    for m, fk in ((m1, True), (m2, False)):
        Table("some_table", m, Column("test", String(10), primary_key=True))
        _user(m, *([ForeignKeyConstraint(["test2"], ["some_table.test"])] if fk else []))
    return m1, m2


@cases.add(["add_foreign_key"], converges="sqlite")
def add_fk() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_add_fk. The key refers to some_table.test, which is
    neither unique nor indexed: PostgreSQL and MariaDB/MySQL refuse that foreign key, so the
    migration runs on SQLite only (Alembic never ran it)."""
    m1, m2 = MetaData(), MetaData()
    for m, fk in ((m1, False), (m2, True)):
        Table("some_table", m, Column("id", Integer, primary_key=True), Column("test", String(10)))
        _user(m, *([ForeignKeyConstraint(["test2"], ["some_table.test"])] if fk else []))
    return m1, m2


@cases.add([])
def fk_no_change() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_no_change."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        Table("some_table", m, Column("id", Integer, primary_key=True), Column("test", String(10)))
        _user(m, ForeignKeyConstraint(["test2"], ["some_table.id"]), test2=Integer)
    return m1, m2


def _composite_parent(m: MetaData, keys: bool = False) -> None:
    Table(
        "some_table",
        m,
        Column("id_1", String(10), primary_key=True, **({"key": "tid1"} if keys else {})),
        Column("id_2", String(10), primary_key=True, **({"key": "tid2"} if keys else {})),
    )


def _composite_user(m: MetaData, *extra: Any, keys: bool = False) -> None:
    Table(
        "user",
        m,
        Column("id", Integer, primary_key=True),
        Column("name", String(50), nullable=False),
        Column("a1", String(10), server_default="x"),
        Column("other_id_1", String(10), **({"key": "oid1"} if keys else {})),
        Column("other_id_2", String(10), **({"key": "oid2"} if keys else {})),
        *extra,
    )


def _composite_fk(name: str | None = None, keys: bool = False) -> ForeignKeyConstraint:
    if keys:
        return ForeignKeyConstraint(
            ["oid1", "oid2"], ["some_table.tid1", "some_table.tid2"], name=name
        )
    return ForeignKeyConstraint(
        ["other_id_1", "other_id_2"], ["some_table.id_1", "some_table.id_2"], name=name
    )


@cases.add([])
def fk_no_change_composite() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_no_change_composite_fk."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        _composite_parent(m)
        _composite_user(m, _composite_fk())
    return m1, m2


@cases.add(["drop_foreign_key", "add_foreign_key"])
def fk_casing_changed() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_casing_convention_changed_so_put_drops_first: MyFK on
    test2 goes, myfk on a1 comes."""
    m1, m2 = MetaData(), MetaData()
    Table("some_table", m1, Column("test", String(10), primary_key=True))
    _user(m1, ForeignKeyConstraint(["test2"], ["some_table.test"], name="MyFK"))
    Table("some_table", m2, Column("test", String(10), primary_key=True))
    _user(m2, ForeignKeyConstraint(["a1"], ["some_table.test"], name="myfk"))
    return m1, m2


@cases.add(["add_foreign_key"])
def add_composite_fk_with_name() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_add_composite_fk_with_name."""
    m1, m2 = MetaData(), MetaData()
    _composite_parent(m1)
    _composite_user(m1)
    _composite_parent(m2)
    _composite_user(m2, _composite_fk("fk_test_name"))
    return m1, m2


@cases.add(["drop_foreign_key"])
def remove_composite_fk() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_remove_composite_fk."""
    m1, m2 = MetaData(), MetaData()
    _composite_parent(m1)
    _composite_user(m1, _composite_fk("fk_test_name"))
    _composite_parent(m2)
    _composite_user(m2)
    return m1, m2


@cases.add(["add_foreign_key"])
def add_fk_colkeys() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_add_fk_colkeys: columns with keys unlike their names."""
    m1, m2 = MetaData(), MetaData()
    _composite_parent(m1)
    _composite_user(m1)
    _composite_parent(m2, keys=True)
    _composite_user(m2, _composite_fk("fk_test_name", keys=True), keys=True)
    return m1, m2


@cases.add([])
def fk_no_change_colkeys() -> tuple[MetaData, MetaData]:
    """AutogenerateForeignKeysTest.test_no_change_colkeys."""
    m1, m2 = MetaData(), MetaData()
    _composite_parent(m1)
    _composite_user(m1, _composite_fk())
    _composite_parent(m2, keys=True)
    _composite_user(m2, _composite_fk(keys=True), keys=True)
    return m1, m2


# --- IncludeHooksTest -------------------------------------------------------------------------


def _two_fks(m: MetaData, with_fks: bool) -> None:
    ref = Table("ref", m, Column("id", Integer, primary_key=True))
    t = Table("t", m, Column("x", Integer), Column("y", Integer))
    if with_fks:
        t.append_constraint(ForeignKeyConstraint([t.c.x], [ref.c.id], name="fk1"))
        t.append_constraint(ForeignKeyConstraint([t.c.y], [ref.c.id], name="fk2"))


def _skip_reflected_fk1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "foreign_key_constraint" and reflected and name == "fk1")


def _skip_fk1_name(name: str | None, type_: str, parents: dict[str, Any]) -> bool:
    return not (name == "fk1" and type_ == "foreign_key_constraint")


def _fks(old: bool, new: bool) -> Build:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        _two_fks(m1, old)
        _two_fks(m2, new)
        return m1, m2

    return build


cases.add(
    ["drop_foreign_key"],
    backends="postgresql mysql",
    options={"include_object": _skip_reflected_fk1},
    name="include_object_remove_connection_fk",
    source="IncludeHooksTest.test_remove_connection_fk[object]: only fk2 dropped (needs FK names)",
)(_fks(True, False))
cases.add(
    ["drop_foreign_key"],
    backends="postgresql mysql",
    options={"include_name": _skip_fk1_name},
    name="include_name_remove_connection_fk",
    source="IncludeHooksTest.test_remove_connection_fk[name]: only fk2 dropped",
)(_fks(True, False))


def _skip_model_fk1(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "foreign_key_constraint" and not reflected and name == "fk1")


cases.add(
    ["add_foreign_key"],
    options={"include_object": _skip_model_fk1},
    name="include_object_add_metadata_fk",
    source="IncludeHooksTest.test_add_metadata_fk: only fk2 added",
)(_fks(False, True))


def _change_fk(m: MetaData, new: bool) -> None:
    ref_a = Table("ref_a", m, Column("a", Integer, primary_key=True))
    ref_b = Table(
        "ref_b", m, Column("a", Integer, primary_key=True), Column("b", Integer, primary_key=True)
    )
    t = Table("t", m, Column("x", Integer), Column("y", Integer), Column("z", Integer))
    if new:
        t.append_constraint(
            ForeignKeyConstraint([t.c.x, t.c.z], [ref_b.c.a, ref_b.c.b], name="fk1")
        )
        t.append_constraint(
            ForeignKeyConstraint([t.c.y, t.c.z], [ref_b.c.a, ref_b.c.b], name="fk2")
        )
    else:
        t.append_constraint(ForeignKeyConstraint([t.c.x], [ref_a.c.a], name="fk1"))
        t.append_constraint(ForeignKeyConstraint([t.c.y], [ref_a.c.a], name="fk2"))


def _skip_fk1_object(obj: Any, name: str, type_: str, reflected: bool, other: Any) -> bool:
    return not (type_ == "foreign_key_constraint" and name == "fk1")


def _changed_fks() -> tuple[MetaData, MetaData]:
    m1, m2 = MetaData(), MetaData()
    _change_fk(m1, False)
    _change_fk(m2, True)
    return m1, m2


cases.add(
    ["drop_foreign_key", "add_foreign_key"],
    backends="postgresql mysql",
    options={"include_object": _skip_fk1_object},
    name="include_object_change_fk",
    source="IncludeHooksTest.test_change_fk[object]: fk1 excluded, fk2 changes",
)(_changed_fks)
cases.add(
    ["drop_foreign_key", "add_foreign_key"],
    backends="postgresql mysql",
    options={"include_name": _skip_fk1_name},
    name="include_name_change_fk",
    source=(
        "IncludeHooksTest.test_change_fk[name]: fk1 excluded, fk2 changes. Alembic also adds fk1 "
        "(include_name sees reflected names only); ours excludes fk1 on both sides"
    ),
)(_changed_fks)


# --- AutogenerateFKOptionsTest ------------------------------------------------------------------


def _fk_opts(old: dict[str, Any], new: dict[str, Any]) -> Build:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        for m, opts in ((m1, old), (m2, new)):
            Table(
                "some_table", m, Column("id", Integer, primary_key=True), Column("test", String(10))
            )
            Table(
                "user",
                m,
                Column("id", Integer, primary_key=True),
                Column("tid", Integer),
                ForeignKeyConstraint(["tid"], ["some_table.id"], **opts),
            )
        return m1, m2

    return build


ALL = "sqlite postgresql mysql"
CHANGE = ["drop_foreign_key", "add_foreign_key"]
_OPTS: list[tuple[str, dict[str, Any], dict[str, Any], bool, str]] = [
    ("add_ondelete", {}, {"ondelete": "cascade"}, True, ALL),
    ("remove_ondelete", {"ondelete": "CASCADE"}, {}, True, ALL),
    ("nochange_ondelete", {"ondelete": "caSCAde"}, {"ondelete": "CasCade"}, False, ALL),
    ("add_onupdate", {}, {"onupdate": "cascade"}, True, ALL),
    ("remove_onupdate", {"onupdate": "CASCADE"}, {}, True, ALL),
    ("nochange_onupdate", {"onupdate": "caSCAde"}, {"onupdate": "CasCade"}, False, ALL),
    ("nochange_ondelete_restrict", {"ondelete": "restrict"}, {"ondelete": "restrict"}, False, ALL),
    ("nochange_onupdate_restrict", {"onupdate": "restrict"}, {"onupdate": "restrict"}, False, ALL),
    (
        "nochange_ondelete_noaction",
        {"ondelete": "no action"},
        {"ondelete": "no action"},
        False,
        ALL,
    ),
    (
        "nochange_onupdate_noaction",
        {"onupdate": "no action"},
        {"onupdate": "no action"},
        False,
        ALL,
    ),
    ("change_ondelete_from_restrict", {"ondelete": "restrict"}, {"ondelete": "cascade"}, True, ALL),
    ("change_onupdate_from_restrict", {"onupdate": "restrict"}, {"onupdate": "cascade"}, True, ALL),
    (
        "ondelete_onupdate_combo",
        {"onupdate": "CASCADE", "ondelete": "SET NULL"},
        {"onupdate": "RESTRICT", "ondelete": "RESTRICT"},
        True,
        ALL,
    ),
    ("add_initially_deferred", {}, {"initially": "deferred"}, True, "postgresql"),
    ("remove_initially_deferred", {"initially": "deferred"}, {}, True, "postgresql"),
    (
        "add_initially_immediate_plus_deferrable",
        {},
        {"initially": "immediate", "deferrable": True},
        True,
        "postgresql",
    ),
    (
        "remove_initially_immediate_plus_deferrable",
        {"initially": "immediate", "deferrable": True},
        {},
        True,
        "postgresql",
    ),
    (
        "add_initially_deferrable_nochange_one",
        {"deferrable": True, "initially": "immediate"},
        {"deferrable": True, "initially": "immediate"},
        False,
        "postgresql",
    ),
    (
        "add_initially_deferrable_nochange_two",
        {"deferrable": True, "initially": "deferred"},
        {"deferrable": True, "initially": "deferred"},
        False,
        "postgresql",
    ),
    (
        "add_initially_deferrable_nochange_three",
        {"deferrable": None, "initially": "deferred"},
        {"deferrable": None, "initially": "deferred"},
        False,
        "postgresql",
    ),
    ("add_deferrable", {}, {"deferrable": True}, True, "postgresql"),
    ("remove_deferrable", {"deferrable": True}, {}, True, "postgresql"),
]
for _label, _old, _new, _changed, _where in _OPTS:
    cases.add(
        CHANGE if _changed else [],
        backends=_where,
        name=f"fk_{_label}",
        source=(
            f"AutogenerateFKOptionsTest.test_{_label}: {_old} -> {_new} (DEFERRABLE/INITIALLY "
            "only where the backend keeps them)"
        ),
    )(_fk_opts(_old, _new))
