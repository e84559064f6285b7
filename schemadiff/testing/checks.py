"""The tests ``pytest --schemadiff`` adds (see :mod:`schemadiff.testing.plugin`).

Each uses the same machinery as ``schemadiff verify`` and fails with the same messages; each
database test gets its own empty database from the ``schemadiff_url`` fixture.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import pytest

from schemadiff.errors import SchemadiffError
from schemadiff.testing.project import SchemadiffProject
from schemadiff.verify.result import CheckResult

T = TypeVar("T")


def test_single_head(schemadiff_project: SchemadiffProject) -> None:
    """The chain reads, has one base and one head, and no conflicting branches."""
    from schemadiff.verify.chain import check_chain

    with schemadiff_project.here():
        result, _ = check_chain(schemadiff_project.project, allow_branches=False)
    _require(result)


def test_upgrade(schemadiff_project: SchemadiffProject, schemadiff_url: str) -> None:
    """Every revision upgrades, from an empty database to head."""
    with schemadiff_project.here():
        _replay(schemadiff_project, schemadiff_url)


def test_model_definitions_match_ddl(
    schemadiff_project: SchemadiffProject, schemadiff_url: str
) -> None:
    """The schema the chain builds at head equals the models (no missing migration)."""
    from schemadiff.verify.gate import models_check

    with schemadiff_project.here():
        _replay(schemadiff_project, schemadiff_url)
        _require(_checked(lambda: models_check(schemadiff_project.settings, schemadiff_url)))


def test_up_down_consistency(schemadiff_project: SchemadiffProject, schemadiff_url: str) -> None:
    """Each revision goes up, down and up again alike; down to base leaves nothing behind."""
    from schemadiff.verify.gate import base_check, stairway, stairway_result

    sd = schemadiff_project
    with sd.here():
        graph = _checked(sd.project.graph)
        outcome = _checked(lambda: stairway(sd.settings, sd.project, graph, schemadiff_url))
        _require(stairway_result(outcome))
        _require(base_check(sd.project, schemadiff_url, outcome))


def _replay(sd: SchemadiffProject, url: str) -> None:
    from schemadiff.verify.gate import replay

    _checked(lambda: replay(sd.project, url))


def _checked(fn: Callable[[], T]) -> T:
    """Call ``fn``; a schemadiff error (broken script, bad config) fails the test in one line."""
    try:
        return fn()
    except SchemadiffError as exc:
        pytest.fail(str(exc), pytrace=False)


def _require(result: CheckResult) -> None:
    if not result.ok:
        pytest.fail(result.text(), pytrace=False)
