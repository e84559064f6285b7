"""The ``verify`` command (added to the main app by :func:`register`): the pre-merge gate.

Exit codes: 0 every check passed, 1 a check failed, 2 bad input (configuration, no models, a
scratch server that cannot be used).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from schemadiff.cli.options import MetadataOpt

if TYPE_CHECKING:
    from rich.console import Console

    from schemadiff.verify.gate import VerifyReport
    from schemadiff.verify.result import CheckResult

_MARKS = {"ok": "[bold green]ok[/]  ", "failed": "[bold red]FAIL[/]", "skipped": "[yellow]skip[/]"}


def register(app: typer.Typer) -> None:
    """Add ``verify`` to ``app``."""
    app.command()(verify)


def verify(
    allow_branches: Annotated[
        bool, typer.Option("--allow-branches", help="Accept several heads (and bases).")
    ] = False,
    scratch: Annotated[
        str | None,
        typer.Option(
            "--scratch",
            metavar="URL",
            help="Server for the temporary database (default: scratch_url, else the url's "
            "server, else a temporary SQLite file).",
            show_default=False,
        ),
    ] = None,
    metadata: MetadataOpt = None,
) -> None:
    """Check the migration chain before a merge (exit 1 if a check fails).

    Integrity, up/down/up of every revision, models equal to head, clean downgrade to base."""
    from schemadiff.backends import timeouts
    from schemadiff.chain.project import project_from
    from schemadiff.cli.runner import STATE, stderr_line
    from schemadiff.report.text import make_console
    from schemadiff.settings.config import load_settings
    from schemadiff.verify.gate import verify as run_verify

    settings = load_settings(
        config_path=STATE.config, environment=STATE.name, overrides={"metadata": metadata}
    )
    for warning in settings.warnings:
        stderr_line(f"warning: {warning}")
    timeouts.configure(settings.connect_timeout, settings.read_timeout)
    project = project_from(settings)
    report = run_verify(settings, project, allow_branches, scratch)
    render(report, make_console())
    raise typer.Exit(0 if report.ok else 1)


def render(report: VerifyReport, console: Console) -> None:
    """One line per check, its problems (with the changes that show them) and hints below."""
    from rich.markup import escape

    console.print(
        f"[bold]verify[/]  {report.revisions} revision{'s' * (report.revisions != 1)}, "
        f"replayed on {escape(report.scratch)} [dim](dropped afterwards)[/]"
    )
    for check in report.checks:
        _render_check(check, console)
    failures = sum(1 for c in report.checks if not c.ok)
    if failures:
        console.print(f"[bold red]verify failed[/]: {failures} of {len(report.checks)} checks")
    else:
        console.print("[bold green]verify passed[/]")


def _render_check(check: CheckResult, console: Console) -> None:
    from rich.markup import escape

    from schemadiff.report.text import change_line

    mark = _MARKS[check.status]
    summary = f" [dim]- {escape(check.summary)}[/]" if check.summary else ""
    console.print(f"{mark}  {escape(check.title)}{summary}")
    for problem in check.problems:
        console.print(f"        {escape(problem.message)}")
        for op in problem.ops:
            console.print("      " + change_line(op))
        if problem.hint:
            console.print(f"        [cyan]hint:[/] {escape(problem.hint)}")
