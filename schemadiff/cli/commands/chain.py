"""The migration commands (``init``, ``revision``, ``upgrade``, ``downgrade``, ``current``,
``history``, ``heads``, ``branches``, ``show``, ``stamp``, ``merge``), added to the main app by
:func:`register`. Errors are raised as :class:`schemadiff.errors.SchemadiffError` and reported by
the main command line as one line, exit code 2."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from schemadiff.cli.commands.chain_admin import register as register_admin
from schemadiff.cli.options import MetadataOpt
from schemadiff.cli.runner import STATE, cli_settings

if TYPE_CHECKING:
    from rich.console import Console

    from schemadiff.chain.envrun import EnvProject, Run
    from schemadiff.chain.plan import Step
    from schemadiff.chain.project import Project
    from schemadiff.settings.config import Settings

Db = Annotated[
    str | None, typer.Option("--db", metavar="URL", help="Database URL.", show_default=False)
]
LockWait = Annotated[
    float | None,
    typer.Option(
        "--lock-timeout",
        metavar="SECONDS",
        help="Wait this long for another upgrade/downgrade/stamp on the database (default 60).",
        show_default=False,
    ),
]
Verbose = Annotated[bool, typer.Option("-v", "--verbose", help="Show full details.")]
Sql = Annotated[
    bool, typer.Option("--sql", help="Print the SQL instead of running it (offline mode).")
]
Tag = Annotated[
    str | None,
    typer.Option(
        "--tag",
        metavar="TAG",
        help="Tag for the project's env.py (context.get_tag_argument()).",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add the migration commands to ``app``."""
    commands = (init, revision, merge, upgrade, downgrade, current, history, heads, branches)
    for fn in (*commands, show, stamp):
        # ``downgrade -1`` (and a mistaken ``upgrade -1``): a step is an argument, not an
        # unknown option; migrate.check_direction says which way each may go
        settings = {"ignore_unknown_options": True} if fn in (upgrade, downgrade) else None
        app.command(context_settings=settings)(fn)
    register_admin(app)  # edit, ensure_version, list_templates (commands/chain_admin.py)


# --- commands --------------------------------------------------------------------------------


def init(
    directory: Annotated[Path, typer.Argument(help="Folder for the migrations.")],
    template: Annotated[
        str,
        typer.Option(
            "-t",
            "--template",
            metavar="NAME",
            help="generic, async, multidb, pyproject or pyproject_async (see list_templates).",
        ),
    ] = "generic",
) -> None:
    """Create a migration environment (versions/, script.py.mako, env.py, alembic.ini)."""
    from schemadiff.chain.init import init_project

    result = init_project(directory, template=template)
    console = _console()
    for path in result.written:
        console.print(f"wrote {_rel(path)}")
    if result.existing_ini is not None:
        console.print(
            f"note: {_rel(result.existing_ini)} exists and was left as it is; point its "
            f"script_location at {directory} if it should use this folder"
        )
    if result.existing_toml is not None:
        console.print(
            f"note: {_rel(result.existing_toml)} already has a [tool.alembic] section, left as "
            f"it is; point its script_location at {directory} if it should use this folder"
        )


def revision(
    message: Annotated[
        str | None,
        typer.Option(
            "-m", "--message", metavar="MSG", help="What the revision does.", show_default=False
        ),
    ] = None,
    autogenerate: Annotated[
        bool, typer.Option("--autogenerate", help="Compare the database with the models.")
    ] = False,
    rename_table: Annotated[
        list[str] | None,
        typer.Option(
            "--rename-table", metavar="OLD=NEW", help="Table OLD was renamed to NEW (repeatable)."
        ),
    ] = None,
    rename_column: Annotated[
        list[str] | None,
        typer.Option(
            "--rename-column",
            metavar="TABLE.OLD=NEW",
            help="Column OLD of TABLE was renamed to NEW (repeatable).",
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Option("--head", metavar="REV", help="Revision the new one follows (default: head)."),
    ] = None,
    splice: Annotated[
        bool, typer.Option("--splice", help="Allow --head to name a non-head (new branch).")
    ] = False,
    branch_label: Annotated[
        list[str] | None,
        typer.Option("--branch-label", metavar="LABEL", help="Label for a new branch."),
    ] = None,
    depends_on: Annotated[
        list[str] | None,
        typer.Option("--depends-on", metavar="REV", help="Revision this one depends on."),
    ] = None,
    rev_id: Annotated[
        str | None, typer.Option("--rev-id", metavar="ID", help="Revision id (default: random).")
    ] = None,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Write a file even with nothing to change.")
    ] = False,
    version_path: Annotated[
        str | None,
        typer.Option(
            "--version-path",
            metavar="DIR",
            help="Version location to write to (one of version_locations).",
        ),
    ] = None,
    db: Db = None,
    metadata: MetadataOpt = None,
) -> None:
    """Write a new revision file (empty, or --autogenerate from the models)."""
    from schemadiff.chain.new_file import version_folder
    from schemadiff.chain.revision import (
        RevisionRequest,
        follows,
        revision_header,
        write_revision,
    )
    from schemadiff.errors import SchemadiffError
    from schemadiff.render.code import Code

    settings = cli_settings(url=db, metadata=metadata)
    project = _project(settings)
    graph = project.graph()
    request = RevisionRequest(
        message=message,
        rev_id=rev_id,
        head=head,
        splice=splice,
        branch_labels=tuple(branch_label or ()),
        depends_on=tuple(depends_on or ()),
    )
    # checks links and the folder before the (slower) comparison
    header = revision_header(graph, request, project.new_files.timezone)
    try:
        version_folder(project, graph, follows(header), version_path)
    except SchemadiffError:
        # env.py's process_revision_directives may still choose the version_path (writing
        # checks the folder again)
        if not ((autogenerate or settings.revision_environment) and _own_env_py(settings)):
            raise
    upgrade_code = downgrade_code = Code()
    console = _console()
    found = None
    env_run: tuple[Any, tuple[str, ...]] | None = None  # env.py's MigrationContext and rows
    with _revision_cmd_opts(request, autogenerate, version_path):
        if autogenerate:
            from schemadiff.chain.autogen import autogenerate as run_autogenerate
            from schemadiff.cli.questioner import terminal_questioner

            found = run_autogenerate(
                settings,
                project,
                graph,
                (rename_table or (), rename_column or ()),
                questioner=terminal_questioner(),
            )
            for note in found.notes:
                _err(note)
            _print_changes(found.result)
            if found.result.is_empty and not allow_empty:
                console.print("No changes detected")
                return
            upgrade_code, downgrade_code = found.upgrade, found.downgrade
            compared = found.compared
            if compared is not None and compared.env_context is not None:
                env_run = (compared.env_context, compared.target.version_rows or ())
        elif settings.revision_environment and _own_env_py(settings):
            from schemadiff.chain.directives import env_revision_context

            env_run = env_revision_context(settings)
        slug: str | None = message
        if env_run is not None:
            from schemadiff.chain.directives import directed_revision

            directed = directed_revision(
                *env_run,
                graph,
                request,
                header,
                version_path,
                upgrade_code,
                downgrade_code,
                found,
                settings,
                project.new_files.timezone,
            )
            if directed is None:
                console.print(
                    "env.py's process_revision_directives removed the revision; nothing written"
                )
                return
            if directed.note:
                console.print(directed.note)
            header, version_path, slug = (
                directed.header,
                directed.version_path,
                directed.slug_message,
            )
            upgrade_code, downgrade_code = directed.upgrade, directed.downgrade
    path = write_revision(
        project,
        graph,
        header,
        upgrade_code,
        downgrade_code,
        version_path,
        console.print,
        message=slug,
    )
    console.print(f"wrote {_rel(path)}")


def _own_env_py(settings: Settings) -> bool:
    """The project has an env.py of its own (``revision_environment`` runs it)."""
    from schemadiff.settings.envpy import foreign_env_py

    return foreign_env_py(settings.script_location) is not None


def _revision_cmd_opts(request: Any, autogenerate: bool, version_path: str | None) -> Any:
    """``config.cmd_opts`` for env.py as ``alembic revision`` would give them."""
    from alembic.command import revision as alembic_revision

    from schemadiff.settings.envpy import command_options

    labels = request.branch_labels
    return command_options(
        cmd=(alembic_revision, [], ["message", "autogenerate", "head", "rev_id"]),
        message=request.message,
        autogenerate=autogenerate,
        sql=False,
        head=request.head or "head",
        splice=request.splice,
        branch_label=labels[0] if len(labels) == 1 else (list(labels) or None),
        version_path=version_path,
        rev_id=request.rev_id,
        depends_on=list(request.depends_on) or None,
    )


def merge(
    revisions: Annotated[list[str], typer.Argument(help="Revisions to join, or 'heads'.")],
    message: Annotated[
        str | None,
        typer.Option(
            "-m", "--message", metavar="MSG", help="What the merge is.", show_default=False
        ),
    ] = None,
    rev_id: Annotated[
        str | None, typer.Option("--rev-id", metavar="ID", help="Revision id.")
    ] = None,
    branch_label: Annotated[
        list[str] | None,
        typer.Option("--branch-label", metavar="LABEL", help="Label for the merged branch."),
    ] = None,
) -> None:
    """Write a merge revision joining several heads (e.g. 'merge heads -m "join"')."""
    from schemadiff.chain.revision import merge_follows, merge_header, write_revision
    from schemadiff.render.code import Code

    settings = cli_settings()
    project = _project(settings)
    graph = project.graph()
    zone = project.new_files.timezone
    header = merge_header(graph, revisions, message, rev_id, branch_label or (), zone)
    if settings.revision_environment and _own_env_py(settings):
        # as 'alembic merge': env.py runs (read-only); Alembic calls no
        # process_revision_directives for a merge
        from schemadiff.chain.directives import env_revision_context

        env_revision_context(settings)
    console = _console()
    after = merge_follows(graph, revisions)
    path = write_revision(
        project, graph, header, Code(), Code(), notice=console.print, after=after, message=message
    )
    console.print(f"wrote {_rel(path)}")


def upgrade(
    target: Annotated[
        str, typer.Argument(help="head, heads, an id, +N, REV+N, LABEL@head, LABEL@+N.")
    ] = "head",
    sql: Sql = False,
    db: Db = None,
    lock_timeout: LockWait = None,
    tag: Tag = None,
) -> None:
    """Apply revisions up to TARGET (default: head)."""
    _migrate(target, sql, db, upgrade=True, lock_timeout=lock_timeout, tag=tag)


def downgrade(
    target: Annotated[
        str, typer.Argument(help="-N, base, an id, LABEL@-N, LABEL@base (FROM:TO with --sql).")
    ],
    sql: Sql = False,
    db: Db = None,
    lock_timeout: LockWait = None,
    tag: Tag = None,
) -> None:
    """Undo revisions down to TARGET."""
    _migrate(target, sql, db, upgrade=False, lock_timeout=lock_timeout, tag=tag)


def current(
    verbose: Verbose = False,
    check_heads: Annotated[
        bool,
        typer.Option(
            "--check-heads", help="Fail (exit 1) unless the database is at every head revision."
        ),
    ] = False,
    db: Db = None,
) -> None:
    """Show the revision(s) the database is at."""
    from schemadiff.backends.connect import mask_url
    from schemadiff.chain import migrate
    from schemadiff.errors import NotAtHeads
    from schemadiff.pipeline import require_url
    from schemadiff.report import history as display

    settings = cli_settings(url=db)
    project = _project(settings)
    env = _env_project(settings, project)
    if env is not None:
        _current_through_env(env, project, verbose)
        return
    url = require_url(settings)
    rows = migrate.current_rows(project, url)
    graph = project.graph()
    if verbose:
        _out(f"Current revision(s) for {mask_url(url)}:")
    if check_heads and set(rows) != set(graph.heads):
        raise NotAtHeads(
            f"Database is not on all head revisions (it is at {migrate.describe_rows(rows)}, "
            f"the heads are {migrate.describe_rows(graph.heads)}); run 'schemadiff upgrade heads'"
        )
    if not rows:
        _err("no revision applied (the database is at base)")
    for rev in rows:
        _out(display.verbose_block(graph, rev) if verbose else display.head_line(graph, rev))


def history(
    rev_range: Annotated[
        str | None,
        typer.Option("-r", "--rev-range", metavar="A:B", help="A:B, A: or :B.", show_default=False),
    ] = None,
    verbose: Verbose = False,
    indicate_current: Annotated[
        bool,
        typer.Option(
            "-i", "--indicate-current", help="Mark the database's revision(s) with (current)."
        ),
    ] = False,
    db: Db = None,
) -> None:
    """List the revisions, newest first (a tree when the chain has branches)."""
    from schemadiff.chain import targets
    from schemadiff.report import history as display

    settings = cli_settings(url=db)
    project = _project(settings)
    graph = project.graph(quick=True)  # heads of files only: fast on long chains
    rows: tuple[str, ...] = ()
    if indicate_current or (rev_range and any(_needs_database(e) for e in rev_range.split(":"))):
        from schemadiff.chain.migrate import current_rows
        from schemadiff.pipeline import require_url

        env = _env_project(settings, project)
        if env is not None:
            rows = _single_current(env)
        else:
            rows = current_rows(project, require_url(settings))
    marked = rows if indicate_current else ()
    if graph.has_branches and not verbose and not rev_range:
        _console().print(display.history_tree(graph, marked))
        return
    for rev in targets.history_revisions(graph, rev_range, rows):
        if verbose:
            _out(display.verbose_block(graph, rev, marked))
        else:
            _out(display.short_line(graph, rev, marked))


def heads(
    verbose: Verbose = False,
    resolve_dependencies: Annotated[
        bool,
        typer.Option(
            "--resolve-dependencies",
            help="Treat depends_on like down_revision: leave out heads others depend on.",
        ),
    ] = False,
) -> None:
    """Show the head revision(s) of the chain."""
    from schemadiff.report import history as display

    graph = _project(cli_settings()).graph(quick=True)
    shown = graph.heads
    if resolve_dependencies:
        shown = tuple(rev for rev in shown if not graph.children[rev])
    for rev in shown:
        _out(display.verbose_block(graph, rev) if verbose else display.head_line(graph, rev))


def branches(verbose: Verbose = False) -> None:
    """Show where the chain splits into branches."""
    from schemadiff.report import history as display

    graph = _project(cli_settings()).graph()
    if verbose:
        for rev in graph.branch_points:
            _out(display.verbose_block(graph, rev))
        return
    for line in display.branch_lines(graph):
        _out(line)


def show(rev: Annotated[str, typer.Argument(help="A revision id, label or 'head'.")]) -> None:
    """Show one revision in full."""
    from schemadiff.chain.targets import resolve_destination
    from schemadiff.report import history as display

    graph = _project(cli_settings()).graph()
    for found in resolve_destination(graph, rev):
        _out(display.verbose_block(graph, found))


def stamp(
    targets: Annotated[
        list[str],
        typer.Argument(help="Revision(s) to record (head, an id, base; FROM:TO with --sql)."),
    ],
    sql: Sql = False,
    purge: Annotated[
        bool, typer.Option("--purge", help="Clear the version table first (even unknown ids).")
    ] = False,
    db: Db = None,
    lock_timeout: LockWait = None,
    tag: Tag = None,
) -> None:
    """Record TARGET in the version table without running any script."""
    from schemadiff.chain import migrate
    from schemadiff.errors import UsageError
    from schemadiff.pipeline import require_url

    settings = cli_settings(url=db, lock_timeout=lock_timeout)
    project = _project(settings)
    env = _env_project(settings, project, tag)
    if env is not None and sql:
        from schemadiff.chain import envrun

        if purge:
            raise UsageError("stamp --purge cannot be used with --sql; leave out one of them")
        envrun.offline_stamp(env, targets, sys.stdout)
        sys.stdout.flush()
        return
    if env is not None:
        _stamp_through_env(env, targets, purge, settings.lock_timeout)
        return
    url = require_url(settings)
    if sql:
        if purge:
            raise UsageError("stamp --purge cannot be used with --sql; leave out one of them")
        migrate.offline_stamp(project, url, targets, sys.stdout, settings.mysql_flavour)
        sys.stdout.flush()
        return
    before, after = migrate.stamp(
        project,
        url,
        targets,
        purge,
        lock_timeout=settings.lock_timeout,
        notice=_console().print,
    )
    _console().print(f"stamped: {migrate.describe_rows(before)} -> {migrate.describe_rows(after)}")


# --- helpers ---------------------------------------------------------------------------------


def _migrate(
    target: str,
    sql: bool,
    db: str | None,
    upgrade: bool,
    lock_timeout: float | None,
    tag: str | None = None,
) -> None:
    from schemadiff.chain.runner import importable
    from schemadiff.pipeline import require_url

    settings = cli_settings(url=db, lock_timeout=lock_timeout)
    project = _project(settings)
    env = _env_project(settings, project, tag)
    if env is not None:
        with importable(settings.sys_path):
            _migrate_through_env(env, target, sql, upgrade, settings.lock_timeout)
        return
    url = require_url(settings)
    with importable(settings.sys_path):
        _run_migration(project, url, target, sql, upgrade, settings)


def _run_migration(
    project: Project, url: str, target: str, sql: bool, upgrade: bool, settings: Settings
) -> None:
    from schemadiff.chain import migrate
    from schemadiff.errors import InterruptReported, MigrationInterrupted

    if sql:  # offline: no lock (there is no database to hold it on), no lock statement
        migrate.offline(project, url, target, upgrade, sys.stdout, settings.mysql_flavour)
        sys.stdout.flush()
        return
    console = _console()

    def progress(step: Step) -> None:
        verb = "upgrade" if step.upgrade else "downgrade"
        console.print(f"Running {verb} {step.describe()}, {step.script.message}")

    try:
        plan = migrate.migrate(
            project,
            url,
            target,
            upgrade,
            progress,
            lock_timeout=settings.lock_timeout,
            notice=console.print,
        )
    except MigrationInterrupted as exc:
        raise InterruptReported(str(exc)) from exc
    if not plan.steps:
        console.print(f"nothing to do: the database is at {migrate.describe_rows(plan.rows_after)}")
    else:
        console.print(f"the database is now at {migrate.describe_rows(plan.rows_after)}")


def _env_project(settings: Settings, project: Project, tag: str | None = None) -> EnvProject | None:
    """The project's own env.py, with what it is run with; None: schemadiff's runner does the
    work (no env.py, or the one ``schemadiff init`` wrote)."""
    from schemadiff.chain.envrun import EnvProject
    from schemadiff.settings.envpy import foreign_env_py

    env_py = foreign_env_py(project.script_location)
    if env_py is None:
        return None
    here = Path.cwd()
    given = STATE.config
    if given is not None and not given.is_absolute():
        given = here / given
    ini = given if given is not None and given.suffix == ".ini" else here / "alembic.ini"
    pyproject = here / "pyproject.toml"
    toml = pyproject if pyproject.is_file() and "[tool.alembic" in pyproject.read_text() else None
    return EnvProject(
        env_py=env_py,
        script_location=project.script_location,
        config_file=ini if ini.is_file() else None,
        toml_file=toml,
        url=settings.url,
        x=STATE.x,
        tag=tag,
    )


def _migrate_through_env(
    env: EnvProject, target: str, sql: bool, upgrade: bool, lock_timeout: float
) -> None:
    from schemadiff.chain import envrun, migrate
    from schemadiff.errors import InterruptReported, MigrationInterrupted

    migrate.check_direction(target, upgrade)
    if sql:
        envrun.offline(env, target, upgrade, sys.stdout)
        sys.stdout.flush()
        return
    console = _console()
    try:
        runs = envrun.migrate(
            env,
            target,
            upgrade,
            say=console.print,
            notice=console.print,
            lock_timeout=lock_timeout,
        )
    except MigrationInterrupted as exc:
        raise InterruptReported(str(exc)) from exc
    _print_runs(runs)


def _stamp_through_env(
    env: EnvProject, targets: Sequence[str], purge: bool, lock_timeout: float
) -> None:
    from schemadiff.chain import envrun

    runs = envrun.stamp(
        env, list(targets), purge, notice=_console().print, lock_timeout=lock_timeout
    )
    for run in runs:
        _console().print(
            f"stamped{_run_place(run, runs)}: {_rows(run.before)} -> {_rows(run.after)}"
        )


def _current_through_env(env: EnvProject, project: Project, verbose: bool) -> None:
    from schemadiff.chain import envrun
    from schemadiff.report import history as display

    runs = envrun.current(env)
    graph = project.graph()
    for run in runs:
        if len(runs) > 1 or verbose:
            _out(f"Current revision(s) for {run.where}:")
        if not run.after:
            _err(f"no revision applied ({run.where} is at base)")
        for rev in run.after:
            known = rev in graph.scripts
            text = rev
            if known:
                text = (
                    display.verbose_block(graph, rev) if verbose else display.head_line(graph, rev)
                )
            _out(text)


def _single_current(env: EnvProject) -> tuple[str, ...]:
    """The revisions env.py's one version table holds (a range needs one current revision)."""
    from schemadiff.chain import envrun
    from schemadiff.errors import UsageError

    runs = envrun.current(env)
    if len(runs) != 1:
        raise UsageError(
            f"env.py configured {len(runs)} version tables (e.g. one per tenant), so 'current' "
            "in a range is ambiguous; give revision ids, or pick one with -x as env.py allows"
        )
    return runs[0].after


def _print_runs(runs: list[Run]) -> None:
    console = _console()
    for run in runs:
        place = _run_place(run, runs)
        if not run.steps:
            console.print(f"nothing to do{place}: the database is at {_rows(run.after)}")
        else:
            console.print(f"the database{place} is now at {_rows(run.after)}")


def _run_place(run: Run, runs: list[Run]) -> str:
    """Where a run happened, when env.py made several (a tenant loop)."""
    return f" ({run.where})" if len(runs) > 1 else ""


def _rows(rows: tuple[str, ...]) -> str:
    return ", ".join(rows) if rows else "base"


def _needs_database(end: str) -> bool:
    """``current`` and bare relative steps (``-2``) in a history range are read from the db."""
    end = end.strip()
    return end == "current" or (end[:1] in "+-" and end[1:].isdigit())


def _print_changes(result: Any) -> None:
    from schemadiff.report.text import change_line, notice_line, sort_notices

    console = _console(markup=True)

    for op in result.ops:
        console.print(change_line(op))
    for notice in sort_notices(result.notices):
        console.print(notice_line(notice))


def _project(settings: Settings) -> Project:
    from schemadiff.chain.project import project_from

    return project_from(settings)


def _console(markup: bool = False) -> Console:
    """Plain lines by default: messages and paths are the user's text, never rich markup."""
    from rich.console import Console

    return Console(soft_wrap=True, highlight=False, markup=markup)


def _out(text: str) -> None:
    sys.stdout.write(text.rstrip("\n") + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _rel(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
