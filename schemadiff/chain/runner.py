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
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import ModuleType
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.chain import versions
from schemadiff.chain.plan import Plan, Step
from schemadiff.chain.scripts import Script
from schemadiff.dialects.base import OfflineTarget
from schemadiff.errors import MigrationFailed, RevisionError

StepCallback = Callable[[Step], None]


@dataclass(frozen=True)
class Loaded:
    """A step with its imported ``upgrade``/``downgrade`` function."""

    step: Step
    fn: Callable[[], Any]


def load_steps(plan: Plan) -> list[Loaded]:
    """Import the scripts the plan runs (and only those)."""
    out = []
    for step in plan.steps:
        module = import_script(step.script)
        name = "upgrade" if step.upgrade else "downgrade"
        fn = getattr(module, name, None)
        if not callable(fn):
            raise RevisionError(f"{step.script.path} has no {name}() function; add one")
        out.append(Loaded(step, fn))
    return out


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
    with statements.listening(), Operations.context(ctx):
        for item in loaded:
            if on_step is not None:
                on_step(item.step)
            statements.clear()
            try:
                with ctx.begin_transaction(_per_migration=True):
                    item.fn()
                    for stmt in versions.row_changes(
                        table, item.step.rows_before, item.step.rows_after
                    ):
                        ctx.execute(stmt)
            except Exception as exc:  # noqa: BLE001 - reported as one line with the state
                raise MigrationFailed(
                    _failure(item.step, exc, ctx.impl.transactional_ddl, statements.count)
                ) from exc


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
    from alembic.runtime.migration import MigrationContext

    loaded = load_steps(plan)
    opts = _opts(table) | {"as_sql": True, "output_buffer": out, "literal_binds": True}
    if target is not None and target.header:
        out.write(target.header + "\n\n")
    if target is not None and target.dialect is not None:
        ctx = MigrationContext.configure(dialect=target.dialect, opts=opts)
    else:
        ctx = MigrationContext.configure(url=url, dialect_opts={"paramstyle": "named"}, opts=opts)
    with Operations.context(ctx):
        if loaded and loaded[0].step.upgrade and not plan.rows_before:
            assert ctx.connection is not None
            table.create(ctx.connection)
        for item in loaded:
            step = item.step
            direction = "upgrade" if step.upgrade else "downgrade"
            out.write(f"-- Running {direction} {step.describe()}\n\n")
            with ctx.begin_transaction(_per_migration=True):
                item.fn()
                for stmt in versions.row_changes(table, step.rows_before, step.rows_after):
                    ctx.execute(stmt)


def _opts(table: sa.Table) -> dict[str, Any]:
    return {
        "transaction_per_migration": True,
        "version_table": table.name,
        "version_table_schema": table.schema,
    }


class _StatementLog:
    """Counts the statements run during the current revision and keeps the last one."""

    def __init__(self, conn: Connection) -> None:
        self.engine = conn.engine
        self.count = 0

    def clear(self) -> None:
        self.count = 0

    def _seen(self, *args: Any) -> None:
        self.count += 1

    @contextmanager
    def listening(self) -> Iterator[None]:
        sa.event.listen(self.engine, "after_cursor_execute", self._seen)
        try:
            yield
        finally:
            sa.event.remove(self.engine, "after_cursor_execute", self._seen)


def _failure(step: Step, exc: BaseException, transactional: bool, done: int) -> str:
    """One line: which revision, which statement, what the error was, where the database is."""
    from schemadiff.connect import driver_message

    script = step.script
    direction = "upgrade" if step.upgrade else "downgrade"
    what = f"{direction} of revision {script.revision} ({script.path.name}) failed"
    statement = getattr(exc, "statement", None)
    at = f" at statement {_short(statement)!r}" if statement else ""
    error = driver_message(exc) if isinstance(exc, sa.exc.SQLAlchemyError) else _first(exc)
    before = ", ".join(step.rows_before) or "base"
    if transactional:
        state = f"it was rolled back whole; the database is at {before} (the last good revision)"
    else:
        ran = f"{done} statement(s) of it had already run" if done else "none of it had run"
        state = (
            "this database cannot roll back DDL, so it is now partly migrated: the version "
            f"table still says {before} (the previous revision) but {ran}; repair by hand, "
            "then re-run or use 'schemadiff stamp'"
        )
    return f"{what}{at}: {error}; {state}"


def _short(statement: str) -> str:
    text = " ".join(statement.split())
    return text if len(text) <= 200 else text[:197] + "..."


def _first(exc: BaseException) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
