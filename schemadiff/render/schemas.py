"""Schema ops as ``op.execute`` (Alembic has no schema operations)."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.python_types import SA
from schemadiff.render.registry import renders


@renders(O.CreateSchema)
def _create_schema(op: O.CreateSchema, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute(sa.schema.CreateSchema({op.schema_name!r}))",), frozenset({SA}))


@renders(O.DropSchema)
def _drop_schema(op: O.DropSchema, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute(sa.schema.DropSchema({op.schema_name!r}))",), frozenset({SA}))
