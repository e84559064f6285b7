"""Snapshot files: ``{"format": "schemadiff.snapshot/1", ...}`` JSON that round-trips exactly."""

from __future__ import annotations

import json
import types
import typing
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from schemadiff import atomic
from schemadiff.snapshot.jsonable import to_jsonable
from schemadiff.snapshot.model import Snapshot

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
    """The snapshot in ``text``; anything else raises :class:`SnapshotFormatError` saying what
    is wrong and where (``tables[0].name must be a string, got 5``)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SnapshotFormatError(f"not valid JSON ({exc.msg} at line {exc.lineno})") from exc
    except RecursionError:
        message = "not a schemadiff snapshot (its JSON is nested too deeply)"
        raise SnapshotFormatError(message) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotFormatError(f"not a schemadiff snapshot (expected format {FORMAT!r})")
    data = dict(data)
    data.pop("format")
    try:
        return _build(Snapshot, data, "snapshot")
    except (TypeError, KeyError, ValueError) as exc:
        raise SnapshotFormatError(f"malformed snapshot: {exc}") from exc


def load(path: str | Path) -> Snapshot:
    return loads(Path(path).read_text(encoding="utf-8"))


def load_file(path: str) -> Snapshot:
    """The snapshot in file ``path`` (a ``--db`` value); every failure is a
    :class:`~schemadiff.errors.SnapshotError` naming the file and what to do."""
    from schemadiff.errors import SnapshotError

    if not Path(path).is_file():
        raise SnapshotError(f"snapshot file {path!r} not found; check the --db path")
    try:
        return load(path)
    except SnapshotFormatError as exc:
        raise SnapshotError(f"{path}: {exc}; create it with 'schemadiff snapshot -o FILE'") from exc
    except UnicodeDecodeError as exc:
        raise SnapshotError(
            f"{path}: not a schemadiff snapshot (not UTF-8 text: byte {exc.start}); create it "
            "with 'schemadiff snapshot -o FILE'"
        ) from exc
    except OSError as exc:
        raise SnapshotError(f"cannot read snapshot file {path!r}: {exc.strerror}") from exc


def is_snapshot_file(target: str) -> bool:
    """True when ``target`` (a ``--db`` value) names an existing JSON snapshot file."""
    return target.endswith(".json") and Path(target).is_file()


#: JSON type names of the scalar field types, for messages
_SCALARS: dict[type, str] = {str: "a string", int: "an integer", bool: "true or false"}


def _build(tp: Any, value: Any, where: str) -> Any:
    """``value`` (parsed JSON) as an instance of ``tp``, every field's type checked, so a
    malformed file fails here with the field's path and never later in a comparator."""
    if value is None:
        return None
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(tp):
            if arg is type(None):
                continue
            return _build(arg, value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise ValueError(f"{where} must be a list, got {_json_type(value)}")
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v, f"{where}[{i}]") for i, v in enumerate(value))
        if len(args) != len(value):
            raise ValueError(f"{where} must have {len(args)} items, got {len(value)}")
        return tuple(
            _build(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, value, strict=True))
        )
    if is_dataclass(tp):
        if not isinstance(value, dict):
            raise ValueError(f"{where} must be an object, got {_json_type(value)}")
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in fields(tp):
            if f.name in value:
                kwargs[f.name] = _build(hints[f.name], value[f.name], f"{where}.{f.name}")
        return tp(**kwargs)  # type: ignore[operator]
    expected = _SCALARS.get(tp)
    if expected is not None:
        exact = isinstance(value, bool) if tp is bool else not isinstance(value, bool)
        if not (isinstance(value, tp) and exact):
            raise ValueError(f"{where} must be {expected}, got {_json_type(value)}")
    return value


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value[:40]!r}"
    return "a list" if isinstance(value, list) else "an object"
