"""Which renderer writes each op: family modules register theirs with ``@renders(OpClass)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from schemadiff import ops as O

if TYPE_CHECKING:
    from schemadiff.render.code import Code, RenderContext

F = TypeVar("F", bound=Callable[..., Any])

#: op class -> renderer ``fn(op, ctx, target) -> Code`` (``target``: ``op`` or ``batch_op``)
RENDERERS: dict[type[O.Op], Callable[..., Any]] = {}


def renders(*op_types: type[O.Op]) -> Callable[[F], F]:
    """Register the decorated function as the renderer of ``op_types``."""

    def register(fn: F) -> F:
        for op_type in op_types:
            if op_type in RENDERERS:
                raise TypeError(f"two renderers for {op_type.__name__}")
            RENDERERS[op_type] = fn
        return fn

    return register


def render_op(op: O.Op, ctx: RenderContext, target: str = "op") -> Code:
    """Code for one op; ``target`` is ``op`` or ``batch_op``."""
    renderer = RENDERERS.get(type(op))
    if renderer is None:
        raise TypeError(f"no script renderer for {type(op).__name__}")
    return renderer(op, ctx, target)
