"""The comment lines above each op in a script: what it does, and what to review before running
it."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.columns import type_change


def comment(op: O.Op, ctx: RenderContext) -> Code:
    lines = [f"# {op.describe()}"]
    if isinstance(op, O.AlterColumn) and "type" in op.changes:
        note = type_change(op, ctx).note
        if note is not None:
            lines.append(f"# {note}")
    if isinstance(op, O.AddColumn) and op.needs_backfill:
        lines.append(
            "# WARNING: NOT NULL column without a default fails on a table with rows: give it a "
        )
        lines.append(
            "# server_default, or add it nullable, fill it (op.execute), then set nullable=False."
        )
    if op.destructive:
        lines.append("# (destructive: review before running on data you want to keep)")
    return Code(tuple(lines))
