"""Where a new revision file goes and what it is called, decided as Alembic decides it.

The folder: ``--version-path`` if given (it must be one of the version locations); else, with
several locations, the folder of the revision it follows (the first of its down revisions);
else the one location. The name: ``file_template`` filled with Alembic's tokens (``rev``,
``slug`` cut at ``truncate_slug_length``, ``epoch``, ``year`` ... ``second`` of the create date,
which ``timezone`` sets) plus ``.py``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.project import Project
from schemadiff.errors import RevisionError, UsageError

_SLUG_WORD = re.compile(r"\w+")


def create_moment(zone: str | None = None, env: Mapping[str, str] | None = None) -> datetime:
    """Now (in ``zone`` when set, as Alembic's ``timezone``), or ``SOURCE_DATE_EPOCH`` (naive UTC
    without a zone) for reproducible files."""
    env = os.environ if env is None else env
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    tz = _zone(zone) if zone else None
    if not epoch:
        return datetime.now(tz=timezone.utc).astimezone(tz) if tz else datetime.now()
    try:
        instant = datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    except (ValueError, OverflowError, OSError) as exc:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}"
        ) from exc
    return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError:
        return ZoneInfo(name.upper())  # Alembic's second try; the setting was checked when read


def slug(message: str, length: int) -> str:
    """Alembic's file-name slug: the message's words, lowercased, joined by ``_``, cut at
    ``length`` on a word boundary."""
    text = "_".join(_SLUG_WORD.findall(message or "")).lower()
    if len(text) > length:
        text = text[:length].rsplit("_", 1)[0] + "_"
    return text


def file_name(project: Project, rev_id: str, message: str, moment: datetime) -> str:
    """``file_template`` filled in, plus ``.py`` (the template may hold folders: ``%(year)d/``)."""
    new = project.new_files
    if moment.tzinfo is None and os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        epoch = int(moment.replace(tzinfo=timezone.utc).timestamp())
    else:
        epoch = int(moment.timestamp())
    tokens = {
        "rev": rev_id,
        "slug": slug(message, new.truncate_slug_length),
        "epoch": epoch,
        "year": moment.year,
        "month": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "minute": moment.minute,
        "second": moment.second,
    }
    return f"{new.file_template % tokens}.py"


def version_folder(
    project: Project,
    graph: RevisionGraph,
    follows: Sequence[str],
    version_path: str | None = None,
) -> Path:
    """The version location the new file goes to (see the module docstring)."""
    locations = [p.absolute() for p in project.locations]
    if version_path is not None:
        folder = Path(version_path).expanduser()
    elif len(locations) > 1:
        parents = [graph.scripts[r].path.parent for r in follows if r in graph.scripts]
        if not parents:
            raise UsageError(
                "several version_locations are configured and the new revision follows none "
                "of them; pass --version-path DIR (one of: "
                f"{', '.join(str(p) for p in locations)})"
            )
        folder = parents[0]
    else:
        folder = locations[0]
    if folder.absolute() not in locations:
        shown = ", ".join(str(p) for p in locations)
        raise RevisionError(
            f"{folder} is not one of the version locations ({shown}); pass --version-path with "
            "one of them, or add it to version_locations"
        )
    return folder.absolute()
