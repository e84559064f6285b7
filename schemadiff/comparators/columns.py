"""Columns: add, drop, and alter type, nullability, server default, comment, identity, computed
expression and collation.

Type and server-default comparison can be replaced by a user hook (``compare_type`` /
``compare_server_default``): ``hook(ctx, db_column, model_column, db_table, model_table)`` returns
True (different), False (same) or None (use the built-in rule).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from schemadiff.backends.registry import rules_for
from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.diff.result import Notice
from schemadiff.ops import AddColumn, AlterColumn, DropColumn
from schemadiff.ops.column_ops import ALTERABLE
from schemadiff.snapshot.model import Column


def compare_columns(ctx: CompareContext, pair: TablePair) -> Iterator[Item]:
    db_columns = {c.name: c for c in pair.db.columns}
    plain = _plain_options(ctx)
    for col in pair.model.columns:
        old = db_columns.get(col.name)
        if old is None:
            yield AddColumn(pair.schema, pair.name, col)
        elif not (plain and old == col and _nothing_to_note(ctx, col)):
            yield from _compare_column(ctx, pair, old, col)
    model_names = {c.name for c in pair.model.columns}
    for col in pair.db.columns:
        if col.name not in model_names:
            yield DropColumn(pair.schema, pair.name, col)


def _plain_options(ctx: CompareContext) -> bool:
    """No hook decides what differs: equal columns are then the same (the fast path)."""
    opts = ctx.options
    return isinstance(opts.compare_type, bool) and isinstance(opts.compare_server_default, bool)


def _nothing_to_note(ctx: CompareContext, col: Column) -> bool:
    """An equal column yields a notice only for an unknown type or a feature the backend
    cannot report (see :func:`_differs`)."""
    if not col.type.known:
        return False
    return all(
        getattr(col, attr) is None
        for attr in ALTERABLE[3:]
        if not ctx.supports(_FEATURES.get(attr, attr))
    )


_FEATURES = {"comment": "comments"}


def _compare_column(
    ctx: CompareContext, pair: TablePair, old: Column, new: Column
) -> Iterator[Item]:
    notices: list[Notice] = []
    changed = [attr for attr in ALTERABLE if _differs(ctx, pair, attr, old, new, notices)]
    yield from notices
    if not changed:
        return
    # attributes that were not compared keep their database value, so that the op's
    # ``changes`` lists exactly what was found different
    merged = replace(new, **{a: getattr(old, a) for a in ALTERABLE if a not in changed})
    op = AlterColumn(pair.schema, pair.name, old, merged)
    # what was found different with equal values (a user hook's verdict) is applied anyway
    forced = tuple(a for a in changed if a not in op.changes)
    if forced:
        op = replace(op, forced=forced)
    if op.changes:
        yield op


def _differs(
    ctx: CompareContext,
    pair: TablePair,
    attr: str,
    old: Column,
    new: Column,
    notices: list[Notice],
) -> bool:
    if attr == "type":
        return _type_differs(ctx, pair, old, new, notices)
    if attr == "nullable":
        return old.nullable != new.nullable
    if attr == "server_default":
        return _default_differs(ctx, pair, old, new)
    feature = _FEATURES.get(attr, attr)
    if not ctx.supports(feature):
        if getattr(new, attr) is not None:
            notices.append(ctx.not_supported(feature))
        return False
    if attr == "identity":
        return _identity_differs(old, new)
    if attr == "computed":
        return _computed_differs(old, new)
    if attr == "collation":
        # the database always reports a collation; compare only when the model asks for one
        return rules_for(ctx.dialect).collation_differs(old, new)
    return bool(getattr(old, attr) != getattr(new, attr))


def _type_differs(
    ctx: CompareContext, pair: TablePair, old: Column, new: Column, notices: list[Notice]
) -> bool:
    verdict = _run_hook(ctx.options.compare_type, ctx, pair, old, new)
    if verdict is not None:
        return verdict
    if not (old.type.known and new.type.known):
        unknown = old.type.sql if not old.type.known else new.type.sql
        notices.append(
            Notice(
                "not_compared",
                f"type of column {pair.label}.{new.name}: {unknown!r} is not a type schemadiff "
                "understands (pass a compare_type hook to compare it)",
                pair.schema,
                pair.name,
            )
        )
        return False
    if old.type.sql == new.type.sql:
        return False
    reason = rules_for(ctx.dialect).unenforced_type_change(old.type, new.type)
    if reason is not None:
        notices.append(
            Notice(
                "info",
                f"type of column {pair.label}.{new.name}: the models declare {new.type.sql}, the "
                f"database {old.type.sql}; {reason}, so this is not a change to apply",
                pair.schema,
                pair.name,
            )
        )
        return False
    return True


def _default_differs(ctx: CompareContext, pair: TablePair, old: Column, new: Column) -> bool:
    generated = (old, new)
    if any(c.autoincrement or c.identity is not None or c.computed is not None for c in generated):
        return False  # sequence / identity / generated values are not defaults
    verdict = _run_hook(ctx.options.compare_server_default, ctx, pair, old, new)
    if verdict is not None:
        return verdict
    return old.server_default != new.server_default


def _run_hook(
    hook: object, ctx: CompareContext, pair: TablePair, old: Column, new: Column
) -> bool | None:
    """A bool option decides alone (False: never different); a callable may defer (None)."""
    if hook is True:
        return None
    if hook is False or hook is None:
        return False
    if callable(hook):
        result = hook(ctx, old, new, pair.db, pair.model)
        return None if result is None else bool(result)
    return None


def _identity_differs(old: Column, new: Column) -> bool:
    """Every option: both sides store an option at the backend's default as None (the dialect
    rules canonicalize the catalog's values and the model's alike)."""
    return old.identity != new.identity


def _computed_differs(old: Column, new: Column) -> bool:
    a, b = old.computed, new.computed
    if a is None or b is None:
        return a is not b
    if a.sqltext != b.sqltext:
        return True
    return b.persisted is not None and a.persisted is not None and a.persisted != b.persisted
