"""PostgreSQL functions and procedures: created, dropped, or replaced in place.

A function is keyed by schema, name and identity arguments (overloads are distinct functions;
a renamed argument is a new signature). Its result type, language, volatility,
``SECURITY DEFINER``, ``STRICT`` and body (whitespace-normalized, as the catalog keeps it as
written) are compared. ``CREATE OR REPLACE`` changes everything but the result type and the
kind; those need the function dropped and created again. A SQL-standard body (``BEGIN ATOMIC``)
is kept parsed by the server: a difference there is listed as not compared.

Models that declare no function at all leave the database's alone (listed as not compared, as
before functions were compared): declaring one opts the project in.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, refused_warning
from schemadiff.diff.function_calls import calling_parts
from schemadiff.diff.result import Notice
from schemadiff.ops import CreateFunction, DropFunction, ReplaceFunction
from schemadiff.snapshot.model import DbObject, Snapshot
from schemadiff.snapshot.routines import Function, RoutineKey


def compare_functions(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("functions"):
        if ctx.models.functions:
            yield ctx.not_supported("functions")
        return
    if not ctx.models.functions:
        return  # see unmanaged_functions
    old = {f.key: f for f in ctx.db.functions}
    new = {f.key: f for f in ctx.models.functions}
    for key in sorted(new, key=_sort_key):
        if (why := new[key].refused) is not None:
            yield refused_warning(new[key].describe(), why, key[0])
    for key in sorted(set(old) | set(new), key=_sort_key):
        if key not in old:
            yield CreateFunction(new[key])
        elif key not in new:
            yield from _kept_callers(old[key], ctx)
            yield DropFunction(old[key])
        elif old[key] != new[key]:
            yield from _changed(old[key], new[key], ctx)


def _changed(old: Function, new: Function, ctx: CompareContext) -> Iterator[Item]:
    if old.body != new.body and not (old.comparable and new.comparable):
        yield Notice(
            "not_compared",
            f"{old.describe()}: its body is SQL-standard (BEGIN ATOMIC), which the server keeps "
            "only parsed, so it was not compared",
            old.schema,
        )
        return
    if old.kind != new.kind or old.returns != new.returns:
        yield from _still_called(old, ctx)
        yield DropFunction(old)
        yield CreateFunction(new)
    else:
        yield ReplaceFunction(old, new)


def _still_called(fn: Function, ctx: CompareContext) -> Iterator[Item]:
    """A warning per database table whose defaults, checks, generated columns or indexes call
    ``fn``, which must be dropped and created again: the server refuses to drop it while they
    do, and schemadiff does not take them down and up around it."""
    for table in ctx.db.tables:
        parts = calling_parts(table, fn)
        if parts:
            name = f"{table.schema}.{table.name}" if table.schema else table.name
            yield Notice(
                "warning",
                f"{fn.describe()} is dropped and created again (its result type or kind "
                f"changes), but {', '.join(parts)} of {name} call it: PostgreSQL refuses the "
                "drop while they do; drop them before and add them back after, by hand",
                table.schema,
                table.name,
            )


def _kept_callers(fn: Function, ctx: CompareContext) -> Iterator[Item]:
    """A warning per table the models keep whose defaults, checks, generated columns or indexes
    call ``fn``, which is dropped (its signature changes, or it goes), in the database and in
    the models alike: no op takes them down before the drop, and the server refuses it while
    they call the function."""
    wanted = ctx.models.table_map()
    for table in ctx.db.tables:
        model = wanted.get(table.key)
        if model is None:
            continue
        kept = set(calling_parts(model, fn))
        parts = [p for p in calling_parts(table, fn) if p in kept]
        if parts:
            name = f"{table.schema}.{table.name}" if table.schema else table.name
            yield Notice(
                "warning",
                f"{fn.describe()} is dropped, but {', '.join(parts)} of {name} calls it, in "
                "the database and in the models alike: PostgreSQL refuses the drop while it "
                "does (a new signature is a new function); drop the default, check or index "
                "before the drop and add it back after the new function is created, by hand",
                table.schema,
                table.name,
            )


def unmanaged_functions(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's functions when the models declare none: listed as not compared."""
    if models.functions:
        return ()
    return tuple(DbObject(f.kind, f"{f.name}({f.args})", f.schema) for f in db.functions)


def _sort_key(key: RoutineKey) -> tuple[str, str, str]:
    return (key[0] or "", key[1], key[2])
