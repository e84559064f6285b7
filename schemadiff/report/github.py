"""``check --format github``: GitHub Actions workflow commands, one per line.

Each change is an ``::error`` annotation at the models' line it comes from (the column, the
constraint or index name, the class or ``Table(...)`` call; the models' file when the object is
not in the models, e.g. a table only in the database). Notices are ``::warning``; the verdict and
the drift line are ``::notice``. Values are escaped as the runner expects: ``%``, CR and LF in
messages, plus ``:`` and ``,`` in properties.
"""

from __future__ import annotations

import os

from schemadiff.check.result import CheckReport, counts_text
from schemadiff.check.sourcemap import Location
from schemadiff.diff.result import Notice

TITLE = "schemadiff"


def render_github(reports: list[CheckReport], multi: bool) -> str:
    """The annotation lines for every target (each message names its target when ``multi``)."""
    root = os.environ.get("GITHUB_WORKSPACE") or None
    lines: list[str] = []
    for report in reports:
        prefix = f"[{report.name}] " if multi else ""
        lines += _target_lines(report, prefix, root)
    return "".join(line + "\n" for line in lines)


def _target_lines(report: CheckReport, prefix: str, root: str | None) -> list[str]:
    result = report.result
    if report.skipped is not None:
        return [command("warning", f"{prefix}{report.database} not compared: {report.skipped}")]
    if result is None:
        message = f"{prefix}{report.database} could not be checked: {report.error}"
        return [command("error", message)]
    lines = []
    for i, op in enumerate(result.ops):
        label = report.label(i)
        parts = [prefix + op.describe()]
        if op.destructive:
            parts.append("[destructive]")
        if label:
            parts.append(f"({label})")
        lines.append(command("error", " ".join(parts), report.location(i), root))
    for notice in result.notices:
        where = _notice_location(report, notice)
        label = "not compared: " if notice.level == "not_compared" else ""
        lines.append(command("warning", f"{prefix}{label}{notice.message}", where, root))
    if report.drift is not None and result.ops:
        lines.append(command("notice", prefix + report.drift.summary()))
    if result.is_empty:
        verdict = f"OK: {report.database} matches {report.wanted}"
    else:
        verdict = f"DRIFT: {report.database} differs from {report.wanted}: {counts_text(result)}"
    lines.append(command("notice", prefix + verdict))
    return lines


def _notice_location(report: CheckReport, notice: Notice) -> Location | None:
    """The table's place when the notice names a table a change also names, else the models'
    file."""
    assert report.result is not None
    if notice.table is not None:
        for i, op in enumerate(report.result.ops):
            found = report.location(i)
            if op.table == notice.table and op.schema == notice.schema and found is not None:
                return found
    return report.models_file


def command(
    level: str, message: str, where: Location | None = None, root: str | None = None
) -> str:
    """``::level file=F,line=N,title=schemadiff::message`` (file and line only when known)."""
    props = []
    if where is not None:
        props.append(f"file={escape_property(where.relative(root))}")
        if where.line is not None:
            props.append(f"line={where.line}")
    props.append(f"title={escape_property(TITLE)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A message: ``%``, CR and LF percent-encoded (GitHub's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: like a message, plus ``:`` and ``,`` (GitHub's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
