"""Sequences on PostgreSQL and MariaDB: a database built by ``create_all`` diffs clean whatever the
options (the server's defaults are no difference), SERIAL's and identity columns' own sequences
are never proposed for drop, filters apply, reflection costs the same statements for one sequence
or many, and MySQL / SQLite (no sequences) compare none."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.engine import Engine

from schemadiff.backends.registry import rules_for
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.snapshot import io as snapshot_io
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from schemadiff.sources.sequences import model_sequences
from tests.kit.false_positives import create, described, diff

pytestmark = pytest.mark.db


@pytest.fixture(params=["postgresql", "mysql"])
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _is_pg(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _models(pg: bool) -> sa.MetaData:
    """Every declaration form and option, as users write them."""
    m = sa.MetaData()
    sa.Sequence("plain_seq", metadata=m)
    sa.Sequence("options_seq", metadata=m, start=50, increment=3, minvalue=10, maxvalue=900)
    sa.Sequence("down_seq", metadata=m, increment=-2)
    sa.Sequence("cycle_seq", metadata=m, maxvalue=10, cycle=True, cache=4)
    sa.Sequence("bounds_seq", metadata=m, nominvalue=True, nomaxvalue=True)
    if pg:
        sa.Sequence("int_seq", metadata=m, data_type=sa.Integer)
        sa.Sequence("small_down_seq", metadata=m, data_type=sa.SmallInteger, increment=-1)
        sa.Sequence("optional_seq", metadata=m, optional=True)  # PostgreSQL creates none
    numbers = sa.Sequence("number_seq", metadata=m, start=1000)
    sa.Table(
        "orders",
        m,
        sa.Column("id", sa.Integer, sa.Sequence("orders_id_seq", start=7), primary_key=True),
        sa.Column("number", sa.BigInteger, server_default=numbers.next_value()),
    )
    sa.Table("serials", m, sa.Column("id", sa.Integer, primary_key=True))
    if pg:
        sa.Table("idents", m, sa.Column("id", sa.Integer, sa.Identity(), primary_key=True))
    return m


def test_create_all_diffs_clean(engine: Engine) -> None:
    models = _models(_is_pg(engine))
    create(engine, models)
    result = diff(engine, models)
    assert described(result) == []
    assert not any("sequence" in n.message for n in result.notices), result.notices
    with engine.connect() as conn:
        db = inspect_database(conn)
    names = {s.name for s in db.sequences if not s.implicit}
    expected = {"plain_seq", "options_seq", "down_seq", "cycle_seq", "bounds_seq", "number_seq"}
    expected |= {"orders_id_seq"}
    if _is_pg(engine):
        expected |= {"int_seq", "small_down_seq"}
    assert names == expected
    # a snapshot file holds them, and a diff against it is as clean (MariaDB: a dialect built
    # offline was never initialized, and still has sequences)
    loaded = snapshot_io.loads(snapshot_io.dumps(db))
    assert loaded.sequences == db.sequences
    assert [s.implicit for s in loaded.sequences] == [s.implicit for s in db.sequences]
    from schemadiff.pipeline import offline_dialect

    offline = inspect_metadata(models, offline_dialect(loaded), loaded.default_schema)
    assert (
        offline.sequences == inspect_metadata(models, engine.dialect, db.default_schema).sequences
    )


def _diff_with(engine: Engine, models: sa.MetaData, **options: Any) -> DiffResult:
    with engine.connect() as conn:
        db = inspect_database(conn)
        snap = inspect_metadata(models, conn.dialect, db.default_schema)
    opts = CompareOptions(metadata=models, use_entry_points=False, **options)
    return compute_diff(db, snap, opts)


def test_changes_are_found_and_a_drop_is_destructive(engine: Engine) -> None:
    models = _models(_is_pg(engine))
    create(engine, models)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SEQUENCE stray_seq")
        conn.exec_driver_sql("ALTER SEQUENCE options_seq INCREMENT BY 4 MAXVALUE 800")
        conn.exec_driver_sql("DROP SEQUENCE plain_seq")
    result = _diff_with(engine, models)
    assert described(result) == [
        "create sequence plain_seq",
        "alter sequence options_seq: increment 4 -> 3, maxvalue 800 -> 900",
        "drop sequence stray_seq",
    ]
    assert [op.destructive for op in result.ops] == [False, False, True]
    # every downgrade step is the reverse
    assert [op.reverse().describe() for op in result.ops] == [
        "drop sequence plain_seq",
        "alter sequence options_seq: increment 3 -> 4, maxvalue 900 -> 800",
        "create sequence stray_seq",
    ]


def _skip_by_object(obj: Any, name: str | None, type_: str, reflected: bool, other: Any) -> bool:
    if type_ == "sequence" and not reflected:
        assert isinstance(obj, sa.Sequence)  # the models' own object, as for tables
    return not (type_ == "sequence" and name in ("stray_seq", "plain_seq"))


def _skip_by_name(name: str | None, type_: str, parents: Any) -> bool:
    return not (type_ == "sequence" and name in ("stray_seq", "plain_seq"))


@pytest.mark.parametrize(
    "options",
    [
        {"exclude_tables": ("stray_*", "plain_seq")},
        {"include_object": _skip_by_object},
        {"include_name": _skip_by_name},
    ],
    ids=["exclude_tables", "include_object", "include_name"],
)
def test_filters_leave_sequences_out(engine: Engine, options: dict[str, Any]) -> None:
    models = _models(_is_pg(engine))
    create(engine, models)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SEQUENCE stray_seq")
        conn.exec_driver_sql("DROP SEQUENCE plain_seq")
    assert described(_diff_with(engine, models, **options)) == []


def test_postgresql_serial_identity_and_owned_sequences(backend_url: Callable[[str], str]) -> None:
    engine = sa.create_engine(backend_url("postgresql"))
    try:
        create(
            engine,
            sa.MetaData(),
            [
                "CREATE TABLE things (id serial PRIMARY KEY, code integer,"
                " n integer GENERATED ALWAYS AS IDENTITY)",
                "ALTER TABLE things RENAME TO stuff",  # SERIAL's sequence keeps its name
                "CREATE SEQUENCE code_seq OWNED BY stuff.code",
            ],
        )
        models = sa.MetaData()
        sa.Table(
            "stuff",
            models,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("code", sa.Integer),
            sa.Column("n", sa.Integer, sa.Identity(always=True), nullable=False),
        )
        # models that declare no sequence do not manage the database's: listed, not dropped
        assert described(_diff_with(engine, models)) == []
        # once they declare one, an owned sequence is an explicit OWNED BY: dropped only with
        # its owner taken off
        managing = sa.MetaData()
        for table in models.tables.values():
            table.to_metadata(managing)
        sa.Sequence("other_seq", metadata=managing)
        ops = described(_diff_with(engine, managing))
        alter = "alter sequence code_seq: owned by stuff.code -> none"
        assert ops.index(alter) < ops.index("drop sequence code_seq"), ops
        owned = sa.Sequence("code_seq", metadata=models)
        owned.info["owned_by"] = "stuff.code"  # Sequence() takes no info=, but has .info
        assert described(_diff_with(engine, models)) == []
        # SERIAL's sequence (things_id_seq) and the identity's are never proposed for drop
        with engine.connect() as conn:
            db = inspect_database(conn)
        assert [(s.name, s.owned_by, s.implicit) for s in db.sequences] == [
            ("code_seq", "stuff.code", False),
            ("things_id_seq", "stuff.id", True),
        ]
    finally:
        engine.dispose()


def _statements(engine: Engine) -> int:
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        with engine.connect() as conn:
            inspect_database(conn)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    return len(sent)


def test_statement_count_does_not_grow_with_sequences(engine: Engine) -> None:
    one = sa.MetaData()
    sa.Sequence("s0", metadata=one)
    create(engine, one)
    few = _statements(engine)
    many = sa.MetaData()
    for i in range(1, 40):
        sa.Sequence(f"s{i}", metadata=many, start=i)
    create(engine, many)
    assert _statements(engine) == few
    with engine.connect() as conn:
        assert len(inspect_database(conn).sequences) == 40


@pytest.mark.parametrize(
    "dialect",
    [mysql.dialect(), sqlite.dialect()],
    ids=["mysql8", "sqlite"],
)
def test_no_sequences_where_the_backend_has_none(dialect: Any) -> None:
    """MySQL 8 and SQLite have no sequences: ``create_all`` makes none, nothing is compared."""
    dialect.server_version_info = (8, 0, 36)
    models = sa.MetaData()
    sa.Sequence("plain_seq", metadata=models, start=5)
    sa.Table("t", models, sa.Column("id", sa.Integer, sa.Sequence("t_id_seq"), primary_key=True))
    rules = rules_for(dialect.name)
    assert model_sequences(models, dialect, rules, lambda s: s) == ()
    assert inspect_metadata(models, dialect).sequences == ()


def test_several_metadata_keep_their_standalone_sequences() -> None:
    from schemadiff.settings.loading import merge_metadata

    a, b = sa.MetaData(), sa.MetaData()
    sa.Table("users", a, sa.Column("id", sa.Integer, primary_key=True))
    numbers = sa.Sequence("numbers", metadata=b)
    merged = merge_metadata([("a:metadata", a), ("b:metadata", b)])
    assert merged._sequences == {"numbers": numbers}


def test_a_sequence_in_a_schema_not_covered_is_said_not_compared() -> None:
    from schemadiff.pipeline import restrict_to_covered
    from schemadiff.snapshot.model import Sequence, Snapshot

    models = Snapshot(
        "postgresql",
        schemas=("audit", "billing"),
        sequences=(Sequence("a"), Sequence("b", "audit"), Sequence("c", "billing")),
    )
    kept, notices = restrict_to_covered(models, frozenset({"audit"}))
    assert [s.name for s in kept.sequences] == ["a", "b"]
    assert [n.message for n in notices] == [
        "sequences in schema 'billing': the database side does not cover that schema "
        "(add it to 'schemas' or --schema)"
    ]
