"""The terminal report of ``check``: a verdict line first (scripts grep it), each change with its
drift label, the drift line, notices; with several targets, a summary table at the end."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from schemadiff.check.result import DRIFT, ERROR, NOT_COMPARED, OK, CheckReport, counts_text
from schemadiff.report.text import change_line, notice_line, sort_notices

_VERDICT_STYLE = {
    OK: "bold green",
    DRIFT: "bold red",
    ERROR: "bold magenta",
    NOT_COMPARED: "magenta",
}


def render_check_text(report: CheckReport, console: Console) -> None:
    """One target's report."""
    console.print(verdict_line(report))
    result = report.result
    if result is None:
        return
    for i, op in enumerate(result.ops):
        label = report.label(i)
        tag = f"  [dim]\\[{escape(label)}][/]" if label else ""
        console.print(change_line(op) + tag)
    if report.drift is not None and result.ops:
        style = "cyan" if report.drift.classified else "yellow"
        console.print(f"[{style}]{escape(report.drift.summary())}[/]")
    for notice in sort_notices(result.notices):
        console.print(notice_line(notice))


def verdict_line(report: CheckReport) -> str:
    """``OK: <db> matches the models`` / ``DRIFT: <db> differs from the models: 3 changes``."""
    database = escape(report.database)
    if report.skipped is not None:
        return f"[magenta]NOT COMPARED[/]: {database}: {escape(report.skipped)}"
    if report.result is None:
        return f"[bold magenta]ERROR[/]: {database}: {escape(report.error or 'failed')}"
    wanted = escape(report.wanted)
    if report.result.is_empty:
        return f"[bold green]OK[/]: {database} matches {wanted}"
    return f"[bold red]DRIFT[/]: {database} differs from {wanted}: {counts_text(report.result)}"


def render_summary_table(reports: list[CheckReport], console: Console) -> None:
    """Target, masked URL, verdict, changes, destructive: one row per target."""
    table = Table(title="schemadiff check", title_justify="left")
    for header, justify in (
        ("target", "left"),
        ("database", "left"),
        ("verdict", "left"),
        ("changes", "right"),
        ("destructive", "right"),
    ):
        table.add_column(header, justify=justify)  # type: ignore[arg-type]
    for report in reports:
        result = report.result
        verdict = report.verdict
        style = _VERDICT_STYLE[report.verdict]
        table.add_row(
            escape(report.name),
            escape(report.database),
            f"[{style}]{verdict}[/]",
            str(len(result.ops)) if result else "-",
            str(result.destructive_count) if result else "-",
        )
    if console.is_terminal:
        console.print(table)
        return
    # piped output keeps whole URLs (scripts grep them); a terminal gets a table that fits
    saved = console.width
    console.width = max(saved, _natural_width(reports))
    try:
        console.print(table)
    finally:
        console.width = saved


def _natural_width(reports: list[CheckReport]) -> int:
    """The width at which no cell is cut: the widest name and URL, the fixed columns, and each
    column's padding (2) and border (1)."""
    name = max(len("target"), *(len(r.name) for r in reports))
    database = max(len("database"), *(len(r.database) for r in reports))
    fixed = len("verdict") + len("changes") + len("destructive")
    return name + database + fixed + 5 * 3 + 1
