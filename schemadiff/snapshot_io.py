"""Snapshot files: ``{"format": "schemadiff.snapshot/1", ...}`` JSON that round-trips exactly."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from schemadiff import atomic
from schemadiff.ops.base import to_jsonable
from schemadiff.snapshot import Snapshot

FORMAT = "schemadiff.snapshot/1"


class SnapshotFormatError(ValueError):
    """The file is not a schemadiff snapshot this version can read."""


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    return {"format": FORMAT, **to_jsonable(snapshot)}


def dumps(snapshot: Snapshot) -> str:
    """Deterministic JSON text (sorted tables, fixed key order, trailing newline)."""
    return json.dumps(snapshot_to_dict(snapshot), indent=2, ensure_ascii=False) + "\n"


def save(snapshot: Snapshot, path: str | Path) -> None:
    """Write atomically: a partly written snapshot never replaces a good one, nor stays behind
    (:class:`schemadiff.errors.OutputError` when the file cannot be written in full)."""
    atomic.write_text(path, dumps(snapshot))


def loads(text: str) -> Snapshot:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotFormatError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotFormatError(f"not a schemadiff snapshot (expected format {FORMAT!r})")
    data = dict(data)
    data.pop("format")
    try:
        return _build(Snapshot, data)
    except (TypeError, KeyError, ValueError) as exc:
        raise SnapshotFormatError(f"malformed snapshot: {exc}") from exc


def load(path: str | Path) -> Snapshot:
    return loads(Path(path).read_text(encoding="utf-8"))


def is_snapshot_file(target: str) -> bool:
    """True when ``target`` (a ``--db`` value) names an existing JSON snapshot file."""
    return target.endswith(".json") and Path(target).is_file()


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            return _build(arg, value)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        return tuple(_build(a, v) for a, v in zip(args, value, strict=True))
    if is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in fields(tp):
            if f.name in value:
                kwargs[f.name] = _build(hints[f.name], value[f.name])
        return tp(**kwargs)  # type: ignore[operator]
    return value
