"""Small builders for hand-made snapshots (unit tests never touch a database)."""

from __future__ import annotations

from typing import Any

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.snapshot.model import Column, ColumnType, Index, IndexElement, Snapshot, Table


def col(name: str, type_: str = "integer", **kw: Any) -> Column:
    known = kw.pop("known", True)
    return Column(name, ColumnType(type_, known=known), **kw)


def table(name: str, *columns: Column, **kw: Any) -> Table:
    return Table(name, columns=columns or (col("id", nullable=False),), **kw)


def index(name: str, *exprs: str, **kw: Any) -> Index:
    elements = tuple(
        IndexElement(e[1:], is_expression=True) if e.startswith("=") else IndexElement(e)
        for e in exprs
    )
    return Index(name, elements, **kw)


def snap(*tables: Table, dialect: str = "unit", **kw: Any) -> Snapshot:
    return Snapshot(dialect=dialect, tables=tables, **kw)


def diff(db: Snapshot, models: Snapshot, **options: Any) -> DiffResult:
    options.setdefault("use_entry_points", False)
    return compute_diff(db, models, CompareOptions(**options))


def kinds(result: DiffResult) -> list[str]:
    return [op.kind for op in result.ops]


def messages(result: DiffResult, level: str | None = None) -> list[str]:
    return [n.message for n in result.notices if level is None or n.level == level]


def limited_dialect(monkeypatch: Any, *features: str) -> str:
    """Register rules for a test dialect that reports only ``features``; returns its name."""
    from schemadiff.backends import registry as dialects
    from schemadiff.backends.base import DialectRules

    class Limited(DialectRules):
        pass

    Limited.features = frozenset(features)
    monkeypatch.setitem(dialects._CACHE, "limited", Limited())
    return "limited"
