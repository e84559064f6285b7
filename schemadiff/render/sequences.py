"""Sequences as ``op.execute`` with the backend's DDL (Alembic has no sequence operations):
plain SQL strings run under ``alembic upgrade`` and print as they are under ``--sql``."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.backends.sequences import SequenceRules
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.registry import renders


def _rules(ctx: RenderContext) -> SequenceRules:
    rules = rules_for(ctx.dialect).sequences
    return rules if rules is not None else SequenceRules()


def _execute(*statements: str | None) -> Code:
    return Code(tuple(f"op.execute({sql!r})" for sql in statements if sql))


@renders(O.CreateSequence)
def _create_sequence(op: O.CreateSequence, ctx: RenderContext, target: str) -> Code:
    rules = _rules(ctx)
    owner = rules.owner_sql(op.sequence) if op.sequence.owned_by is not None else None
    return _execute(rules.create_sql(op.sequence), owner)


@renders(O.DropSequence)
def _drop_sequence(op: O.DropSequence, ctx: RenderContext, target: str) -> Code:
    return _execute(_rules(ctx).drop_sql(op.sequence))


@renders(O.AlterSequence)
def _alter_sequence(op: O.AlterSequence, ctx: RenderContext, target: str) -> Code:
    rules = _rules(ctx)
    owner = rules.owner_sql(op.new) if op.old.owned_by != op.new.owned_by else None
    return _execute(rules.alter_sql(op.old, op.new), owner)
