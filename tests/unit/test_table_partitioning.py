"""MySQL / MariaDB partitioning without a server: reading the declarations (every form users
write, and the mistakes), ``create_all``'s DDL of Partition objects, the comparator's plan for
each kind of change, and the SQL each op renders."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.schema import CreateTable

from schemadiff import ops as O
from schemadiff.backends.mysql.partition_clause import metadata_partitioning
from schemadiff.diff.engine import compute_diff
from schemadiff.errors import MetadataError
from schemadiff.objects import Partition
from schemadiff.render.code import RenderContext
from schemadiff.render.registry import render_op
from schemadiff.snapshot.model import Column, ColumnType, PrimaryKey, Snapshot, Table
from schemadiff.snapshot.table_partitioning import TablePartition, TablePartitioning


def _same(schema: str | None) -> str | None:
    return schema


def declared(metadata: sa.MetaData) -> dict[str, TablePartitioning]:
    found = metadata_partitioning(metadata, metadata.sorted_tables, _same)
    return {p.table: p for p in found}


def table(metadata: sa.MetaData, name: str = "t", **options: object) -> sa.Table:
    return sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        **options,
    )


def test_the_whole_clause_habit_reads_like_partition_objects() -> None:
    md = sa.MetaData()
    table(
        md,
        "a",
        mysql_partition_by="range( `YEAR` ) (PARTITION p0 VALUES LESS THAN (2020) ENGINE=InnoDB,"
        " PARTITION `pmax` VALUES LESS THAN MAXVALUE)",
    )
    table(md, "b", mysql_partition_by="RANGE (year)")
    Partition(md, "p0", "b", "VALUES LESS THAN (2020)")
    Partition(md, "pmax", "b", "values less than maxvalue")
    found = declared(md)
    a, b = found["a"], found["b"]
    assert (a.method, a.expression, a.partitions) == (b.method, b.expression, b.partitions)
    assert [p.bound for p in a.partitions] == ["less:2020", "less:maxvalue"]


def test_counts_subpartitions_and_algorithms() -> None:
    md = sa.MetaData()
    table(md, "h", mysql_partition_by="LINEAR KEY ALGORITHM=2 (id)", mysql_partitions="3")
    table(md, "one", mysql_partition_by="HASH (id)")
    table(
        md,
        "s",
        mysql_partition_by="RANGE (year) SUBPARTITION BY HASH (id) SUBPARTITIONS 2 "
        "(PARTITION p0 VALUES LESS THAN (2020), PARTITION p1 VALUES LESS THAN MAXVALUE)",
    )
    found = declared(md)
    assert (found["h"].method, found["h"].names()) == ("LINEAR KEY", ("p0", "p1", "p2"))
    assert found["one"].names() == ("p0",)
    s = found["s"]
    assert (s.sub_method, s.sub_expression, s.sub_count) == ("HASH", "id", 2)


def test_list_values_compare_as_a_set_and_expressions_are_unsure() -> None:
    md = sa.MetaData()
    table(md, "l", mysql_partition_by="LIST (year)")
    Partition(md, "a", "l", "VALUES IN (3, 1,2)")
    Partition(md, "d", "l", "DEFAULT")
    table(md, "e", mysql_partition_by="RANGE (year)")
    Partition(md, "old", "e", "VALUES LESS THAN (YEAR('2020-01-01'))")
    found = declared(md)
    assert [p.bound for p in found["l"].partitions] == ["in:1,2,3", "default"]
    assert [p.comparable for p in found["e"].partitions] == [False]


@pytest.mark.parametrize(
    ("options", "partitions", "message"),
    [
        (
            {"mysql_partition_by": "RANGE (id) (PARTITION a VALUES LESS THAN (5))"},
            [("b", "VALUES LESS THAN (9)")],
            "table 't' declares its partitions twice",
        ),
        (
            {"mysql_partition_by": "HASH (id)", "mysql_partitions": "2"},
            [("b", "VALUES LESS THAN (9)")],
            "declares its partitions twice",
        ),
        ({}, [("b", "VALUES LESS THAN (9)")], "has Partition objects but no mysql_partition_by"),
        ({"mysql_partition_by": "RANGE (id)"}, [], "RANGE partitioning needs its partitions"),
        ({"mysql_partition_by": "SPREAD (id)"}, [], "does not start with RANGE"),
        ({"mysql_partition_by": "RANGE (id"}, [], "unbalanced parentheses"),
        ({"mysql_partition_by": "LIST (id)"}, [("b", "VALUES LESS THAN (9)")], "VALUES IN"),
    ],
)
def test_declaration_mistakes_are_one_clear_error(
    options: dict[str, str], partitions: list[tuple[str, str]], message: str
) -> None:
    md = sa.MetaData()
    table(md, **options)
    for name, bounds in partitions:
        Partition(md, name, "t", bounds)
    with pytest.raises(MetadataError, match=message) as caught:
        declared(md)
    assert "\n" not in str(caught.value)


def test_postgresql_subpartitioning_of_a_partition_is_an_error_here() -> None:
    md = sa.MetaData()
    table(md, mysql_partition_by="RANGE (year)")
    Partition(md, "p0", "t", "VALUES LESS THAN (1)", partition_by="HASH (id)")
    with pytest.raises(MetadataError, match="mysql_subpartition_by"):
        declared(md)


def test_a_partition_of_an_unknown_table_is_an_error() -> None:
    md = sa.MetaData()
    Partition(md, "p0", "nowhere", "VALUES LESS THAN (1)")
    with pytest.raises(MetadataError, match="'nowhere', which the models do not have"):
        declared(md)


def test_create_all_puts_partition_objects_into_create_table() -> None:
    md = sa.MetaData()
    t = table(md, mysql_partition_by="RANGE (year)", mysql_subpartition_by="HASH (id)")
    Partition(md, "p0", "t", "VALUES LESS THAN (2020)")
    Partition(md, "pmax", "t", "VALUES LESS THAN MAXVALUE")
    plain = table(sa.MetaData(), mysql_partition_by="HASH (id)", mysql_partitions="2")
    ddl = str(CreateTable(t).compile(dialect=mysql.dialect()))
    assert ddl.rstrip().endswith(
        "PARTITION BY RANGE (year) SUBPARTITION BY HASH (id) "
        "(PARTITION `p0` VALUES LESS THAN (2020), PARTITION `pmax` VALUES LESS THAN MAXVALUE)"
    )
    assert (
        str(CreateTable(plain).compile(dialect=mysql.dialect()))
        .rstrip()
        .endswith("PARTITION BY HASH (id) PARTITIONS 2")
    )


# --- the comparator's plan ----------------------------------------------------------------------


def _range(*parts: tuple[str, str], method: str = "RANGE") -> TablePartitioning:
    made = []
    for name, value in parts:
        if method == "LIST":
            made.append(TablePartition(name, f"in:{value}", f"VALUES IN ({value})"))
        else:
            made.append(TablePartition(name, f"less:{value}", f"VALUES LESS THAN ({value})"))
    return TablePartitioning("t", None, method, "year", tuple(made), raw_expression="year")


def _plan(old: TablePartitioning | None, new: TablePartitioning | None) -> list[str]:
    t = Table(
        "t",
        columns=(Column("id", ColumnType("int"), False), Column("year", ColumnType("int"), False)),
        primary_key=PrimaryKey(("id", "year")),
    )
    db = Snapshot("mysql", tables=(t,), table_partitioning=(old,) if old else ())
    models = Snapshot("mysql", tables=(t,), table_partitioning=(new,) if new else ())
    result = compute_diff(db, models)
    return [op.describe() for op in result.ops] + [n.message for n in result.notices]


def test_range_plans() -> None:
    base = _range(("p1", "10"), ("p2", "20"))
    assert _plan(base, _range(("p1", "10"), ("p2", "20"), ("p3", "30"))) == [
        "add partition p3 to t"
    ]
    assert _plan(base, _range(("p2", "20"))) == ["drop partition p1 of t (the rows in it are lost)"]
    assert _plan(base, _range(("p1", "10"), ("p2", "25"))) == [
        "reorganize partition p2 of t into p2 (rows kept)"
    ]
    # a partition inserted before others splits the next one
    assert _plan(base, _range(("p1", "10"), ("p15", "15"), ("p2", "20"))) == [
        "reorganize partition p2 of t into p15, p2 (rows kept)"
    ]
    assert _plan(base, _range(("all", "20"))) == [
        "reorganize partition p1, p2 of t into all (rows kept)"
    ]
    assert _plan(base, base) == []
    # retention and a split at once: the oldest dropped, the newest split off MAXVALUE
    years = _range(("y23", "2024"), ("y24", "2025"), ("ymax", "maxvalue"))
    assert _plan(years, _range(("y24", "2025"), ("y25", "2026"), ("ymax", "maxvalue"))) == [
        "drop partition y23 of t (the rows in it are lost)",
        "reorganize partition ymax of t into y25, ymax (rows kept)",
    ]
    # a bound that moves between kept partitions takes the next one along
    assert _plan(years, _range(("y23", "2024"), ("y24b", "2025"), ("ymax", "maxvalue"))) == [
        "reorganize partition y24 of t into y24b (rows kept)"
    ]
    assert _plan(years, _range(("y23", "2024"), ("y24b", "2026"), ("ymax", "maxvalue"))) == [
        "reorganize partition y24, ymax of t into y24b, ymax (rows kept)"
    ]


def test_list_plans() -> None:
    base = _range(("a", "1,2"), ("b", "3"), method="LIST")
    assert _plan(base, _range(("b", "3"), ("a", "1,2"), method="LIST")) == []
    assert _plan(base, _range(("a", "1,2"), ("b", "3"), ("c", "4"), method="LIST")) == [
        "add partition c to t"
    ]
    assert _plan(base, _range(("a", "1,2"), method="LIST")) == [
        "drop partition b of t (the rows in it are lost)"
    ]
    assert _plan(base, _range(("ab", "1,2,3"), method="LIST")) == [
        "reorganize partition a, b of t into ab (rows kept)"
    ]
    # MariaDB's catalog shows a DEFAULT partition as IN (0)
    default = TablePartition("d", "default", "DEFAULT")
    db = _range(("a", "1,2"), ("d", "0"), method="LIST")
    wanted = TablePartitioning("t", None, "LIST", "year", (db.partitions[0], default))
    assert _plan(db, wanted) == []


def test_shape_and_count_changes_partition_again() -> None:
    p0 = (TablePartition("p0"),)
    hashed = TablePartitioning("t", None, "HASH", "id", p0, raw_expression="id")
    more = TablePartitioning(
        "t", None, "HASH", "id", (TablePartition("p0"), TablePartition("p1")), raw_expression="id"
    )
    assert _plan(hashed, more) == [
        "partition table t again by HASH (id), 2 partitions (was HASH (id), 1 partition)"
    ]
    assert _plan(_range(("p1", "10")), hashed) == [
        "partition table t again by HASH (id), 1 partition (was RANGE (year), 1 partition)"
    ]
    assert _plan(None, hashed) == ["partition table t by HASH (id), 1 partition"]


def test_a_new_key_and_a_new_partitioning_remove_it_first() -> None:
    """Partitioned by year with PK (id, year), then by region with PK (id, region): the new
    key would not suit the old partitioning, so partitioning goes before the keys change and
    comes back after."""
    cols = tuple(Column(c, ColumnType("int"), False) for c in ("id", "year", "region"))
    old_t = Table("t", columns=cols, primary_key=PrimaryKey(("id", "year")))
    new_t = Table("t", columns=cols, primary_key=PrimaryKey(("id", "region")))
    by_year = _range(("p1", "10"))
    by_region = TablePartitioning("t", None, "HASH", "region", (TablePartition("p0"),))
    db = Snapshot("mysql", tables=(old_t,), table_partitioning=(by_year,))
    models = Snapshot("mysql", tables=(new_t,), table_partitioning=(by_region,))
    assert [op.describe() for op in compute_diff(db, models).ops] == [
        "drop primary key (id, year) on t",
        "remove partitioning of t (RANGE (year), 1 partition; rows kept)",
        "add primary key (id, region) on t",
        "partition table t by HASH (), 1 partition",
    ]


def test_undeclared_is_listed_never_removed() -> None:
    assert _plan(_range(("p1", "10")), None) == ["partitioning of 1 table"]


def test_a_dropped_table_takes_its_partitioning_and_the_downgrade_brings_it_back() -> None:
    db = Snapshot("mysql", tables=(Table("t"),), table_partitioning=(_range(("p1", "10")),))
    ops = compute_diff(db, Snapshot("mysql")).ops
    assert [op.describe() for op in ops] == [
        "drop partitioning of t (with table t)",
        "drop table t",
    ]
    back = sorted((op.reverse() for op in ops), key=lambda op: op.run_phase)
    assert [op.describe() for op in back] == [
        "create table t (0 columns)",
        "partition table t by RANGE (year), 1 partition",
    ]


def test_an_evaluated_bound_is_not_compared() -> None:
    db = _range(("p1", "737790"))
    declared_ = TablePartition("p1", "less:to_days('2020-01-01')", "...", comparable=False)
    wanted = TablePartitioning("t", None, "RANGE", "year", (declared_,))
    assert _plan(db, wanted) == [
        "bounds of partition p1 of t: the catalog keeps them evaluated, so the declared "
        "expression was not compared"
    ]


def test_rendered_statements() -> None:
    ctx = RenderContext(dialect="mysql")
    base = _range(("p1", "10"))
    p2 = TablePartition("p2", "less:20", "VALUES LESS THAN (20)")

    def code(op: O.Op) -> str:
        return "\n".join(render_op(op, ctx, "op").lines)

    assert code(O.PartitionTable(base)) == (
        "op.execute('ALTER TABLE t PARTITION BY RANGE (year) "
        "(PARTITION `p1` VALUES LESS THAN (10))')"
    )
    assert code(O.RemovePartitioning(base)) == "op.execute('ALTER TABLE t REMOVE PARTITIONING')"
    assert "goes with the table" in code(O.RemovePartitioning(base, with_table=True))
    assert code(O.AddPartitions(base, (p2,))) == (
        "op.execute('ALTER TABLE t ADD PARTITION (PARTITION `p2` VALUES LESS THAN (20))')"
    )
    assert code(O.DropPartitions(base, (p2,))) == (
        "op.execute('ALTER TABLE t DROP PARTITION `p2`')"
    )
    assert code(O.AddPartitions(base, base.partitions, p2)) == (
        "op.execute('ALTER TABLE t REORGANIZE PARTITION `p2` INTO "
        "(PARTITION `p1` VALUES LESS THAN (10), PARTITION `p2` VALUES LESS THAN (20))')"
    )
    assert code(O.ReorganizePartitions(base, base.partitions, (p2,))) == (
        "op.execute('ALTER TABLE t REORGANIZE PARTITION `p1` INTO "
        "(PARTITION `p2` VALUES LESS THAN (20))')"
    )


def test_partition_options_are_not_table_options_too() -> None:
    """``mysql_partition_by`` and friends are compared here only: the table-options comparator
    sees none of them (no double report, no false difference)."""
    from schemadiff.sources.metadata import inspect_metadata

    md = sa.MetaData()
    table(md, "h", mysql_partition_by="HASH (id)", mysql_partitions="4", mysql_engine="InnoDB")
    snapshot = inspect_metadata(md, mysql.dialect(), None)
    assert [t.options for t in snapshot.tables] == [()]
    assert [p.summary() for p in snapshot.table_partitioning] == ["HASH (id), 4 partitions"]


def test_an_excluded_table_takes_its_partitioning_out_and_a_rename_keeps_it() -> None:
    from schemadiff.diff.options import CompareOptions

    t = Table("t")
    db = Snapshot("mysql", tables=(t,), table_partitioning=(_range(("p1", "10")),))
    excluded = compute_diff(
        db, Snapshot("mysql", tables=(t,)), CompareOptions(exclude_tables=("t",))
    )
    assert (excluded.ops, [n.message for n in excluded.notices]) == ((), [])

    renamed = replace(_range(("p1", "10")), table="u")
    models = Snapshot("mysql", tables=(Table("u"),), table_partitioning=(renamed,))
    result = compute_diff(db, models, CompareOptions(rename_tables=((None, "t", "u"),)))
    assert [op.describe() for op in result.ops] == ["rename table t to u"]


def test_a_saved_snapshot_keeps_the_partitioning() -> None:
    """``schemadiff snapshot`` files carry it (raw SQL included: a downgrade from a snapshot
    can partition the table again)."""
    from schemadiff.snapshot import io

    saved = Snapshot("mysql", tables=(Table("t"),), table_partitioning=(_range(("p1", "10")),))
    loaded = io.loads(io.dumps(saved))
    assert loaded == saved
    assert loaded.table_partitioning[0].partitions[0].raw == "VALUES LESS THAN (10)"
