"""Text for ``history``, ``heads``, ``branches``, ``current`` and ``show``, in Alembic's formats
(``3c4d -> 9i0j (head), add post table``), plus a tree for histories with branches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from schemadiff.chain.graph import RevisionGraph

if TYPE_CHECKING:
    from rich.tree import Tree


def tags(graph: RevisionGraph, rev: str, current: Iterable[str] = ()) -> str:
    """`` (label) (head) (current) (branchpoint) (mergepoint)`` as they apply, in Alembic's
    order; a head other revisions depend on is an ``(effective head)``, as Alembic marks it."""
    script = graph.scripts[rev]
    out = f" ({', '.join(script.branch_labels)})" if script.branch_labels else ""
    if not graph.children[rev]:
        out += " (head)"
    elif not graph.down_children[rev]:
        out += " (effective head)"
    if rev in set(current):
        out += " (current)"
    if len(graph.down_children[rev]) > 1:
        out += " (branchpoint)"
    if script.is_merge:
        out += " (mergepoint)"
    return out


def short_line(graph: RevisionGraph, rev: str, current: Iterable[str] = ()) -> str:
    """``parents (dependencies) -> rev (tags), message`` (``<base>`` for a base), as Alembic's
    ``history`` prints it."""
    script = graph.scripts[rev]
    parents = ", ".join(script.down_revisions) or "<base>"
    if script.depends_on:
        parents += f" ({', '.join(script.depends_on)})"
    return f"{parents} -> {rev}{tags(graph, rev, current)}, {script.message}"


def head_line(graph: RevisionGraph, rev: str, current: Iterable[str] = ()) -> str:
    """``rev (tags)`` as ``heads`` and ``current`` print it."""
    return f"{rev}{tags(graph, rev, current)}"


def verbose_block(graph: RevisionGraph, rev: str, current: Iterable[str] = ()) -> str:
    """Everything about one revision, as ``show`` and ``-v`` print it."""
    script = graph.scripts[rev]
    lines = [f"Rev: {rev}{tags(graph, rev, current)}"]
    if script.is_merge:
        lines.append(f"Merges: {', '.join(script.down_revisions)}")
    else:
        lines.append(f"Parent: {script.down_revisions[0] if script.down_revisions else '<base>'}")
    if script.depends_on:
        lines.append(f"Also depends on: {', '.join(script.depends_on)}")
    if len(graph.down_children[rev]) > 1:
        lines.append(f"Branches into: {', '.join(graph.down_children[rev])}")
    if script.branch_labels:
        lines.append(f"Branch names: {', '.join(script.branch_labels)}")
    lines.append(f"Path: {script.path}")
    lines.append("")
    doc = script.docstring.strip("\n") or script.message
    lines.extend(f"    {line}".rstrip() for line in doc.splitlines())
    return "\n".join(lines) + "\n"


def history_tree(graph: RevisionGraph, current: Iterable[str] = ()) -> Tree:
    """The chain from its bases up: linear runs as one node, a child per branch; ``current``
    (``history -i``) marks the database's revisions."""
    from rich.tree import Tree  # only a branched chain needs it: a linear listing starts faster

    root = Tree("<base>")
    for base in graph.bases:
        _add_segment(graph, root, base, frozenset(current))
    return root


def _add_segment(graph: RevisionGraph, parent: Tree, start: str, current: frozenset[str]) -> None:
    from rich.text import Text

    run = [start]
    while True:
        kids = graph.down_children[run[-1]]
        if len(kids) != 1 or graph.scripts[kids[0]].is_merge:
            break
        run.append(kids[0])
    label = Text("\n".join(_tree_line(graph, rev, current) for rev in run))
    node = parent.add(label)
    for kid in graph.down_children[run[-1]]:
        script = graph.scripts[kid]
        if script.is_merge and graph.ordered(script.down_revisions)[-1] != run[-1]:
            node.add(Text(f"(continues in merge {kid})", style="dim"))
        else:
            _add_segment(graph, node, kid, current)


def _tree_line(graph: RevisionGraph, rev: str, current: frozenset[str]) -> str:
    script = graph.scripts[rev]
    text = tags(graph, rev, current)
    if script.is_merge:
        text = text.replace(" (mergepoint)", f" (merges {', '.join(script.down_revisions)})")
    if script.depends_on:
        text += f" (depends on {', '.join(script.depends_on)})"
    return f"{rev}{text}, {script.message}"


def branch_lines(graph: RevisionGraph) -> list[str]:
    """``branches``: each branch point and the revisions it splits into."""
    out = []
    for rev in graph.branch_points:
        out.append(f"{rev}{tags(graph, rev)}, {graph.scripts[rev].message}")
        for kid in graph.down_children[rev]:
            out.append(f"    -> {kid}{tags(graph, kid)}, {graph.scripts[kid].message}")
    return out
