"""``include_object`` decides on views (materialized ones too), functions, procedures and
triggers as it does on tables and sequences: the kitchen sink plus stray objects made by hand,
each left out by its ``type_``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.kitchen_sink import build, create
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.sources import inspect_both

pytestmark = pytest.mark.db

STRAYS = {
    "sqlite": [
        "CREATE VIEW stray_view AS SELECT id FROM users",
        "CREATE TRIGGER stray_trigger AFTER INSERT ON users BEGIN SELECT 1; END",
    ],
    "postgresql": [
        "CREATE VIEW stray_view AS SELECT id FROM users",
        "CREATE MATERIALIZED VIEW stray_matview AS SELECT id FROM users",
        "CREATE FUNCTION stray_function() RETURNS integer LANGUAGE sql AS 'SELECT 1'",
        "CREATE PROCEDURE stray_procedure() LANGUAGE sql AS 'SELECT 1'",
        "CREATE TRIGGER stray_trigger AFTER INSERT ON users EXECUTE FUNCTION touch_event()",
    ],
}
TYPES = {
    "stray_view": "view",
    "stray_matview": "view",
    "stray_function": "function",
    "stray_procedure": "procedure",
    "stray_trigger": "trigger",
}


@pytest.fixture(params=sorted(STRAYS))
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _diff(engine: Engine, metadata: sa.MetaData, **options: Any) -> DiffResult:
    schemas = sorted({t.schema for t in metadata.tables.values() if t.schema})
    with engine.connect() as conn:
        db, models = inspect_both(conn, schemas, metadata)
    opts = CompareOptions(metadata=metadata, use_entry_points=False, **options)
    return compute_diff(db, models, opts)


def test_include_object_leaves_out_views_routines_and_triggers(engine: Engine) -> None:
    metadata = build(engine.dialect.name)
    create(metadata, engine)
    strays = STRAYS[engine.dialect.name]
    with engine.begin() as conn:
        for statement in strays:
            conn.exec_driver_sql(statement)
    dropped = sorted(op.describe() for op in _diff(engine, metadata).ops)
    assert len(dropped) == len(strays), dropped  # without the filter each stray is dropped
    assert all("stray_" in d for d in dropped), dropped

    calls: list[tuple[str, str, bool, bool]] = []

    def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
        calls.append((name, type_, reflected, compare_to is not None))
        return not name.startswith("stray_")

    assert _diff(engine, metadata, include_object=include_object).ops == ()
    seen = {(n, t) for n, t, reflected, _ in calls if n.startswith("stray_") and reflected}
    expected = {(n, t) for n, t in TYPES.items() if any(f" {n}" in s for s in strays)}
    assert seen == expected
    # a declared object present on both sides: not reflected, compared to the database's
    assert ("active_users", "view", False, True) in calls
