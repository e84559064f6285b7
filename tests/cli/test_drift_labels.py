"""Matching a check's changes to the three legs (unit level, hand-built ops, no database)."""

from __future__ import annotations

from schemadiff.check.drift import (
    MISSING_MIGRATION,
    OUT_OF_BAND,
    PENDING,
    ChangeLabel,
    Drift,
    label_ops,
)
from schemadiff.ops import AddColumn, AlterColumn, CreateTable, DropColumn, DropTable, RenameColumn
from schemadiff.snapshot.model import Column, ColumnType, Table


def col(name: str, sql: str = "integer") -> Column:
    return Column(name, ColumnType(sql))


def legs(out_of_band=(), pending=(), missing=()):  # type: ignore[no-untyped-def]
    return [(OUT_OF_BAND, out_of_band), (PENDING, pending), (MISSING_MIGRATION, missing)]


def test_the_same_op_in_a_leg_explains_a_change() -> None:
    add_a, add_b = AddColumn(None, "t", col("a")), AddColumn(None, "t", col("b"))
    drop_c = DropColumn(None, "t", col("c"))
    labels = label_ops([add_a, add_b, drop_c], legs([drop_c], [add_a], [add_b]))
    assert labels == [
        ChangeLabel(PENDING),
        ChangeLabel(MISSING_MIGRATION),
        ChangeLabel(OUT_OF_BAND),
    ]


def test_the_same_object_touched_differently_and_every_leg_listed() -> None:
    """Hand-added column (the leg drops it) that a pending revision adds: the check sees an
    alter; the first leg wins, the other is listed."""
    alter = AlterColumn(None, "t", col("e", "varchar(300)"), col("e", "varchar(100)"))
    out = label_ops(
        [alter],
        legs([DropColumn(None, "t", col("e"))], [AddColumn(None, "t", col("e", "varchar(100)"))]),
    )
    assert out == [ChangeLabel(OUT_OF_BAND, (PENDING,))]


def test_a_leg_creating_or_dropping_the_table_explains_its_columns() -> None:
    add = AddColumn(None, "t", col("a"))
    assert label_ops([add], legs(pending=[CreateTable(Table("t"))])) == [ChangeLabel(PENDING)]
    assert label_ops([add], legs(out_of_band=[DropTable(Table("t"))])) == [ChangeLabel(OUT_OF_BAND)]


def test_renames_match_the_drop_and_add_a_leg_sees() -> None:
    rename = RenameColumn(None, "t", "old", "new")
    out = label_ops([rename], legs(missing=[AddColumn(None, "t", col("new"))]))
    assert out == [ChangeLabel(MISSING_MIGRATION)]


def test_nothing_matching_is_unclassified_not_guessed() -> None:
    add = AddColumn(None, "t", col("a"))
    other = AddColumn(None, "u", col("a"))
    assert label_ops([add], legs([other], [other], [other])) == [ChangeLabel("unclassified")]


def test_summary_lines() -> None:
    drift = Drift(
        True,
        (ChangeLabel(PENDING), ChangeLabel(PENDING), ChangeLabel(OUT_OF_BAND)),
        revision=("a1",),
        heads=("b2",),
    )
    assert drift.counts() == {OUT_OF_BAND: 1, PENDING: 2}
    assert drift.summary() == "drift: 1 out-of-band, 2 pending (database at a1, head b2)"
    assert Drift(False, note="why").summary() == "drift not classified: why"
