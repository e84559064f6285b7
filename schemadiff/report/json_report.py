"""The JSON diff report: the ``schemadiff.diff/1`` contract of design.md.

Keys are stable: fields may be added, never renamed. Output is deterministic (same input, same
bytes) so that reports can be diffed and cached.
"""

from __future__ import annotations

import json
from typing import Any

from schemadiff.diff.result import DiffResult, Notice
from schemadiff.ops import Op

FORMAT = "schemadiff.diff/1"


def report_dict(result: DiffResult) -> dict[str, Any]:
    """The report as plain data, in contract key order."""
    return {
        "format": FORMAT,
        "dialect": result.dialect,
        "changes": [change_dict(op) for op in result.ops],
        "summary": {"changes": len(result.ops), "destructive": result.destructive_count},
        "notices": [notice_dict(n) for n in result.notices],
    }


def change_dict(op: Op) -> dict[str, Any]:
    return {
        "op": op.kind,
        "schema": op.schema,
        "table": op.table,
        "name": op.name,
        "destructive": op.destructive,
        "description": op.describe(),
        "detail": op.detail(),
    }


def notice_dict(notice: Notice) -> dict[str, Any]:
    return {
        "level": notice.level,
        "message": notice.message,
        "schema": notice.schema,
        "table": notice.table,
        "objects": [
            {"kind": o.kind, "schema": o.schema, "name": o.name, "table": o.table}
            for o in notice.objects
        ],
    }


def render_json(result: DiffResult) -> str:
    """The report as JSON text with a trailing newline."""
    return dump(report_dict(result))


def dump(data: Any) -> str:
    """JSON text as every report writes it (indented, UTF-8, trailing newline)."""
    return json.dumps(data, indent=2, ensure_ascii=False, default=_fallback) + "\n"


def _fallback(value: Any) -> Any:
    """Values ``to_jsonable`` leaves alone (sets, enums, paths) as sorted lists or strings."""
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=repr)
    return str(value)
