"""Turning what the user typed (``head``, ``heads``, ``base``, ``ae10``, ``+2``, ``-1``,
``mybranch@head``, ``ae10@head``, ``ae10+1``) into revision ids.

A destination is a tuple of revision ids; the empty tuple is ``base`` (nothing applied).
"""

from __future__ import annotations

import difflib
import re

from schemadiff.chain.graph import RevisionGraph
from schemadiff.errors import RevisionError

_RELATIVE = re.compile(r"^(?P<anchor>.*?)(?P<sign>[+-])(?P<n>\d+)$")
_MAX_LISTED = 8


def resolve_revision(graph: RevisionGraph, text: str) -> str:
    """One revision: a full id, a branch label, or a unique prefix of an id."""
    text = text.strip()
    if text in graph.scripts:
        return text
    if text in graph.labels:
        return graph.labels[text]
    if not text:
        raise RevisionError("empty revision id; give an id, 'head' or 'base'")
    matches = sorted(r for r in graph.scripts if r.startswith(text))
    if len(matches) == 1:
        return matches[0]
    if matches:
        shown = ", ".join(matches[:_MAX_LISTED]) + (", ..." if len(matches) > _MAX_LISTED else "")
        raise RevisionError(
            f"revision prefix {text!r} is ambiguous: it matches {shown}; type more characters"
        )
    raise RevisionError(f"unknown revision {text!r}{_suggest(graph, text)}")


def single_head(graph: RevisionGraph) -> str:
    """The one head; several heads is an error that says what to do."""
    heads = graph.heads
    if not heads:
        raise RevisionError("there are no revisions yet; create one with 'schemadiff revision -m'")
    if len(heads) > 1:
        raise RevisionError(
            f"multiple heads ({', '.join(heads)}); name a target (a revision, 'heads', or "
            "LABEL@head), or join them with 'schemadiff merge heads -m MSG'"
        )
    return heads[0]


def resolve_destination(
    graph: RevisionGraph, text: str, current: tuple[str, ...] | None = None
) -> tuple[str, ...]:
    """Revision ids for a target; ``current`` (the database's version rows) anchors ``+N``/``-N``.

    ``None`` for ``current`` means no database is involved (relative steps are then an error).
    """
    text = text.strip()
    if text == "base":
        return ()
    if text == "heads":
        return graph.heads
    if text == "head":
        return (single_head(graph),)
    if "@" in text:
        return (_branch_head(graph, text),)
    relative = _RELATIVE.match(text)
    if relative is None or _names_revision(graph, text):
        return (resolve_revision(graph, text),)
    anchor, steps = relative["anchor"], int(relative["n"]) * (1 if relative["sign"] == "+" else -1)
    start = _anchor(graph, anchor, current, text)
    return step_from(graph, start, steps, text)


def step_from(graph: RevisionGraph, start: str | None, steps: int, text: str) -> tuple[str, ...]:
    """Walk ``steps`` along ``down_revision`` links from ``start`` (None = base)."""
    cur = start
    for taken in range(abs(steps)):
        left = abs(steps) - taken
        cur = _up(graph, cur, text, left) if steps > 0 else _down(graph, cur, text, left)
    return () if cur is None else (cur,)


def _up(graph: RevisionGraph, cur: str | None, text: str, left: int) -> str:
    options = graph.bases if cur is None else graph.down_children[cur]
    if not options:
        raise RevisionError(
            f"{text!r} goes {left} step(s) past the head {cur or '(empty chain)'}; "
            "no revision follows it"
        )
    if len(options) > 1:
        raise RevisionError(
            f"{text!r} is ambiguous: {cur or 'base'} is followed by several revisions "
            f"({', '.join(options)}); name the one you want (e.g. {options[0]}+1 or LABEL@head)"
        )
    return options[0]


def _down(graph: RevisionGraph, cur: str | None, text: str, left: int) -> str | None:
    if cur is None:
        raise RevisionError(
            f"{text!r} goes {left} step(s) below base; downgrade below base is not possible "
            "(use 'base' to undo everything)"
        )
    downs = graph.scripts[cur].down_revisions
    if len(downs) > 1:
        raise RevisionError(
            f"{text!r} is ambiguous: {cur} merges {', '.join(downs)}; name the revision to go to"
        )
    return downs[0] if downs else None


def _anchor(
    graph: RevisionGraph, anchor: str, current: tuple[str, ...] | None, text: str
) -> str | None:
    if anchor:
        if anchor == "base":
            return None
        if anchor in ("head", "heads"):
            return single_head(graph)
        return resolve_revision(graph, anchor)
    if current is None:
        raise RevisionError(f"{text!r} is relative to the database's revision; give an id instead")
    if len(current) > 1:
        raise RevisionError(
            f"{text!r} is ambiguous: the database is at several heads ({', '.join(current)}); "
            f"anchor the step on one, e.g. {current[0]}{text}"
        )
    return current[0] if current else None


def _branch_head(graph: RevisionGraph, text: str) -> str:
    """``LABEL@head`` / ``REV@head``: the head of the branch holding that revision."""
    anchor, _, what = text.partition("@")
    if what != "head":
        raise RevisionError(f"unknown target {text!r}; use LABEL@head or REV@head")
    start = resolve_revision(graph, anchor)
    descendants = graph.branch_descendants([start])
    heads = [h for h in graph.heads if h in descendants]
    if len(heads) != 1:
        raise RevisionError(
            f"{text!r} is ambiguous: the branch splits into heads {', '.join(heads)}; "
            "name one of them"
        )
    return heads[0]


def _names_revision(graph: RevisionGraph, text: str) -> bool:
    """A label like ``v-2`` that happens to look like a relative step."""
    return text in graph.labels or text in graph.scripts


def _suggest(graph: RevisionGraph, text: str) -> str:
    names = sorted(graph.scripts) + sorted(graph.labels)
    close = difflib.get_close_matches(text, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f" (not in the chain{hint}); 'schemadiff history' lists the revisions"


def history_revisions(
    graph: RevisionGraph, spec: str | None, current: tuple[str, ...]
) -> list[str]:
    """Revisions for ``history [-r A:B]``, newest first; ``current`` stands for the database."""
    chosen = set(graph.scripts)
    if spec:
        lower, sep, upper = spec.partition(":")
        if not sep:
            raise RevisionError(f"history range {spec!r} must look like A:B, A: or :B")
        if lower.strip() and lower.strip() != "base":
            chosen &= graph.descendants(_ends(graph, lower, current))
        if upper.strip():
            chosen &= graph.ancestors(_ends(graph, upper, current))
    return list(reversed(graph.ordered(chosen)))


def _ends(graph: RevisionGraph, text: str, current: tuple[str, ...]) -> tuple[str, ...]:
    if text.strip() == "current":
        return current
    return resolve_destination(graph, text, current)
