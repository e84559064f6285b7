"""One test per change kind and backend: the expected ops appear, and nothing else.

Each golden case in fixtures/cases is built at v1 with ``create_all`` on a real database, then
diffed against its v2 models.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from fixtures.cases import ALL_BACKENDS, all_cases
from tests.kit.cases import build_v1, diff_against

PARAMS = [
    pytest.param(
        case,
        backend,
        id=f"{case.name}-{backend}",
        marks=[pytest.mark.db] if backend != "sqlite" else [],
    )
    for case in all_cases()
    for backend in ALL_BACKENDS
    if backend in case.backends
]


@pytest.mark.parametrize(("case", "backend"), PARAMS)
def test_case_produces_exactly_the_expected_ops(
    case: object, backend: str, backend_url: Callable[[str], str]
) -> None:
    engine = sa.create_engine(backend_url(backend))
    try:
        build_v1(engine, case)  # type: ignore[arg-type]
        result = diff_against(engine, case, case.v2())  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    kinds = sorted(op.kind for op in result.ops)
    described = "\n".join(op.describe() for op in result.ops)
    assert kinds == case.expected_for(backend), described  # type: ignore[attr-defined]


@pytest.mark.parametrize(("case", "backend"), PARAMS)
def test_v1_against_itself_has_no_changes(
    case: object, backend: str, backend_url: Callable[[str], str]
) -> None:
    engine = sa.create_engine(backend_url(backend))
    try:
        build_v1(engine, case)  # type: ignore[arg-type]
        result = diff_against(engine, case, case.v1())  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    assert [op.describe() for op in result.ops] == []
