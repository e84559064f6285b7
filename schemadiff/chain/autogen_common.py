"""What both ``revision --autogenerate`` paths share (schemadiff's own connection and a
project's env.py, :mod:`schemadiff.chain.autogen_env`): the database must be at head, and the
models' own warnings go into the script as comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from schemadiff.chain.graph import RevisionGraph
from schemadiff.diff.result import DiffResult
from schemadiff.errors import RevisionError
from schemadiff.render.bodies import render_bodies
from schemadiff.render.code import Code
from schemadiff.settings.config import Settings
from schemadiff.snapshot.model import Snapshot

if TYPE_CHECKING:
    from schemadiff.pipeline import Compared


def render_changes(compared: Compared, result: DiffResult, settings: Settings) -> tuple[Code, Code]:
    """The upgrade (the models' own warnings as comments on top) and downgrade bodies for
    ``result``: the comparison's, or some of its changes as env.py's
    process_revision_directives kept them."""
    batch = (compared.settings or settings).render_as_batch
    bodies = render_bodies(result, compared.target.snapshot, compared.models, batch)
    upgrade = warning_comments(result, compared.models) + bodies.upgrade
    return upgrade, bodies.downgrade


def warning_comments(result: DiffResult, models: Snapshot) -> Code:
    """The models' own warnings (a name the server cuts or refuses) as comments at the top of
    ``upgrade()``: printed when generating, and still there for whoever reviews or runs the
    script (on MariaDB/MySQL such a script fails when it runs)."""
    own = {w.message for w in models.warnings}
    return Code(
        tuple(
            f"# warning: {n.message}"
            for n in result.notices
            if n.level == "warning" and n.message in own
        )
    )


def require_at_head(graph: RevisionGraph, rows: tuple[str, ...]) -> None:
    """The database must have every head applied, else the new revision would redo old ones."""
    applied = graph.ancestors(rows)
    missing = [head for head in graph.heads if head not in applied]
    if missing:
        at = ", ".join(rows) if rows else "base"
        raise RevisionError(
            f"the database is not up to date (it is at {at}; head {', '.join(missing)} is not "
            "applied); run 'schemadiff upgrade heads' first, then autogenerate"
        )
