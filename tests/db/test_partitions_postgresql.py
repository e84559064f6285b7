"""PostgreSQL declarative partitioning (issue 17) on a real database, through the commands a
user runs: a database built from the declarations (in other spellings too) diffs clean; a
migration from v1 to v2 (partitions created, dropped, given new bounds with rows in them, a
column added to the parent, a partition partitioned again, a partitioned table created and one
dropped) converges on the v2 reference (compared by the independent inspector), runs offline
and under plain alembic, and its downgrade brings v1 back with the rows kept."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.partitions import models, rebuilt
from schemadiff.diff.engine import compute_diff
from schemadiff.objects import Partition, create_partitions
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import cli_ok as cli
from tests.kit.cli import one_error, run_alembic, run_cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


engine_for = engine_fixture("postgresql")


def build(engine: Engine, metadata: sa.MetaData) -> None:
    with engine.begin() as conn:
        metadata.create_all(conn)
        create_partitions(metadata, conn)


def project(folder: Path, engine: Engine, module: str, version: int) -> Path:
    folder.mkdir()
    (folder / f"{module}.py").write_text(
        f"from fixtures.partitions import models\n\nmetadata = models({version})\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    return folder


def changed(got: dict, want: dict) -> tuple[dict, dict]:
    return (
        {k: v for k, v in got.items() if v != want.get(k)},
        {k: v for k, v in want.items() if v != got.get(k)},
    )


def every_kind() -> sa.MetaData:
    """RANGE over dates and over timestamps, LIST, HASH, DEFAULT, a partition partitioned
    again, a table in another schema."""
    metadata = sa.MetaData()
    sa.Table(
        "days",
        metadata,
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("n", sa.Integer),
        postgresql_partition_by="range (day)",
    )
    Partition(metadata, "days_2024", "days", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
    Partition(metadata, "days_rest", "days", "default")
    sa.Table(
        "stamps",
        metadata,
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("id", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("at", "kind", "id"),
        sa.Index("ix_stamps_kind", "kind"),
        postgresql_partition_by='RANGE ("at")',
    )
    Partition(
        metadata,
        "stamps_2024",
        "stamps",
        "FOR VALUES FROM ('2024-01-01 00:00+00') TO ('2025-01-01 00:00+00')",
        partition_by="LIST (kind)",
    )
    Partition(metadata, "stamps_2024_ab", "stamps_2024", "FOR VALUES IN ('a','b')")
    Partition(
        metadata,
        "stamps_2024_c",
        "stamps_2024",
        "FOR VALUES IN ('c')",
        partition_by="HASH (id)",
    )
    for r in range(3):
        Partition(
            metadata,
            f"stamps_2024_c{r}",
            "stamps_2024_c",
            f"FOR VALUES WITH (MODULUS 3, REMAINDER {r})",
        )
    sa.Table(
        "codes",
        metadata,
        sa.Column("code", sa.Integer, nullable=False),
        postgresql_partition_by="LIST (code)",
    )
    Partition(metadata, "codes_low", "codes", "FOR VALUES IN (1, 2, 3)")
    Partition(metadata, "codes_null", "codes", "FOR VALUES IN (NULL)")
    # an expression key the server spells with more parentheses: settled by the server
    sa.Table(
        "scores",
        metadata,
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        postgresql_partition_by='range ((id*2), name collate "C")',
    )
    Partition(metadata, "scores_low", "scores", "FOR VALUES FROM (0, 'a') TO (10, 'z')")
    return metadata


def test_every_kind_of_partition_diffs_clean(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, every_kind())
    result = diff(engine, every_kind())
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == []
    # and the fixture's versions
    for version in (1, 2):
        other = engine_for(version)
        build(other, models(version))
        result = diff(other, models(version))
        assert [op.describe() for op in result.ops] == []
        assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_partitions_written_by_hand_in_other_spellings_diff_clean(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for()
    metadata = every_kind()
    with engine.begin() as conn:
        metadata.create_all(conn)
        for sql in (
            "create table days_2024 partition of days for values from ('2024-01-01') "
            "to ('2025-01-01')",
            "create table days_rest partition of days default",
            "create table stamps_2024 partition of stamps for values from "
            "('2024-01-01T00:00:00Z') to ('2025-01-01T00:00:00Z') partition by list(kind)",
            "create table stamps_2024_ab partition of stamps_2024 for values in ('b', 'a')",
            "create table stamps_2024_c partition of stamps_2024 for values in ('c') "
            'partition by hash ("id")',
            "create table stamps_2024_c0 partition of stamps_2024_c "
            "for values with (modulus 3, remainder 0)",
            "create table stamps_2024_c1 partition of stamps_2024_c "
            "for values with (modulus 3, remainder 1)",
            "create table stamps_2024_c2 partition of stamps_2024_c "
            "for values with (modulus 3, remainder 2)",
            "create table codes_low partition of codes for values in (3, 2, 1)",
            "create table codes_null partition of codes for values in (null)",
            "create table scores_low partition of scores for values from (0,'a') to (10,'z')",
        ):
            conn.exec_driver_sql(sql)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_convergence_upgrade_offline_alembic_and_downgrade(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, models(2))
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    assert "<partitions>" in want_v2
    engine = engine_for()
    build(engine, models(1))
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO events (id, created_at, kind) VALUES "
            "(1, '2024-06-01', 'a'), (2, '2030-01-01', 'b')"
        )
        conn.exec_driver_sql("INSERT INTO regions VALUES (1, 'fr')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])

    folder = project(tmp_path / "project", engine, "models_partitions", 2)
    out = cli(folder, "revision", "--autogenerate", "-m", "partitions", "--rev-id", "0001")
    assert "drop partition events_old of events" in out, out
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "partition legacy_0 goes with table legacy" in script
    assert 'postgresql_partition_by="HASH (id)"' in script  # metrics is created partitioned

    offline = cli(folder, "upgrade", "head", "--sql")
    for statement in (
        "ALTER TABLE events DETACH PARTITION events_2024;",
        "ALTER TABLE events ATTACH PARTITION events_2024 "
        "FOR VALUES FROM ('2024-01-01') TO ('2026-01-01');",
        "DROP TABLE events_old;",
        "CREATE TABLE events_2027 PARTITION OF events "
        "FOR VALUES FROM ('2027-01-01') TO ('2028-01-01') PARTITION BY LIST (kind);",
        "CREATE TABLE events_2027_a PARTITION OF events_2027 FOR VALUES IN ('a');",
        ")\n PARTITION BY HASH (id)",
    ):
        assert statement in offline, statement
    # detached first, parents before their partitions, the column after the partitions
    order = [
        offline.index(s)
        for s in (
            "DETACH PARTITION events_2024",
            "DROP TABLE events_old",
            "CREATE TABLE metrics",
            "CREATE TABLE events_2027 ",
            "CREATE TABLE events_2027_a ",
            "ATTACH PARTITION events_2024",
            "ADD COLUMN source",
            "DROP TABLE legacy",
        )
    ]
    assert order == sorted(order), offline

    # plain alembic runs the script
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    up = run_alembic(folder, "upgrade", "head", env=env)
    assert up.code == 0, up.err
    with engine.connect() as conn:
        got_v2 = describe(conn, [None])
    assert changed(got_v2, want_v2) == ({}, {})
    result = diff(engine, models(2))
    assert [op.describe() for op in result.ops] == [], script
    assert [n.message for n in result.notices if n.level == "not_compared"] == []
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT tableoid::regclass::text, id FROM events ORDER BY id"
        ).all()
        assert [tuple(r) for r in rows] == [("events_2024", 1), ("events_other", 2)]

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        got = describe(conn, [None])
        assert changed(got, v1_state) == ({}, {}), script
        rows = conn.exec_driver_sql("SELECT id, kind FROM events ORDER BY id").all()
        assert [tuple(r) for r in rows] == [(1, "a"), (2, "b")]
        assert conn.exec_driver_sql("SELECT region FROM regions_eu").scalar() == "fr"
    # and up again with schemadiff's own command
    cli(folder, "upgrade", "head")
    assert diff(engine, models(2)).ops == ()


def test_a_dropped_partition_is_destructive_in_lint_and_the_json_report(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    engine = engine_for()
    build(engine, models(1))
    folder = project(tmp_path / "project", engine, "models_drop", 2)
    report = json.loads(run_cli(["diff", "--format", "json"], folder).out)
    [dropped] = [c for c in report["changes"] if c["op"] == "drop_partition" and c["destructive"]]
    assert (dropped["name"], dropped["table"]) == ("events_old", "events")
    # the partitions of the dropped table go with it: counted on the table's drop
    assert report["summary"]["destructive"] == 2, report["summary"]
    cli(folder, "revision", "--autogenerate", "-m", "drop", "--rev-id", "0001")
    lint = run_cli(["lint"], folder)
    assert "SD101" in lint.out and "events_old" in lint.out, lint


def test_bounds_that_leave_rows_out_fail_loudly_and_keep_them(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    engine = engine_for()
    build(engine, models(1))
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO events VALUES (1, '2024-11-01', 'a')")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_narrow.py").write_text(
        "from fixtures.partitions import models\nfrom schemadiff.objects import Partition\n\n"
        "metadata = models(1)\n"
        "Partition(metadata, 'events_2024', 'events', "
        "\"FOR VALUES FROM ('2024-01-01') TO ('2024-07-01')\")\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_narrow:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    out = cli(folder, "revision", "--autogenerate", "-m", "narrow", "--rev-id", "0001")
    assert "attach partition events_2024" in out, out
    result = run_cli(["upgrade", "head"], folder)
    assert result.code != 0
    assert "violated by some row" in result.err, result.err
    with engine.connect() as conn:  # rolled back: the row is still in its partition
        row = conn.exec_driver_sql("SELECT tableoid::regclass::text FROM events").scalar()
        assert row == "events_2024"


def test_a_new_partition_takes_its_rows_from_the_default_partition_and_gives_them_back(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """PostgreSQL refuses a new partition while the DEFAULT partition holds rows in its bounds:
    the migration detaches the DEFAULT partition, moves those rows into the new one and attaches
    it again; the downgrade puts them back in the DEFAULT partition (no row lost either way)."""
    engine = engine_for()
    build(engine, models(1))
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO events VALUES (1, '2026-05-01', 'a'), (2, '2031-01-01', 'b')"
        )

    def where() -> dict[int, str]:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT id, tableoid::regclass::text FROM events")
            return dict(rows.all())

    assert where() == {1: "events_other", 2: "events_other"}
    folder = project(tmp_path / "project", engine, "models_default_rows", 2)
    out = cli(folder, "revision", "--autogenerate", "-m", "v2", "--rev-id", "0002")
    assert "create partition events_2026 of events" in out and "taken from events_other" in out
    cli(folder, "upgrade", "head")
    assert where() == {1: "events_2026", 2: "events_other"}
    assert "no differences" in cli(folder, "diff")
    cli(folder, "downgrade", "base")
    assert where() == {1: "events_other", 2: "events_other"}


def test_a_changed_key_rebuilds_the_table_rows_kept_both_ways(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A table that becomes partitioned (with a new column) and one whose key changes are
    rebuilt: the database equals one built from v2, the rows are there and the identity goes
    on after them; the downgrade rebuilds v1, rows kept."""
    reference = engine_for(1)
    build(reference, rebuilt(2))
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    engine = engine_for()
    build(engine, rebuilt(1))
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO orders (placed_at, amount) VALUES ('2024-03-01', 10), ('2030-01-01', 20)"
        )
        conn.exec_driver_sql(
            "INSERT INTO readings VALUES (1, '2024-02-02', 'a'), (2, '2029-01-01', 'b')"
        )
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_rebuilt.py").write_text(
        "from fixtures.partitions import rebuilt\n\nmetadata = rebuilt(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_rebuilt:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    out = cli(folder, "revision", "--autogenerate", "-m", "rebuild", "--rev-id", "0001")
    assert "rebuild table orders: not partitioned -> PARTITION BY RANGE (placed_at)" in out
    assert "add column" not in out  # part of the rebuild
    offline = cli(folder, "upgrade", "head", "--sql")
    assert "CREATE TABLE orders__schemadiff_rows AS SELECT * FROM orders;" in offline
    assert "OVERRIDING SYSTEM VALUE SELECT id, placed_at, amount FROM orders__schemadiff_rows" in (
        offline
    )
    env = {"DATABASE_URL": url}
    up = run_alembic(folder, "upgrade", "head", env=env)
    assert up.code == 0, up.err
    with engine.connect() as conn:
        assert changed(describe(conn, [None]), want_v2) == ({}, {})
        rows = conn.exec_driver_sql(
            "SELECT tableoid::regclass::text, id, amount FROM orders ORDER BY id"
        ).all()
        assert [tuple(r) for r in rows] == [("orders_2024", 1, 10), ("orders_rest", 2, 20)]
        rows = conn.exec_driver_sql("SELECT tableoid::regclass::text, id FROM readings ORDER BY id")
        assert [tuple(r) for r in rows] == [("readings_a", 1), ("readings_rest", 2)]
    result = diff(engine, rebuilt(2))
    assert [op.describe() for op in result.ops] == []
    with engine.begin() as conn:  # the identity goes on after the rows copied
        new_id = conn.exec_driver_sql(
            "INSERT INTO orders (placed_at, amount) VALUES ('2024-05-05', 1) RETURNING id"
        ).scalar()
        assert new_id == 3
        conn.exec_driver_sql("DELETE FROM orders WHERE id = 3")

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert changed(describe(conn, [None]), v1_state) == ({}, {})
        rows = conn.exec_driver_sql("SELECT id, amount FROM orders ORDER BY id").all()
        assert [tuple(r) for r in rows] == [(1, 10), (2, 20)]
        rows = conn.exec_driver_sql("SELECT tableoid::regclass::text, id FROM readings ORDER BY id")
        assert [tuple(r) for r in rows] == [("readings_2024", 1), ("readings_rest", 2)]


def test_a_changed_key_that_a_rebuild_would_break_is_refused_by_name(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A foreign key of another table refers to it: ``diff`` and ``check`` show the change as
    not supported, ``revision`` stops with one line naming the table and why (exit 2)."""
    engine = engine_for()
    build(engine, rebuilt(1))
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE notes (id int, taken_at timestamp, sensor varchar(10), FOREIGN KEY "
            "(id, taken_at, sensor) REFERENCES readings)"
        )
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_key.py").write_text(
        "import sqlalchemy as sa\nfrom fixtures.partitions import rebuilt\n\n"
        "metadata = rebuilt(1)\n"
        "metadata.tables['readings'].dialect_options['postgresql']['partition_by'] = "
        "'LIST (sensor)'\n"
        "sa.Table('notes', metadata, sa.Column('id', sa.Integer),\n"
        "         sa.Column('taken_at', sa.DateTime), sa.Column('sensor', sa.String(10)),\n"
        "         sa.ForeignKeyConstraint(['id', 'taken_at', 'sensor'],\n"
        "             ['readings.id', 'readings.taken_at', 'readings.sensor'],\n"
        "             name='notes_id_taken_at_sensor_fkey'))\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_key:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    shown = run_cli(["diff"], folder)
    assert shown.code == 1
    assert (
        "change partitioning of readings: PARTITION BY RANGE (taken_at) -> PARTITION BY LIST "
        "(sensor) (not supported; foreign keys of notes refer to it: rebuild the table by hand)"
    ) in shown.out, shown.out
    assert run_cli(["check"], folder).code == 1
    made = run_cli(["revision", "--autogenerate", "-m", "key", "--rev-id", "0001"], folder)
    one_error(
        made,
        "table readings: its partitioning changes",
        "foreign keys of notes refer to it",
        "write this migration by hand",
    )
    assert not list((folder / "migrations" / "versions").glob("0001_*.py"))


def test_bounds_not_settled_are_not_compared_never_equal(
    engine_for: Callable[..., Engine],
) -> None:
    """The server keeps a date bound of a timestamp column as ``'2024-01-01 00:00:00'``: the
    declared text is settled by the server (a rolled-back probe). Without the server to ask,
    the differing spelling is listed as not compared, never taken as equal."""
    engine = engine_for()
    build(engine, models(1))
    settled = diff(engine, models(1))
    assert (settled.ops, [n for n in settled.notices if n.level == "not_compared"]) == ((), [])
    db = inspect_database(engine, [])
    apart = compute_diff(db, inspect_metadata(models(1), engine.dialect, db.default_schema))
    assert apart.ops == ()
    assert [n.message for n in apart.notices if n.level == "not_compared"] == [
        "partition events_2024 of events: its bounds could not be compared with the server's "
        "own spelling of them",
        "partition events_old of events: its bounds could not be compared with the server's "
        "own spelling of them",
    ]
    with engine.connect() as conn:  # the probes were rolled back
        found = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'schemadiff_probe_%%'"
        ).scalar()
        assert found == 0


def test_models_that_declare_none_leave_them_alone(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, models(1))
    bare = sa.MetaData()
    for table in models(1).tables.values():
        copy = table.to_metadata(bare)
        copy.dialect_options["postgresql"]["partition_by"] = None
    result = diff(engine, bare)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == (
        "partitioning of 3 tables, 3 partitions of events, 2 partitions of legacy, "
        "1 partition of regions"
    )
    # a table declared partitioned without partitions: its key compared, its partitions left
    keyed = models(1)
    keyed.info.pop("schemadiff.partitions")
    Partition(keyed, "regions_eu", "regions", "FOR VALUES IN ('fr','de')")
    result = diff(engine, keyed)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "3 partitions of events, 2 partitions of legacy"


def test_statement_count_does_not_grow_with_partitions(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for()

    def statements() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            inspect_database(engine, [])
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    build(engine, models(1))
    few = statements()
    with engine.begin() as conn:
        for i in range(10):
            conn.exec_driver_sql(f"CREATE TABLE p{i} (id int, k int) PARTITION BY LIST (k)")
            for j in range(3):
                conn.exec_driver_sql(f"CREATE TABLE p{i}_{j} PARTITION OF p{i} FOR VALUES IN ({j})")
    assert statements() == few
