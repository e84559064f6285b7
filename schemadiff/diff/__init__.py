"""The diff stage: options, results, the engine that runs the comparators, filters, renames and
ordering. The result and option types are importable from here (``schemadiff.diff.Notice`` is the
plugin API); ``compute_diff`` is loaded on first use, so importing a result type stays cheap."""

from __future__ import annotations

from typing import Any

from schemadiff.diff.options import CompareHook, CompareOptions
from schemadiff.diff.result import DiffResult, Notice

__all__ = ["CompareHook", "CompareOptions", "DiffResult", "Notice", "compute_diff"]


def __getattr__(name: str) -> Any:
    if name == "compute_diff":
        from schemadiff.diff.engine import compute_diff

        return compute_diff
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
