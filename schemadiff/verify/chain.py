"""The chain part of ``verify``: one base, one head (unless branches are allowed), and no two heads
whose revisions change the same table or column. Needs no database.

Cycles, dangling ``down_revision`` links, duplicate ids and unparsable files are found by the
chain loader itself (:func:`schemadiff.chain.graph.build_graph`); its error becomes this check's
failure.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.project import Project
from schemadiff.errors import RevisionError
from schemadiff.verify.result import CheckResult, Problem, failed, passed
from schemadiff.verify.touches import TABLE, Touch, touches

#: (revision of head A's branch, its touch, revision of head B's branch, its touch)
Clash = tuple[str, Touch, str, Touch]


def check_chain(project: Project, allow_branches: bool) -> tuple[CheckResult, RevisionGraph | None]:
    """Read and check the chain; the graph is None when it cannot even be read."""
    try:
        graph = project.graph()
    except RevisionError as exc:
        return failed("chain", Problem(str(exc))), None
    problems = shape_problems(graph, allow_branches) + conflicting_heads(graph)
    if problems:
        return failed("chain", *problems), graph
    n, heads = len(graph.scripts), graph.heads
    if not n:
        return passed("chain", "no revisions yet"), graph
    shape = f"one head ({heads[0]})" if len(heads) == 1 else f"{len(heads)} heads, no conflicts"
    return passed("chain", f"{n} revision{'s' * (n != 1)}, {shape}"), graph


def shape_problems(graph: RevisionGraph, allow_branches: bool) -> list[Problem]:
    """More than one base or head, unless branches are deliberate."""
    if allow_branches:
        return []
    problems = []
    bases, heads = graph.bases, graph.heads
    if len(bases) > 1:
        problems.append(
            Problem(
                f"{len(bases)} bases ({', '.join(bases)}): more than one revision has "
                "down_revision = None",
                hint="point all but one of them at an existing revision, or pass "
                "--allow-branches if the independent branches are deliberate",
            )
        )
    if len(heads) > 1:
        problems.append(
            Problem(
                f"{len(heads)} heads ({', '.join(heads)}): the chain has branches that were "
                "never merged",
                hint="join them with 'schemadiff merge heads -m MESSAGE', or pass "
                "--allow-branches if the branches are deliberate",
            )
        )
    return problems


def conflicting_heads(graph: RevisionGraph) -> list[Problem]:
    """Pairs of heads whose own revisions change the same table (naming both revisions)."""
    cache: dict[str, tuple[Touch, ...]] = {}

    def touched(rev: str) -> tuple[Touch, ...]:
        if rev not in cache:
            cache[rev] = touches(graph.scripts[rev].path)
        return cache[rev]

    problems = []
    for a, b in combinations(graph.heads, 2):
        only_a = graph.ordered(graph.ancestors([a]) - graph.ancestors([b]))
        only_b = graph.ordered(graph.ancestors([b]) - graph.ancestors([a]))
        for table, clash in _clashes(only_a, only_b, touched).items():
            rev_a, touch_a, rev_b, touch_b = clash
            what = touch_a.describe() if _same_column(clash) else f"table {table}"
            problems.append(
                Problem(
                    f"heads {a} and {b} conflict: revision {rev_a} "
                    f"({_where(graph, rev_a, touch_a)}) and revision {rev_b} "
                    f"({_where(graph, rev_b, touch_b)}) both change {what}",
                    hint="make one branch build on the other (set its down_revision), or merge "
                    "the heads and check that the order of the two changes is right",
                )
            )
    return problems


def _clashes(
    only_a: tuple[str, ...], only_b: tuple[str, ...], touched: Callable[[str], tuple[Touch, ...]]
) -> dict[str, Clash]:
    """table -> the first clashing pair, preferring a pair that changes the same column."""
    side_b = [(rev, touch) for rev in only_b for touch in touched(rev)]
    found: dict[str, Clash] = {}
    for rev_a in only_a:
        for touch_a in touched(rev_a):
            for rev_b, touch_b in side_b:
                if touch_a.table != touch_b.table:
                    continue
                pair = (rev_a, touch_a, rev_b, touch_b)
                known = found.get(touch_a.table)
                if known is None or (_same_column(pair) and not _same_column(known)):
                    found[touch_a.table] = pair
    return found


def _same_column(pair: Clash) -> bool:
    return pair[1].column == pair[3].column != TABLE


def _where(graph: RevisionGraph, rev: str, touch: Touch) -> str:
    return f"{graph.scripts[rev].path.name} line {touch.line}"
