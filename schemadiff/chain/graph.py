"""The revision graph: links between revision files, checked once, queried cheaply.

Edges go from a revision to its *parents*: its ``down_revision`` entries and its ``depends_on``
entries (a revision id or a branch label, which stands for the revision that declares it). A
dependency must be applied first, exactly like a parent, and like Alembic a revision covers its
dependencies in the version table. ``heads`` and ``bases`` follow ``down_revision`` only, as in
Alembic (a head another branch depends on is still a head).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from schemadiff.chain.scripts import Script, load_scripts
from schemadiff.errors import RevisionError


@dataclass(frozen=True)
class RevisionGraph:
    """A checked chain: no cycle, no dangling link, unique ids and labels."""

    scripts: Mapping[str, Script]
    #: revision -> all parents (down revisions, then resolved dependencies)
    parents: Mapping[str, tuple[str, ...]]
    #: revision -> revisions naming it as ``down_revision``
    down_children: Mapping[str, tuple[str, ...]]
    #: revision -> every revision with it as a parent (down revision or dependency)
    children: Mapping[str, tuple[str, ...]]
    #: branch label -> the revision declaring it
    labels: Mapping[str, str]
    #: revision -> position in a topological order (parents first; oldest first among equals)
    rank: Mapping[str, int] = field(default_factory=dict)

    # --- shape -------------------------------------------------------------------------------

    @property
    def heads(self) -> tuple[str, ...]:
        """Revisions nothing names as ``down_revision``, in topological order."""
        return self.ordered(r for r in self.scripts if not self.down_children[r])

    @property
    def bases(self) -> tuple[str, ...]:
        return self.ordered(r for r, s in self.scripts.items() if not s.down_revisions)

    @property
    def branch_points(self) -> tuple[str, ...]:
        return self.ordered(r for r in self.scripts if len(self.down_children[r]) > 1)

    @property
    def has_branches(self) -> bool:
        return len(self.heads) > 1 or len(self.bases) > 1 or bool(self.branch_points)

    def ordered(self, revisions: Iterable[str]) -> tuple[str, ...]:
        """``revisions`` in topological order (parents before children)."""
        return tuple(sorted(set(revisions), key=self.rank.__getitem__))

    def label_of(self, revision: str) -> tuple[str, ...]:
        return self.scripts[revision].branch_labels

    # --- closures ----------------------------------------------------------------------------

    def ancestors(self, revisions: Iterable[str]) -> set[str]:
        """``revisions`` and everything they need (parents and dependencies, transitively)."""
        return _closure(revisions, self.parents)

    def descendants(self, revisions: Iterable[str]) -> set[str]:
        """``revisions`` and everything that needs them, transitively."""
        return _closure(revisions, self.children)

    def branch_descendants(self, revisions: Iterable[str]) -> set[str]:
        """Like :meth:`descendants` following ``down_revision`` links only (one branch's
        continuation, not the branches that merely depend on it)."""
        return _closure(revisions, self.down_children)

    def branch_ancestors(self, revisions: Iterable[str]) -> set[str]:
        """Like :meth:`ancestors` following ``down_revision`` links only."""
        downs = {rev: script.down_revisions for rev, script in self.scripts.items()}
        return _closure(revisions, downs)

    def version_rows(self, applied: Iterable[str]) -> tuple[str, ...]:
        """What the version table holds for an applied set: the applied revisions no other applied
        revision builds on (Alembic's rule: a revision also covers its dependencies)."""
        done = set(applied)
        return self.ordered(r for r in done if not any(c in done for c in self.children[r]))

    def describe(self, revision: str) -> str:
        """``rev (label)`` for messages."""
        labels = self.label_of(revision)
        return f"{revision} ({', '.join(labels)})" if labels else revision


def load_graph(
    directories: Path | Sequence[Path], *, recursive: bool = False, quick: bool = False
) -> RevisionGraph:
    """Parse and check every revision file of the version locations (``quick``, for listings:
    from each file's head when that is enough, see
    :func:`schemadiff.chain.scripts.parse_source`)."""
    return build_graph(load_scripts(directories, recursive=recursive, quick=quick))


def build_graph(scripts: Sequence[Script]) -> RevisionGraph:
    """Index the scripts and check the chain; every error names the file to fix."""
    by_id: dict[str, Script] = {}
    for script in scripts:
        other = by_id.get(script.revision)
        if other is not None:
            raise RevisionError(
                f"revision {script.revision} is defined twice: {other.path.name} and "
                f"{script.path.name}; give one of them a new revision id"
            )
        by_id[script.revision] = script
    labels = _labels(by_id)
    parents = {rev: _parents(s, by_id, labels) for rev, s in by_id.items()}
    down_children: dict[str, list[str]] = {rev: [] for rev in by_id}
    children: dict[str, list[str]] = {rev: [] for rev in by_id}
    for rev, script in by_id.items():
        for parent in script.down_revisions:
            down_children[parent].append(rev)
        for parent in parents[rev]:
            children[parent].append(rev)
    rank = _topological_rank(by_id, parents, children)
    return RevisionGraph(
        scripts=by_id,
        parents=parents,
        down_children={r: tuple(sorted(c, key=rank.__getitem__)) for r, c in down_children.items()},
        children={r: tuple(sorted(c, key=rank.__getitem__)) for r, c in children.items()},
        labels=labels,
        rank=rank,
    )


def _labels(by_id: Mapping[str, Script]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for rev, script in by_id.items():
        for label in script.branch_labels:
            if label in by_id:
                raise RevisionError(
                    f"{script.path.name}: branch label {label!r} is also a revision id; "
                    "choose another label"
                )
            if label in labels and labels[label] != rev:
                first = by_id[labels[label]].path.name
                raise RevisionError(
                    f"branch label {label!r} is declared twice: {first} and {script.path.name}; "
                    "a label names one branch"
                )
            labels[label] = rev
    return labels


def _parents(
    script: Script, by_id: Mapping[str, Script], labels: Mapping[str, str]
) -> tuple[str, ...]:
    out: list[str] = []
    for down in script.down_revisions:
        if down not in by_id:
            raise RevisionError(
                f"{script.path.name}: down_revision {down!r} is not a revision in "
                f"{script.path.parent} (dangling link); fix down_revision or restore that file"
            )
        out.append(down)
    for dep in script.depends_on:
        target = dep if dep in by_id else labels.get(dep)
        if target is None:
            raise RevisionError(
                f"{script.path.name}: depends_on {dep!r} is neither a revision nor a branch "
                f"label in {script.path.parent}; fix depends_on"
            )
        if target not in out:
            out.append(target)
    return tuple(out)


def _topological_rank(
    by_id: Mapping[str, Script],
    parents: Mapping[str, tuple[str, ...]],
    children: Mapping[str, list[str]],
) -> dict[str, int]:
    """Kahn's algorithm; ties broken by create date then id, so the order is reproducible."""

    def key(rev: str) -> tuple[str, str]:
        return (by_id[rev].create_date or "", rev)

    waiting = {rev: len(p) for rev, p in parents.items()}
    ready = [key(rev) for rev, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    rank: dict[str, int] = {}
    while ready:
        _, rev = heapq.heappop(ready)
        rank[rev] = len(rank)
        for child in children[rev]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, key(child))
    if len(rank) != len(by_id):
        raise _cycle_error(by_id, parents, set(by_id) - set(rank))
    return rank


def _cycle_error(
    by_id: Mapping[str, Script], parents: Mapping[str, tuple[str, ...]], stuck: set[str]
) -> RevisionError:
    """Walk parent links inside the unresolved set until a revision repeats: that is a cycle."""
    start = min(stuck)
    path = [start]
    seen = {start: 0}
    while True:
        nxt = min(p for p in parents[path[-1]] if p in stuck)
        if nxt in seen:
            cycle = path[seen[nxt] :] + [nxt]
            break
        seen[nxt] = len(path)
        path.append(nxt)
    files = ", ".join(sorted({by_id[r].path.name for r in cycle}))
    chain = " -> ".join(cycle)
    return RevisionError(
        f"the revision chain has a cycle: {chain} (down_revision/depends_on links in {files}); "
        "fix one of those links"
    )


def _closure(start: Iterable[str], edges: Mapping[str, tuple[str, ...]]) -> set[str]:
    seen: set[str] = set()
    stack = list(start)
    while stack:
        rev = stack.pop()
        if rev in seen:
            continue
        seen.add(rev)
        stack.extend(e for e in edges[rev] if e not in seen)
    return seen
