"""Running revision scripts with Alembic's runtime (``MigrationContext`` + ``Operations``), so
``from alembic import op`` in a script works exactly as under ``alembic upgrade``.

Each revision runs in its own transaction. Where DDL is transactional (PostgreSQL) a failing
revision rolls back whole and the version table stays at the last good revision; where it is not
(MariaDB/MySQL, SQLite) the error names the revision, the failing statement and how far the
database got. Only the scripts that run are imported, and all of them before the first one runs,
so a broken file stops the command before anything changed.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.base import OfflineTarget
from schemadiff.backends.registry import rules_for
from schemadiff.chain import versions
from schemadiff.chain.plan import Plan, Step
from schemadiff.chain.scripts import Script
from schemadiff.errors import MigrationFailed, MigrationInterrupted, RevisionError
from schemadiff.render import batch_order
from schemadiff.settings.usercode import UserCodeExited, exit_code_text, exited_message

if TYPE_CHECKING:
    from alembic.runtime.migration import MigrationContext

StepCallback = Callable[[Step], None]


@dataclass(frozen=True)
class Loaded:
    """A step with its imported ``upgrade``/``downgrade`` function."""

    step: Step
    fn: Callable[[], Any]


@contextmanager
def importable(extra: Sequence[str] = ()) -> Iterator[None]:
    """Put alembic.ini's ``prepend_sys_path`` entries and the project directory (the current
    one) first on ``sys.path`` while revisions run, as ``alembic upgrade`` and ``verify`` do, so a
    revision can import the application's own modules (its types, its helpers)."""
    wanted = [str(Path(p).resolve()) for p in (*extra, os.getcwd())]
    present = {str(Path(p).resolve()) for p in sys.path if p}
    added = [p for p in dict.fromkeys(wanted) if p not in present]
    sys.path[:0] = added
    try:
        yield
    finally:
        for path in added:
            if path in sys.path:
                sys.path.remove(path)


def load_steps(plan: Plan) -> list[Loaded]:
    """Import the scripts the plan runs (and only those)."""
    batch_order.install()  # the scripts' batch blocks then rebuild tables the same every run
    out = []
    for step in plan.steps:
        module = import_script(step.script)
        name = "upgrade" if step.upgrade else "downgrade"
        fn = getattr(module, name, None)
        if not callable(fn):
            raise RevisionError(f"{step.script.path} has no {name}() function; add one")
        _check_takes_no_arguments(step, name, fn)
        out.append(Loaded(step, fn))
    return out


def _check_takes_no_arguments(step: Step, name: str, fn: Callable[..., Any]) -> None:
    """A revision whose function needs arguments (``upgrade(engine_name)`` of Alembic's multidb
    template) is called by its env.py, once per database: say so before anything runs."""
    import inspect

    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):  # a builtin or an odd callable: let the call decide
        return
    needed = [
        p.name
        for p in params
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if needed:
        raise RevisionError(
            f"{step.script.path.name}: {name}({', '.join(needed)}) needs arguments its env.py "
            "passes (a multi-database revision); run it with 'alembic "
            f"{'upgrade' if step.upgrade else 'downgrade'}', which runs that env.py"
        )


def import_script(script: Script) -> ModuleType:
    """Import one revision file by path, under a private module name."""
    name = f"_schemadiff_revision_{script.revision}"
    spec = importlib.util.spec_from_file_location(name, script.path)
    if spec is None or spec.loader is None:
        raise RevisionError(f"cannot import revision file {script.path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SystemExit as exc:
        sys.modules.pop(name, None)
        what = f"revision file {script.path} exited while being imported"
        raise UserCodeExited(exited_message(what, exc)) from exc
    except Exception as exc:  # noqa: BLE001 - a user's script may raise anything on import
        sys.modules.pop(name, None)
        first = (str(exc).splitlines() or [""])[0]
        raise RevisionError(
            f"importing revision file {script.path} failed: {type(exc).__name__}: {first}; "
            "fix the file"
        ) from exc
    return module


def run_online(
    conn: Connection,
    plan: Plan,
    table: sa.Table,
    on_step: StepCallback | None = None,
) -> None:
    """Run the plan on ``conn`` (no transaction open), one transaction per revision."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    loaded = load_steps(plan)
    if not loaded:
        return
    if conn.in_transaction():
        conn.commit()
    if plan.steps[0].upgrade:
        with conn.begin():
            versions.ensure_table(conn, table)
    ctx = MigrationContext.configure(connection=conn, opts=_opts(table))
    statements = _StatementLog(conn)
    failed: tuple[Loaded, Exception] | None = None
    interrupted: Loaded | None = None
    with statements.listening(), Operations.context(ctx):
        for item in loaded:
            if on_step is not None:
                on_step(item.step)
            statements.clear()
            try:
                with ctx.begin_transaction(_per_migration=True):
                    _run_script_function(item)
                    statements.stop()  # the version-table update is not the script's
                    versions.apply_changes(conn, table, item.step.rows_before, item.step.rows_after)
            except Exception as exc:  # noqa: BLE001 - reported as one line with the state
                statements.stop()
                failed = (item, exc)
                break
            except KeyboardInterrupt:
                statements.stop()
                interrupted = item
                break
    if interrupted is not None:
        transactional = ctx.impl.transactional_ddl
        message = _interruption(conn, table, interrupted, transactional, statements)
        raise MigrationInterrupted(message)
    if failed is not None and isinstance(failed[1], versions.VersionRowConflict):
        raise MigrationFailed(
            _conflict(failed[0].step, failed[1], ctx.impl.transactional_ddl, conn, table)
        ) from failed[1]
    if failed is not None:  # described outside the online context (it renders offline)
        transactional = ctx.impl.transactional_ddl
        message = _failure(conn, table, failed[0], failed[1], transactional, statements)
        raise MigrationFailed(message) from failed[1]


def run_offline(
    url: sa.URL,
    plan: Plan,
    table: sa.Table,
    out: IO[str],
    target: OfflineTarget | None = None,
) -> None:
    """Print the plan's SQL (DDL and version-table statements) without connecting, compiled for
    ``target``'s dialect when it names one (else the URL's), its header comment first."""
    from alembic.operations import Operations

    loaded = load_steps(plan)
    ctx = _offline_context(url, table, out, target)
    with Operations.context(ctx):
        if loaded and loaded[0].step.upgrade and not plan.rows_before:
            assert ctx.connection is not None
            table.create(ctx.connection)
        for item in loaded:
            step = item.step
            direction = "upgrade" if step.upgrade else "downgrade"
            out.write(f"-- Running {direction} {step.describe()}\n\n")
            with ctx.begin_transaction(_per_migration=True):
                try:
                    _run_script_function(item)
                except ScriptExited as exc:
                    where = f"{step.revision} ({step.script.path.name})"
                    raise MigrationFailed(f"{direction} of revision {where} failed: {exc}") from exc
                for stmt in versions.row_changes(table, step.rows_before, step.rows_after):
                    ctx.execute(stmt)


def stamp_offline(
    url: sa.URL,
    table: sa.Table,
    rows: tuple[tuple[str, ...], tuple[str, ...]],
    out: IO[str],
    target: OfflineTarget | None = None,
) -> None:
    """Print the version-table statements of ``stamp --sql`` (rows before, after), as Alembic
    prints them: the ``CREATE TABLE`` first when starting from base (there is no table yet)."""
    before, after = rows
    if before == after:
        return  # nothing to stamp: Alembic prints nothing either
    ctx = _offline_context(url, table, out, target)
    with ctx.begin_transaction(_per_migration=True):  # BEGIN first, around it all, as Alembic's
        if not before:
            assert ctx.connection is not None
            table.create(ctx.connection)
        out.write(f"-- Running stamp_revision {', '.join(before)} -> {', '.join(after)}\n\n")
        for stmt in versions.row_changes(table, before, after):
            ctx.execute(stmt)


def create_table_offline(
    url: sa.URL, table: sa.Table, out: IO[str], target: OfflineTarget | None = None
) -> None:
    """Print the version table's ``CREATE TABLE`` (``ensure_version --sql``)."""
    ctx = _offline_context(url, table, out, target)
    assert ctx.connection is not None
    table.create(ctx.connection)  # outside a transaction, as Alembic prints it


def _offline_context(
    url: sa.URL, table: sa.Table, out: IO[str], target: OfflineTarget | None
) -> MigrationContext:
    """An as-SQL ``MigrationContext`` writing to ``out``, compiled for ``target``'s dialect when
    it names one (else the URL's), after the target's header comment."""
    from alembic.runtime.migration import MigrationContext

    opts = _opts(table) | {"as_sql": True, "output_buffer": out, "literal_binds": True}
    if target is not None and target.header:
        out.write(target.header + "\n\n")
    if target is not None and target.dialect is not None:
        return MigrationContext.configure(dialect=target.dialect, opts=opts)
    return MigrationContext.configure(url=url, dialect_opts={"paramstyle": "named"}, opts=opts)


def _run_script_function(item: Loaded) -> None:
    """Call a revision's upgrade()/downgrade(); a ``sys.exit()`` in it is a failure of that
    revision (raised as an ordinary exception, so its transaction rolls back and the failure is
    reported like any other), never the end of the command with the script's exit code."""
    try:
        item.fn()
    except SystemExit as exc:
        name = "upgrade" if item.step.upgrade else "downgrade"
        raise ScriptExited(
            f"{name}() called sys.exit() ({exit_code_text(exc)}); a revision must not exit: "
            "remove the call, raise an exception to stop"
        ) from exc


class ScriptExited(UserCodeExited):
    """A revision's upgrade()/downgrade() called ``sys.exit()``."""


def _opts(table: sa.Table) -> dict[str, Any]:
    return {
        "transaction_per_migration": True,
        "version_table": table.name,
        "version_table_schema": table.schema,
    }


class _StatementLog:
    """The statements run during the current revision (until :meth:`stop`), each with whether
    the driver had a transaction open right after it (None: the backend cannot tell)."""

    def __init__(self, conn: Connection) -> None:
        self.engine = conn.engine
        self.rules = rules_for(conn.dialect.name)
        self.statements: list[str] = []
        #: the statement sent and not yet answered (where an interrupt caught the revision)
        self.running: str | None = None
        self.open_after: list[bool | None] = []
        self.recording = False

    def clear(self) -> None:
        self.statements = []
        self.running = None
        self.open_after = []
        self.recording = True

    def stop(self) -> None:
        self.recording = False

    def _sent(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.recording:
            self.running = statement

    def _seen(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if self.recording:
            self.statements.append(statement)
            self.running = None
            self.open_after.append(self.rules.transaction_open(conn.connection.dbapi_connection))

    @contextmanager
    def listening(self) -> Iterator[None]:
        sa.event.listen(self.engine, "before_cursor_execute", self._sent)
        sa.event.listen(self.engine, "after_cursor_execute", self._seen)
        try:
            yield
        finally:
            sa.event.remove(self.engine, "after_cursor_execute", self._seen)
            sa.event.remove(self.engine, "before_cursor_execute", self._sent)


def _failure(
    conn: Connection,
    table: sa.Table,
    item: Loaded,
    exc: BaseException,
    transactional: bool,
    log: _StatementLog,
) -> str:
    """One line: which revision, which statement, the error, where the database is."""
    from schemadiff.chain.failure import Failure, describe, kept_statements, planned_statements

    statement = getattr(exc, "statement", None)
    ran = tuple(log.statements)
    planned = planned_statements(conn.dialect, table, item.fn)
    rows_now = None if transactional else _rows_now(conn, table)
    kept = None if transactional else kept_statements(ran, log.open_after)
    failure = Failure(
        item.step,
        exc,
        transactional,
        ran,
        statement if statement else None,
        planned,
        rows_now,
        kept,
    )
    return describe(failure)


def _interruption(
    conn: Connection, table: sa.Table, item: Loaded, transactional: bool, log: _StatementLog
) -> str:
    """One line for Ctrl-C during a revision: what of it ran, and where the database is (the
    version rows read back on a new connection when the interrupted one is gone)."""
    from schemadiff.chain.failure import Interruption, describe_interruption

    interruption = Interruption(
        item.step, transactional, tuple(log.statements), log.running, _rows_now(conn, table)
    )
    return describe_interruption(interruption)


def _conflict(
    step: Step, exc: Exception, transactional: bool, conn: Connection, table: sa.Table
) -> str:
    """One line for a version row that another process moved under this runner."""
    rows = _rows_now(conn, table)
    now = "cannot be read" if rows is None else f"now holds {', '.join(rows) or 'no revision'}"
    direction = "upgrade" if step.upgrade else "downgrade"
    state = (
        "the revision was rolled back whole"
        if transactional
        else "statements of the revision that already ran stay (this database cannot roll back "
        "DDL): check them"
    )
    return (
        f"{direction} of revision {step.revision} ({step.script.path.name}) stopped: {exc}; "
        f"another process changed the version table while it ran (it {now}); {state}, then run "
        f"'schemadiff current' and decide whether to run 'schemadiff {direction}' again"
    )


def _rows_now(conn: Connection, table: sa.Table) -> tuple[str, ...] | None:
    """The version rows after a failure (None if they cannot be read)."""
    try:
        if conn.in_transaction():
            conn.rollback()
        rows = versions.read_rows(conn, table)
        conn.rollback()
    except Exception:  # noqa: BLE001 - the report then falls back to the plan's rows
        return None
    return rows
