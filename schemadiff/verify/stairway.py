"""The stairway: every revision upgraded, downgraded and upgraded again, on one connection.

A downgrade that forgets something (an enum type, an index) or an upgrade that behaves differently
the second time is found at the revision responsible, while the whole chain is replayed only once.
Each step is a one-revision plan run by the chain's own runner, so scripts run exactly as under
``upgrade``/``downgrade``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.chain import versions
from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.plan import Plan, Step
from schemadiff.chain.project import Project
from schemadiff.chain.runner import run_online
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.errors import SchemadiffError
from schemadiff.ops import Op
from schemadiff.snapshot.model import Snapshot
from schemadiff.verify.result import Problem
from schemadiff.verify.trace import DbObject, schemas_in, trace


@dataclass(frozen=True)
class State:
    """What the database holds at one point: catalog objects and the reflected schema."""

    objects: frozenset[DbObject]
    snapshot: Snapshot


@dataclass(frozen=True)
class Stairway:
    """The outcome: problems found, the fresh database's objects, who created what."""

    problems: tuple[Problem, ...]
    start: frozenset[DbObject]
    created_by: Mapping[DbObject, str]
    steps: int
    #: set when a script failed and the walk stopped there
    stopped_at: str | None = None


def version_table(project: Project) -> sa.Table:
    schema, dot, name = project.version_table.rpartition(".")
    return versions.version_table(name, schema=schema if dot else None)


def walk(
    project: Project, graph: RevisionGraph, conn: Connection, schemas: Sequence[str]
) -> Stairway:
    """Run the stairway over every revision in order on ``conn`` (an empty database)."""
    walker = _Walker(project, graph, conn, schemas)
    return walker.run()


class _Walker:
    def __init__(
        self, project: Project, graph: RevisionGraph, conn: Connection, schemas: Sequence[str]
    ) -> None:
        self.graph = graph
        self.conn = conn
        self.table = version_table(project)
        self.version_name = project.version_table
        self.schemas = tuple(schemas)
        self.applied: set[str] = set()
        self.problems: list[Problem] = []
        self.created_by: dict[DbObject, str] = {}
        self.stopped_at: str | None = None

    def run(self) -> Stairway:
        before = start = self.state()
        steps = 0
        for rev in self.graph.ordered(self.graph.scripts):
            after = self.stair(rev, before)
            if after is None:
                break
            before = after
            steps += 1
        return Stairway(
            tuple(self.problems), start.objects, self.created_by, steps, self.stopped_at
        )

    def stair(self, rev: str, before: State) -> State | None:
        """Up, down, up again for one revision; None when a script failed."""
        if not self.step(rev, upgrade=True):
            return None
        first = self.state()
        for obj in first.objects - before.objects:
            self.created_by.setdefault(obj, rev)
        if not self.step(rev, upgrade=False):
            return None
        down = self.state()
        self.compare_down(rev, before, down)
        if not self.step(rev, upgrade=True, again=True):
            return None
        second = self.state()
        ops = _changes(second.snapshot, first.snapshot, self.version_name)
        if ops:
            self.problem(
                f"revision {rev}: upgrading again after its downgrade gives a different schema "
                "than the first upgrade; to match the first upgrade would take:",
                rev,
                ops,
                "make downgrade() undo exactly what upgrade() does",
            )
        return second

    def compare_down(self, rev: str, before: State, down: State) -> None:
        left = sorted(down.objects - before.objects, key=DbObject.sort_key)
        gone = sorted(before.objects - down.objects, key=DbObject.sort_key)
        for obj in left:
            self.created_by.setdefault(obj, rev)
            self.problem(
                f"revision {rev}: downgrade leaves {obj.describe()} behind",
                rev,
                hint=f"drop the {obj.kind} in downgrade() of revision {rev}",
            )
        for obj in gone:
            self.problem(
                f"revision {rev}: downgrade drops {obj.describe()}, which existed before the "
                "upgrade",
                rev,
                hint=f"downgrade() of revision {rev} should only undo its own upgrade()",
            )
        if left or gone:
            return
        ops = _changes(down.snapshot, before.snapshot, self.version_name)
        if ops:
            self.problem(
                f"revision {rev}: downgrade does not restore the schema from before the "
                "upgrade; to get back there would take:",
                rev,
                ops,
                "make downgrade() undo exactly what upgrade() does",
            )

    def step(self, rev: str, upgrade: bool, again: bool = False) -> bool:
        """Apply or undo exactly ``rev``; a failing script becomes a problem (False)."""
        graph = self.graph
        after = self.applied | {rev} if upgrade else self.applied - {rev}
        rows_before, rows_after = graph.version_rows(self.applied), graph.version_rows(after)
        plan = Plan(
            (Step(graph.scripts[rev], upgrade, rows_before, rows_after),), rows_before, rows_after
        )
        try:
            run_online(self.conn, plan, self.table)
        except SchemadiffError as exc:
            self.stopped_at = rev
            context = "upgrading again after its downgrade: " if again else ""
            self.problem(f"revision {rev}: {context}{exc}", rev)
            return False
        self.applied = after
        return True

    def state(self) -> State:
        from schemadiff.sources import inspect_database

        objects = trace(self.conn, self.version_name)
        schemas = sorted(set(self.schemas) | set(schemas_in(objects)))
        snapshot = inspect_database(self.conn, schemas)
        if self.conn.in_transaction():
            self.conn.commit()  # end the catalog reads: the next script runs in its own transaction
        return State(objects, snapshot)

    def problem(
        self, message: str, rev: str, ops: tuple[Op, ...] = (), hint: str | None = None
    ) -> None:
        self.problems.append(Problem(message, rev, ops, hint))


def _changes(current: Snapshot, wanted: Snapshot, version_table: str) -> tuple[Op, ...]:
    """What would turn ``current`` into ``wanted`` (both reflected); empty when equal."""
    if current == wanted:
        return ()
    options = CompareOptions(version_table=version_table)
    return compute_diff(current, wanted, options).ops
