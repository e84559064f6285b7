"""Convergence: the test that matters most.

For every golden case and backend: build v1 with ``create_all`` and seed rows, autogenerate the
migration to v2, apply it. The database must then equal one made by ``create_all(v2)`` (compared
by an independent description built from SQLAlchemy's inspector), our diff against v2 must be
empty, and the rows must survive. Downgrade must bring back v1, again with the rows.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from fixtures.cases import ALL_BACKENDS, Case, all_cases
from schemadiff.autogen import render_bodies
from schemadiff.diff import CompareOptions, compute_diff
from schemadiff.renderers.script import RevisionHeader, render_script
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.casekit import build_v1, diff_against, schemas_of
from tests.independent import describe

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


def generate_script(engine: Engine, case: Case) -> str:
    schemas = schemas_of(case.v1(), case.v2())
    target = case.v2()
    with engine.connect() as conn:
        db = inspect_database(conn, schemas)
        models = inspect_metadata(target, conn.dialect, db.default_schema)
    options = CompareOptions(
        rename_tables=case.rename_tables,
        rename_columns=case.rename_columns,
        metadata=target,
        use_entry_points=False,
    )
    result = compute_diff(db, models, options)
    bodies = render_bodies(result, db, models)
    header = RevisionHeader(case.name, "0001", None, "2026-01-01 00:00:00")
    return render_script(header, bodies.upgrade, bodies.downgrade)


def run_script(engine: Engine, script: str, direction: str) -> None:
    """Run ``upgrade()`` or ``downgrade()`` of a script text with Alembic's runtime."""
    module = types.ModuleType("revision_under_test")
    exec(compile(script, "revision_under_test.py", "exec"), module.__dict__)  # noqa: S102
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn)
        with ctx.begin_transaction(), Operations.context(ctx):
            getattr(module, direction)()
        conn.commit()


def reference(url: str, metadata: sa.MetaData, schemas: list[str]) -> dict[str, Any]:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for schema in schemas:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                elif conn.dialect.name in ("mysql", "mariadb"):
                    conn.execute(sa.text(f"CREATE DATABASE IF NOT EXISTS `{schema}`"))
            metadata.create_all(conn)
        with engine.connect() as conn:
            return describe(conn, [None, *schemas])
    finally:
        engine.dispose()


Rows = dict[str, list[dict[str, Any]]]


def rows_after(engine: Engine, case: Case, renamed: bool) -> Rows:
    """The seeded rows as they read now, keyed by their v1 table and column names (the names
    they have now are found through the case's renames)."""
    table_map = {old: new for _, old, new in case.rename_tables} if renamed else {}
    target = case.v2() if renamed else case.v1()
    for t in target.tables.values():
        if renamed and t.info.get("renamed_from"):
            table_map[t.info["renamed_from"]] = t.name
    out: Rows = {}
    with engine.connect() as conn:
        for table, rows in sorted(case.rows.items()):
            name = table_map.get(table, table)
            if name not in target.tables:
                continue
            cols = _surviving_columns(case, target.tables[name], rows[0].keys(), renamed)
            if not cols:
                continue
            pk = [c.name for c in target.tables[name].primary_key.columns] or [cols[0][1]]
            query = (
                sa.select(*[sa.column(new) for _, new in cols])
                .select_from(sa.table(name, schema=target.tables[name].schema))
                .order_by(*[sa.column(c) for c in pk])
            )
            out[table] = [
                dict(zip([old for old, _ in cols], r, strict=True)) for r in conn.execute(query)
            ]
    return out


def _surviving_columns(
    case: Case, table: sa.Table, seeded: Any, renamed: bool
) -> list[tuple[str, str]]:
    col_map = {(t, old): new for _, t, old, new in case.rename_columns}
    for c in table.columns:
        if renamed and c.info.get("renamed_from"):
            col_map[(table.name, c.info["renamed_from"])] = c.name
    out = []
    for col in sorted(seeded):
        new = col_map.get((table.name, col), col) if renamed else col
        if new in table.c:
            out.append((col, new))
    return out


def assert_rows_kept(before: Rows, after: Rows, script: str) -> None:
    """Every row is still there; values compare equal as text where the column survived."""
    for table, rows in after.items():
        old = before.get(table, [])
        assert len(rows) == len(old), (table, script)
        for a, b in zip(old, rows, strict=True):
            for col in a.keys() & b.keys():
                assert _same(a[col], b[col]), (table, col, a[col], b[col], script)


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


@pytest.mark.parametrize(("case", "backend"), PARAMS)
def test_convergence(case: Case, backend: str, backend_url: Callable[..., str]) -> None:
    url = backend_url(backend)
    schemas = schemas_of(case.v1(), case.v2())
    want_v2 = reference(backend_url(backend, 1), case.v2(), schemas)
    engine = sa.create_engine(url)
    try:
        build_v1(engine, case)
        with engine.connect() as conn:
            v1_state = describe(conn, [None, *schemas])
        rows_v1 = rows_after(engine, case, renamed=False)

        script = generate_script(engine, case)
        run_script(engine, script, "upgrade")
        with engine.connect() as conn:
            assert describe(conn, [None, *schemas]) == want_v2, script
        leftover = diff_against(engine, case, case.v2())
        assert [op.describe() for op in leftover.ops] == [], script
        rows_v2 = rows_after(engine, case, renamed=True)
        assert_rows_kept(rows_v1, rows_v2, script)

        run_script(engine, script, "downgrade")
        with engine.connect() as conn:
            assert describe(conn, [None, *schemas]) == v1_state, script
        back = rows_after(engine, case, renamed=False)
        # what the upgrade kept must come back (a dropped column's values cannot)
        kept = {
            t: [{c: v for c, v in row.items() if c in rows_v2[t][0]} for row in r]
            for t, r in back.items()
            if rows_v2.get(t)
        }
        assert_rows_kept(rows_v1, kept, script)
    finally:
        engine.dispose()
