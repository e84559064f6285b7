"""The ``lint`` command, added to the main app by :func:`register`.

Exit codes: 0 no findings, 1 findings, 2 bad input (unknown revision, not a git repository,
unknown ``--format``...), reported by the main command line as one ``error:`` line.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from schemadiff.cli.runner import cli_settings

if TYPE_CHECKING:
    from schemadiff.settings.config import Settings

_DIALECT_NAMES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}


def register(app: typer.Typer) -> None:
    """Add ``lint`` to ``app``."""
    app.command()(lint)


def lint(
    revs: Annotated[
        str | None,
        typer.Argument(
            metavar="REVS",
            help="A:B, A:, :B (like history -r) or one revision; default: every revision.",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="GIT_REF",
            help="Only revision files added since this git ref (e.g. main).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="FORMAT", help="Output format: text, json, markdown or github."
        ),
    ] = "text",
    dialect: Annotated[
        str | None,
        typer.Option(
            "--dialect",
            metavar="NAME",
            help="Backend the revisions run on (default: from the configured URL).",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore", metavar="CODE", help="Rule code to skip (repeatable).", show_default=False
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="URL", help="Database URL (for the dialect, and 'current')."),
    ] = None,
) -> None:
    """Check revision scripts for unsafe operations (exit 1 when anything is found)."""
    from schemadiff.chain.project import project_from
    from schemadiff.lint import lint_revisions
    from schemadiff.lint import select as pick
    from schemadiff.report import lint as report

    fmt = _choice(output_format, report.FORMATS, "--format")
    skip = _codes(ignore or ())
    settings = cli_settings(url=db)
    project = project_from(settings)
    graph = project.graph()
    current: tuple[str, ...] = ()
    if pick.needs_database(revs):
        from schemadiff.chain.migrate import current_rows
        from schemadiff.pipeline import require_url

        current = current_rows(project, require_url(settings))
    chosen = pick.by_range(graph, revs, current)
    notes: list[str] = []
    if since is not None:
        chosen &= pick.added_since(graph, project.locations, since)
        if not chosen:
            notes.append(f"no revision file was added since {since}")
    backend = _dialect(dialect, settings)
    if backend is None:
        notes.append(
            "no database URL or --dialect: the PostgreSQL locking rules (SD301-SD303) were not "
            "run; pass --dialect postgresql if the revisions run on PostgreSQL"
        )
    result = lint_revisions(graph, chosen, backend, skip)
    _print(fmt, result, tuple(notes))
    raise typer.Exit(1 if result.findings else 0)


def _print(fmt: str, result: Any, notes: tuple[str, ...]) -> None:
    from schemadiff.report import lint as report

    if fmt == "text":
        from schemadiff.report.text import make_console

        report.render_text(result, make_console(), notes)
        return
    render = {
        "json": report.render_json,
        "markdown": report.render_markdown,
        "github": report.render_github,
    }[fmt]
    sys.stdout.write(render(result, notes))


def _dialect(option: str | None, settings: Settings) -> str | None:
    """``--dialect``, else the configured URL's backend (or a snapshot file's); None if neither."""
    from schemadiff.errors import UsageError

    if option is not None:
        return _choice(option, tuple(_DIALECT_NAMES), "--dialect", _DIALECT_NAMES)
    url = settings.url
    if not url:
        return None
    from schemadiff.snapshot import io as snapshot_io

    if "://" not in url and snapshot_io.is_snapshot_file(url):
        name = snapshot_io.load_file(url).dialect
    else:
        from schemadiff.backends.connect import parse_url

        name = parse_url(url).get_backend_name()
    if name not in _DIALECT_NAMES:
        raise UsageError(f"lint has no rules for backend {name!r}; pass --dialect")
    return _DIALECT_NAMES[name]


def _choice(
    value: str, allowed: tuple[str, ...], option: str, mapping: dict[str, str] | None = None
) -> str:
    from schemadiff.errors import UsageError

    key = value.strip().lower()
    if key not in allowed:
        raise UsageError(f"unknown {option} {value!r}; use one of: {', '.join(allowed)}")
    return mapping[key] if mapping else key


def _codes(values: list[str] | tuple[str, ...]) -> frozenset[str]:
    from schemadiff.errors import UsageError
    from schemadiff.lint import RULES

    codes = frozenset(c.strip().upper() for v in values for c in v.split(",") if c.strip())
    unknown = sorted(codes - set(RULES))
    if unknown:
        raise UsageError(f"unknown rule code(s) {', '.join(unknown)}; known: {', '.join(RULES)}")
    return codes
