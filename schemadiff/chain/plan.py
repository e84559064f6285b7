"""What an upgrade, downgrade or stamp will do: the scripts to run, in order, and the version
table's rows after each one. Pure functions over the graph; nothing touches a database here.

The database's state is the set of *applied* revisions: the version rows and everything they build
on. Upgrading to a target applies what the target needs and is missing; downgrading to a target
undoes every applied revision that builds on it (other branches are left alone).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.scripts import Script
from schemadiff.chain.targets import resolve_destination, resolve_target
from schemadiff.errors import RevisionError


@dataclass(frozen=True)
class Step:
    """One script to run and the version rows before and after it."""

    script: Script
    upgrade: bool
    rows_before: tuple[str, ...]
    rows_after: tuple[str, ...]

    @property
    def revision(self) -> str:
        return self.script.revision

    def describe(self) -> str:
        """``a1 -> b2`` (upgrade) or ``b2 -> a1`` (downgrade), as Alembic logs it."""
        downs = ", ".join(self.script.down_revisions) or "<base>"
        if self.upgrade:
            return f"{downs} -> {self.revision}"
        return f"{self.revision} -> {downs}"


@dataclass(frozen=True)
class Plan:
    steps: tuple[Step, ...]
    rows_before: tuple[str, ...]
    rows_after: tuple[str, ...]


def check_rows(graph: RevisionGraph, rows: Iterable[str], where: str) -> tuple[str, ...]:
    """The version rows, in order, or an error if one is not in the chain."""
    rows = tuple(rows)
    unknown = sorted(r for r in rows if r not in graph.scripts)
    if unknown:
        raise RevisionError(
            f"{where} is stamped with revision {', '.join(unknown)}, which is not in the chain; "
            "check script_location (wrong versions folder?), or reset the stamp with "
            "'schemadiff stamp --purge REV'"
        )
    return graph.ordered(rows)


def upgrade_plan(graph: RevisionGraph, rows: tuple[str, ...], target: str) -> Plan:
    """Apply everything the target needs that is not applied yet, parents first."""
    destination = resolve_destination(graph, target, rows)
    applied = graph.ancestors(rows)
    needed = graph.ordered(graph.ancestors(destination) - applied)
    return _plan(graph, applied, needed, upgrade=True)


def downgrade_plan(graph: RevisionGraph, rows: tuple[str, ...], target: str) -> Plan:
    """Undo every applied revision that builds on the target, children first."""
    found = resolve_target(graph, target, rows)
    destination = found.revisions
    applied = graph.ancestors(rows)
    missing = [r for r in destination if r not in applied]
    if missing:
        raise RevisionError(
            f"cannot downgrade to {target!r}: {', '.join(missing)} is not applied (the database "
            f"is at {_rows_text(rows)}); use 'schemadiff upgrade' to go forward"
        )
    if found.branch is not None:
        remove = _branch_removal(graph, destination, found.branch, target)
    else:
        keep = graph.ancestors(destination)
        remove = (graph.descendants(destination) - keep) if destination else set(applied)
    undo = tuple(reversed(graph.ordered(remove & applied)))
    return _plan(graph, applied, undo, upgrade=False)


def _branch_removal(
    graph: RevisionGraph, destination: tuple[str, ...], branch: str, target: str
) -> set[str]:
    """What ``downgrade BRANCH@...`` undoes, as Alembic decides it: the revisions right above
    the destination (the bases for ``BRANCH@base``), only those on the branch's way down when
    there are several, and everything built on them."""
    roots: set[str] = set()
    for rev in destination:
        roots.update(graph.down_children[rev])
    if not destination:
        roots = set(graph.bases)
    if len(roots) > 1:
        roots &= graph.branch_ancestors([branch])
        if not roots:
            raise RevisionError(
                f"cannot downgrade to {target!r}: the branch of {graph.describe(branch)} does not "
                "go through it; name a revision on that branch"
            )
    return graph.descendants(roots)


def stamp_rows(graph: RevisionGraph, rows: tuple[str, ...], target: str) -> tuple[str, ...]:
    """The version rows after ``stamp``: the target's lineage replaced, other branches kept."""
    destination = resolve_destination(graph, target, rows)
    if not destination:
        return ()
    applied = graph.ancestors(rows)
    keep = applied - (graph.descendants(destination) - graph.ancestors(destination))
    return graph.version_rows(keep | graph.ancestors(destination))


def _plan(graph: RevisionGraph, applied: set[str], order: tuple[str, ...], upgrade: bool) -> Plan:
    done = set(applied)
    start = graph.version_rows(done)
    steps = []
    before = start
    for rev in order:
        if upgrade:
            done.add(rev)
        else:
            done.discard(rev)
        after = graph.version_rows(done)
        steps.append(Step(graph.scripts[rev], upgrade, before, after))
        before = after
    return Plan(tuple(steps), start, before)


def _rows_text(rows: tuple[str, ...]) -> str:
    return ", ".join(rows) if rows else "base"
