"""The database-facing operations behind ``upgrade``, ``downgrade``, ``stamp`` and ``current``:
connect, read the version table, plan against the chain, then act. Every check (unknown target,
unknown stamped revision, broken script) happens before the first change. The commands that
write create a missing SQLite file, as SQLite (and ``alembic upgrade``) does; ``current`` reads
and refuses one (a typo must not read as "at base")."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager as ContextManager
from typing import IO, TextIO, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.base import OfflineTarget
from schemadiff.backends.connect import connect, create_engine, mask_url, parse_url, server_version
from schemadiff.backends.offline_output import DelimitedOutput
from schemadiff.backends.registry import rules_for
from schemadiff.chain import versions
from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.plan import Plan, check_rows, downgrade_plan, stamp_rows, upgrade_plan
from schemadiff.chain.project import Project
from schemadiff.chain.runner import (
    StepCallback,
    create_table_offline,
    run_offline,
    run_online,
    stamp_offline,
)
from schemadiff.chain.targets import resolve_destination
from schemadiff.errors import MigrationFailed, UsageError
from schemadiff.settings.config import Settings

Planner = Callable[[RevisionGraph, tuple[str, ...], str], Plan]
Notice = Callable[[str], None]
#: seconds a runner waits for another one on the same database (the ``lock_timeout`` setting's
#: default, kept in one place)
DEFAULT_LOCK_TIMEOUT = Settings.lock_timeout


def current_rows(project: Project, url: str) -> tuple[str, ...]:
    """The version table's rows (checked against the chain)."""
    graph = project.graph()
    engine = create_engine(url)
    try:
        with connect(engine) as conn:
            rows = versions.read_rows(conn, _table(project))
    finally:
        engine.dispose()
    return check_rows(graph, rows, f"the database {mask_url(url)}")


def migrate(
    project: Project,
    url: str,
    target: str,
    upgrade: bool,
    on_step: StepCallback | None = None,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    notice: Notice | None = None,
) -> Plan:
    """Upgrade or downgrade the database to ``target``; returns what was done. The database's
    migration lock is held from reading the current revision to the last version-row write, so
    a second runner waits (at most ``lock_timeout`` seconds) and then plans from where the first
    left the database; ``notice`` hears when the revision moved while this one waited."""
    check_direction(target, upgrade)
    graph = project.graph()
    planner: Planner = upgrade_plan if upgrade else downgrade_plan
    table = _table(project)
    engine = create_engine(url, create_sqlite_file=True)
    where = f"the database {mask_url(url)}"
    try:
        with connect(engine) as conn:
            seen = versions.read_rows(conn, table)
            conn.rollback()  # hold nothing (not even a read) while waiting
            with _locked(conn, table, lock_timeout, notice):
                rows = check_rows(graph, versions.read_rows(conn, table), where)
                if rows != seen and notice is not None:
                    verb = "upgrade" if upgrade else "downgrade"
                    notice(
                        f"the database moved from {describe_rows(seen)} to {describe_rows(rows)} "
                        f"while this {verb} waited for another one to finish"
                    )
                plan = planner(graph, rows, target)
                run_online(conn, plan, table, on_step)
    finally:
        engine.dispose()
    return plan


def stamp(
    project: Project,
    url: str,
    targets: Sequence[str],
    purge: bool,
    *,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT,
    notice: Notice | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Set the version table to ``targets`` (one per branch) without running scripts (under the
    migration lock, as ``migrate``); returns (before, after)."""
    graph = project.graph()
    table = _table(project)
    engine = create_engine(url, create_sqlite_file=True)
    try:
        with connect(engine) as conn, _locked(conn, table, lock_timeout, notice):
            found = versions.read_rows(conn, table)
            where = f"the database {mask_url(url)}"
            rows = () if purge else check_rows(graph, found, where)
            after = rows
            for target in targets:
                after = stamp_rows(graph, after, target)
            if conn.in_transaction():
                conn.commit()
            try:
                with conn.begin():
                    versions.ensure_table(conn, table)
                    if purge:
                        conn.execute(versions.purge_rows(table))
                        rows = ()
                    versions.apply_changes(conn, table, rows, after)
            except versions.VersionRowConflict as exc:
                raise MigrationFailed(
                    f"stamp stopped: {exc}; another process changed the version table meanwhile "
                    "and nothing was stamped; run 'schemadiff current' and stamp again"
                ) from exc
    finally:
        engine.dispose()
    return found, after


def _locked(
    conn: Connection, table: sa.Table, timeout: float, notice: Notice | None
) -> ContextManager[None]:
    """The backend's migration lock for this version table (see ``DialectRules``)."""

    def waiting() -> None:
        if notice is not None:
            notice(
                "waiting for another upgrade, downgrade or stamp on this database to finish "
                f"(at most {timeout:g} s)"
            )

    key = versions.lock_key(table)
    return rules_for(conn.dialect.name).migration_lock(conn, key, timeout, waiting)


def offline(
    project: Project,
    url: str,
    spec: str,
    upgrade: bool,
    out: IO[str],
    flavour: str | None = None,
) -> Plan:
    """``--sql``: print the statements for ``[FROM:]TO`` without changing the database (the
    MySQL family may read the server's version: see ``mysql_flavour``, the ``flavour`` here)."""
    graph = project.graph()
    start_text, sep, target = spec.rpartition(":")
    if not upgrade and not sep:
        raise UsageError(
            f"downgrade --sql needs FROM:TO (e.g. head:{spec}), since there is no database to "
            "read the current revision from"
        )
    if sep and not target:
        raise UsageError(f"--sql range {spec!r} has no end; use FROM:TO")
    check_direction(target, upgrade)
    start = resolve_destination(graph, start_text) if start_text else ()
    rows = graph.version_rows(graph.ancestors(start))
    plan = (upgrade_plan if upgrade else downgrade_plan)(graph, rows, target)
    parsed = _offline_url(url)
    target_ = _offline_target(parsed, flavour)
    dialect = target_.dialect.name if target_.dialect is not None else parsed.get_backend_name()
    delimited = cast(IO[str], DelimitedOutput(cast(TextIO, out), dialect))
    run_offline(parsed, plan, _table(project), delimited, target_)
    return plan


def offline_stamp(
    project: Project,
    url: str,
    specs: Sequence[str],
    out: IO[str],
    flavour: str | None = None,
) -> tuple[str, ...]:
    """``stamp --sql [FROM:]TO...``: print the version-table statements without connecting
    (from base when no FROM is given, as Alembic does); returns the rows after."""
    graph = project.graph()
    starts = {spec.rpartition(":")[0] for spec in specs if ":" in spec}
    if len(starts) > 1:
        raise UsageError(
            "stamp --sql takes one starting revision (FROM:TO); stamp each start separately"
        )
    start_text = starts.pop() if starts else ""
    start = resolve_destination(graph, start_text) if start_text else ()
    before = graph.version_rows(graph.ancestors(start))
    after = before
    for spec in specs:
        after = stamp_rows(graph, after, spec.rpartition(":")[2])
    parsed = _offline_url(url)
    stamp_offline(parsed, _table(project), (before, after), out, _offline_target(parsed, flavour))
    return after


def ensure_version(project: Project, url: str) -> bool:
    """Create the version table if it is missing; True when it was created."""
    table = _table(project)
    engine = create_engine(url, create_sqlite_file=True)
    try:
        with connect(engine) as conn:
            existed = versions.has_version_table(conn, table)
            if conn.in_transaction():
                conn.commit()
            if not existed:
                with conn.begin():
                    versions.ensure_table(conn, table)
    finally:
        engine.dispose()
    return not existed


def offline_ensure_version(
    project: Project, url: str, out: IO[str], flavour: str | None = None
) -> None:
    """``ensure_version --sql``: print the version table's ``CREATE TABLE``."""
    parsed = _offline_url(url)
    create_table_offline(parsed, _table(project), out, _offline_target(parsed, flavour))


def _offline_target(parsed: sa.URL, flavour: str | None) -> OfflineTarget:
    backend = parsed.get_backend_name()
    return rules_for(backend).offline_target(flavour, backend, None, lambda: server_version(parsed))


_BARE_STEP = re.compile(r"\s*([+-])(\d+)\s*")


def check_direction(target: str, upgrade: bool) -> None:
    """A step from the current revision goes one way: ``upgrade +N``, ``downgrade -N``. (An
    anchored step such as ``ae10+1`` names a revision and may point either way.)"""
    if target.startswith("--"):
        raise UsageError(f"no such option: {target} (see 'schemadiff --help')")
    step = _BARE_STEP.fullmatch(target)
    if step is None or (step[1] == "+") == upgrade:
        return
    n = step[2]
    if upgrade:
        raise UsageError(
            f"upgrade {target}: a relative upgrade must be positive (+{n}); to go back, use "
            f"'schemadiff downgrade -{n}'"
        )
    raise UsageError(
        f"downgrade {target}: a relative downgrade must be negative (-{n}); to go forward, use "
        f"'schemadiff upgrade +{n}'"
    )


def _offline_url(url: str) -> sa.URL:
    if "://" not in url:
        raise UsageError(f"--sql needs a database URL to pick the SQL dialect, got {url!r}")
    return parse_url(url)


def _table(project: Project) -> sa.Table:
    name, dot, rest = project.version_table.partition(".")
    if dot:  # "schema.table"
        return versions.version_table(rest, schema=name)
    return versions.version_table(name)


def describe_rows(rows: tuple[str, ...]) -> str:
    return ", ".join(rows) if rows else "base"
