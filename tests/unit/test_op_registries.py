"""A new kind of op cannot be half-added: every op kind has a renderer, a simulator step and a
reverse (the registries are complete)."""

from __future__ import annotations

from dataclasses import dataclass

import schemadiff.render  # noqa: F401 - loads every renderer family
from schemadiff import ops as O
from schemadiff.diff.simulate import simulates
from schemadiff.render.registry import RENDERERS


def concrete_ops(root: type[O.Op] = O.Op) -> list[type[O.Op]]:
    """Every op class that sets its own ``kind`` (bases such as ConstraintOp do not)."""
    found = []
    for cls in root.__subclasses__():
        if "kind" in vars(cls):
            found.append(cls)
        found += concrete_ops(cls)
    return sorted(set(found), key=lambda c: c.__name__)


def missing(op_types: list[type[O.Op]]) -> dict[str, list[str]]:
    gaps: dict[str, list[str]] = {"renderer": [], "simulator": [], "reverse": []}
    for cls in op_types:
        if cls not in RENDERERS:
            gaps["renderer"].append(cls.__name__)
        if not simulates(cls):
            gaps["simulator"].append(cls.__name__)
        if cls.reverse is O.Op.reverse:
            gaps["reverse"].append(cls.__name__)
    return {k: v for k, v in gaps.items() if v}


def test_every_op_kind_is_complete() -> None:
    kinds = concrete_ops()
    assert len(kinds) >= 28  # the checker sees the ops (28 kinds today)
    assert missing(kinds) == {}


def test_every_exported_op_is_a_known_kind() -> None:
    exported = {getattr(O, name) for name in O.__all__}
    assert set(concrete_ops()) <= exported


def test_a_half_added_op_is_caught() -> None:
    @dataclass(frozen=True)
    class HalfAdded(O.Op):
        kind = "half_added"

    assert missing([HalfAdded]) == {
        "renderer": ["HalfAdded"],
        "simulator": ["HalfAdded"],
        "reverse": ["HalfAdded"],
    }
