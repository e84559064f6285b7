"""Named enum types: create, drop, add values (with position), replace (destructive)."""

from __future__ import annotations

import pytest

from schemadiff.ops import AddEnumValue, CreateEnum, DropEnum, ReplaceEnum
from schemadiff.snapshot.model import Enum
from tests.kit.builders import col, diff, kinds, limited_dialect, messages, snap, table

MOOD = Enum("mood", ("sad", "ok", "happy"))


def enum_ops(old: tuple[str, ...], new: tuple[str, ...]) -> list[object]:
    db = snap(enums=(Enum("mood", old),))
    models = snap(enums=(Enum("mood", new),))
    return list(diff(db, models).ops)


def test_create_and_drop_enum() -> None:
    other = Enum("color", ("red",), schema="s")
    result = diff(snap(enums=(other,), schemas=("s",)), snap(enums=(MOOD,), schemas=("s",)))
    assert list(result.ops) == [CreateEnum(MOOD), DropEnum(other)]
    assert diff(snap(enums=(MOOD,)), snap(enums=(MOOD,))).ops == ()


def test_appended_value() -> None:
    [op] = enum_ops(("sad", "ok"), ("sad", "ok", "happy"))
    assert isinstance(op, AddEnumValue)
    assert (op.value, op.before, op.after) == ("happy", None, None)
    assert not op.destructive


def test_inserted_values_in_order_with_positions() -> None:
    ops = enum_ops(("a", "d"), ("x", "a", "b", "c", "d", "e", "f"))
    assert all(isinstance(op, AddEnumValue) for op in ops)
    steps = [(op.value, op.before, op.after) for op in ops]  # type: ignore[attr-defined]
    assert steps == [
        ("x", "a", None),
        ("b", "d", None),
        ("c", "d", None),
        ("e", None, None),
        ("f", None, None),
    ]
    # applying the steps in order gives the wanted list
    values = ["a", "d"]
    for value, before, _ in steps:
        values.insert(values.index(before) if before else len(values), value)
    assert values == ["x", "a", "b", "c", "d", "e", "f"]
    assert ops[-1].new.values == ("x", "a", "b", "c", "d", "e", "f")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new"),
    [(("a", "b", "c"), ("a", "c")), (("a", "b"), ("b", "a")), (("a", "b"), ("b", "a", "c"))],
)
def test_removed_or_reordered_values_replace_the_type(
    old: tuple[str, ...], new: tuple[str, ...]
) -> None:
    [op] = enum_ops(old, new)
    assert isinstance(op, ReplaceEnum)
    assert op.destructive


def test_replace_lists_the_columns_using_the_type() -> None:
    users = table(
        "users", col("id"), col("m", "enum(mood)", server_default="'ok'"), col("n", "text")
    )
    db = snap(users, enums=(MOOD,))
    models = snap(users, enums=(Enum("mood", ("sad", "happy")),))
    [op] = diff(db, models).ops
    assert isinstance(op, ReplaceEnum)
    assert op.columns == ((None, "users", "m", "'ok'"),)


def test_enums_without_the_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    name = limited_dialect(monkeypatch)
    result = diff(snap(dialect=name), snap(enums=(MOOD,), dialect=name))
    assert kinds(result) == []
    assert len(messages(result, "not_compared")) == 1
