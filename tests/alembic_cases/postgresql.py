"""Cases from Alembic's ``tests/test_postgresql.py`` (PostgreSQL only).

The op and renderer tests there (``PostgresqlOpTest``, ``PostgresqlAutogenRenderTest``, offline
enums) check Alembic's own SQL and code output and have no counterpart here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    Interval,
    MetaData,
    Numeric,
    Sequence,
    String,
    Table,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSRANGE, ExcludeConstraint

from tests.alembic_cases import Registry

cases = Registry()

PG = "postgresql"
TEST_SCHEMA = "test_schema"


# --- PostgresqlDefaultCompareTest ----------------------------------------------------------------


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


_DEFAULTS: list[tuple[str, Any, Any, Any, bool]] = [
    ("string_blank", String(8), "", None, False),
    ("string_nonblank", String(8), "hi", None, False),
    ("interval_str", Interval(), "14 days", None, False),
    ("interval_text", Interval(), text("'14 days'"), None, False),
    ("array_of_integer_text", ARRAY(Integer), text("(ARRAY[]::integer[])"), None, False),
    (
        "current_timestamp_text",
        DateTime(),
        text("TIMEZONE('utc', CURRENT_TIMESTAMP)"),
        None,
        False,
    ),
    (
        "current_timestamp_fn_w_binds",
        DateTime(),
        func.timezone("utc", func.current_timestamp()),
        None,
        False,
    ),
    ("integer_str", Integer(), "5", None, False),
    ("integer_text", Integer(), text("5"), None, False),
    ("integer_text_diff", Integer(), text("5"), "7", True),
    ("float_str", Float(), "5.2", None, False),
    ("float_text", Float(), text("5.2"), None, False),
    ("float_no_diff1", Float(), text("5.2"), "5.2", False),
    ("float_no_diff2", Float(), "5.2", text("5.2"), False),
    ("float_no_diff3", Float(), text("5"), text("5.0"), False),
    ("float_no_diff4", Float(), "5", "5.0", False),
    ("float_no_diff5", Float(), text("5"), "5.0", False),
    ("float_no_diff6", Float(), "5", text("5.0"), False),
    ("numeric_no_diff", Numeric(), text("5"), "5.0", False),
    ("unicode_literal", String(), "im a default", None, False),
    ("character_str", String(), "hello", None, False),
    ("character_text", String(), text("'hello'"), None, False),
    ("character_str_diff", String(), "hello", "there", True),
    ("character_text_diff", String(), text("'hello'"), text("'there'"), True),
]
for _label, _type, _orig, _alt, _diff in _DEFAULTS:
    cases.add(
        ["alter_column:server_default"] if _diff else [],
        backends=PG,
        name=f"pg_default_{_label}",
        source=f"PostgresqlDefaultCompareTest.test_compare_{_label}: {_orig!r} -> {_alt!r}",
    )(_default(_type, _orig, _alt))


@cases.add([], backends=PG)
def pg_primary_key_serial_skip() -> tuple[MetaData, MetaData]:
    """PostgresqlDefaultCompareTest.test_primary_key_skip: a SERIAL key's nextval() default is
    not a server default to compare."""
    m1, m2 = MetaData(), MetaData()
    Table("sometable", m1, Column("id", Integer, primary_key=True))
    Table("sometable", m2, Column("id", Integer, primary_key=True))
    return m1, m2


@cases.add([], backends=PG)
def pg_non_pk_sequence() -> tuple[MetaData, MetaData]:
    """PostgresqlDefaultCompareTest.test_non_pk_sequence (#1507): a non-key column whose default
    is ``Sequence.next_value()``; the sequence is created with the table's metadata."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        seq = Sequence("post_sequential_id_seq", metadata=m, start=1)
        Table("test", m, Column("somecol", Integer, server_default=seq.next_value()))
    return m1, m2


# --- PostgresqlDetectSerialTest: the key's type changes, its default is read right ---------------

for _schema in (None, TEST_SCHEMA):
    _sfx = "schema" if _schema else "default"

    def _serial(schema: str | None = _schema) -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(schema=schema), MetaData(schema=schema)
        Table("t", m1, Column("x", Integer, primary_key=True))
        Table("t", m2, Column("x", BigInteger()))
        return m1, m2

    cases.add(
        ["alter_column:type+nullable", "drop_autoincrement", "drop_primary_key"],
        backends=PG,
        schemas=[TEST_SCHEMA] if _schema else [],
        name=f"pg_detect_serial_{_sfx}",
        source=(
            "PostgresqlDetectSerialTest.test_serial: a SERIAL key becomes a plain BIGINT column "
            "(its generated default is not a server default). Alembic proposes only the type "
            "and key changes; ours also drops the nextval() default and its owned sequence "
            "(drop_autoincrement), since the models' column has none: without it the column "
            "would keep numbering rows, unlike v2.create_all"
        ),
    )(_serial)

    def _no_default(schema: str | None = _schema) -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(schema=schema), MetaData(schema=schema)
        Table("t", m1, Column("x", Integer, autoincrement=False, primary_key=True))
        Table("t", m2, Column("x", BigInteger()))
        return m1, m2

    cases.add(
        ["alter_column:type+nullable", "drop_primary_key"],
        backends=PG,
        schemas=[TEST_SCHEMA] if _schema else [],
        name=f"pg_detect_no_default_{_sfx}",
        source="PostgresqlDetectSerialTest.test_no_default: a key without a default",
    )(_no_default)

    for _pk in (True, False):

        def _separate_seq(
            schema: str | None = _schema, pk: bool = _pk, numeric: bool = False
        ) -> tuple[MetaData, MetaData]:
            m1, m2 = MetaData(schema=schema), MetaData(schema=schema)
            seq = Sequence("x_id_seq", schema=schema, metadata=m1)
            Table(
                "t",
                m1,
                Column(
                    "x",
                    Numeric(8, 2) if numeric else Integer,
                    server_default=seq.next_value(),
                    primary_key=pk,
                ),
            )
            Sequence("x_id_seq", schema=schema, metadata=m2)
            Table("t", m2, Column("x", BigInteger()))
            return m1, m2

        _expect = (
            ["alter_column:type+nullable+server_default", "drop_primary_key"]
            if _pk
            else ["alter_column:type+server_default"]
        )
        if _pk:
            cases.add(
                _expect,
                backends=PG,
                schemas=[TEST_SCHEMA] if _schema else [],
                name=f"pg_detect_separate_seq_{_sfx}",
                source=(
                    "PostgresqlDetectSerialTest.test_separate_seq: a key defaulting to its own "
                    "sequence becomes a plain BIGINT (the nextval default goes)"
                ),
            )(_separate_seq)
        cases.add(
            _expect,
            backends=PG,
            schemas=[TEST_SCHEMA] if _schema else [],
            name=f"pg_detect_numeric_{'pk' if _pk else 'nopk'}_{_sfx}",
            source=(
                "PostgresqlDetectSerialTest.test_numeric: a NUMERIC(8, 2) column defaulting to a "
                "sequence becomes a plain BIGINT"
            ),
        )(lambda schema=_schema, pk=_pk: _separate_seq(schema, pk, numeric=True))


# --- PGUniqueIndexAutogenerateTest ---------------------------------------------------------------


@cases.add(["create_index"], backends=PG, schemas=[TEST_SCHEMA])
def pg_idx_added_schema() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_idx_added_schema."""
    m1, m2 = MetaData(), MetaData()
    Table("add_ix", m1, Column("x", String(50)), schema=TEST_SCHEMA)
    Table("add_ix", m2, Column("x", String(50)), Index("ix_1", "x"), schema=TEST_SCHEMA)
    return m1, m2


@cases.add([], backends=PG, schemas=[TEST_SCHEMA])
def pg_idx_unchanged_schema() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_idx_unchanged_schema."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        Table("add_ix", m, Column("x", String(50)), Index("ix_1", "x"), schema=TEST_SCHEMA)
    return m1, m2


@cases.add(["add_unique_constraint"], backends=PG, schemas=[TEST_SCHEMA])
def pg_uq_added_schema() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_uq_added_schema."""
    m1, m2 = MetaData(), MetaData()
    Table("add_uq", m1, Column("x", String(50)), schema=TEST_SCHEMA)
    Table(
        "add_uq",
        m2,
        Column("x", String(50)),
        UniqueConstraint("x", name="ix_1"),
        schema=TEST_SCHEMA,
    )
    return m1, m2


@cases.add([], backends=PG, schemas=[TEST_SCHEMA])
def pg_uq_unchanged_schema() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_uq_unchanged_schema."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        Table(
            "add_uq",
            m,
            Column("x", String(50)),
            UniqueConstraint("x", name="ix_1"),
            schema=TEST_SCHEMA,
        )
    return m1, m2


@cases.add([], backends=PG)
def pg_exclude_constraint_unchanged() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_exclude_const_unchanged: an EXCLUDE constraint (its
    backing index is not a separate index to drop)."""
    m1, m2 = MetaData(), MetaData()
    for m in (m1, m2):
        Table(
            "add_excl",
            m,
            Column("id", Integer, primary_key=True),
            Column("period", TSRANGE),
            ExcludeConstraint(("period", "&&"), name="quarters_period_excl"),
        )
    return m1, m2


@cases.add(["create_table"], backends=PG, schemas=[TEST_SCHEMA])
def pg_same_table_name_two_schemas() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_same_tname_two_schemas."""
    m1, m2 = MetaData(), MetaData()
    Table("add_ix", m1, Column("x", String(50)), Index("ix_1", "x"))
    Table("add_ix", m2, Column("x", String(50)), Index("ix_1", "x"))
    Table("add_ix", m2, Column("x", String(50)), schema=TEST_SCHEMA)
    return m1, m2


@cases.add(["drop_unique_constraint"], backends=PG)
def pg_uq_dropped() -> tuple[MetaData, MetaData]:
    """PGUniqueIndexAutogenerateTest.test_uq_dropped."""
    m1, m2 = MetaData(), MetaData()
    Table(
        "add_uq",
        m1,
        Column("id", Integer, primary_key=True),
        Column("name", String),
        UniqueConstraint("name", name="uq_name"),
    )
    Table("add_uq", m2, Column("id", Integer, primary_key=True), Column("name", String))
    return m1, m2


# --- PGIndexAutogenerateTest: JSONB / ARRAY expression indexes -----------------------------------

IndexFn = Callable[[Table], Any]


def _jsonb_table(m: MetaData) -> Table:
    return Table(
        "exp_index",
        m,
        Column("id", Integer, primary_key=True),
        Column("aa", ARRAY(Integer)),
        Column("jb", JSONB),
        Column("not_jsonb_path_ops", Integer),
    )


def _jsonb_pair(old: IndexFn, new: IndexFn) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        old(_jsonb_table(m1))
        new(_jsonb_table(m2))
        return m1, m2

    return build


DIFFERENT: list[tuple[IndexFn, IndexFn]] = [
    (lambda t: Index("idx", t.c.jb["foo"]), lambda t: Index("idx", t.c.jb["bar"])),
    (lambda t: Index("idx", t.c.jb["foo"]), lambda t: Index("idx", t.c.jb["not_jsonb_path_ops"])),
    (lambda t: Index("idx", t.c.jb["not_jsonb_path_ops"]), lambda t: Index("idx", t.c.jb["bar"])),
    (lambda t: Index("idx", t.c.aa), lambda t: Index("idx", t.c.not_jsonb_path_ops)),
    (lambda t: Index("idx", t.c.not_jsonb_path_ops), lambda t: Index("idx", t.c.aa)),
    (
        lambda t: Index(
            "idx",
            t.c.jb["foo"].label("x"),
            postgresql_using="gin",
            postgresql_ops={"x": "jsonb_path_ops"},
        ),
        lambda t: Index(
            "idx",
            t.c.jb["bar"].label("x"),
            postgresql_using="gin",
            postgresql_ops={"x": "jsonb_path_ops"},
        ),
    ),
    (lambda t: Index("idx", t.c.jb["foo"].astext), lambda t: Index("idx", t.c.jb["bar"].astext)),
    (
        lambda t: Index("idx", t.c.jb["foo"].as_integer()),
        lambda t: Index("idx", t.c.jb["bar"].as_integer()),
    ),
    (
        lambda t: Index("idx", text("(jb->'x')"), _table=t),
        lambda t: Index("idx", text("(jb->'y')"), _table=t),
    ),
]
EQUAL: list[tuple[IndexFn, IndexFn]] = [(f, f) for pair in DIFFERENT for f in pair]
EQUAL += [
    (
        lambda t: Index("idx", text("(jb->'x')"), _table=t),
        lambda t: Index("idx", text("(jb -> 'x')"), _table=t),
    ),
    (
        lambda t: Index("idx", text("cast(jb->'x' as integer)"), _table=t),
        lambda t: Index("idx", text("(jb -> 'x')::integer"), _table=t),
    ),
]


def _gin(*expr: str) -> IndexFn:
    return lambda t: Index("idx", *(text(e) for e in expr), postgresql_using="gin", _table=t)


#: _index_op_clause: (changed, old, new). Alembic cannot compare an element with an operator
#: class, warns and reports nothing for the pairs it marks False even where they differ (a
#: false negative); the correct outcome is a change wherever the indexes differ.
OP_CLAUSE: list[tuple[bool, IndexFn, IndexFn]] = [
    (False, _gin("(jb->'x')jsonb_path_ops"), _gin("(jb->'x')jsonb_path_ops")),
    (False, _gin("aa array_ops"), _gin("aa array_ops")),
    (True, _gin("(jb->'x')jsonb_path_ops"), _gin("(jb->'y')jsonb_path_ops")),
    (True, _gin("aa array_ops"), _gin("jb array_ops")),
    (
        True,
        _gin("aa array_ops", "(jb->'y')jsonb_path_ops"),
        _gin("(jb->'y')jsonb_path_ops", "aa array_ops"),
    ),
    (True, _gin("aa array_ops", "(jb->'x')"), _gin("aa array_ops", "(jb->'y')")),
    (True, _gin("(jb->'x')", "aa array_ops"), _gin("(jb->'y')", "aa array_ops")),
    (True, _gin("aa array_ops", "(jb->'x')"), _gin("jb array_ops", "(jb->'y')")),
    (True, _gin("(jb->'x')", "aa array_ops"), _gin("(jb->'y')", "jb array_ops")),
]

#: ``jb array_ops`` is not valid on a JSONB column: PostgreSQL refuses that model's index, so
#: only the comparison is checked (Alembic never created it)
INVALID_MODEL = {3, 7, 8}

for _i, (_old, _new) in enumerate(DIFFERENT):
    cases.add(
        ["drop_index", "create_index"],
        backends=PG,
        name=f"pg_jsonb_index_changed_{_i}",
        source=f"PGIndexAutogenerateTest.test_expression_indexes_changed, pair {_i}",
    )(_jsonb_pair(_old, _new))
for _i, (_old, _new) in enumerate(EQUAL):
    cases.add(
        [],
        backends=PG,
        name=f"pg_jsonb_index_same_{_i}",
        source=f"PGIndexAutogenerateTest.test_expression_indexes_no_change, pair {_i}",
    )(_jsonb_pair(_old, _new))
for _i, (_changed, _old, _new) in enumerate(OP_CLAUSE):
    cases.add(
        ["drop_index", "create_index"] if _changed else [],
        backends=PG,
        converges=_i not in INVALID_MODEL,
        name=f"pg_opclass_index_{_i}",
        source=(
            f"PGIndexAutogenerateTest.test_expression_indexes_warn_operator, pair {_i}: an "
            "element with an operator class is compared (Alembic warns and skips it)"
        ),
    )(_jsonb_pair(_old, _new))


# --- PGNullsNotDistinctAutogenerateTest (PostgreSQL 15+) -----------------------------------------

NND_KINDS: dict[str, tuple[Callable[[bool | None], Any], str]] = {
    "index": (
        lambda v: Index("nnd_obj", "name", unique=True, postgresql_nulls_not_distinct=v),
        "index",
    ),
    "constraint": (
        lambda v: UniqueConstraint("id", "name", name="nnd_obj", postgresql_nulls_not_distinct=v),
        "unique_constraint",
    ),
}


def _nnd(old: Any, new: Any) -> Callable[[], tuple[MetaData, MetaData]]:
    def build() -> tuple[MetaData, MetaData]:
        m1, m2 = MetaData(), MetaData()
        Table("tbl", m1, Column("id", Integer, primary_key=True), Column("name", String), *old())
        Table("tbl", m2, Column("id", Integer, primary_key=True), Column("name", String), *new())
        return m1, m2

    return build


for _kind, (_make, _op) in NND_KINDS.items():
    _add, _drop = (
        ("create_index", "drop_index")
        if _op == "index"
        else ("add_unique_constraint", "drop_unique_constraint")
    )
    for _case in (False, True, None):
        _to = not _case
        _ids = f"{_kind}_{str(_case).lower()}"
        cases.add(
            [_add],
            backends=PG,
            name=f"pg_nnd_add_{_ids}",
            source=f"PGNullsNotDistinctAutogenerateTest.test_add[{_kind}, nnd={_case}]",
        )(_nnd(lambda: [], lambda m=_make, c=_case: [m(c)]))
        cases.add(
            [_drop],
            backends=PG,
            name=f"pg_nnd_remove_{_ids}",
            source=f"PGNullsNotDistinctAutogenerateTest.test_remove[{_kind}, nnd={_case}]",
        )(_nnd(lambda m=_make, c=_case: [m(c)], lambda: []))
        cases.add(
            [_drop, _add],
            backends=PG,
            name=f"pg_nnd_toggle_{_ids}",
            source=(
                f"PGNullsNotDistinctAutogenerateTest.test_toggle_not_distinct[{_kind}, "
                f"{_case} -> {_to}]"
            ),
        )(_nnd(lambda m=_make, c=_case: [m(c)], lambda m=_make, t=_to: [m(t)]))
        cases.add(
            [],
            backends=PG,
            name=f"pg_nnd_no_change_{_ids}",
            source=f"PGNullsNotDistinctAutogenerateTest.test_no_change[{_kind}, nnd={_case}]",
        )(_nnd(lambda m=_make, c=_case: [m(c)], lambda m=_make, c=_case: [m(c)]))
