"""Raw SQL ops (plugins' ``ExecuteSQL``)."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.registry import renders


@renders(O.ExecuteSQL)
def _execute_sql(op: O.ExecuteSQL, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute({op.sql!r})",))
