"""Identity columns on the backends that have none (issue 13, section 5): MariaDB/MySQL and
SQLite store no identity options, so a change of them is listed as not compared, never turned
into DDL those servers refuse; the rest of the table is still compared. (PostgreSQL's identity
changes are the golden case ``identity_options``.)"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from fixtures.cases import load_case
from tests.kit.cases import diff_against


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("mysql", marks=pytest.mark.db)], ids=str
)
def test_identity_options_are_not_compared_where_there_are_none(
    backend: str, backend_url: Callable[[str], str]
) -> None:
    case = load_case("identity_options")
    engine = sa.create_engine(backend_url(backend))
    try:
        case.v1().create_all(engine)
        result = diff_against(engine, case, case.v2())
    finally:
        engine.dispose()
    # f loses its Identity(), which made it NOT NULL: that much create_all does here too
    assert [op.describe() for op in result.ops] == ["alter column counters.f: NOT NULL -> nullable"]
    notes = " ".join(n.message for n in result.notices if n.level == "not_compared")
    assert "identity" in notes, result.notices
