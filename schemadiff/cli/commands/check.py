"""The ``check`` command: the gate for people and for CI.

One target (``--db`` once, or the configured URL) prints its report; errors end the run with exit
code 2 as everywhere. Several targets (``--db`` repeated, or ``--all-environments``) are checked one
after the other with a progress display on stderr (on a terminal), each failure reported and
counted rather than fatal, and a summary table. Exit code: 2 if a target could not be checked,
else 1 if one drifted, else 0.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any

import typer

from schemadiff.cli.options import (
    ExcludeOpt,
    MetadataOpt,
    RenameColumnOpt,
    RenameTableOpt,
    SchemaOpt,
)
from schemadiff.cli.runner import STATE, stderr_line

if TYPE_CHECKING:
    from schemadiff.check.result import CheckReport
    from schemadiff.check.run import CheckOptions
    from schemadiff.settings.config import Settings

CHECK_FORMATS = ("text", "json", "markdown", "github")

DbsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--db",
        metavar="URL|FILE",
        help="Database URL or snapshot .json file (repeat to check several).",
        show_default=False,
    ),
]
AgainstOpt = Annotated[
    str | None,
    typer.Option(
        "--against",
        metavar="URL|FILE",
        help="Compare with this database or snapshot (the wanted state) instead of the models.",
        show_default=False,
    ),
]
AllEnvsOpt = Annotated[
    bool,
    typer.Option(
        "--all-environments",
        # help texts are rich markup: an unescaped [...] would be read as a style and vanish
        help="Check every \\[tool.schemadiff.environments.*] entry.",
    ),
]
ClassifyOpt = Annotated[
    bool,
    typer.Option(
        "--classify/--no-classify",
        help="Label each difference pending / missing migration / out-of-band (replays the chain).",
    ),
]
CheckFormatOpt = Annotated[
    str,
    typer.Option("--format", metavar="FORMAT", help="Output: text, json, markdown or github."),
]


def register(app: typer.Typer) -> None:
    """Add ``check`` to the app."""
    app.command()(check)


def check(
    db: DbsOpt = None,
    metadata: MetadataOpt = None,
    output_format: CheckFormatOpt = "text",
    schema: SchemaOpt = None,
    exclude_table: ExcludeOpt = None,
    rename_table: RenameTableOpt = None,
    rename_column: RenameColumnOpt = None,
    against: AgainstOpt = None,
    all_environments: AllEnvsOpt = False,
    classify: ClassifyOpt = True,
) -> None:
    """The gate: exit 0 when the database matches the models, 1 when it has drifted."""
    from schemadiff.check.result import exit_code
    from schemadiff.check.run import CheckOptions
    from schemadiff.cli.options import choose_format

    fmt = choose_format(output_format, CHECK_FORMATS)
    renames = (rename_table or (), rename_column or ())
    options = CheckOptions(against, renames, classify, fmt == "github")
    overrides = {
        "metadata": metadata,
        "schemas": tuple(schema) if schema else None,
        "exclude_tables": tuple(exclude_table) if exclude_table else None,
    }
    targets = _targets(db or [], all_environments, overrides)
    multi = len(targets) > 1 or all_environments
    reports = _run(targets, options, multi)
    multi = multi or len(reports) > 1  # a multidb env.py: a report per database
    _emit(reports, fmt, multi)
    raise typer.Exit(exit_code(reports))


Target = tuple[str, "Settings | Exception"]


def _targets(dbs: list[str], all_envs: bool, overrides: dict[str, Any]) -> list[Target]:
    """(name, settings) per target; a target whose settings fail carries the error instead."""
    from schemadiff.errors import SchemadiffError, UsageError
    from schemadiff.settings.config import environment_names

    if not all_envs:
        if len(dbs) <= 1:
            return [("database", _settings(STATE.name, url=dbs[0] if dbs else None, **overrides))]
        return [
            (f"#{i}", _settings(STATE.name, url=url, **overrides)) for i, url in enumerate(dbs, 1)
        ]
    if dbs:
        raise UsageError("--all-environments checks the configured URLs; drop --db")
    if STATE.name:
        raise UsageError("--all-environments checks every environment; drop -n/--name")
    names = environment_names(config_path=STATE.config)
    if not names:
        raise UsageError(
            "--all-environments: no environments configured; add "
            "[tool.schemadiff.environments.NAME] tables to pyproject.toml"
        )
    out: list[Target] = []
    for name in names:
        try:
            out.append((name, _settings(name, **overrides)))
        except SchemadiffError as exc:
            out.append((name, exc))
    return out


_WARNED: set[str] = set()


def _settings(environment: str | None, **overrides: object) -> Settings:
    """Merged settings for one target; each config warning is printed once."""
    from schemadiff.settings.config import load_settings

    settings = load_settings(config_path=STATE.config, environment=environment, overrides=overrides)
    for warning in settings.warnings:
        if warning not in _WARNED:
            _WARNED.add(warning)
            stderr_line(f"warning: {warning}")
    return settings


def _run(targets: list[Target], options: CheckOptions, multi: bool) -> list[CheckReport]:
    """Check every target; with several, failures become reports and a progress bar runs."""
    from schemadiff.check.run import check_target

    if not multi:
        name, settings = targets[0]
        if isinstance(settings, Exception):
            raise settings
        return check_target(settings, name, options)
    from schemadiff.cli.progress import suppressed

    with _progress(len(targets)) as advance, suppressed():  # the bar owns the terminal
        reports = []
        for name, settings in targets:
            advance(name)
            reports.extend(_check_or_fail(name, settings, options))
    return reports


def _check_or_fail(
    name: str, settings: Settings | Exception, options: CheckOptions
) -> list[CheckReport]:
    from sqlalchemy.exc import SQLAlchemyError

    from schemadiff.check.result import CheckReport
    from schemadiff.check.run import check_target, failed_target
    from schemadiff.errors import SchemadiffError

    if isinstance(settings, Exception):
        return [CheckReport(name, "(configuration error)", error=str(settings))]
    try:
        return check_target(settings, name, options)
    except (SchemadiffError, SQLAlchemyError, OSError) as exc:
        report = failed_target(settings, name, exc)
    stderr_line(f"error: target {name} ({report.database}): {report.error}")
    return [report]


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """Yields ``advance(name)``: a rich progress bar on stderr when it is a terminal, else
    nothing (CI logs stay clean)."""
    if not sys.stderr.isatty():
        yield lambda name: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    columns = (SpinnerColumn(), TextColumn("checking {task.description}"), BarColumn())
    with Progress(
        *columns, MofNCompleteColumn(), console=Console(stderr=True), transient=True
    ) as progress:
        task = progress.add_task("", total=total)
        done = [-1]

        def advance(name: str) -> None:
            done[0] += 1
            progress.update(task, completed=done[0], description=name)

        yield advance


def _emit(reports: list[CheckReport], fmt: str, multi: bool) -> None:
    if fmt == "json":
        from schemadiff.report.check_json import render_check_json

        sys.stdout.write(render_check_json(reports, multi))
    elif fmt == "markdown":
        from schemadiff.report.markdown import render_markdown

        sys.stdout.write(render_markdown(reports, multi))
    elif fmt == "github":
        from schemadiff.report.github import render_github

        sys.stdout.write(render_github(reports, multi))
    else:
        from schemadiff.report.check_text import render_check_text, render_summary_table
        from schemadiff.report.text import make_console

        console = make_console()
        for report in reports:
            render_check_text(report, console)
            if multi:
                console.print()
        if multi:
            render_summary_table(reports, console)
