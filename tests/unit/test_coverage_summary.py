"""The "not compared" summary: a count per kind in a fixed order, names kept for JSON, filters
applied, and snapshot files that carry the list (old files without it still load)."""

from __future__ import annotations

import json

from schemadiff.comparators.coverage import coverage_notice, summary
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.model import DbObject, Snapshot


def test_counts_per_kind_in_a_fixed_order() -> None:
    objects = [
        DbObject("policy", "p1", None, "users"),
        DbObject("policy", "p2", None, "users"),
        DbObject("view", "v2"),
        DbObject("view", "v1", "audit"),
        DbObject("partition", "e2024", None, "events"),
        DbObject("partition", "e2025", None, "events"),
        DbObject("partition", "l1", "audit", "log"),
        DbObject("partitioning", "events", None, "events"),
        DbObject("function", "f()"),
        DbObject("strange thing", "x"),
    ]
    assert summary(objects) == (
        "2 views, 1 function, 2 policies, partitioning of 1 table, 1 partition of audit.log, "
        "2 partitions of events, 1 strange thing"
    )


def test_no_objects_no_notice() -> None:
    assert coverage_notice([]) is None


def test_notice_names_every_object_once_sorted() -> None:
    notice = coverage_notice([DbObject("view", "b"), DbObject("view", "a"), DbObject("view", "a")])
    assert notice is not None
    assert notice.level == "not_compared"
    assert notice.message == "2 views"
    assert [o.name for o in notice.objects] == ["a", "b"]


def _db(*objects: DbObject) -> Snapshot:
    return Snapshot(dialect="postgresql", default_schema="public", uncompared=objects)


def test_filters_apply_to_the_listed_objects() -> None:
    db = _db(
        DbObject("view", "tmp_report"),
        DbObject("view", "report"),
        DbObject("trigger", "touch", None, "legacy"),
        DbObject("trigger", "version_touch", None, "alembic_version"),
        DbObject("partition", "legacy_2020", None, "legacy"),
        DbObject("function", "tmp_f()"),
    )
    models = Snapshot(dialect="postgresql", default_schema="public")
    result = compute_diff(db, models, CompareOptions(exclude_tables=("tmp_*", "legacy")))
    [notice] = result.notices
    # globs match relation names and the table an object hangs off; never a function's name
    assert [o.name for o in notice.objects] == ["tmp_f()", "report"]


def test_snapshot_files_keep_the_list_and_old_files_load() -> None:
    db = _db(DbObject("trigger", "touch", None, "users"))
    assert snapshot_io.loads(snapshot_io.dumps(db)) == db
    old = json.loads(snapshot_io.dumps(db))
    del old["uncompared"]
    assert snapshot_io.loads(json.dumps(old)).uncompared == ()
