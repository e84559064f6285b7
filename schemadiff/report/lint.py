"""``lint`` output: text (rich, for people), json (``schemadiff.lint/1``), markdown (a pull
request comment) and github (workflow annotations on the revision file's line)."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from schemadiff.lint.engine import LintResult
from schemadiff.lint.rules import Finding
from schemadiff.report.github import escape_data, escape_property
from schemadiff.report.markdown import cell, code

FORMATS = ("text", "json", "markdown", "github")
JSON_FORMAT = "schemadiff.lint/1"
_STYLE = {"error": "red", "warning": "yellow"}


def display_path(path: Path, root: str | None = None) -> str:
    """The file relative to ``root`` (default: the working directory) when it is below it, with
    forward slashes (what CI annotations and editors expect), else absolute."""
    try:
        rel = os.path.relpath(path, root)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel.replace(os.sep, "/")


def summary(result: LintResult) -> dict[str, Any]:
    by_severity = Counter(f.severity for f in result.findings)
    return {
        "revisions": len(result.revisions),
        "findings": len(result.findings),
        "errors": by_severity.get("error", 0),
        "warnings": by_severity.get("warning", 0),
        "suppressed": result.suppressed,
        "codes": dict(sorted(Counter(f.code for f in result.findings).items())),
    }


def summary_line(result: LintResult) -> str:
    s = summary(result)
    revs = f"{s['revisions']} revision{'' if s['revisions'] == 1 else 's'}"
    tail = f"; {s['suppressed']} suppressed" if s["suppressed"] else ""
    if not s["findings"]:
        return f"no findings in {revs}{tail}"
    found = f"{s['findings']} finding{'' if s['findings'] == 1 else 's'}"
    return f"{found} ({s['errors']} error(s), {s['warnings']} warning(s)) in {revs}{tail}"


def render_text(result: LintResult, console: Console, notes: tuple[str, ...] = ()) -> None:
    for finding in result.findings:
        style = _STYLE[finding.severity]
        where = f"{display_path(finding.file)}:{finding.line}"
        console.print(
            f"{escape(where)}  [{style}]{finding.code}[/] [dim]{finding.severity}[/]  "
            f"{escape(finding.message)}  [dim](revision {escape(finding.revision)})[/]"
        )
    for note in notes:
        console.print(f"[cyan]note[/]  {escape(note)}")
    if result.findings or notes:
        console.print()
    console.print(summary_line(result))


def render_json(result: LintResult, notes: tuple[str, ...] = ()) -> str:
    report = {
        "format": JSON_FORMAT,
        "dialect": result.dialect,
        "findings": [_finding_dict(f) for f in result.findings],
        "summary": summary(result),
        "notes": list(notes),
    }
    return json.dumps(report, indent=2) + "\n"


def _finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "revision": finding.revision,
        "file": display_path(finding.file),
        "line": finding.line,
        "message": finding.message,
        "severity": finding.severity,
    }


def render_markdown(result: LintResult, notes: tuple[str, ...] = ()) -> str:
    lines = [f"### schemadiff lint: {summary_line(result)}", ""]
    if result.findings:
        lines += ["| | Code | Where | Revision | Message |", "|---|---|---|---|---|"]
        for f in result.findings:
            mark = "error" if f.severity == "error" else "warning"
            cells = [
                f"**{mark}**",
                f.code,
                code(f"{display_path(f.file)}:{f.line}"),
                code(f.revision),
                cell(f.message),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines += [f"> note: {cell(n)}" for n in notes]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_github(result: LintResult, notes: tuple[str, ...] = ()) -> str:
    """``::error file=...,line=...,title=SD102::SD102 message`` per finding (GitHub annotates the
    pull request's file at that line), ``::notice::`` per note. Paths are relative to
    ``GITHUB_WORKSPACE`` when it is set (the repository root in a workflow)."""
    root = os.environ.get("GITHUB_WORKSPACE") or None
    out = []
    for f in result.findings:
        props = f"file={escape_property(display_path(f.file, root))},line={f.line}"
        props += f",title={escape_property(f'{f.code} {f.title}')}"
        out.append(f"::{f.severity} {props}::{escape_data(f'{f.code} {f.message}')}")
    out += [f"::notice::{escape_data(n)}" for n in notes]
    out.append(summary_line(result))
    return "\n".join(out) + "\n"
