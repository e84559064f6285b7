"""The terminal report: one line per change (destructive ones marked), notices, a summary line.

Rendered with rich; colour is dropped when the output is not a terminal or ``NO_COLOR`` is set, and
the plain text still reads well (markers are characters, not only colours).
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape

from schemadiff.diff.result import DiffResult, Notice
from schemadiff.ops import Op
from schemadiff.pipeline import Databases

#: notice level -> (label printed before the message, style)
_LEVELS = {
    "warning": ("warning", "yellow"),
    "not_compared": ("not compared", "magenta"),
    "info": ("note", "cyan"),
}


def make_console(*, stderr: bool = False) -> Console:
    """A console that never wraps report lines (so piped output stays one change per line)."""
    return Console(stderr=stderr, soft_wrap=True, highlight=False)


def render_text(
    result: DiffResult, console: Console, *, database: str, models: str | None = None
) -> None:
    """Print the full ``diff`` report."""
    console.print(f"[bold]database[/]  {escape(database)}  [dim]({escape(result.dialect)})[/]")
    if models:
        console.print(f"[bold]models[/]    {escape(models)}")
    console.print()
    if result.ops:
        console.print("[bold]changes[/] [dim](to bring the database to the models)[/]")
        for op in result.ops:
            console.print(change_line(op))
        console.print()
    for notice in sort_notices(result.notices):
        console.print(notice_line(notice))
    if result.notices:
        console.print()
    console.print(summary_line(result))


def render_databases_text(databases: Databases, console: Console) -> None:
    """The ``diff`` report of a multidb project: a section per database (its name, then the
    one-database report), a database without target_metadata said so rather than compared."""
    for i, db in enumerate(databases.items):
        if i:
            console.print()
        console.print(f"[bold]== {escape(str(db.name))} ==[/]")
        if db.compared is None:
            console.print(f"[bold]database[/]  {escape(db.label)}")
            console.print(notice_line(Notice("not_compared", str(db.skipped))))
            continue
        render_text(db.compared.result, console, database=db.label)


def change_line(op: Op) -> str:
    """``  + add column users.phone varchar(20)``; destructive changes get ``!`` and a tag."""
    text = escape(op.describe())
    if op.destructive:
        return f"  [bold red]![/] [red]{text}[/]  [bold red](destructive)[/]"
    marker, style = _marker(op.kind)
    return f"  [{style}]{marker}[/] {text}"


def notice_line(notice: Notice) -> str:
    label, style = _LEVELS.get(notice.level, (notice.level, "cyan"))
    return f"[{style}]{label}:[/] {escape(notice.message)}"


def summary_line(result: DiffResult) -> str:
    if result.is_empty:
        return "[bold green]no differences[/]: the database matches the models"
    return f"[bold]{_counts(result)}[/]"


def sort_notices(notices: tuple[Notice, ...] | list[Notice]) -> list[Notice]:
    """Warnings first, then "not compared", then notes; the original order within a level."""
    rank = {level: i for i, level in enumerate(_LEVELS)}
    return sorted(notices, key=lambda n: rank.get(n.level, len(rank)))


def _counts(result: DiffResult) -> str:
    n = len(result.ops)
    destructive = result.destructive_count
    changes = f"{n} change" + ("" if n == 1 else "s")
    return f"{changes} ({destructive} destructive)" if destructive else changes


def _marker(kind: str) -> tuple[str, str]:
    if kind.startswith(("add", "create")):
        return "+", "green"
    if kind.startswith("drop"):
        return "-", "red"
    return "~", "yellow"
