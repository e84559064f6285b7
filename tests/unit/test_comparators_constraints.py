"""Primary keys, unique constraints, foreign keys and check constraints; named/unnamed matching."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from schemadiff.ops import (
    AddCheckConstraint,
    AddForeignKey,
    AddPrimaryKey,
    AddUniqueConstraint,
    DropCheckConstraint,
    DropForeignKey,
    DropPrimaryKey,
    DropUniqueConstraint,
    Op,
)
from schemadiff.snapshot.model import (
    CheckConstraint,
    ForeignKey,
    PrimaryKey,
    Table,
    UniqueConstraint,
)
from tests.kit.builders import col, diff, kinds, limited_dialect, messages, snap, table

COLS = (col("id", nullable=False), col("a"), col("b"))


def t(**kw: Any) -> Table:
    return table("t", *COLS, **kw)


def run(db_kw: dict[str, Any], model_kw: dict[str, Any]) -> list[Op]:
    parent = table("p", col("id", nullable=False), col("x"))
    result = diff(snap(parent, t(**db_kw)), snap(parent, t(**model_kw)))
    return list(result.ops)


# --- primary keys -----------------------------------------------------------------------------


def test_primary_key_columns_change() -> None:
    old, new = PrimaryKey(("id",), "pk"), PrimaryKey(("id", "a"), "pk")
    assert run({"primary_key": old}, {"primary_key": new}) == [
        DropPrimaryKey(None, "t", old),
        AddPrimaryKey(None, "t", new),
    ]


def test_primary_key_added_and_dropped() -> None:
    pk = PrimaryKey(("id",))
    assert run({}, {"primary_key": pk}) == [AddPrimaryKey(None, "t", pk)]
    assert run({"primary_key": pk}, {}) == [DropPrimaryKey(None, "t", pk)]


def test_primary_key_name_matters_only_when_both_are_named() -> None:
    assert (
        run({"primary_key": PrimaryKey(("id",), "t_pkey")}, {"primary_key": PrimaryKey(("id",))})
        == []
    )
    ops = run(
        {"primary_key": PrimaryKey(("id",), "t_pkey")}, {"primary_key": PrimaryKey(("id",), "pk_t")}
    )
    assert [op.kind for op in ops] == ["drop_primary_key", "add_primary_key"]


# --- unique constraints -------------------------------------------------------------------------


def test_unique_added_dropped_and_changed() -> None:
    uq_a, uq_b = UniqueConstraint(("a",), "uq_a"), UniqueConstraint(("b",), "uq_b")
    assert run({}, {"unique_constraints": (uq_a,)}) == [AddUniqueConstraint(None, "t", uq_a)]
    assert run({"unique_constraints": (uq_a,)}, {}) == [DropUniqueConstraint(None, "t", uq_a)]
    changed = UniqueConstraint(("a", "b"), "uq_a")
    assert run({"unique_constraints": (uq_a, uq_b)}, {"unique_constraints": (changed, uq_b)}) == [
        DropUniqueConstraint(None, "t", uq_a),
        AddUniqueConstraint(None, "t", changed),
    ]


@pytest.mark.parametrize(
    ("db_name", "model_name"), [("t_a_key", None), (None, "uq_t_a"), (None, None)]
)
def test_unnamed_unique_matches_by_columns(db_name: str | None, model_name: str | None) -> None:
    db_uq, model_uq = UniqueConstraint(("a",), db_name), UniqueConstraint(("a",), model_name)
    assert run({"unique_constraints": (db_uq,)}, {"unique_constraints": (model_uq,)}) == []


def test_differently_named_uniques_do_not_match() -> None:
    ops = run(
        {"unique_constraints": (UniqueConstraint(("a",), "x"),)},
        {"unique_constraints": (UniqueConstraint(("a",), "y"),)},
    )
    assert [op.kind for op in ops] == ["drop_unique_constraint", "add_unique_constraint"]


def test_unnamed_unique_with_other_columns_is_add_and_drop() -> None:
    ops = run(
        {"unique_constraints": (UniqueConstraint(("a",), "t_a_key"),)},
        {"unique_constraints": (UniqueConstraint(("b",)),)},
    )
    assert sorted(op.kind for op in ops) == ["add_unique_constraint", "drop_unique_constraint"]


# --- foreign keys ------------------------------------------------------------------------------

FK = ForeignKey(("a",), None, "p", ("id",), "fk_t_a")


def test_foreign_key_added_and_dropped() -> None:
    assert run({}, {"foreign_keys": (FK,)}) == [AddForeignKey(None, "t", FK)]
    assert run({"foreign_keys": (FK,)}, {}) == [DropForeignKey(None, "t", FK)]


@pytest.mark.parametrize(
    "change",
    [
        {"ondelete": "CASCADE"},
        {"onupdate": "SET NULL"},
        {"deferrable": True},
        {"referred_columns": ("x",)},
        {"columns": ("b",)},
    ],
)
def test_changed_foreign_key_is_drop_and_add(change: dict[str, Any]) -> None:
    new = replace(FK, **change)
    assert run({"foreign_keys": (FK,)}, {"foreign_keys": (new,)}) == [
        DropForeignKey(None, "t", FK),
        AddForeignKey(None, "t", new),
    ]


def test_foreign_key_option_defaults_are_equal() -> None:
    db_fk = replace(FK, deferrable=False, initially=None)
    model_fk = replace(FK, deferrable=None)
    assert run({"foreign_keys": (db_fk,)}, {"foreign_keys": (model_fk,)}) == []
    deferred = replace(FK, deferrable=True, initially="DEFERRED")
    assert (
        len(run({"foreign_keys": (replace(FK, deferrable=True),)}, {"foreign_keys": (deferred,)}))
        == 2
    )


def test_unnamed_model_foreign_key_matches_any_db_name() -> None:
    model_fk = replace(FK, name=None)
    assert run({"foreign_keys": (FK,)}, {"foreign_keys": (model_fk,)}) == []
    changed = replace(model_fk, ondelete="CASCADE")
    assert run({"foreign_keys": (FK,)}, {"foreign_keys": (changed,)}) == [
        DropForeignKey(None, "t", FK),
        AddForeignKey(None, "t", changed),
    ]


# --- check constraints --------------------------------------------------------------------------

CK = CheckConstraint("a >= 0", "ck_a")


def test_check_added_dropped_changed() -> None:
    assert run({}, {"check_constraints": (CK,)}) == [AddCheckConstraint(None, "t", CK)]
    assert run({"check_constraints": (CK,)}, {}) == [DropCheckConstraint(None, "t", CK)]
    new = CheckConstraint("a > 0", "ck_a")
    assert run({"check_constraints": (CK,)}, {"check_constraints": (new,)}) == [
        DropCheckConstraint(None, "t", CK),
        AddCheckConstraint(None, "t", new),
    ]


def test_unnamed_check_matches_by_expression() -> None:
    """A model check without a name takes whatever name the database gave it."""
    unnamed = CheckConstraint("a >= 0")
    assert run({"check_constraints": (CK,)}, {"check_constraints": (unnamed,)}) == []
    other = CheckConstraint("b >= 0")
    assert sorted(
        op.kind for op in run({"check_constraints": (CK,)}, {"check_constraints": (other,)})
    ) == ["add_check_constraint", "drop_check_constraint"]


def test_check_that_gains_a_name_is_renamed() -> None:
    """An unnamed database check (only SQLite keeps them) the models name: drop, add by name."""
    unnamed = CheckConstraint("a >= 0")
    ops = run({"check_constraints": (unnamed,)}, {"check_constraints": (CK,)})
    assert sorted((op.kind, op.constraint.name) for op in ops) == [  # type: ignore[attr-defined]
        ("add_check_constraint", CK.name),
        ("drop_check_constraint", None),
    ]


def test_checks_not_compared_without_the_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch)
    result = diff(snap(t(), dialect=name), snap(t(check_constraints=(CK,)), dialect=name))
    assert kinds(result) == []
    assert ["check constraints" in m for m in messages(result, "not_compared")] == [True]
