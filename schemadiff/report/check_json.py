"""``check --format json``: one target is the diff contract of design.md (``schemadiff.diff/1``)
plus ``database``, ``against`` and a ``drift`` section with one label per change; several targets
make a ``schemadiff.check/1`` document with one entry per target."""

from __future__ import annotations

from typing import Any

from schemadiff.check.result import DRIFT, ERROR, MULTI_FORMAT, CheckReport
from schemadiff.report.json_report import dump, report_dict


def report_json(report: CheckReport) -> dict[str, Any]:
    """One target: the diff contract plus ``database``, ``against`` and ``drift``."""
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
    return dump(data)


def _target_json(report: CheckReport) -> dict[str, Any]:
    result = report.result
    out = {
        "target": report.name,
        "database": report.database,
        "verdict": report.verdict,
        "changes": len(result.ops) if result else None,
        "destructive": result.destructive_count if result else None,
        "error": report.error,
        "report": report_json(report) if result is not None else None,
    }
    if report.skipped is not None:  # a database of a multidb env.py without target_metadata
        out["not_compared"] = report.skipped
    return out


def _list(rows: tuple[str, ...] | None) -> list[str] | None:
    return None if rows is None else list(rows)
