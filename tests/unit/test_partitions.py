"""PostgreSQL partitions on hand-built snapshots: canonical spelling, what is compared (opt-in,
per table), the ops and their order both ways, filters."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.ops import AddColumn
from schemadiff.snapshot.model import ForeignKey, Snapshot
from schemadiff.snapshot.partitions import Partition, PartitionKey, canonical_partition_sql
from tests.kit.builders import col, table

EVENTS = table("events", col("id"), col("at", "timestamp without time zone"))
OTHER = table("other", col("id"))
FK = ForeignKey(("event_id",), None, "events", ("id",), "fk_notes_event")
KEY = PartitionKey("events", None, "range(at)", raw="RANGE (at)")


def part(name: str, bounds: str, parent: str = "events", by: str | None = None) -> Partition:
    return Partition(
        name,
        parent,
        None,
        canonical_partition_sql(bounds) or "",
        canonical_partition_sql(by),
        raw_bounds=bounds,
        raw_partition_by=by,
    )


Y24 = part("e24", "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
Y25 = part("e25", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')", by="LIST (id)")
Y25A = part("e25a", "FOR VALUES IN (1, 2)", parent="e25")
REST = part("rest", "DEFAULT")


def snap(*partitions: Partition, keys: tuple[PartitionKey, ...] = (KEY,), **kw: object) -> Snapshot:
    tables = kw.pop("tables", (EVENTS, OTHER))
    return Snapshot(
        "postgresql",
        "public",
        tables=tables,  # type: ignore[arg-type]
        partition_keys=keys,
        partitions=tuple(sorted(partitions, key=lambda p: p.name)),
    )


def described(db: Snapshot, models: Snapshot, **options: object) -> list[str]:
    result = compute_diff(db, models, CompareOptions(**options))  # type: ignore[arg-type]
    return [op.describe() for op in result.ops]


def test_canonical_spelling() -> None:
    assert canonical_partition_sql('range ("at")') == canonical_partition_sql("RANGE (at)")
    assert canonical_partition_sql("FOR VALUES IN ('b','a')") == canonical_partition_sql(
        "for values in ('a', 'b')"
    )
    # string literals keep their case and spaces
    assert canonical_partition_sql("FOR VALUES IN ('A b')") == "for values in('A b')"
    assert canonical_partition_sql("FOR VALUES IN (10, 9)") == canonical_partition_sql(
        "FOR VALUES IN (9,10)"
    )


def test_equal_partitions_diff_clean_and_none_declared_are_listed() -> None:
    db = snap(Y24, Y25, Y25A, REST)
    assert described(db, db) == []
    bare = snap(keys=())
    result = compute_diff(db, bare)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "partitioning of 1 table, 1 partition of e25, 3 partitions of events"


def test_ops_and_their_order_both_ways() -> None:
    db = snap(Y24, REST)
    wider = part("e24", "FOR VALUES FROM ('2024-01-01') TO ('2025-07-01')")
    grown = replace(EVENTS, columns=(*EVENTS.columns, col("source", "text")))
    models = snap(wider, Y25, Y25A, tables=(grown, OTHER))
    result = compute_diff(db, models)
    assert [op.describe() for op in result.ops] == [
        "detach partition e24 from events (to change its bounds)",
        "drop partition rest of events",
        "create partition e25 of events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
        "create partition e25a of e25 FOR VALUES IN (1, 2)",
        "attach partition e24 to events FOR VALUES FROM ('2024-01-01') TO ('2025-07-01')",
        "add column events.source text",
    ]
    assert [op.destructive for op in result.ops] == [False, True, False, False, False, False]
    assert [op.describe() for op in result.downgrade_ops()] == [
        "detach partition e24 from events (to change its bounds)",
        "drop partition e25a of e25 (with table e25)",
        "drop partition e25 of events",
        "create partition rest of events DEFAULT",
        "attach partition e24 to events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
        "drop column events.source",
    ]
    assert isinstance(result.ops[-1], AddColumn)


def test_partitions_go_with_their_table() -> None:
    db = snap(Y24, Y25, Y25A)
    elsewhere = PartitionKey("logs", None, "hash(id)", raw="HASH (id)")  # opted in elsewhere
    models = snap(keys=(elsewhere,), tables=(OTHER,))
    ops = compute_diff(db, models).ops
    assert [op.describe() for op in ops] == [
        "drop partition e25a of e25 (with table e25)",
        "drop partition e24 of events (with table events)",
        "drop partition e25 of events (with table events)",
        "drop table events",
    ]
    assert [op.destructive for op in ops] == [False, False, False, True]


def test_a_table_whose_partitions_are_not_declared_keeps_them() -> None:
    """Partitions a scheduler makes (pg_partman): the models declare the key only."""
    db = snap(Y24, REST)
    result = compute_diff(db, snap())
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "2 partitions of events"


def test_a_new_key_rebuilds_the_table_with_its_other_changes() -> None:
    db = snap(Y24, REST)
    new_key = PartitionKey("events", None, "list(id)", raw="LIST (id)")
    grown = replace(EVENTS, columns=(*EVENTS.columns, col("source", "text")))
    models = snap(part("e1", "FOR VALUES IN (1)"), keys=(new_key,), tables=(grown, OTHER))
    result = compute_diff(db, models)
    assert [op.describe() for op in result.ops] == [
        "rebuild table events: PARTITION BY RANGE (at) -> PARTITION BY LIST (id) "
        "(1 partition, rows copied)"
    ]
    [op] = result.ops
    assert op.destructive
    assert [o.describe() for o in result.downgrade_ops()] == [
        "rebuild table events: PARTITION BY LIST (id) -> PARTITION BY RANGE (at) "
        "(2 partitions, rows copied; values of source lost)"
    ]
    assert described(db, snap(keys=())) == []  # opted out: left alone


def test_a_new_key_is_refused_where_a_rebuild_would_lose_what_hangs_off_the_table() -> None:
    referring = table("notes", col("event_id"), foreign_keys=(FK,))
    db = snap(Y24, tables=(EVENTS, OTHER, referring))
    plain = snap(keys=(PartitionKey("other", None, "hash(id)", raw="HASH (id)"),))
    models = replace(plain, tables=(EVENTS, OTHER, referring))
    assert described(db, models) == [
        "rebuild table other: not partitioned -> PARTITION BY HASH (id) "
        "(0 partitions, rows copied)",
        "change partitioning of events: PARTITION BY RANGE (at) -> not partitioned "
        "(not supported; foreign keys of notes refer to it: rebuild the table by hand)",
    ]


def test_bounds_not_settled_are_not_compared() -> None:
    db = snap(Y24)
    models = snap(replace(Y24, bounds="for values from('2024-01-01 00:00')to('2025-01-01')",
                          comparable=False))  # fmt: skip
    result = compute_diff(db, models)
    assert result.ops == ()
    assert [n.message for n in result.notices if n.level == "not_compared"] == [
        "partition e24 of events: its bounds could not be compared with the server's own "
        "spelling of them"
    ]


def test_filters_take_partitions_with_their_table_and_by_name() -> None:
    db = snap(Y24, Y25, Y25A)
    models = snap(Y24)
    assert described(db, models, exclude_tables=("events",)) == []
    assert described(db, models, exclude_tables=("e25*",)) == []
    assert described(db, models) == [
        "drop partition e25a of e25 (with table e25)",
        "drop partition e25 of events",
    ]


def test_a_quoted_mixed_case_name_keeps_its_case() -> None:
    assert canonical_partition_sql('LIST ("Kind")') == 'list("Kind")'
    assert canonical_partition_sql('LIST ("Kind")') != canonical_partition_sql("LIST (kind)")


def test_a_partition_without_a_partitioned_parent_is_a_warning_not_an_op() -> None:
    stray = part("s1", "FOR VALUES IN (1)", parent="other")
    leaf = part("l1", "FOR VALUES IN (1)", parent="e24")
    result = compute_diff(snap(Y24), snap(Y24, stray, leaf))
    assert result.ops == ()
    assert sorted(n.message for n in result.notices if n.level == "warning") == [
        "partition l1 of e24: its parent partition e24 is not partitioned (declare its "
        "partition_by); not created",
        "partition s1 of other: the models declare no partitioned table other "
        "(postgresql_partition_by) nor such a partition; not created",
    ]


def test_a_partition_partitioned_differently_is_not_supported() -> None:
    other_way = replace(Y25, partition_by="hash(id)", raw_partition_by="HASH (id)")
    assert described(snap(Y25, Y25A), snap(other_way, Y25A)) == [
        "change partitioning of e25: PARTITION BY LIST (id) -> PARTITION BY HASH (id) "
        "(not supported; it is a partition of events: schemadiff rebuilds tables, not "
        "partitions: rebuild the table by hand)"
    ]


def test_partitions_declared_for_a_backend_without_them_are_listed_not_compared() -> None:
    """SQLite has no partitions: a declared one is one "not compared" line, never silence;
    MySQL reads the same declarations as its own kind (here: an error, its key is missing)."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql, sqlite

    from schemadiff.errors import MetadataError
    from schemadiff.objects import Partition as Declared
    from schemadiff.sources.metadata import inspect_metadata

    metadata = sa.MetaData()
    sa.Table("events", metadata, sa.Column("id", sa.Integer, primary_key=True))
    Declared(metadata, "events_1", "events", "FOR VALUES FROM (1) TO (100)")
    models = inspect_metadata(metadata, sqlite.dialect(), None)
    result = compute_diff(replace(models, partitions=()), models)
    assert [n.message for n in result.notices if n.level == "not_compared"] == [
        "partitions (declarative partitioning): the sqlite backend does not report them, so "
        "they were not compared"
    ]
    assert not result.ops
    with pytest.raises(MetadataError, match="no mysql_partition_by"):
        inspect_metadata(metadata, mysql.dialect(), None)
