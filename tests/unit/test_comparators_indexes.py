"""Indexes: by name; any change of shape is a drop plus a create."""

from __future__ import annotations

from dataclasses import replace

import pytest

from schemadiff.ops import CreateIndex, DropIndex
from schemadiff.snapshot.model import Index, IndexElement
from tests.kit.builders import col, diff, index, kinds, limited_dialect, messages, snap, table

COLS = (col("id"), col("a"), col("b"))
IX = index("ix_t_a", "a")


def ops_for(
    db_indexes: tuple[Index, ...], model_indexes: tuple[Index, ...], dialect: str = "unit"
) -> list[object]:
    db = snap(table("t", *COLS, indexes=db_indexes), dialect=dialect)
    models = snap(table("t", *COLS, indexes=model_indexes), dialect=dialect)
    return list(diff(db, models).ops)


def test_index_created_and_dropped() -> None:
    assert ops_for((), (IX,)) == [CreateIndex(None, "t", IX)]
    assert ops_for((IX,), ()) == [DropIndex(None, "t", IX)]
    assert ops_for((IX,), (IX,)) == []


@pytest.mark.parametrize(
    "new",
    [
        index("ix_t_a", "a", "b"),
        index("ix_t_a", "b", "a"),
        index("ix_t_a", "a", unique=True),
        index("ix_t_a", "a", where="b > 0"),
        index("ix_t_a", "a", using="gin"),
        index("ix_t_a", "a", include=("b",)),
        Index("ix_t_a", (IndexElement("a", descending=True),)),
        Index("ix_t_a", (IndexElement("a", nulls="last"),)),
        Index("ix_t_a", (IndexElement("a", opclass="text_pattern_ops"),)),
        index("ix_t_a", "=lower(a)"),
    ],
)
def test_changed_index_is_drop_and_create(new: Index) -> None:
    assert ops_for((IX,), (new,)) == [DropIndex(None, "t", IX), CreateIndex(None, "t", new)]


def test_expression_and_predicate_changes_are_detected() -> None:
    old = index("ix_e", "=lower(a)", where="b > 0")
    assert ops_for((old,), (old,)) == []
    assert kinds_of(ops_for((old,), (index("ix_e", "=upper(a)", where="b > 0"),))) == [
        "drop_index",
        "create_index",
    ]
    assert kinds_of(ops_for((old,), (index("ix_e", "=lower(a)", where="b > 1"),))) == [
        "drop_index",
        "create_index",
    ]


def kinds_of(ops: list[object]) -> list[str]:
    return [op.kind for op in ops]  # type: ignore[attr-defined]


def test_raw_text_is_not_compared() -> None:
    old = Index("ix", (IndexElement("lower(a)", True, raw="LOWER(a)"),), raw_where="x")
    new = Index("ix", (IndexElement("lower(a)", True, raw="lower((a))"),))
    assert ops_for((old,), (new,)) == []


def test_expression_indexes_without_the_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch, "partial_indexes")
    expr = index("ix_e", "=lower(a)")
    result = diff(
        snap(table("t", *COLS), dialect=name),
        snap(table("t", *COLS, indexes=(expr, IX)), dialect=name),
    )
    assert kinds(result) == ["create_index"]
    assert result.ops[0] == CreateIndex(None, "t", IX)
    assert len(messages(result, "not_compared")) == 1


def test_partial_predicates_without_the_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch, "expression_indexes")
    partial = replace(IX, where="b > 0")
    result = diff(
        snap(table("t", *COLS, indexes=(IX,)), dialect=name),
        snap(table("t", *COLS, indexes=(partial,)), dialect=name),
    )
    assert result.ops == ()
    assert len(messages(result, "not_compared")) == 1


@pytest.mark.parametrize(
    ("db_opclass", "model_opclass", "same"),
    [
        ("extensions.gin_trgm_ops", "extensions.gin_trgm_ops", True),
        ("extensions.gin_trgm_ops", "gin_trgm_ops", True),  # the same operator class
        ("gin_trgm_ops", '"extensions".gin_trgm_ops', True),  # the search path reaches it
        ("gin_trgm_ops", "extensions.gist_trgm_ops", False),
    ],
)
def test_operator_classes_compare_with_or_without_their_schema(
    db_opclass: str, model_opclass: str, same: bool
) -> None:
    db = Index("ix_t_a", (IndexElement("a", opclass=db_opclass),), using="gin")
    model = Index("ix_t_a", (IndexElement("a", opclass=model_opclass),), using="gin")
    assert (ops_for((db,), (model,)) == []) is same
