"""The JSON diff report: the ``schemadiff.diff/1`` contract of design.md.

Keys are stable: fields may be added, never renamed. Output is deterministic (same input, same
bytes) so that reports can be diffed and cached.
"""

from __future__ import annotations

import json
from typing import Any

from schemadiff.diff.result import DiffResult, Notice
from schemadiff.ops import Op
from schemadiff.pipeline import Databases

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


def databases_dict(databases: Databases) -> dict[str, Any]:
    """A multidb project's report: the ``schemadiff.diff/1`` keys over every database (each
    change and notice names its ``database``; ``dialect`` is null when they differ), and a
    ``databases`` list with each database's own report (null when it was not compared)."""
    changes: list[dict[str, Any]] = []
    notices: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    dialects = set()
    destructive = 0
    for db in databases.items:
        entry: dict[str, Any] = {"name": db.name, "database": db.label, "compared": True}
        if db.compared is None:
            entry.update(compared=False, note=db.skipped, report=None)
            entries.append(entry)
            continue
        result = db.compared.result
        dialects.add(result.dialect)
        destructive += result.destructive_count
        changes += [{**change_dict(op), "database": db.name} for op in result.ops]
        notices += [{**notice_dict(n), "database": db.name} for n in result.notices]
        entry.update(note=None, report=report_dict(result))
        entries.append(entry)
    return {
        "format": FORMAT,
        "dialect": dialects.pop() if len(dialects) == 1 else None,
        "changes": changes,
        "summary": {"changes": len(changes), "destructive": destructive},
        "notices": notices,
        "databases": entries,
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
