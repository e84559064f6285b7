"""Ops -> Python code using Alembic's ``op`` API (pure functions; no database, no state).

Every script we write runs under plain ``alembic upgrade``, so we only emit calls from Alembic's
public operations API, plus raw SQL through ``op.execute`` where that API has no call (enum
types, schemas). On SQLite, changes it cannot ALTER in place are wrapped in
``op.batch_alter_table`` (Alembic's copy-and-move), consecutive ops on one table sharing a block.
"""

from __future__ import annotations

from collections.abc import Sequence

from schemadiff import ops as O
from schemadiff.diff.simulate import apply_in_place
from schemadiff.render.batch import batch_block, batch_run
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.comments import comment
from schemadiff.render.registry import render_op


def render_ops(ops: Sequence[O.Op], ctx: RenderContext) -> Code:
    """The body of ``upgrade()`` / ``downgrade()`` for ``ops`` (``pass`` when empty)."""
    parts: list[Code] = []  # joined once at the end (adding Codes one by one is quadratic)
    state = dict(ctx.tables) if ctx.tables is not None else None
    i = 0
    while i < len(ops):
        op = ops[i]
        j, batched = batch_run(ops, i, ctx) if ctx.batch else (i + 1, False)
        if batched:
            key = (op.schema, op.table)
            copy_from = state.get(key) if state is not None else None  # type: ignore[arg-type]
            parts.append(batch_block(ops[i:j], ctx, copy_from))
        else:
            for plain in ops[i:j]:
                parts += (comment(plain, ctx), render_op(plain, ctx, "op"))
        if state is not None:
            for done in ops[i:j]:
                apply_in_place(state, done)
        i = j
    lines = tuple(line for part in parts for line in part.lines)
    if not lines:
        return Code(("pass",))
    imports = frozenset().union(*(part.imports for part in parts))
    return Code(lines, imports, frozenset().union(*(part.helpers for part in parts)))
