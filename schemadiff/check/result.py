"""What ``check`` found for one target, in a shape every renderer reads, and its JSON form.

The JSON of one target is the diff contract of design.md (``schemadiff.diff/1``: ``format``,
``dialect``, ``changes``, ``summary``, ``notices``) plus ``database``, ``against`` and a ``drift``
section with one label per change. Several targets make a ``schemadiff.check/1`` document with
one entry per target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from schemadiff.check.drift import Drift
    from schemadiff.check.sourcemap import Location
    from schemadiff.diff.result import DiffResult

MULTI_FORMAT = "schemadiff.check/1"
OK, DRIFT, ERROR = "ok", "drift", "error"


@dataclass(frozen=True)
class CheckReport:
    """One target's outcome: a diff with drift labels, or the error that stopped it."""

    name: str
    database: str
    #: what the database should look like: None for the models, else the --against label
    against: str | None = None
    result: DiffResult | None = None
    drift: Drift | None = None
    error: str | None = None
    #: per change, where the models define what it is about (for annotations)
    locations: tuple[Location | None, ...] = ()
    #: the models' file, for notices that name no table in the models
    models_file: Location | None = None

    @property
    def verdict(self) -> str:
        if self.result is None:
            return ERROR
        return OK if self.result.is_empty else DRIFT

    @property
    def wanted(self) -> str:
        return "the models" if self.against is None else self.against

    def label(self, index: int) -> str | None:
        """The drift label of change ``index`` (None when nothing was classified: the drift line
        then says why, instead of "unclassified" on every change)."""
        drift = self.drift
        if drift is None or not drift.classified or index >= len(drift.labels):
            return None
        return drift.labels[index].label

    def location(self, index: int) -> Location | None:
        return self.locations[index] if index < len(self.locations) else None


def exit_code(reports: list[CheckReport]) -> int:
    """2 if a target could not be checked, else 1 if one drifted, else 0."""
    verdicts = {r.verdict for r in reports}
    return 2 if ERROR in verdicts else 1 if DRIFT in verdicts else 0


def counts_text(result: DiffResult) -> str:
    """``4 changes (1 destructive)``."""
    n = len(result.ops)
    destructive = result.destructive_count
    changes = f"{n} change" + ("" if n == 1 else "s")
    return f"{changes} ({destructive} destructive)" if destructive else changes


def report_json(report: CheckReport) -> dict[str, Any]:
    """One target: the diff contract plus ``database``, ``against`` and ``drift``."""
    from schemadiff.report.json_report import report_dict

    assert report.result is not None
    out = report_dict(report.result)
    out["database"] = report.database
    out["against"] = report.against
    out["drift"] = drift_json(report)
    return out


def drift_json(report: CheckReport) -> dict[str, Any]:
    """The ``drift`` section: one entry per change (same order as ``changes``) with its label."""
    assert report.result is not None
    drift = report.drift
    changes = []
    for i, op in enumerate(report.result.ops):
        item = drift.labels[i] if drift is not None and i < len(drift.labels) else None
        changes.append(
            {
                "op": op.kind,
                "schema": op.schema,
                "table": op.table,
                "name": op.name,
                "label": item.label if item else "unclassified",
                "also": list(item.also) if item else [],
            }
        )
    return {
        "classified": bool(drift and drift.classified),
        "note": drift.note if drift else None,
        "revision": _list(drift.revision if drift else None),
        "heads": _list(drift.heads if drift else None),
        "pending_revisions": list(drift.pending_revisions) if drift else [],
        "counts": drift.counts() if drift else {},
        "changes": changes,
    }


def render_check_json(reports: list[CheckReport], multi: bool) -> str:
    """One target's report, or (``multi``) every target's with a summary."""
    if not multi:
        data: dict[str, Any] = report_json(reports[0])
    else:
        data = {
            "format": MULTI_FORMAT,
            "targets": [_target_json(r) for r in reports],
            "summary": {
                "targets": len(reports),
                "drifted": sum(r.verdict == DRIFT for r in reports),
                "errors": sum(r.verdict == ERROR for r in reports),
            },
        }
    from schemadiff.report.json_report import dump

    return dump(data)


def _target_json(report: CheckReport) -> dict[str, Any]:
    result = report.result
    return {
        "target": report.name,
        "database": report.database,
        "verdict": report.verdict,
        "changes": len(result.ops) if result else None,
        "destructive": result.destructive_count if result else None,
        "error": report.error,
        "report": report_json(report) if result is not None else None,
    }


def _list(rows: tuple[str, ...] | None) -> list[str] | None:
    return None if rows is None else list(rows)
