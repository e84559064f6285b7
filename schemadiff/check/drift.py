"""Drift classification: why does the database differ from the models?

The database is stamped with revision R (its version table); the chain's head is H. Replaying the
chain on a scratch database gives the schema R should have (S_R) and the schema H builds (S_H).
The path from the database to the models then splits into three legs, each a diff of its own:

- database -> S_R: the database is not what its own revision builds: **out-of-band** (changed by
  hand);
- S_R -> S_H: the revisions the database has not run yet: **pending**;
- S_H -> models: what no revision builds yet: **missing migration**.

A change of the database -> models diff is explained by a leg when the same op (kind, schema,
table, name) appears in that leg's diff; failing that, when the leg touches the same object (a
column, an index...) in another way. Nothing is guessed: without a chain, a readable version
table or a scratch server, every change is *unclassified* and one line says why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from schemadiff.backends.registry import rules_for
from schemadiff.errors import SchemadiffError

if TYPE_CHECKING:
    import sqlalchemy as sa

    from schemadiff.chain.project import Project
    from schemadiff.diff.result import DiffResult
    from schemadiff.ops import Op
    from schemadiff.pipeline import Target
    from schemadiff.settings.config import Settings
    from schemadiff.snapshot.model import Snapshot

OUT_OF_BAND = "out-of-band"
PENDING = "pending"
MISSING_MIGRATION = "missing migration"
UNCLASSIFIED = "unclassified"
#: the legs in the order they are tried: a change the database got by hand is reported as such
#: even when a pending revision touches the same object
LABELS = (OUT_OF_BAND, PENDING, MISSING_MIGRATION)
_VERBS = ("add_", "drop_", "alter_", "create_", "rename_", "replace_")
_TABLE_OPS = ("create_table", "drop_table", "rename_table")

OpKey = tuple[str, str | None, str | None, str | None]


@dataclass(frozen=True)
class ChangeLabel:
    """The label of one change, and every other leg that also touches it."""

    label: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Drift:
    """Labels for a check's changes (same order as ``result.ops``) and the context behind them.

    ``classified`` is False when the chain could not be used; ``note`` then says why in one line.
    """

    classified: bool
    labels: tuple[ChangeLabel, ...] = ()
    note: str | None = None
    revision: tuple[str, ...] | None = None
    heads: tuple[str, ...] | None = None
    pending_revisions: tuple[str, ...] = ()

    def counts(self) -> dict[str, int]:
        """Changes per label, in label order (labels with no change left out)."""
        found = Counter(item.label for item in self.labels)
        order = (*LABELS, UNCLASSIFIED)
        return {label: found[label] for label in order if found[label]}

    def summary(self) -> str:
        """One line for reports: counts per label, or why nothing was classified."""
        if not self.classified:
            return f"drift not classified: {self.note}"
        counts = ", ".join(f"{n} {label}" for label, n in self.counts().items())
        where = f"database at {_rows(self.revision)}, head {_rows(self.heads)}"
        return f"drift: {counts or 'none'} ({where})"


def unclassified(result: DiffResult, reason: str) -> Drift:
    """Every change labelled "unclassified", with the reason."""
    return Drift(False, tuple(ChangeLabel(UNCLASSIFIED) for _ in result.ops), reason)


def label_ops(ops: Sequence[Op], legs: Sequence[tuple[str, Iterable[Op]]]) -> list[ChangeLabel]:
    """Label each op by the first leg whose diff has the same op; failing that, that touches the
    same object; failing that, that creates, drops or renames the op's whole table."""
    exact = [(label, {op_key(o) for o in leg_ops}) for label, leg_ops in legs]
    loose = [(label, {object_key(k) for k in keys}) for label, keys in exact]
    whole = [(label, {(k[1], k[2]) for k in keys if k[0] in _TABLE_OPS}) for label, keys in exact]
    out = []
    for op in ops:
        keys = match_keys(op)
        hits = [label for label, found in exact if keys & found]
        if not hits:
            objects = {object_key(k) for k in keys}
            hits = [label for label, found in loose if objects & found]
        if not hits:
            hits = [label for label, found in whole if (op.schema, op.table) in found]
        out.append(ChangeLabel(hits[0], tuple(hits[1:])) if hits else ChangeLabel(UNCLASSIFIED))
    return out


def op_key(op: Op) -> OpKey:
    return (op.kind, op.schema, op.table, op.name)


def match_keys(op: Op) -> set[OpKey]:
    """The op's key, plus for a rename (which legs without rename hints see as a drop and an
    add) the keys of that drop and add."""
    keys = {op_key(op)}
    if op.kind == "rename_column":
        old, new = getattr(op, "old_name", None), getattr(op, "new_name", None)
        keys.add(("drop_column", op.schema, op.table, old))
        keys.add(("add_column", op.schema, op.table, new))
    elif op.kind == "rename_table":
        old, new = getattr(op, "old_name", None), getattr(op, "new_name", None)
        keys |= {("drop_table", op.schema, old, old), ("create_table", op.schema, new, new)}
    return keys


def object_key(key: OpKey) -> OpKey:
    """The key with the verb dropped: ``add_column`` and ``alter_column`` touch the same object."""
    kind = key[0]
    for verb in _VERBS:
        if kind.startswith(verb):
            kind = kind[len(verb) :]
            break
    return (kind, *key[1:])


def classify(
    settings: Settings,
    target: Target,
    result: DiffResult,
    metadata: sa.MetaData,
    models: Snapshot | None = None,
) -> Drift:
    """Label the changes of ``result`` (the target's database versus the models); ``models`` is
    the models' snapshot :func:`schemadiff.pipeline.compare` built (None: built here)."""
    from schemadiff.chain.plan import check_rows

    if result.is_empty:
        return Drift(True)
    if not settings.script_location:
        why = "the chain tells pending changes from hand-made ones"
        return unclassified(result, f"no script_location configured ({why})")
    if target.version_rows is None:
        why = "it is a snapshot file" if _is_file(target) else "the version table is not readable"
        return unclassified(result, f"the database's revision is unknown ({why})")
    try:
        project = _project(settings)
        graph = project.graph()
        rows = check_rows(graph, target.version_rows, f"the database {target.label}")
        server = scratch_server(settings, target.snapshot.dialect)
        legs = _legs(settings, target, metadata, project, rows, server, models)
    except SchemadiffError as exc:
        return unclassified(result, str(exc))
    heads = graph.heads
    pending = graph.ordered(graph.ancestors(heads) - graph.ancestors(rows))
    labels = label_ops(result.ops, legs)
    return Drift(True, tuple(labels), None, rows, heads, pending)


def scratch_server(settings: Settings, dialect: str) -> str | None:
    """Where to replay the chain: None (a temporary SQLite file) for SQLite targets, else the
    ``scratch_url`` server, which must be of the target's kind."""
    from schemadiff.backends.connect import mask_url, parse_url
    from schemadiff.errors import UsageError

    if rules_for(dialect).file_based:
        return None
    if not settings.scratch_url:
        raise UsageError(
            f"no scratch server to replay the chain on; set scratch_url to a {dialect} server "
            "where schemadiff may create and drop a database"
        )
    backend = parse_url(settings.scratch_url).get_backend_name()
    if _family(backend) != _family(dialect):
        raise UsageError(
            f"scratch_url {mask_url(settings.scratch_url)} is a {backend} server but the "
            f"database is {dialect}; point scratch_url at a {dialect} server"
        )
    return settings.scratch_url


def _legs(
    settings: Settings,
    target: Target,
    metadata: sa.MetaData,
    project: Project,
    rows: tuple[str, ...],
    server: str | None,
    models: Snapshot | None = None,
) -> list[tuple[str, tuple[Op, ...]]]:
    """The three legs' ops: database -> S_R, S_R -> S_H, S_H -> models."""
    from schemadiff.diff.engine import compute_diff
    from schemadiff.pipeline import compare_options, restrict_to_covered
    from schemadiff.sources.metadata import inspect_metadata

    at_rows, at_heads = chain_states(project, rows, server, target.snapshot.dialect, target)
    if models is None:
        models = inspect_metadata(metadata, target.dialect, target.snapshot.default_schema)
    wanted, _ = restrict_to_covered(models, target.covered)
    options = compare_options(settings, metadata)
    return [
        (OUT_OF_BAND, _ops(compute_diff(target.snapshot, at_rows, options))),
        (PENDING, _ops(compute_diff(at_rows, at_heads, options))),
        (MISSING_MIGRATION, _ops(compute_diff(at_heads, wanted, options))),
    ]


def chain_states(
    project: Project, rows: tuple[str, ...], server: str | None, dialect: str, target: Target
) -> tuple[Snapshot, Snapshot]:
    """Replay the chain on a scratch database: the schema at ``rows``, then at the heads."""
    from schemadiff.backends.scratch import scratch_database
    from schemadiff.chain import migrate

    schemas = sorted(s for s in target.covered if s)
    with scratch_database(server, dialect) as url:
        for row in rows:
            migrate.migrate(project, url, row, upgrade=True)
        at_rows = _reflect(url, schemas)
        if set(rows) == set(project.graph().heads):
            return at_rows, at_rows
        migrate.migrate(project, url, "heads", upgrade=True)
        return at_rows, _reflect(url, schemas)


def _reflect(url: str, schemas: list[str]) -> Snapshot:
    from sqlalchemy.exc import DBAPIError

    from schemadiff.backends.connect import connect, create_engine, driver_message
    from schemadiff.errors import ConnectionFailed
    from schemadiff.sources import inspect_database

    engine = create_engine(url)
    try:
        with connect(engine) as conn:
            return inspect_database(conn, schemas)
    except DBAPIError as exc:
        message = f"reading the scratch database failed: {driver_message(exc)}"
        raise ConnectionFailed(message) from exc
    finally:
        engine.dispose()


def _project(settings: Settings) -> Project:
    from schemadiff.chain.project import project_from

    return project_from(settings)


def _ops(result: DiffResult) -> tuple[Op, ...]:
    return tuple(result.ops)


def _family(backend: str) -> str:
    return rules_for(backend).family


def _is_file(target: Target) -> bool:
    return "://" not in target.label


def _rows(rows: tuple[str, ...] | None) -> str:
    if rows is None:
        return "unknown"
    return ", ".join(rows) if rows else "base"
