"""``edit REV``: open revision files in the user's editor, through Alembic's own editor lookup
(``$EDITOR``, then ``$VISUAL``, then the usual editors on the PATH), as ``alembic edit`` does."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from schemadiff.errors import RevisionError, UsageError


def open_in_editor(paths: Sequence[Path], rev: str) -> None:
    """Open each file in turn (the editor's exit ends one before the next opens)."""
    from alembic.util import CommandError
    from alembic.util.editor import open_in_editor as alembic_open

    if not paths:
        raise RevisionError(f"no revision files indicated by {rev!r}; name a revision")
    for path in paths:
        try:
            alembic_open(str(path))
        except CommandError as exc:
            raise UsageError(f"{exc}; set EDITOR to your editor's command") from exc
