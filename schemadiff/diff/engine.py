"""The diff engine: ``compute_diff(db, models, options)`` is the whole comparison, in a fixed order:

1. filters (:mod:`schemadiff.diff.filters`) on both snapshots;
2. renames (:mod:`schemadiff.diff.renames`), then the database snapshot seen with them applied;
3. the built-in comparators (:mod:`schemadiff.comparators`), snapshot-level first, then per
   table pair;
4. configured comparators (``options.comparators``) and ``schemadiff.comparators`` entry points;
5. notices: what either source could not see, the database's objects no comparator covers
   (:mod:`schemadiff.comparators.coverage`), NOT NULL columns that need a backfill;
6. ordering (:func:`schemadiff.diff.ordering.order_ops`).

Everything is keyed and sorted, so the result never depends on ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from schemadiff.backends.registry import rules_for
from schemadiff.comparators import SNAPSHOT_COMPARATORS, TABLE_COMPARATORS
from schemadiff.comparators.context import CompareContext, Item, TablePair
from schemadiff.comparators.coverage import coverage_notice
from schemadiff.comparators.domains import unmanaged_domains
from schemadiff.comparators.extensions import unmanaged_extensions
from schemadiff.comparators.foreign_keys import same_foreign_key
from schemadiff.comparators.functions import unmanaged_functions
from schemadiff.comparators.grants import grants_around_recreated_views, unmanaged_grants
from schemadiff.comparators.partitions import absorbed_by_rebuilds, unmanaged_partitions
from schemadiff.comparators.policies import policies_around_type_changes, unmanaged_policies
from schemadiff.comparators.sequences import unmanaged_sequences
from schemadiff.comparators.table_partitioning import unmanaged_partitioning
from schemadiff.comparators.tables import table_pairs
from schemadiff.comparators.triggers import unmanaged_triggers
from schemadiff.comparators.views import unmanaged_views, unmanaged_views_in_the_way
from schemadiff.diff.filters import apply_filters
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.ordering import order_ops
from schemadiff.diff.renames import plan_renames
from schemadiff.diff.result import DiffResult, Notice
from schemadiff.diff.rewrite import apply_renames
from schemadiff.ops import AddColumn, Op, RenameColumn, RenameTable, qualified
from schemadiff.perf import gc_paused
from schemadiff.settings.plugins import PluginError, callable_name, entry_point_comparators
from schemadiff.settings.usercode import UserCodeExited, exited_message
from schemadiff.snapshot.model import Snapshot, Table, TableKey


def compute_diff(
    db: Snapshot, models: Snapshot, options: CompareOptions | None = None
) -> DiffResult:
    """Compare ``db`` (the current state) with ``models`` (the wanted state)."""
    with gc_paused():
        return run_comparators(db, models, options or CompareOptions())


def run_comparators(db: Snapshot, models: Snapshot, options: CompareOptions) -> DiffResult:
    """Compare ``db`` (current state) with ``models`` (wanted state); ops go db -> models."""
    relations = frozenset({t.key for t in db.tables} | {v.key for v in db.views})
    db, models = apply_filters(db, models, options)
    plan = plan_renames(db, models, options)
    ctx = CompareContext(
        options=options,
        dialect=db.dialect,
        db=apply_renames(db, plan.tables, plan.columns),
        models=models,
        features=frozenset(rules_for(db.dialect).features),
        renamed=renamed_tables(plan.tables, plan.columns),
        relations=relations,
    )
    items: list[Item] = [*plan.tables, *plan.columns, *plan.notices]
    items += builtin_items(ctx)
    items += plugin_items(ctx)
    ops = absorbed_by_rebuilds([item for item in items if isinstance(item, Op)])
    ops = rules_for(db.dialect).adjust_ops(ops, ctx.db)
    ops = policies_around_type_changes(ops, ctx.db, models)
    ops, lost = grants_around_recreated_views(ops, ctx.db, models)
    notices = [item for item in items if isinstance(item, Notice)] + lost
    if rules_for(db.dialect).views_block_column_changes:
        notices += unmanaged_views_in_the_way(ops, ctx.db, models)
    notices += source_notices(db, models)
    coverage = coverage_notice(  # both sides: --against
        (
            *db.uncompared,
            *models.uncompared,
            *unmanaged_functions(ctx.db, models),
            *unmanaged_triggers(ctx.db, models),
            *unmanaged_policies(ctx.db, models),
            *unmanaged_partitions(ctx.db, models),
            *unmanaged_views(ctx.db, models),
            *unmanaged_sequences(ctx.db, models),
            *unmanaged_extensions(ctx.db, models),
            *unmanaged_domains(ctx.db, models),
            *unmanaged_partitioning(ctx.db, models),
            *unmanaged_grants(ctx.db, models),
        )
    )
    if coverage is not None:
        notices.append(coverage)
    notices += backfill_notices(ops)
    return DiffResult(dialect=db.dialect, ops=tuple(order_ops(ops)), notices=sort_notices(notices))


def renamed_tables(
    tables: Iterable[RenameTable], columns: Iterable[RenameColumn]
) -> frozenset[TableKey]:
    """Old and new keys of the renamed tables, and the tables whose columns are renamed."""
    keys: set[TableKey] = set()
    for t in tables:
        keys |= {(t.schema_name, t.old_name), (t.schema_name, t.new_name)}
    keys |= {(c.schema_name, c.table_name) for c in columns}
    return frozenset(keys)


def builtin_items(ctx: CompareContext) -> list[Item]:
    items: list[Item] = []
    for compare in SNAPSHOT_COMPARATORS.values():
        items.extend(compare(ctx))
    plain = _no_hooks(ctx.options)
    for pair in table_pairs(ctx):
        if plain and _identical(pair):
            continue
        for compare_table in TABLE_COMPARATORS.values():
            items.extend(compare_table(ctx, pair))
    return items


def _no_hooks(options: CompareOptions) -> bool:
    """No user hook decides what differs, so equal snapshots mean "no change"."""
    return isinstance(options.compare_type, bool) and isinstance(
        options.compare_server_default, bool
    )


def _identical(pair: TablePair) -> bool:
    """The fast path for the common case (most tables of a large schema are unchanged): equal
    tables yield no op, and no notice either: a feature the backend cannot report is missing on
    the database side, so a model using it is never equal, and unknown types are excluded here
    (they are reported as not compared); a table declaring a foreign key or check twice is
    compared, for its warning."""
    return (
        pair.db == pair.model
        and all(c.type.known for c in pair.model.columns)
        and not _declares_twice(pair.model)
    )


def _declares_twice(table: Table) -> bool:
    fks, checks = table.foreign_keys, table.check_constraints
    if len(fks) > 1 and len({same_foreign_key(fk) for fk in fks}) < len(fks):
        return True
    return len(checks) > 1 and len({c.sqltext for c in checks}) < len(checks)


def plugin_items(ctx: CompareContext) -> list[Item]:
    """Items from configured comparators, then from entry points (sorted by name)."""
    plugins: list[tuple[str, Callable[..., Any]]] = [
        (callable_name(fn), fn) for fn in ctx.options.comparators
    ]
    if ctx.options.use_entry_points:
        plugins += [(f"entry point {n!r}", fn) for n, fn in entry_point_comparators()]
    items: list[Item] = []
    for name, fn in plugins:
        items.extend(_run_plugin(name, fn, ctx))
    return items


def _run_plugin(name: str, fn: Callable[..., Any], ctx: CompareContext) -> list[Item]:
    try:
        result = fn(ctx, ctx.db, ctx.models)
        produced = list(result) if result is not None else []
    except PluginError:
        raise
    except SystemExit as exc:  # a generator's sys.exit() runs while it is iterated
        raise UserCodeExited(
            exited_message(f"comparator {name} exited while running", exc)
        ) from exc
    except Exception as exc:
        raise PluginError(
            f"comparator {name} failed: {type(exc).__name__}: {exc} (use --debug for a traceback)"
        ) from exc
    for item in produced:
        if not isinstance(item, (Op, Notice)):
            raise PluginError(
                f"comparator {name} yielded a {type(item).__name__}; "
                "a comparator must yield schemadiff.ops.Op or schemadiff.diff.Notice objects"
            )
    return produced


def source_notices(db: Snapshot, models: Snapshot) -> list[Notice]:
    """What the sources themselves could not see, as "not compared" notices (the reports add
    the "not compared:" label; snapshot files of earlier versions still carry it in the note),
    and what they warn about."""
    notices = [
        Notice("not_compared", note.removeprefix("not compared: "))
        for s in (db, models)
        for note in s.not_compared
    ]
    # warnings (names the server will not keep) about tables the filters left in
    kept = {t.key for s in (db, models) for t in s.tables}
    notices += [
        Notice("warning", w.message, w.schema, w.table)
        for s in (db, models)
        for w in s.warnings
        if w.table is None or (w.schema, w.table) in kept
    ]
    return notices


def backfill_notices(ops: Iterable[Op]) -> list[Notice]:
    """A warning for each NOT NULL column without a default added to an existing table."""
    out = []
    for op in ops:
        if isinstance(op, AddColumn) and op.needs_backfill:
            target = f"{qualified(op.schema_name, op.table_name)}.{op.column.name}"
            out.append(
                Notice(
                    "warning",
                    f"{target} is added NOT NULL without a default: this fails if the table has "
                    "rows. Give it a server default, or add it nullable, backfill it, then make "
                    "it NOT NULL",
                    op.schema_name,
                    op.table_name,
                )
            )
    return out


def sort_notices(notices: Iterable[Notice]) -> tuple[Notice, ...]:
    """Deduplicated, in a stable order (level, schema, table, message)."""
    return tuple(sorted(set(notices), key=_notice_key))


def _notice_key(n: Notice) -> tuple[str, bool, str, bool, str, str]:
    return (
        n.level,
        n.schema is not None,
        n.schema or "",
        n.table is not None,
        n.table or "",
        n.message,
    )
