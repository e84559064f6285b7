"""The "not compared" summary of what the database holds that no comparator covers.

One notice for the whole run: a count per kind in its message (``3 views, 2 functions,
3 partitions of events``), every object by name in ``objects`` (the JSON report lists them), so a
long list never floods the terminal and nothing is ever silently passed over.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from schemadiff.diff.result import Notice
from schemadiff.snapshot.model import DbObject

#: the order of kinds in the summary; kinds not listed follow, alphabetically
_ORDER = (
    "view", "materialized view", "sequence", "function", "procedure", "aggregate",
    "window function", "trigger", "event trigger", "event", "rule", "policy",
    "row-level security", "domain", "composite type", "range type", "type", "extension",
    "partitioning", "partition",
)  # fmt: skip
#: kinds that are an option of a table (``name`` is the table): "partitioning of 2 tables"
_TABLE_OPTIONS = {"partitioning": "of", "row-level security": "on"}


def coverage_notice(objects: Iterable[DbObject]) -> Notice | None:
    """The summary notice, or None when there is nothing to list."""
    found = sorted(set(objects), key=DbObject.sort_key)
    if not found:
        return None
    return Notice("not_compared", summary(found), objects=tuple(found))


def summary(objects: Iterable[DbObject]) -> str:
    """``3 views, 2 functions, partitioning of 1 table, 3 partitions of events``."""
    counts: Counter[tuple[str, str | None]] = Counter()
    for obj in objects:
        parent = _qualified(obj.schema, obj.table) if obj.kind == "partition" else None
        counts[(obj.kind, parent)] += 1
    rank = {kind: i for i, kind in enumerate(_ORDER)}
    keys = sorted(counts, key=lambda k: (rank.get(k[0], len(rank)), k[0], k[1] or ""))
    return ", ".join(_phrase(kind, parent, counts[(kind, parent)]) for kind, parent in keys)


def _phrase(kind: str, parent: str | None, n: int) -> str:
    if kind in _TABLE_OPTIONS:
        return f"{kind} {_TABLE_OPTIONS[kind]} {_count(n, 'table')}"
    text = _count(n, kind)
    return f"{text} of {parent}" if parent else text


def _count(n: int, noun: str) -> str:
    if n == 1:
        return f"1 {noun}"
    return f"{n} {noun[:-1]}ies" if noun.endswith("y") else f"{n} {noun}s"


def _qualified(schema: str | None, name: str | None) -> str:
    return f"{schema}.{name}" if schema else name or ""
