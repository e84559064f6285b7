"""``check --format markdown``: a compact report for a pull-request comment.

A heading with the verdict, one summary line, a table of changes (destructive ones marked, each
with its drift label), the drift line and the notices. Several targets get a summary table first
and one collapsible section per target that drifted or failed.
"""

from __future__ import annotations

from schemadiff.check.result import DRIFT, ERROR, NOT_COMPARED, OK, CheckReport, counts_text
from schemadiff.diff.result import DiffResult
from schemadiff.report.text import sort_notices

_ICON = {OK: "✅", DRIFT: "❌", ERROR: "⚠️", NOT_COMPARED: "➖"}
_NOTICE = {"warning": "warning", "not_compared": "not compared", "info": "note"}


def render_markdown(reports: list[CheckReport], multi: bool) -> str:
    """The whole comment (Markdown text ending with a newline)."""
    lines = _multi(reports) if multi else _single(reports[0])
    return "\n".join(lines).rstrip("\n") + "\n"


def _single(report: CheckReport) -> list[str]:
    title = {OK: "no drift", DRIFT: "drift", ERROR: "failed", NOT_COMPARED: "not compared"}[
        report.verdict
    ]
    lines = [f"### {_ICON[report.verdict]} schemadiff check: {title}", ""]
    return lines + _body(report)


def _multi(reports: list[CheckReport]) -> list[str]:
    drifted = sum(r.verdict == DRIFT for r in reports)
    failed = sum(r.verdict == ERROR for r in reports)
    worst = ERROR if failed else DRIFT if drifted else OK
    lines = [
        f"### {_ICON[worst]} schemadiff check: {len(reports)} targets, {drifted} drifted, "
        f"{failed} failed",
        "",
        "| Target | Database | Verdict | Changes | Destructive |",
        "|---|---|---|--:|--:|",
    ]
    for r in reports:
        changes = str(len(r.result.ops)) if r.result else "-"
        destructive = str(r.result.destructive_count) if r.result else "-"
        lines.append(
            f"| {cell(r.name)} | {code(r.database)} | {_ICON[r.verdict]} {r.verdict} "
            f"| {changes} | {destructive} |"
        )
    for r in reports:
        if r.verdict == OK:
            continue
        lines += ["", f"<details><summary>{cell(r.name)}: {r.verdict}</summary>", ""]
        lines += _body(r)
        lines += ["", "</details>"]
    return lines


def _body(report: CheckReport) -> list[str]:
    result = report.result
    if report.skipped is not None:
        return [f"{code(report.database)} not compared: {cell(report.skipped)}"]
    if result is None:
        return [f"{code(report.database)} could not be checked: {cell(report.error or '')}"]
    if result.is_empty:
        return [f"{code(report.database)} matches {cell(report.wanted)}.", *_notices(result)]
    lines = [
        f"{code(report.database)} differs from {cell(report.wanted)}: **{counts_text(result)}**",
        "",
    ]
    labelled = report.drift is not None and report.drift.classified
    lines.append("| | Change | Drift |" if labelled else "| | Change |")
    lines.append("|:-:|---|---|" if labelled else "|:-:|---|")
    for i, op in enumerate(result.ops):
        mark = "⚠️ **destructive**" if op.destructive else _sign(op.kind)
        row = f"| {mark} | {code(op.describe())} |"
        lines.append(row + f" {cell(report.label(i) or '')} |" if labelled else row)
    if report.drift is not None:
        lines += ["", f"_{cell(report.drift.summary())}_"]
    return lines + _notices(result)


def _notices(result: DiffResult) -> list[str]:
    """A blank line and one item per notice (nothing when there are none)."""
    notices = sort_notices(result.notices)
    if not notices:
        return []
    return ["", *(f"- **{_NOTICE.get(n.level, n.level)}**: {cell(n.message)}" for n in notices)]


def _sign(kind: str) -> str:
    if kind.startswith(("add", "create")):
        return "➕"
    return "➖" if kind.startswith("drop") else "✏️"


def cell(text: str) -> str:
    """Text safe inside a table cell or a line: one line, no table or HTML breakers."""
    out = " ".join(text.split())
    for char, replacement in (
        ("\\", "\\\\"),
        ("|", "\\|"),
        ("<", "&lt;"),
        (">", "&gt;"),
        ("*", "\\*"),
        ("_", "\\_"),
        ("`", "\\`"),
    ):
        out = out.replace(char, replacement)
    return out


def code(text: str) -> str:
    """An inline code span that survives backticks and table pipes."""
    one_line = " ".join(text.split()).replace("|", "\\|")
    fence = "``" if "`" in one_line else "`"
    return f"{fence} {one_line} {fence}" if fence == "``" else f"`{one_line}`"
