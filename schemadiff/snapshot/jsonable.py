"""Plain JSON values from frozen dataclasses: one conversion for snapshot files and op details."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and enums to plain JSON values (dict keys kept in field order)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_jsonable(getattr(value, f.name))
            for f in fields(value)
            if f.metadata.get("json", True)
        }
    if isinstance(value, (tuple, list)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    return value
