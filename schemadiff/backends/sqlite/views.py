"""SQLite's views, from the ``sqlite_master`` rows reflection already reads (no statement of
their own). SQLite keeps a view's ``CREATE VIEW`` statement as it was written, so the query's
canonical form compares with the declared one as it is."""

from __future__ import annotations

import re
from collections.abc import Iterable

from schemadiff.canonical.views import canonical_view_sql, view_body, view_reads
from schemadiff.snapshot.model import DbObject, View

#: ``CREATE [TEMP] VIEW [IF NOT EXISTS] name [(columns)] AS <query>``
_CREATE_VIEW = re.compile(
    r"""^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?
        (?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[^\s(]+)\s*
        (?P<columns>\([^)]*\)\s*)?AS\s+(?P<query>.*)$""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)


def split_views(objects: Iterable[DbObject]) -> tuple[tuple[View, ...], tuple[DbObject, ...]]:
    """The catalog's views as :class:`View` (those whose statement reads as a plain view), and
    the other objects (triggers, unreadable views), still listed as not compared."""
    views: list[View] = []
    others: list[DbObject] = []
    for obj in objects:
        match = _CREATE_VIEW.match(obj.definition or "") if obj.kind == "view" else None
        if match is None or match["columns"]:
            others.append(obj)
            continue
        raw = view_body(match["query"])
        views.append(
            View(
                name=obj.name,
                definition=canonical_view_sql(raw, "sqlite"),
                raw=raw,
                reads=view_reads(raw, "sqlite", "main"),
            )
        )
    return tuple(sorted(views, key=lambda v: v.name)), tuple(others)
