"""Views: created, dropped, replaced when their query changes, and dropped then created again
around changes to what they read.

Queries compare by their canonical form (:mod:`schemadiff.canonical.views`); where the server
rewrites a view's query, the models' side holds the server's own rewrite of the declared text
(``View.settled``, see :func:`schemadiff.sources.views.settle_views`). A query that differs but
could not be settled is listed as not compared, never taken for equal nor for changed.

A view over a table whose columns change (renamed, retyped, added, dropped), over a table
renamed, or over a view
that is replaced or dropped, is dropped before the change and created again after it: servers
refuse (PostgreSQL, "cannot alter type of a column used by a view") or leave behind a broken
view (MariaDB) otherwise. Which view reads what comes from the server's dependency catalog on
PostgreSQL, from the parsed query elsewhere; a query that cannot be parsed is assumed to read
every table.

Materialized views (PostgreSQL) follow the same rules; dropping one loses its rows
(destructive), and one created again gets back the indexes the database had on it.

Models that declare no view at all leave the database's views alone: they are listed as not
compared (as before views were compared), so adopting this version never proposes dropping
views a project manages some other way. Declaring one view opts the project in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from schemadiff.comparators.context import CompareContext, Item
from schemadiff.diff.result import Notice
from schemadiff.ops import (
    AlterColumn,
    CreateView,
    DropColumn,
    DropTable,
    DropView,
    Op,
    ReplaceView,
    qualified,
)
from schemadiff.snapshot.model import DbObject, Snapshot, Table, TableKey, View


def compare_views(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("views"):
        if ctx.models.views:
            yield ctx.not_supported("views")
        return
    if not ctx.models.views:
        return  # models that declare no view leave the database's alone (see unmanaged_views)
    old, new = ctx.db.view_map(), ctx.models.view_map()
    if not ctx.supports("materialized_views") and any(v.materialized for v in new.values()):
        yield ctx.not_supported("materialized_views")
        new = {k: v for k, v in new.items() if not v.materialized}
    changed, undecided, touched = _plan(ctx, old, new)
    old_depth, new_depth = _depths(old), _depths(new)
    for key in sorted(new, key=_sort_key):
        if _CHECK_OPTION.search(new[key].raw):
            yield Notice(
                "not_compared",
                f"view {qualified(key[0], key[1])}: WITH CHECK OPTION is not compared (the "
                "query is; a database view's own check option is not read)",
                key[0],
                key[1],
            )
    for key in sorted(set(new), key=_sort_key):
        if new[key].refused is not None:
            yield Notice(
                "warning",
                f"{new[key].kind} {qualified(*key)}: the server refuses its query: "
                f"{new[key].refused} (the migration would fail at upgrade)",
                key[0],
                key[1],
            )
    for key in sorted(set(old) | set(new), key=_sort_key):
        if key in undecided:
            yield _not_compared(new[key])
        elif key not in old:
            yield from _doubtful(new[key], ctx)
            yield CreateView(new[key], new_depth[key])
        elif key not in new:
            yield DropView(old[key], old_depth[key])
        elif key in touched:
            recreated = key not in changed
            yield from _doubtful(new[key], ctx, parsed_only=recreated)
            yield DropView(old[key], old_depth[key], recreated)
            yield CreateView(_keeping_indexes(old[key], new[key]), new_depth[key], recreated)
        elif key in changed:
            yield from _doubtful(new[key], ctx)
            yield ReplaceView(old[key], _keeping_indexes(old[key], new[key]), new_depth[key])


def _doubtful(view: View, ctx: CompareContext, parsed_only: bool = False) -> Iterator[Notice]:
    """A warning for a declared query the migration would send to the server in vain: one that
    cannot be parsed (a typo: ``SELEC``), or one that reads a relation of the default schema
    that neither the models nor the database have (``FROM ordres``) or that the migration
    drops. ``parsed_only``: a query the database already runs (created again as it is) is not
    doubted for not being parsed."""
    name = qualified(view.schema, view.name)
    if view.refused is not None:
        return  # the server's own verdict is given (see compare_views)
    if view.reads is None:
        if not parsed_only and not _CHECK_OPTION.search(view.raw):
            yield Notice(
                "warning",
                f"view {name}: schemadiff could not parse its query; check it for a typo "
                "before running the migration (the server refuses what it cannot read)",
                view.schema,
                view.name,
            )
        return
    wanted = {t.key for t in ctx.models.tables} | {v.key for v in ctx.models.views}
    dropped = ({t.key for t in ctx.db.tables} | {v.key for v in ctx.db.views}) - wanted
    known = wanted | (ctx.relations - dropped)
    for key in view.reads:
        if key[0] is not None or key in known or key[1].lower() in _lower(known):
            continue
        if key[1].lower().startswith(_SYSTEM_PREFIXES) or key[1].lower() == "dual":
            continue  # the server's own catalog (pg_tables, sqlite_master) or MySQL's DUAL
        gone = key in dropped or key[1].lower() in _lower(dropped)
        why = "this migration drops" if gone else "neither the models nor the database have"
        yield Notice(
            "warning",
            f"view {name} reads {key[1]}, which {why}; the server will refuse the view",
            view.schema,
            view.name,
        )


#: a query's trailing check option (``WITH [CASCADED | LOCAL] CHECK OPTION``): not compared
_CHECK_OPTION = re.compile(r"\bWITH\s+(?:CASCADED\s+|LOCAL\s+)?CHECK\s+OPTION\s*;?\s*$", re.I)


#: names of the servers' own relations, which no snapshot holds
_SYSTEM_PREFIXES = ("pg_", "sqlite_")


def _lower(keys: set[TableKey]) -> set[str]:
    """The names, lower-cased, in any schema (an unqualified name may be found through the
    search path)."""
    return {n.lower() for _, n in keys}


def _plan(
    ctx: CompareContext, old: Mapping[TableKey, View], new: Mapping[TableKey, View]
) -> tuple[set[TableKey], set[TableKey], set[TableKey]]:
    """The views whose query changed, those that could not be compared, and those dropped
    before the changes to what they read (and created again after them)."""
    changed: set[TableKey] = set()
    undecided: set[TableKey] = set()
    for key in set(old) & set(new):
        if old[key].definition == new[key].definition:
            continue
        if new[key].settled:
            changed.add(key)
        else:
            undecided.add(key)
    gone = set(old) - set(new)
    moved = _changed_tables(ctx.db, ctx.models) | ctx.renamed
    return changed, undecided, _touched(old, moved | changed | gone)


def recreated_views(ctx: CompareContext) -> set[TableKey]:
    """The views this migration drops and creates again (a changed query, or around changes to
    what they read): their triggers go with the drop."""
    if not ctx.supports("views") or not ctx.models.views:
        return set()
    old, new = ctx.db.view_map(), ctx.models.view_map()
    changed, _, touched = _plan(ctx, old, new)
    return (changed | touched) & set(old) & set(new)


def _keeping_indexes(old: View, new: View) -> View:
    """``new`` with the indexes the database has on ``old`` (a materialized view created again
    gets them back: the models do not declare them)."""
    if old.materialized and new.materialized and old.indexes:
        return replace(new, indexes=old.indexes)
    return new


def unmanaged_views(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's views when the models declare none: a project that does not manage its
    views with us gets them listed as not compared, never proposed for drop."""
    if models.views:
        return ()
    return tuple(DbObject(v.kind, v.name, v.schema) for v in db.views)


def unmanaged_views_in_the_way(ops: Sequence[Op], db: Snapshot, models: Snapshot) -> list[Notice]:
    """Warnings for the database's views, left alone because the models declare none, that
    read a column whose type changes or that goes, or a table that goes: the server refuses
    the change while the view uses it (PostgreSQL; asked only there), and the migration would
    fail at ``upgrade`` without a word from ``diff``."""
    if models.views or not db.views:
        return []
    columns: dict[TableKey, dict[str, str]] = {}
    tables: set[TableKey] = set()
    for op in ops:
        if isinstance(op, AlterColumn) and "type" in op.changes:
            columns.setdefault((op.schema_name, op.table_name), {})[op.old.name] = (
                "whose type changes"
            )
        elif isinstance(op, DropColumn):
            columns.setdefault((op.schema_name, op.table_name), {})[op.column.name] = (
                "which is dropped"
            )
        elif isinstance(op, DropTable):
            tables.add((op.schema, op.table))
    out: list[Notice] = []
    for view in db.views:
        reads = view.reads if view.reads is not None else (*columns, *tables)
        what = [
            f"{qualified(*key)}.{column}, {why}"
            for key in reads
            for column, why in sorted(columns.get(key, {}).items())
            if _names(view.raw or view.definition, column)
        ]
        what += [f"{qualified(*key)}, which is dropped" for key in reads if key in tables]
        if not what:
            continue
        out.append(
            Notice(
                "warning",
                f"{view.kind} {qualified(view.schema, view.name)} (not compared: the models "
                f"declare no view) reads {'; '.join(what)}: the server refuses that change "
                "while the view uses it; declare the view (it is then dropped before the "
                "change and created again after it), or drop it and create it again in the "
                "migration by hand",
                view.schema,
                view.name,
            )
        )
    return out


def _names(sql: str, column: str) -> bool:
    """True when ``sql`` names ``column`` (as a word, or quoted)."""
    pattern = re.compile(rf'(?<![\w$"]){re.escape(column)}(?![\w$"])|"{re.escape(column)}"', re.I)
    return pattern.search(sql) is not None


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])


def _not_compared(view: View) -> Notice:
    return Notice(
        "not_compared",
        f"view {qualified(view.schema, view.name)}: its query differs from the database's as "
        "written and the server could not be asked for its own spelling of the declared one",
        view.schema,
    )


def _columns(table: Table) -> tuple[tuple[str, str, str | None], ...]:
    return tuple((c.name, c.type.sql, c.collation) for c in table.columns)


def _changed_tables(db: Snapshot, models: Snapshot) -> set[TableKey]:
    """Tables that go, or whose columns change (names, types, collations, order)."""
    wanted = models.table_map()
    return {
        t.key for t in db.tables if t.key not in wanted or _columns(wanted[t.key]) != _columns(t)
    }


def _touched(views: Mapping[TableKey, View], changed: set[TableKey]) -> set[TableKey]:
    """Views of the database that read a changed relation, directly or through other views."""
    touched: set[TableKey] = set()
    grown = bool(changed)
    while grown:
        grown = False
        for key, view in views.items():
            if key in touched:
                continue
            reads = view.reads
            if (reads is None and changed) or any(
                r in changed or r in touched for r in reads or ()
            ):
                touched.add(key)
                grown = True
    return touched


def _depths(views: Mapping[TableKey, View]) -> dict[TableKey, int]:
    """How many views deep each view reads (0: tables only); a cycle counts once."""
    depth: dict[TableKey, int] = {}

    def visit(key: TableKey, seen: frozenset[TableKey]) -> int:
        if key in depth:
            return depth[key]
        reads = views[key].reads or ()
        below = [visit(r, seen | {key}) for r in reads if r in views and r not in seen | {key}]
        depth[key] = 1 + max(below) if below else 0
        return depth[key]

    for key in views:
        visit(key, frozenset())
    return depth
