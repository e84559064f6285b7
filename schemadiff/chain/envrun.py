"""``upgrade``, ``downgrade``, ``stamp``, ``current`` and ``--sql`` through the project's own
``env.py``, the way ``alembic.command`` runs them (``EnvironmentContext`` + ``run_env``), so the
project's logic decides the connection, the version table, transactions, tenant loops and ``-x``.

Kept from schemadiff's own runner: the database's migration lock (taken when env.py calls
``context.run_migrations()``, before Alembic reads the current revision, on a second connection
to the same database so env.py's transaction is left as it is), a progress line per revision,
one line naming the failed revision and where the database was left, and a Ctrl-C message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, cast

from schemadiff.backends.offline_output import DelimitedOutput
from schemadiff.backends.registry import rules_for
from schemadiff.chain import versions
from schemadiff.errors import (
    MigrationFailed,
    MigrationInterrupted,
    SchemadiffError,
    UsageError,
)
from schemadiff.settings.usercode import UserCodeExited, exited_message

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

Say = Callable[[str], None]


F = TypeVar("F", bound=Callable[..., Any])


def _keeps_sys_path(fn: F) -> F:
    """Run ``fn`` with :func:`~schemadiff.settings.envpy.sys_path_kept` (Alembic prepends
    ``prepend_sys_path`` for the whole process)."""
    from functools import wraps

    from schemadiff.settings.envpy import sys_path_kept

    @wraps(fn)
    def kept(*args: Any, **kwargs: Any) -> Any:
        with sys_path_kept():
            return fn(*args, **kwargs)

    return cast(F, kept)


@dataclass(frozen=True)
class EnvProject:
    """What env.py is run with: the Alembic config file (or none), the script location, the URL
    schemadiff resolved (given to env.py as ``sqlalchemy.url``), ``-x`` and ``--tag``."""

    env_py: Path
    script_location: Path
    config_file: Path | None = None
    toml_file: Path | None = None
    url: str | None = None
    x: tuple[str, ...] = ()
    tag: str | None = None


@dataclass
class Run:
    """One ``context.run_migrations()`` call of env.py (a tenant loop makes several)."""

    where: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    steps: int = 0


@dataclass
class _Watch:
    """Progress and state of the runs, filled by the migration function and the callbacks."""

    say: Say | None
    notice: Say | None
    lock_timeout: float
    runs: list[Run] = field(default_factory=list)
    step: Any = None
    #: the version rows read before waiting for the lock (None: it was free at once)
    seen: tuple[str, ...] | None = None
    verb: str = "upgrade"
    #: the statements the current revision sent (where the database cannot roll back DDL, a
    #: failure or Ctrl-C lists them)
    ran: list[str] = field(default_factory=list)
    #: the statement sent and not yet answered
    running: str | None = None


def alembic_config(project: EnvProject, out: TextIO | None = None) -> Config:
    """Alembic's ``Config`` for the project (:func:`schemadiff.settings.envpy.project_config`)."""
    from schemadiff.settings.envpy import project_config

    return project_config(
        project.config_file,
        project.toml_file,
        project.script_location,
        project.url,
        project.x,
        output_buffer=out,
    )


@_keeps_sys_path
def migrate(
    project: EnvProject,
    target: str,
    upgrade: bool,
    *,
    say: Say | None,
    notice: Say | None,
    lock_timeout: float,
) -> list[Run]:
    """Upgrade or downgrade to ``target`` as ``alembic upgrade/downgrade`` does."""
    watch = _Watch(say, notice, lock_timeout, verb="upgrade" if upgrade else "downgrade")
    config = alembic_config(project)
    script = _script(config)

    def steps(rev: Any, context: MigrationContext) -> Iterator[Any]:
        if upgrade:
            found = script._upgrade_revs(target, rev)
        else:
            found = script._downgrade_revs(target, rev)
        return _reported(watch, context, rev, found)

    _run(project, config, script, watch, fn=steps, destination_rev=target, tag=project.tag)
    return watch.runs


@_keeps_sys_path
def stamp(
    project: EnvProject,
    targets: Sequence[str],
    purge: bool,
    *,
    notice: Say | None,
    lock_timeout: float,
) -> list[Run]:
    """Set the version table(s) env.py configures to ``targets`` without running scripts."""
    watch = _Watch(None, notice, lock_timeout, verb="stamp")
    config = alembic_config(project)
    script = _script(config)

    def steps(rev: Any, context: MigrationContext) -> Iterator[Any]:
        return _reported(watch, context, rev, script._stamp_revs(tuple(targets), rev))

    _run(
        project,
        config,
        script,
        watch,
        fn=steps,
        destination_rev=tuple(targets),
        tag=project.tag,
        purge=purge,
    )
    return watch.runs


@_keeps_sys_path
def current(project: EnvProject) -> list[Run]:
    """The revisions in the version table(s) env.py configures (nothing written)."""
    watch = _Watch(None, None, 0.0)
    config = alembic_config(project)
    script = _script(config)

    def read(rev: Any, context: MigrationContext) -> list[Any]:
        watch.runs.append(Run(_where(context), _sorted(rev), _sorted(rev)))
        return []

    _run(project, config, script, watch, fn=read, dont_mutate=True, lock=False)
    return watch.runs


@_keeps_sys_path
def offline(project: EnvProject, spec: str, upgrade: bool, out: TextIO) -> None:
    """``--sql``: what ``alembic upgrade/downgrade --sql [FROM:]TO`` prints, env.py's offline
    branch deciding the dialect, version table and options."""
    start, sep, target = spec.rpartition(":")
    if not upgrade and not sep:
        raise UsageError(
            f"downgrade --sql needs FROM:TO (e.g. head:{spec}), since there is no database to "
            "read the current revision from"
        )
    watch = _Watch(None, None, 0.0)
    delimited = DelimitedOutput(out)
    config = alembic_config(project, cast(TextIO, delimited))
    script = _script(config)

    def steps(rev: Any, context: MigrationContext) -> Any:
        delimited.dialect = context.dialect.name
        if upgrade:
            return script._upgrade_revs(target, rev)
        return script._downgrade_revs(target, rev)

    _run(
        project,
        config,
        script,
        watch,
        fn=steps,
        as_sql=True,
        starting_rev=start or None,
        destination_rev=target,
        tag=project.tag,
    )


@_keeps_sys_path
def offline_stamp(project: EnvProject, targets: Sequence[str], out: TextIO) -> None:
    """``stamp --sql [FROM:]TO``: what ``alembic stamp --sql`` prints, env.py's offline branch
    deciding the dialect and the version table."""
    start = None
    wanted = list(targets)
    if len(wanted) == 1 and ":" in wanted[0]:
        start, _, wanted[0] = wanted[0].rpartition(":")
    elif any(":" in t for t in wanted):
        raise UsageError("stamp --sql takes FROM:TO with one target only; give one FROM:TO")
    watch = _Watch(None, None, 0.0)
    config = alembic_config(project, out)
    script = _script(config)

    def steps(rev: Any, context: MigrationContext) -> Any:
        return script._stamp_revs(tuple(wanted), rev)

    _run(
        project,
        config,
        script,
        watch,
        fn=steps,
        as_sql=True,
        starting_rev=start or None,
        destination_rev=tuple(wanted),
        tag=project.tag,
    )


# --- running env.py --------------------------------------------------------------------------


def _script(config: Config) -> ScriptDirectory:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        return ScriptDirectory.from_config(config)
    except CommandError as exc:
        raise UsageError(f"{exc}; check script_location") from exc


def _run(
    project: EnvProject,
    config: Config,
    script: ScriptDirectory,
    watch: _Watch,
    *,
    lock: bool = True,
    **kwargs: Any,
) -> None:
    """Run env.py with a guarded ``EnvironmentContext``; Alembic's errors and env.py's own
    become one line."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.util import CommandError

    env = EnvironmentContext(config, script, **kwargs)
    # env.py's context.run_migrations() is this attribute (Alembic's module proxy reads the
    # instance's attributes when it is entered): the guarded run wraps Alembic's own
    env.run_migrations = _guarded(env, env.run_migrations, watch, lock)  # type: ignore[method-assign]
    try:
        with env:
            script.run_env()
    except (SchemadiffError, MigrationInterrupted):
        raise
    except SystemExit as exc:
        if isinstance(exc.code, str):  # env.py stopping with its own message (a missing URL)
            raise UsageError(f"{project.env_py} stopped: {_first(exc)}") from exc
        raise UserCodeExited(exited_message(f"{project.env_py} exited", exc)) from exc
    except CommandError as exc:
        raise UsageError(f"{_first(exc)} (Alembic, running {project.env_py})") from exc
    except Exception as exc:
        if _is_database_error(exc):
            raise  # the command line's one line for driver errors
        raise UsageError(
            f"running {project.env_py} failed: {type(exc).__name__}: {_first(exc)}; fix env.py "
            "(run with --debug for the traceback)"
        ) from exc


def _guarded(env: Any, run: Callable[..., None], watch: _Watch, lock: bool) -> Callable[..., None]:
    """``run_migrations`` holding the migration lock, reporting each revision and turning a
    failing one into one line."""

    def run_migrations(**kw: Any) -> None:
        ctx = env.get_context()
        callbacks = ctx.on_version_apply_callbacks
        ctx.on_version_apply_callbacks = (*callbacks, _applied(watch))
        try:
            with _held(ctx, watch, lock):
                _guarded_run(ctx, watch, lambda: run(**kw))
        finally:
            ctx.on_version_apply_callbacks = callbacks

    return run_migrations


@contextmanager
def _held(ctx: MigrationContext, watch: _Watch, wanted: bool) -> Iterator[None]:
    """The backend's migration lock for the version table this context uses, on a second
    connection (env.py's may be inside its own transaction, which the lock must not end)."""
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    conn = ctx.connection
    if not wanted or ctx.as_sql or conn is None:
        yield
        return
    if isinstance(conn.engine.pool, (SingletonThreadPool, StaticPool)):
        yield  # one shared connection (an in-memory database): private to this process
        return
    table = versions.version_table(ctx.version_table, schema=ctx.version_table_schema)

    def waiting() -> None:
        watch.seen = seen
        if watch.notice is not None:
            watch.notice(
                "waiting for another upgrade, downgrade or stamp on this database to finish "
                f"(at most {watch.lock_timeout:g} s)"
            )

    rules = rules_for(conn.dialect.name)
    watch.seen = None
    with conn.engine.connect() as lock_conn:
        seen = versions.read_rows(lock_conn, table)  # to say later if it moved while we waited
        lock_conn.rollback()
        with rules.migration_lock(lock_conn, versions.lock_key(table), watch.lock_timeout, waiting):
            yield


@contextmanager
def _statements(ctx: MigrationContext, watch: _Watch) -> Iterator[None]:
    """Record in ``watch`` the statements each revision sends (``_reported`` starts each
    revision's list)."""
    import sqlalchemy as sa

    conn = ctx.connection
    if conn is None or ctx.as_sql:
        yield
        return

    def sent(_conn: Any, _cursor: Any, statement: str, *args: Any) -> None:
        if watch.step is not None:
            watch.running = statement

    def seen(_conn: Any, _cursor: Any, statement: str, *args: Any) -> None:
        if watch.step is not None:
            watch.ran.append(statement)
            watch.running = None

    sa.event.listen(conn, "before_cursor_execute", sent)
    sa.event.listen(conn, "after_cursor_execute", seen)
    try:
        yield
    finally:
        sa.event.remove(conn, "after_cursor_execute", seen)
        sa.event.remove(conn, "before_cursor_execute", sent)


def _guarded_run(ctx: MigrationContext, watch: _Watch, run: Callable[[], None]) -> None:
    watch.step = None
    try:
        with _statements(ctx, watch):
            run()
    except KeyboardInterrupt as exc:
        if watch.step is None:
            raise
        raise MigrationInterrupted(_interrupted(ctx, watch)) from exc
    except Exception as exc:
        if watch.step is None or isinstance(exc, SchemadiffError):
            raise
        raise MigrationFailed(_failed(ctx, watch, exc)) from exc
    watch.step = None


def _reported(
    watch: _Watch, context: MigrationContext, rev: tuple[str, ...], found: Sequence[Any]
) -> Iterator[Any]:
    """The steps Alembic runs, each announced before it runs (and remembered, for the error
    line if it fails)."""
    run = Run(_where(context), _sorted(rev), _sorted(rev))
    watch.runs.append(run)
    if watch.seen is not None and watch.seen != run.before and watch.notice is not None:
        watch.notice(
            f"the database moved from {_rows(watch.seen)} to {_rows(run.before)} while this "
            f"{watch.verb} waited for another one to finish"
        )
    for step in found:
        watch.step = step
        watch.ran, watch.running = [], None
        if watch.say is not None and hasattr(step, "revision"):
            watch.say(f"Running {step}")
        yield step


def _applied(watch: _Watch) -> Callable[..., None]:
    def applied(*, ctx: MigrationContext, step: Any, heads: set[str], run_args: Any) -> None:
        if watch.runs:
            run = watch.runs[-1]
            run.after = _sorted(heads)
            run.steps += 1
        watch.step = None

    return applied


def _failed(ctx: MigrationContext, watch: _Watch, exc: BaseException) -> str:
    step = watch.step
    run = watch.runs[-1]
    verb = "upgrade" if step.is_upgrade else "downgrade"
    name = _step_name(step)
    where = _where(ctx)
    if ctx.impl.transactional_ddl and ctx._transaction_per_migration:
        state = f"the revision was rolled back; {where} stays at {_rows(run.after)}"
    elif ctx.impl.transactional_ddl:
        state = (
            "env.py runs all revisions in one transaction, so all of this run was rolled back; "
            f"{where} stays at {_rows(run.before)}"
        )
    else:
        check = ": check them" if watch.ran else ""
        state = (
            f"{_ran(watch)} (this database cannot roll back DDL){check}; {where} says "
            f"{_rows(run.after)}"
        )
    statement = getattr(exc, "statement", None)
    at = f" at statement {_short(str(statement))!r}" if statement else ""
    return f"{verb} of revision {name} failed{at}: {_error(exc)}; {state}"


def _interrupted(ctx: MigrationContext, watch: _Watch) -> str:
    step = watch.step
    verb = "upgrade" if step.is_upgrade else "downgrade"
    run = watch.runs[-1]
    state = (
        "it was rolled back"
        if ctx.impl.transactional_ddl
        else f"{_ran(watch)} (this database cannot roll back DDL){_running(watch)}"
    )
    return (
        f"interrupted during the {verb} of revision {_step_name(step)}: {state}; the version "
        f"table said {_rows(run.after)} before it; run 'schemadiff current' to see where the "
        "database is"
    )


def _ran(watch: _Watch) -> str:
    """The statements of the revision that ran, numbered (they stay: the DDL is committed)."""
    if not watch.ran:
        return "no statement of it had completed"
    listed = "; ".join(f"{i}) {_short(s)}" for i, s in enumerate(watch.ran, 1))
    count = len(watch.ran)
    return f"{count} statement{'s' if count > 1 else ''} of it already ran ({listed})"


def _running(watch: _Watch) -> str:
    if watch.running is None:
        return ""
    return (
        f"; it was interrupted while running {len(watch.ran) + 1}) {_short(watch.running)} "
        "(the server may still finish it: check)"
    )


def _step_name(step: Any) -> str:
    script = getattr(step, "revision", None)
    if script is None:
        return str(step)
    path = getattr(script, "path", None)
    return f"{script.revision} ({Path(path).name})" if path else str(script.revision)


def _where(ctx: MigrationContext) -> str:
    """``the version table T``, and ``of NAME`` for a database of a multidb env.py (each
    configured with its own ``upgrade_token``, ``NAME_upgrades``)."""
    schema = ctx.version_table_schema
    table = f"{schema}.{ctx.version_table}" if schema else ctx.version_table
    token = str(ctx.opts.get("upgrade_token", "upgrades"))
    if token != "upgrades":
        return f"the version table {table} of {token.removesuffix('_upgrades')}"
    return f"the version table {table}"


def _rows(rows: Sequence[str]) -> str:
    return ", ".join(rows) if rows else "base"


def _sorted(rows: Any) -> tuple[str, ...]:
    return tuple(sorted(rows or ()))


def _error(exc: BaseException) -> str:
    if _is_database_error(exc):
        from schemadiff.backends.connect import driver_message

        return driver_message(exc)
    return f"{type(exc).__name__}: {_first(exc)}"


def _is_database_error(exc: BaseException) -> bool:
    import sqlalchemy as sa

    return isinstance(exc, sa.exc.SQLAlchemyError)


def _first(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _short(statement: str) -> str:
    flat = " ".join(statement.split())
    return flat if len(flat) <= 120 else flat[:117] + "..."
