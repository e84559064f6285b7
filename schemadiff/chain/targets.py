"""Turning what the user typed (``head``, ``heads``, ``base``, ``ae10``, ``+2``, ``-1``,
``mybranch@head``, ``ae10@head``, ``ae10+1``) into revision ids.

A destination is a tuple of revision ids; the empty tuple is ``base`` (nothing applied).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from schemadiff.chain.graph import RevisionGraph
from schemadiff.errors import RevisionError

#: ``[SYMBOL]+N`` / ``[SYMBOL]-N`` (Alembic's ``(\w+)?((?:\+|-)\d+)``, after any ``BRANCH@``)
_RELATIVE = re.compile(r"(?P<anchor>\w*)(?P<sign>[+-])(?P<n>\d+)")
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

    ``None`` for ``current`` means no database is involved (relative steps are then an error,
    except ``LABEL@-N``, which then counts from the branch's head, as Alembic's does).
    """
    return resolve_target(graph, text, current).revisions


@dataclass(frozen=True)
class Target:
    """A resolved target: its revisions (empty: base) and, for ``BRANCH@...``, the revision
    that names the branch (a downgrade then stays on that branch, as Alembic's does)."""

    revisions: tuple[str, ...]
    branch: str | None = None


def resolve_target(
    graph: RevisionGraph, text: str, current: tuple[str, ...] | None = None
) -> Target:
    """Alembic's target grammar: ``base``, ``head``, ``heads``, an id or unique prefix, a label,
    ``REV+N`` / ``REV-N`` / ``head-N``, ``+N`` / ``-N`` (from ``current``), and each of these
    after ``BRANCH@`` (a branch label or a revision id): ``LABEL@head``, ``LABEL@base``,
    ``LABEL@REV``, ``LABEL@+N``, ``LABEL@-N``, ``REV@+N``."""
    text = text.strip()
    branch_text, at, rest = text.partition("@") if "@" in text else ("", "", text)
    branch = _branch(graph, branch_text) if at else None
    if not at and rest in ("base", "heads", "head"):
        return Target(_symbol(graph, rest, None, text))
    relative = _RELATIVE.fullmatch(rest)
    if relative is None or _names_revision(graph, rest):
        return Target(_absolute(graph, rest, branch, text), branch)
    anchor, sign = relative["anchor"], relative["sign"]
    steps = int(relative["n"]) * (1 if sign == "+" else -1)
    if anchor:
        starts = _symbol(graph, anchor, branch, text)
        if len(starts) > 1:
            raise RevisionError(f"{text!r} is ambiguous: {anchor!r} is {', '.join(starts)}")
        start = starts[0] if starts else None
    elif branch is not None:
        start = _branch_start(graph, branch, current, steps, text)
    else:
        start = _anchor(graph, "", current, text)
    return Target(step_from(graph, start, steps, text, branch), branch)


def _symbol(graph: RevisionGraph, text: str, branch: str | None, whole: str) -> tuple[str, ...]:
    """``base``, ``head``, ``heads`` or a revision, within ``branch`` when one is given."""
    if text == "base":
        return ()
    if text == "heads":
        heads = graph.heads
        return heads if branch is None else tuple(h for h in heads if _shares(graph, h, branch))
    if text == "head":
        if branch is None:
            return (single_head(graph),)
        return (_branch_head(graph, branch, whole),)
    return (_in_branch(graph, resolve_revision(graph, text), branch, whole),)


def _absolute(graph: RevisionGraph, text: str, branch: str | None, whole: str) -> tuple[str, ...]:
    if branch is None:
        return (resolve_revision(graph, text),)
    if not text:
        raise RevisionError(f"unknown target {whole!r}; use LABEL@head, LABEL@base or LABEL@REV")
    return _symbol(graph, text, branch, whole)


def _branch(graph: RevisionGraph, text: str) -> str:
    """The revision naming a branch in ``BRANCH@...``: the one declaring that label, else the
    revision with that id (or unique prefix), as Alembic resolves it."""
    text = text.strip()
    if text in graph.labels:
        return graph.labels[text]
    try:
        return resolve_revision(graph, text)
    except RevisionError:
        raise RevisionError(
            f"no such branch {text!r}: it is neither a branch label nor a revision; "
            "'schemadiff branches' and 'schemadiff heads' list them"
        ) from None


def _shares(graph: RevisionGraph, rev: str, branch: str) -> bool:
    """Alembic's lineage test: ``branch`` is ``rev``, above it or below it (down links only)."""
    return branch in graph.branch_descendants([rev]) or branch in graph.branch_ancestors([rev])


def _in_branch(graph: RevisionGraph, rev: str, branch: str | None, whole: str) -> str:
    if branch is not None and not _shares(graph, rev, branch):
        raise RevisionError(
            f"{whole!r}: revision {rev} is not on the branch of {graph.describe(branch)}"
        )
    return rev


def _branch_start(
    graph: RevisionGraph,
    branch: str,
    current: tuple[str, ...] | None,
    steps: int,
    text: str,
) -> str | None:
    """Where ``BRANCH@+N`` / ``BRANCH@-N`` count from: the database's revision on that branch
    (its newest applied revision there, or base), or without a database the branch's head."""
    if current is None:
        if steps > 0:
            raise RevisionError(
                f"{text!r} is relative to the database's revision; give an id instead"
            )
        return _branch_head(graph, branch, text)
    on_branch = [r for r in current if _shares(graph, r, branch)]
    if not on_branch:
        applied = [r for r in graph.branch_ancestors(current) if _shares(graph, r, branch)]
        below = {d for r in applied for d in graph.scripts[r].down_revisions}
        on_branch = sorted(set(applied) - below)
    if len(on_branch) > 1:
        raise RevisionError(
            f"{text!r} is ambiguous: the database is at several revisions on that branch "
            f"({', '.join(on_branch)}); name the revision to start from, e.g. "
            f"{on_branch[0]}{text.partition('@')[2]}"
        )
    return on_branch[0] if on_branch else None


def step_from(
    graph: RevisionGraph,
    start: str | None,
    steps: int,
    text: str,
    branch: str | None = None,
) -> tuple[str, ...]:
    """Walk ``steps`` along ``down_revision`` links from ``start`` (None = base); going up,
    only through revisions on ``branch``'s lineage when one is given."""
    cur = start
    for taken in range(abs(steps)):
        left = abs(steps) - taken
        if steps > 0:
            cur = _up(graph, cur, text, left, branch)
        else:
            cur = _down(graph, cur, text, left)
    return () if cur is None else (cur,)


def _up(graph: RevisionGraph, cur: str | None, text: str, left: int, branch: str | None) -> str:
    options = graph.bases if cur is None else graph.down_children[cur]
    if branch is not None:
        options = tuple(r for r in options if _shares(graph, r, branch))
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
    if current is None:
        raise RevisionError(f"{text!r} is relative to the database's revision; give an id instead")
    if len(current) > 1:
        raise RevisionError(
            f"{text!r} is ambiguous: the database is at several heads ({', '.join(current)}); "
            f"anchor the step on one, e.g. {current[0]}{text}"
        )
    return current[0] if current else None


def _branch_head(graph: RevisionGraph, branch: str, text: str) -> str:
    """``LABEL@head`` / ``REV@head``: the one head on the branch holding that revision."""
    heads = [h for h in graph.heads if _shares(graph, h, branch)]
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
