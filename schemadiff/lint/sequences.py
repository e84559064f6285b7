"""Sequence drops in a revision, whether written as SQL (``op.execute('DROP SEQUENCE s')``, what
``revision --autogenerate`` writes) or as SQLAlchemy's construct
(``op.execute(sa.schema.DropSequence(sa.Sequence("s")))``): a dropped sequence loses its current
value (SD105)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from schemadiff.lint.actions import Action, literal
from schemadiff.lint.rules import Hit


def construct_actions(node: ast.expr | None) -> list[Action]:
    """``DropSequence(Sequence("name", schema=...))`` as a ``drop_sequence`` action."""
    if not isinstance(node, ast.Call) or _name(node) != "DropSequence" or not node.args:
        return []
    seq = node.args[0]
    if not isinstance(seq, ast.Call) or _name(seq) != "Sequence":
        return []
    name = literal(seq.args[0]) if seq.args else None
    schema = next((literal(k.value) for k in seq.keywords if k.arg == "schema"), None)
    return [
        Action(
            "drop_sequence",
            schema=schema if isinstance(schema, str) else None,
            name=name if isinstance(name, str) else None,
        )
    ]


def check(action: Action) -> Iterator[Hit]:
    if action.kind == "drop_sequence":
        name = f"{action.schema}.{action.name or '?'}" if action.schema else (action.name or "?")
        yield Hit(
            "SD105",
            f"drop sequence {name}: its current value is lost, and a sequence created again "
            "starts over, handing out values rows already hold; check nothing calls it, and note "
            "its value (SELECT last_value) first",
        )


def _name(node: ast.Call) -> str | None:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None
