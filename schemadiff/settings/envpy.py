"""Running a project's own ``env.py``: it is the project's configuration (its engine, its
``target_metadata``, its ``version_table``, its hooks), so schemadiff runs it through Alembic's
``EnvironmentContext`` the way Alembic's commands do, with a migration function of its own.

- :func:`foreign_env_py`: the ``env.py`` to run, or None for ours (``schemadiff init`` wrote it,
  unchanged): those projects keep the fast path, no env.py run.
- :func:`alembic_config`: Alembic's ``Config`` for the settings (the alembic.ini read, with the
  URL the settings chose, ``-x`` arguments).
- :func:`run_env`: run env.py with a migration function (Alembic's ``fn(heads, context)``); the
  harness for every command that goes through env.py.
- :func:`read_through_env`: ``diff``, ``check``, ``snapshot`` and ``revision --autogenerate``:
  every connection env.py opens refuses writes from its first statement, the function runs while
  env.py holds its connection (inside its ``run_migrations()``), then env.py is unwound so that
  nothing is committed and no migration runs. A multidb env.py (a ``configure()`` /
  ``run_migrations()`` round per database) runs to its end instead, the function once per
  database.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TextIO, TypeVar

from schemadiff.errors import SchemadiffError, UsageError
from schemadiff.settings.config import Settings
from schemadiff.settings.usercode import UserCodeExited, exited_message

if TYPE_CHECKING:
    import logging

    import sqlalchemy as sa
    from alembic.config import Config
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.engine import Connection

T = TypeVar("T")


class EnvPyError(SchemadiffError):
    """The project's env.py failed, or asked for something schemadiff will not do (a write while
    it only reads); the message is one line naming env.py."""


def foreign_env_py(script_location: str | Path | None, cwd: Path | None = None) -> Path | None:
    """The ``env.py`` in ``script_location`` when it is the project's own; None when there is
    none or it is exactly the one ``schemadiff init`` writes (those keep the fast path). An edited
    copy of ours is the project's configuration now, so it runs."""
    if not script_location:
        return None
    location = Path(script_location).expanduser()
    if not location.is_absolute():
        location = (cwd or Path.cwd()) / location
    path = location / "env.py"
    if not path.is_file():
        return None
    from schemadiff.chain.env_template import ENV_PY

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return path  # not ours for sure; running it reports what is wrong
    return None if _normal(text) == _normal(ENV_PY) else path


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def alembic_config(settings: Settings, x_arguments: Sequence[str] = ()) -> Config:
    """Alembic's ``Config`` for env.py from the settings (see :func:`project_config`)."""
    return project_config(
        settings.config_file,
        settings.alembic_toml_file,
        settings.script_location,
        settings.url,
        x_arguments,
    )


def project_config(
    config_file: str | Path | None,
    toml_file: str | Path | None,
    script_location: str | Path | None,
    url: str | None,
    x_arguments: Sequence[str] = (),
    output_buffer: TextIO | None = None,
) -> Config:
    """Alembic's ``Config`` for env.py: the alembic.ini and ``[tool.alembic]`` read (their
    sections, ``%(here)s``), with ``script_location`` and ``sqlalchemy.url`` as schemadiff resolved
    them (``--db`` and ``DATABASE_URL`` reach an env.py that reads
    ``config.get_main_option("sqlalchemy.url")``), and ``-x`` as ``cmd_opts.x`` for
    ``context.get_x_argument()``."""
    from argparse import Namespace

    from alembic.config import Config

    kwargs: dict[str, Any] = {}
    if toml_file is not None:
        kwargs["toml_file"] = str(toml_file)
    config = Config(
        str(config_file) if config_file else None,
        output_buffer=output_buffer,
        cmd_opts=Namespace(**{**(_COMMAND_OPTIONS.get() or {}), "x": list(x_arguments) or None}),
        **kwargs,
    )
    if script_location:
        config.set_main_option("script_location", _escaped(str(script_location)))
    if url and "://" in url:
        config.set_main_option("sqlalchemy.url", _escaped(url))
    return config


#: the command's options as Alembic's argparse would give them (``config.cmd_opts``), for env.py
#: code that reads them (``config.cmd_opts.autogenerate`` in a process_revision_directives)
_COMMAND_OPTIONS: ContextVar[Mapping[str, Any] | None] = ContextVar(
    "schemadiff_cmd_opts", default=None
)


@contextmanager
def command_options(**options: Any) -> Iterator[None]:
    """Within the block, the ``Config`` env.py gets has these ``cmd_opts`` (besides ``x``)."""
    token = _COMMAND_OPTIONS.set(options)
    try:
        yield
    finally:
        _COMMAND_OPTIONS.reset(token)


def _escaped(value: str) -> str:
    return value.replace("%", "%%")  # ConfigParser interpolation


def run_env(
    config: Config,
    fn: Callable[[tuple[str, ...], MigrationContext], Any],
    *,
    as_sql: bool = False,
    **kwargs: Any,
) -> None:
    """Run the project's env.py with ``fn`` as its migration function (Alembic's protocol:
    ``fn(heads, context)`` returns the steps to run; ``kwargs`` go to ``EnvironmentContext``).
    A ``sys.exit()`` in env.py is an error naming it; other exceptions propagate."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    with sys_path_kept():
        try:
            script = ScriptDirectory.from_config(config)
        except CommandError as exc:
            raise UsageError(f"{exc}; check script_location") from exc
        env_path = Path(script.dir) / "env.py"
        try:
            with EnvironmentContext(config, script, fn=fn, as_sql=as_sql, **kwargs):
                script.run_env()
        except SystemExit as exc:
            raise UserCodeExited(exited_message(f"{env_path} exited", exc)) from exc


@contextmanager
def sys_path_kept() -> Iterator[None]:
    """``sys.path`` as it was, after the block: Alembic's ``ScriptDirectory.from_config`` puts
    ``prepend_sys_path`` first for the rest of the process (right for one command; in-process
    callers such as the pytest plugin get their path back)."""
    saved = list(sys.path)
    try:
        yield
    finally:
        sys.path[:] = saved


class _Captured(BaseException):
    """Unwinds env.py once the read is done: its ``begin_transaction()`` and ``connect()``
    blocks roll back, and no code after ``run_migrations()`` runs (a ``BaseException``, so that
    an ``except Exception`` in env.py cannot swallow it)."""


#: the ``upgrade_token`` of a single-database env.py (Alembic's default)
DEFAULT_UPGRADE_TOKEN = "upgrades"


@dataclass(frozen=True)
class EnvRead(Generic[T]):
    """What a read through env.py found: one result per ``configure()`` /
    ``run_migrations()`` round (several for a multidb env.py, one per database), with what
    Alembic would hand the revision template."""

    rounds: tuple[T, ...]
    #: env.py's ``context.configure(template_args={...})``, merged over the rounds
    template_args: Mapping[str, Any]
    #: the Alembic ``Config`` env.py ran with (templates read it: ``config.get_main_option``)
    config: Config


def read_through_env(
    settings: Settings,
    fn: Callable[[MigrationContext, tuple[str, ...]], T],
    x_arguments: Sequence[str] = (),
) -> EnvRead[T]:
    """Run env.py and ``fn(context, heads)`` while env.py holds its connection, without writing:
    no version table is created (``dont_mutate``), every connection env.py opens is read-only for
    its whole session (a write in env.py fails at the server and is reported in one line).
    ``context`` is Alembic's ``MigrationContext``: ``context.opts`` holds what env.py passed to
    ``configure()``, ``context.connection`` its connection (None when env.py ran its offline
    path).

    A single-database env.py (``upgrade_token`` left at ``"upgrades"``) is unwound after ``fn``
    so that its transaction rolls back. A multidb one (each database configured with its own
    ``upgrade_token``, as Alembic's multidb template does) runs to its end, ``fn`` once per
    database with no step to run, so that every database is read; the transactions it then
    commits hold no writes (the sessions are read-only)."""
    config = alembic_config(settings, x_arguments or settings.x_arguments)
    env_path = foreign_env_py(settings.script_location) or Path("env.py")
    found: list[T] = []
    tokens: list[str] = []
    template_args: dict[str, Any] = {}

    def migrations(heads: tuple[str, ...], context: MigrationContext) -> list[Any]:
        token = str(context.opts.get("upgrade_token", DEFAULT_UPGRADE_TOKEN))
        if token in tokens:
            raise EnvPyError(
                f"{env_path} configures upgrade_token={token!r} for two run_migrations() "
                "calls; schemadiff reads one database per token (Alembic's multidb template "
                "gives each its own, NAME_upgrades)"
            )
        tokens.append(token)
        found.append(fn(context, tuple(heads)))
        if tokens[0] == DEFAULT_UPGRADE_TOKEN:
            raise _Captured
        return []

    try:
        with read_only_sessions(), _quiet_alembic():
            run_env(config, migrations, dont_mutate=True, template_args=template_args)
    except _Captured:
        pass
    except SchemadiffError:
        raise
    except Exception as exc:
        raise EnvPyError(_failure(env_path, exc)) from exc
    if not found:
        raise EnvPyError(
            f"{env_path} did not call context.run_migrations(); schemadiff reads the database "
            "through env.py's run_migrations_online() path (as Alembic's own 'check' does)"
        )
    return EnvRead(tuple(found), dict(template_args), config)


def _failure(env_path: Path, exc: Exception) -> str:
    from sqlalchemy.exc import DBAPIError

    from schemadiff.backends.connect import driver_message, scrub

    if isinstance(exc, DBAPIError):
        return (
            f"{env_path} failed while schemadiff ran it read-only: {driver_message(exc)} "
            "(diff, check, snapshot and revision --autogenerate never write; if env.py writes "
            "to the database itself, do that in a migration instead)"
        )
    text = " ".join(str(exc).split()) or type(exc).__name__
    return scrub(f"{env_path} failed: {type(exc).__name__}: {text}"[:400])


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    """Without Alembic's INFO lines ("Context impl ...") that env.py's ``fileConfig`` turns on:
    they describe migrations, which a read does not run, and would clutter the report (a filter
    on the logger that writes them outlives ``fileConfig``)."""
    import logging

    # alembic.env: the templates' env.py logger ("Migrating database engine1" of multidb)
    loggers = [logging.getLogger(n) for n in ("alembic.runtime.migration", "alembic.env")]
    for logger in loggers:
        logger.addFilter(_warnings_only)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(_warnings_only)


def _warnings_only(record: logging.LogRecord) -> bool:
    import logging

    return record.levelno >= logging.WARNING


@contextmanager
def read_only_sessions() -> Iterator[None]:
    """Every connection an engine opens in this block refuses writes for its whole session
    (each backend says how: :attr:`~schemadiff.backends.base.DialectRules.read_only_session_sql`),
    from before env.py's first statement on it."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    event.listen(Engine, "engine_connect", _make_read_only)
    try:
        yield
    finally:
        event.remove(Engine, "engine_connect", _make_read_only)


def _make_read_only(conn: Connection) -> None:
    from schemadiff.backends.readonly import probing
    from schemadiff.backends.registry import rules_for

    if probing():  # schemadiff's own probe connection: its transaction is always rolled back
        return

    statement = rules_for(conn.dialect.name).read_only_session_sql
    if statement is None:
        raise UsageError(
            f"cannot make a {conn.dialect.name!r} session read-only; schemadiff only reads "
            "PostgreSQL, MariaDB/MySQL and SQLite databases"
        )
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        cursor.execute(statement)
    finally:
        cursor.close()
    dbapi.commit()  # a session setting: ends the transaction the driver began for it


@dataclass(frozen=True)
class EnvOptions:
    """What env.py passed to ``context.configure()`` that steers reading and comparing (None: not
    passed). Hooks keep Alembic's signatures."""

    metadata: sa.MetaData | None = None
    version_table: str | None = None
    include_schemas: bool = False
    include_object: Callable[..., bool] | None = None
    include_name: Callable[..., bool] | None = None
    compare_type: bool | Callable[..., Any] | None = None
    compare_server_default: bool | Callable[..., Any] | None = None
    render_as_batch: bool | None = None
    user_module_prefix: str | None = None


def env_options(opts: Mapping[str, Any]) -> EnvOptions:
    """:class:`EnvOptions` from a ``MigrationContext.opts``."""
    table = opts.get("version_table")
    schema = opts.get("version_table_schema")
    version_table = None
    if table or schema:
        version_table = f"{schema}.{table or 'alembic_version'}" if schema else str(table)
    batch = opts.get("render_as_batch")
    return EnvOptions(
        metadata=merged_metadata(opts.get("target_metadata")),
        version_table=version_table,
        include_schemas=bool(opts.get("include_schemas", False)),
        include_object=opts.get("include_object"),
        include_name=opts.get("include_name"),
        compare_type=opts.get("compare_type"),
        compare_server_default=opts.get("compare_server_default"),
        render_as_batch=None if batch is None else bool(batch),
        user_module_prefix=opts.get("user_module_prefix"),
    )


def merged_metadata(value: Any) -> sa.MetaData | None:
    """``target_metadata``: a MetaData, or a sequence of them as one (the tables themselves, not
    copies: each keeps its own MetaData's naming convention)."""
    import sqlalchemy as sa

    if value is None or isinstance(value, sa.MetaData):
        return value
    if not isinstance(value, (list, tuple)) or not all(isinstance(m, sa.MetaData) for m in value):
        raise EnvPyError(
            f"env.py passes target_metadata={type(value).__name__} to context.configure(); "
            "pass a MetaData or a list of MetaData"
        )
    if len(value) == 1:
        return value[0]
    merged = sa.MetaData()
    for metadata in value:
        for key, table in metadata.tables.items():
            if key in merged.tables:
                raise EnvPyError(
                    f"table {key!r} is in two of the MetaData env.py passes as target_metadata; "
                    "each table must belong to one"
                )
            merged._add_table(table.name, table.schema, table)
        for name, sequence in metadata._sequences.items():  # standalone sequences
            merged._sequences.setdefault(name, sequence)
    return merged
