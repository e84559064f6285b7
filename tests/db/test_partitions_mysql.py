"""MySQL / MariaDB partitioning (issue 17) on a real server, through the commands a user runs:
declarations in every form diff clean against ``create_all``; v1 -> v2 (a plain table with rows
partitioned, a partition added, a MAXVALUE partition split with its rows, a HASH count changed,
a LIST partition given a value) converges on ``create_all`` of v2 (compared by the independent
inspector), runs under ``alembic upgrade`` and offline, and its downgrade brings v1 back with
every row; a dropped partition is destructive in lint and the JSON report."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.partitions_mysql import AUDIT_DDL, ROWS, models
from schemadiff.objects import Partition
from schemadiff.sources import inspect_database
from tests.kit.cli import cli_ok as cli
from tests.kit.cli import one_error, run_alembic, run_cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


engine_for = engine_fixture("mysql")


def build(engine: Engine, version: int, rows: bool = False) -> None:
    """``create_all`` of the version (partitions included), ``audit`` partitioned by hand."""
    with engine.begin() as conn:
        models(version).create_all(conn)
        conn.exec_driver_sql(AUDIT_DDL)
        if rows:
            for table, values in ROWS.items():
                for row in values:
                    marks = ", ".join(["%s"] * len(row))
                    conn.exec_driver_sql(f"INSERT INTO {table} VALUES ({marks})", row)


def all_rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            t: sorted(tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t}")) for t in ROWS
        }


def project(folder: Path, engine: Engine, models: str) -> Path:
    """A project in ``folder`` whose models module holds ``models`` (Python source), named
    after the test (the commands run in-process: each test's module is its own)."""
    folder.mkdir()
    module = "models_" + folder.parent.name
    (folder / f"{module}.py").write_text(models)
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    return folder


def version(n: int) -> str:
    return f"from fixtures.partitions_mysql import models\n\nmetadata = models({n})\n"


def forms() -> sa.MetaData:
    """One table per way of declaring partitioning."""
    md = sa.MetaData()

    def table(name: str, *columns: str, **options: str) -> None:
        cols = [sa.Column(c, sa.Integer, primary_key=True, autoincrement=False) for c in columns]
        sa.Table(name, md, *cols, **options)

    table("by_range", "id", "year", mysql_partition_by="RANGE (year)")
    Partition(md, "p2019", "by_range", "VALUES LESS THAN (2020)")
    Partition(md, "pmax", "by_range", "VALUES LESS THAN MAXVALUE")
    table(
        "whole_clause",
        "id",
        "year",
        mysql_partition_by="RANGE(`Year`) (PARTITION p0 VALUES LESS THAN (2020),"
        " PARTITION pmax VALUES LESS THAN MAXVALUE)",
    )
    sa.Table(
        "by_columns",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("code", sa.String(5), primary_key=True),
        mysql_partition_by="RANGE COLUMNS (day, code)",
    )
    Partition(md, "old", "by_columns", "VALUES LESS THAN ('2020-01-01', 'm')")
    Partition(md, "rest", "by_columns", "VALUES LESS THAN (MAXVALUE, MAXVALUE)")
    table("by_list", "id", "region", mysql_partition_by="LIST (region)")
    Partition(md, "north", "by_list", "VALUES IN (3, 1, 2)")
    Partition(md, "south", "by_list", "VALUES IN (4)")
    table("by_hash", "id", mysql_partition_by="HASH (id)", mysql_partitions="4")
    table("by_linear_hash", "id", mysql_partition_by="LINEAR HASH (id) PARTITIONS 3")
    table("by_key", "id", mysql_partition_by="KEY ()", mysql_partitions="2")
    table(
        "by_expression",
        "id",
        "ts",
        mysql_partition_by="HASH (ts DIV 10)",
        mysql_partitions="3",
    )
    table(
        "with_subpartitions",
        "id",
        "year",
        mysql_partition_by="RANGE (year)",
        mysql_subpartition_by="HASH (id)",
        mysql_subpartitions="2",
    )
    Partition(md, "p0", "with_subpartitions", "VALUES LESS THAN (2020)")
    Partition(md, "p1", "with_subpartitions", "VALUES LESS THAN MAXVALUE")
    return md


def test_every_declaration_form_diffs_clean(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    metadata = forms()
    with engine.begin() as conn:
        metadata.create_all(conn)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.objects or n.level == "warning"] == []


@pytest.mark.parametrize("version", [1, 2])
def test_fixture_versions_diff_clean(version: int, engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, version)
    result = diff(engine, models(version))
    assert [op.describe() for op in result.ops] == []
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "partitioning of 1 table"  # audit: declared nowhere


def test_convergence_upgrade_alembic_offline_and_downgrade(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    assert want_v2["events"]["partitioning"]
    engine = engine_for()
    build(engine, 1, rows=True)
    rows = all_rows(engine)
    with engine.connect() as conn:
        v1_state = describe(conn, [None])

    folder = project(tmp_path / "project", engine, version(2))
    out = cli(folder, "revision", "--autogenerate", "-m", "parts", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    for expected in (
        "ALTER TABLE events PARTITION BY RANGE (year) (PARTITION `p2023` VALUES LESS THAN (2024)",
        "ALTER TABLE logs ADD PARTITION (PARTITION `d3` VALUES LESS THAN (30))",
        "ALTER TABLE metrics REORGANIZE PARTITION `mmax` INTO (PARTITION `m1` VALUES LESS THAN "
        "(200), PARTITION `mmax` VALUES LESS THAN MAXVALUE)",
        "ALTER TABLE buckets PARTITION BY HASH (id) PARTITIONS 4",
        "ALTER TABLE regions REORGANIZE PARTITION `south` INTO "
        "(PARTITION `south` VALUES IN (3, 4))",
        "ALTER TABLE events REMOVE PARTITIONING",
        "ALTER TABLE logs DROP PARTITION `d3`",
    ):
        assert expected in script, (expected, script)
    assert "audit" not in script
    assert "ALTER TABLE fresh PARTITION BY KEY (id) PARTITIONS 3" in script
    assert "the partitioning of archive goes with the table" in script
    assert (
        "ALTER TABLE archive PARTITION BY LIST (`year`) (PARTITION `old` VALUES IN (2019,2020)"
        in (script)
    )
    assert "drop partition d3 of logs" not in out  # the upgrade drops nothing

    offline = cli(folder, "upgrade", "head", "--sql")
    # the wider primary key first, then the partitioning that needs it
    assert offline.index("PRIMARY KEY (id, year)") < offline.index(
        "ALTER TABLE events PARTITION BY"
    )
    env = {"DATABASE_URL": engine.url.render_as_string(hide_password=False)}
    plain = run_alembic(folder, "upgrade", "head", "--sql", env=env)
    assert plain.code == 0, plain
    assert "ALTER TABLE buckets PARTITION BY HASH (id) PARTITIONS 4;" in plain.out

    alembic = run_alembic(folder, "upgrade", "head", env=env)
    assert alembic.code == 0, alembic
    with engine.connect() as conn:
        got_v2 = describe(conn, [None])
    got_v2.pop("audit"), want_v2.pop("audit")
    assert {k: v for k, v in got_v2.items() if v != want_v2.get(k)} == {
        k: v for k, v in want_v2.items() if v != got_v2.get(k)
    }
    assert [op.describe() for op in diff(engine, models(2)).ops] == [], script
    assert all_rows(engine) == rows
    with engine.connect() as conn:  # the split moved metrics' row 150 into m1
        moved = conn.exec_driver_sql("SELECT y FROM metrics PARTITION (m1)").scalars().all()
    assert moved == [150]

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
    assert all_rows(engine) == rows


def test_dropped_partition_is_destructive_in_the_report_and_lint(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    engine = engine_for()
    build(engine, 2)
    folder = project(tmp_path / "project", engine, version(1))
    report = run_cli(["diff", "--format", "json"], folder)
    assert report.code == 1, report
    data = json.loads(report.out)
    changes = data["changes"]
    # a RANGE partition removed between kept ones is dropped (its neighbours' bounds stay)
    dropped = [c for c in changes if c["op"] == "drop_partitions"]
    assert [(c["table"], c["name"], c["destructive"]) for c in dropped] == [
        ("logs", "logs", True),
        ("metrics", "metrics", True),
    ]
    assert [c["detail"]["partitions"][0]["name"] for c in dropped] == ["d3", "m1"]
    assert "the rows in it are lost" in dropped[0]["description"]
    assert data["summary"]["destructive"] == 3  # and drop table fresh
    assert [c["op"] for c in changes if c["table"] == "regions"] == ["reorganize_partition"]

    cli(folder, "revision", "--autogenerate", "-m", "drop", "--rev-id", "0001")
    lint = run_cli(["lint"], folder)
    assert lint.code == 1, lint
    assert "SD109" in lint.out and "drop partition d3 of logs" in lint.out, lint.out
    assert "drop partition m1 of metrics" in lint.out, lint.out


def test_models_that_declare_none_leave_it_alone(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, 2)
    bare = sa.MetaData()
    for table in models(2).tables.values():
        columns = [
            sa.Column(c.name, c.type, primary_key=c.primary_key, autoincrement=False)
            for c in table.columns
        ]
        sa.Table(table.name, bare, *columns)
    result = diff(engine, bare)
    assert [op.describe() for op in result.ops] == []
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "partitioning of 7 tables"


def test_a_new_partitioned_table_is_created_then_partitioned(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for()
    build(engine, 2)
    metadata = models(2)
    sa.Table(
        "brand_new",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        mysql_partition_by="KEY (id) PARTITIONS 2",
    )
    assert [op.describe() for op in diff(engine, metadata).ops] == [
        "create table brand_new (1 columns)",
        "partition table brand_new by KEY (id), 2 partitions",
    ]


def test_both_ways_is_one_clear_error(engine_for: Callable[..., Engine], tmp_path: Path) -> None:
    engine = engine_for()
    folder = project(
        tmp_path / "project",
        engine,
        "import sqlalchemy as sa\nfrom schemadiff.objects import Partition\n\n"
        "metadata = sa.MetaData()\n"
        "sa.Table('t', metadata, sa.Column('id', sa.Integer, primary_key=True),\n"
        "         mysql_partition_by='RANGE (id) (PARTITION a VALUES LESS THAN (5))')\n"
        "Partition(metadata, 'b', 't', 'VALUES LESS THAN (10)')\n",
    )
    line = one_error(run_cli(["diff"], folder), "declares its partitions twice")
    assert "Partition objects" in line


def test_warnings_for_what_the_server_refuses(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, 1)
    metadata = models(1)
    sa.Table(
        "children",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.Integer, sa.ForeignKey("events.id")),
    )
    metadata.tables["events"].dialect_kwargs["mysql_partition_by"] = "HASH (year)"
    warnings = [n.message for n in diff(engine, metadata).notices if n.level == "warning"]
    assert any("InnoDB refuses foreign keys" in w for w in warnings), warnings
    assert any("unique key (id) lacks partitioning column year" in w for w in warnings), warnings


def test_statement_count_does_not_grow_with_partitioned_tables(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for()

    def statements() -> list[str]:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            inspect_database(engine, [])
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return seen

    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE plain (id integer PRIMARY KEY)")
    none = statements()
    assert not [s for s in none if "PARTITIONS" in s]  # no partitioned table: not even asked
    build(engine, 2)
    few = statements()
    assert len([s for s in few if "information_schema.PARTITIONS" in s]) == 1
    assert len(few) == len(none) + 1
    with engine.begin() as conn:
        for i in range(15):
            conn.exec_driver_sql(
                f"CREATE TABLE t{i} (id integer PRIMARY KEY) PARTITION BY HASH (id) PARTITIONS 2"
            )
    assert len(statements()) == len(few)


def test_retention_and_a_split_in_one_migration(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """The oldest RANGE partition dropped (its rows with it) and MAXVALUE's split: a DROP and
    a REORGANIZE the server accepts, and a downgrade that puts the oldest back before the
    others (RANGE has no ADD there) and merges the split."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE sales (id integer, y integer, PRIMARY KEY (id, y)) PARTITION BY RANGE (y)"
            " (PARTITION y23 VALUES LESS THAN (2024), PARTITION y24 VALUES LESS THAN (2025),"
            " PARTITION ymax VALUES LESS THAN MAXVALUE)"
        )
        conn.exec_driver_sql("INSERT INTO sales VALUES (1, 2023), (2, 2024), (3, 2030)")
    with engine.connect() as conn:
        before = describe(conn, [None])
    folder = project(
        tmp_path / "project",
        engine,
        "import sqlalchemy as sa\nfrom schemadiff.objects import Partition\n\n"
        "metadata = sa.MetaData()\n"
        "sa.Table('sales', metadata,\n"
        "         sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),\n"
        "         sa.Column('y', sa.Integer, primary_key=True, autoincrement=False),\n"
        "         mysql_partition_by='RANGE (y)')\n"
        "Partition(metadata, 'y24', 'sales', 'VALUES LESS THAN (2025)')\n"
        "Partition(metadata, 'y25', 'sales', 'VALUES LESS THAN (2026)')\n"
        "Partition(metadata, 'ymax', 'sales', 'VALUES LESS THAN MAXVALUE')\n",
    )
    out = cli(folder, "revision", "--autogenerate", "-m", "retention", "--rev-id", "0001")
    assert "drop partition y23 of sales (the rows in it are lost)" in out
    assert "reorganize partition ymax of sales into y25, ymax (rows kept)" in out
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        ys = conn.exec_driver_sql("SELECT y FROM sales ORDER BY y").scalars().all()
        split = conn.exec_driver_sql("SELECT y FROM sales PARTITION (ymax)").scalars().all()
    assert (ys, split) == ([2024, 2030], [2030])
    assert [op.describe() for op in diff(engine, _module_metadata(folder)).ops] == []
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == before
        ys = conn.exec_driver_sql("SELECT y FROM sales ORDER BY y").scalars().all()
    assert ys == [2024, 2030]  # 2023's row went with its partition


def _module_metadata(folder: Path) -> sa.MetaData:
    [module] = folder.glob("models_*.py")
    namespace: dict[str, object] = {}
    exec(module.read_text(), namespace)
    metadata = namespace["metadata"]
    assert isinstance(metadata, sa.MetaData)
    return metadata


def test_bounds_the_catalog_keeps_evaluated_are_settled_by_the_server(
    engine_for: Callable[..., Engine],
) -> None:
    """``VALUES LESS THAN (TO_DAYS('2024-01-01'))`` reads back as ``739251``: the declared
    expression is compared in the server's value of it (one SELECT); without the server to ask
    (the models built apart) a difference is listed as not compared, never taken as equal."""
    from schemadiff.diff.engine import compute_diff
    from schemadiff.sources.metadata import inspect_metadata

    def models_(first: str) -> sa.MetaData:
        md = sa.MetaData()
        sa.Table(
            "visits",
            md,
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
            sa.Column("day", sa.Date, primary_key=True),
            mysql_partition_by="RANGE (TO_DAYS(day))",
        )
        Partition(md, "old", "visits", f"VALUES LESS THAN (TO_DAYS('{first}'))")
        Partition(md, "rest", "visits", "VALUES LESS THAN MAXVALUE")
        return md

    engine = engine_for()
    with engine.begin() as conn:
        models_("2024-01-01").create_all(conn)
    assert diff(engine, models_("2024-01-01")).ops == ()
    assert [op.describe() for op in diff(engine, models_("2025-01-01")).ops] == [
        "reorganize partition old, rest of visits into old, rest (rows kept)"
    ]
    db = inspect_database(engine, [])
    apart = compute_diff(db, inspect_metadata(models_("2024-01-01"), engine.dialect, None))
    assert apart.ops == ()
    assert [n.message for n in apart.notices if n.table == "visits"] == [
        "bounds of partition old of visits: the catalog keeps them evaluated, so the declared "
        "expression was not compared"
    ]


def test_a_new_key_with_a_new_partitioning_applies_and_comes_back(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """RANGE (y) with PK (id, y) becomes HASH (region) with PK (id, region): partitioning is
    removed before the primary key changes and set again after, both ways, rows kept."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE visits (id integer, y integer, region integer NOT NULL,"
            " PRIMARY KEY (id, y)) PARTITION BY RANGE (y)"
            " (PARTITION a VALUES LESS THAN (2024), PARTITION b VALUES LESS THAN MAXVALUE)"
        )
        conn.exec_driver_sql("INSERT INTO visits VALUES (1, 2023, 5), (2, 2030, 6)")
    with engine.connect() as conn:
        before = describe(conn, [None])
    folder = project(
        tmp_path / "project",
        engine,
        "import sqlalchemy as sa\n\nmetadata = sa.MetaData()\n"
        "sa.Table('visits', metadata,\n"
        "         sa.Column('id', sa.Integer, primary_key=True, autoincrement=False),\n"
        "         sa.Column('y', sa.Integer, nullable=False),\n"
        "         sa.Column('region', sa.Integer, primary_key=True, autoincrement=False),\n"
        "         mysql_partition_by='HASH (region)', mysql_partitions='3')\n",
    )
    cli(folder, "revision", "--autogenerate", "-m", "rekey", "--rev-id", "0001")
    cli(folder, "upgrade", "head")
    assert [op.describe() for op in diff(engine, _module_metadata(folder)).ops] == []
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == before
        rows = conn.exec_driver_sql("SELECT id, y, region FROM visits ORDER BY id").all()
    assert [tuple(r) for r in rows] == [(1, 2023, 5), (2, 2030, 6)]
