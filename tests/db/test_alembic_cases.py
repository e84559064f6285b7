"""Alembic's autogenerate test cases (see :mod:`tests.alembic_cases`) against real databases.

Per case and backend: ``create_all`` of the case's database side (plus its raw DDL) in this
module's database for that backend, diff against the models and check the changes; then render
the migration as ``revision --autogenerate`` does, run it with our runner (Alembic's runtime),
and diff again: nothing may be left (the loop).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from schemadiff.chain.plan import Plan, Step
from schemadiff.chain.runner import run_online
from schemadiff.chain.scripts import Script
from schemadiff.chain.versions import version_table
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import DiffResult
from schemadiff.ops import AlterColumn
from schemadiff.render import script as script_renderer
from schemadiff.render.bodies import render_bodies
from schemadiff.render.script import RevisionHeader, render_script
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources import inspect_both
from tests.alembic_cases import AlembicCase, all_cases
from tests.kit import dbs

PARAMS = [
    pytest.param(
        case,
        backend,
        id=f"{case.name}-{backend}",
        marks=[
            *([pytest.mark.db] if backend != "sqlite" else []),
            *(
                [pytest.mark.xfail(strict=True, reason=case.known[backend])]
                if backend in case.known
                else []
            ),
        ],
    )
    for case in all_cases()
    for backend in ("sqlite", "postgresql", "mysql")
    if backend in case.backends
]


@pytest.fixture(scope="module", autouse=True)
def quick_layout() -> Iterator[None]:
    """Scripts laid out by the renderer's own layout path (the one ``revision --autogenerate``
    takes for long scripts) instead of black on every body: same statements, a fraction of the
    time; black still formats the template, once per distinct import list."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(script_renderer, "BLACK_BODY_LIMIT", 0)
        mp.setattr(
            script_renderer, "format_python", lru_cache(maxsize=64)(script_renderer.format_python)
        )
        yield


@pytest.fixture(scope="module")
def engines(module_databases: object) -> Iterator[dict[str, Engine]]:
    """One engine per backend on this module's database, kept for every case."""
    made: dict[str, Engine] = {}
    yield made
    for engine in made.values():
        engine.dispose()


def _engine(engines: dict[str, Engine], module_databases: object, backend: str) -> Engine:
    if backend not in engines:
        url = module_databases.url(backend)  # type: ignore[attr-defined]
        engines[backend] = engine = sa.create_engine(url, **_NO_SYNC.get(backend, {}))
        if backend == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_no_sync)
    engine = engines[backend]
    dbs.reset_database(engine)
    return engine


#: a throw-away database need not wait for the disk at each commit
_NO_SYNC = {"postgresql": {"connect_args": {"options": "-c synchronous_commit=off"}}}


def _sqlite_no_sync(dbapi_connection: object, record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()


def signature(result: DiffResult) -> list[str]:
    """The changes as ``kind`` (``kind:attr+attr`` for an altered column), sorted."""
    return sorted(
        f"{op.kind}:{'+'.join(op.changes)}" if isinstance(op, AlterColumn) else op.kind
        for op in result.ops
    )


def compare(
    conn: Connection, case: AlembicCase, models: sa.MetaData
) -> tuple[DiffResult, Snapshot, Snapshot]:
    db, wanted = inspect_both(conn, list(case.schemas), models)
    options = CompareOptions(metadata=models, use_entry_points=False, **case.options)
    return compute_diff(db, wanted, options), db, wanted


def build(conn: Connection, case: AlembicCase, backend: str, meta: sa.MetaData) -> None:
    for schema in case.schemas:
        conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    meta.create_all(conn)
    for statement in case.ddl.get(backend, ()):
        conn.exec_driver_sql(statement)


def migrate(
    engine: Engine, result: DiffResult, db: Snapshot, wanted: Snapshot, folder: Path
) -> str:
    """Render the revision file as ``revision --autogenerate`` does and run its upgrade."""
    bodies = render_bodies(result, db, wanted, "auto")
    header = RevisionHeader("alembic case", "0001", None, "2024-01-01 00:00:00")
    text = render_script(header, bodies.upgrade, bodies.downgrade)
    path = folder / "0001_alembic_case.py"
    path.write_text(text, encoding="utf-8")
    script = Script("0001", (), (), (), path)
    plan = Plan((Step(script, True, (), ("0001",)),), (), ("0001",))
    with engine.connect() as conn:
        run_online(conn, plan, version_table())
    return text


@pytest.mark.parametrize(("case", "backend"), PARAMS)
def test_alembic_case(
    case: AlembicCase,
    backend: str,
    engines: dict[str, Engine],
    module_databases: object,
    tmp_path: Path,
) -> None:
    engine = _engine(engines, module_databases, backend)
    meta_db, meta_models = case.build()
    with engine.begin() as conn:
        build(conn, case, backend, meta_db)
    with engine.connect() as conn:
        result, db, wanted = compare(conn, case, meta_models)
    assert signature(result) == case.expected_for(backend), [op.describe() for op in result.ops]
    for level, words in case.notices.get(backend, ()):
        said = [n.message for n in result.notices if n.level == level]
        assert any(words in message for message in said), (level, words, result.notices)
    if result.is_empty or not case.loops_on(backend):
        return
    script = migrate(engine, result, db, wanted, tmp_path)
    with engine.connect() as conn:
        again, _, _ = compare(conn, case, meta_models)
    assert [op.describe() for op in again.ops] == [], script


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param(b, marks=[pytest.mark.db] if b != "sqlite" else [])
        for b in ("sqlite", "postgresql", "mysql")
    ],
)
def test_hook_forced_default_runs(
    backend: str, engines: dict[str, Engine], module_databases: object, tmp_path: Path
) -> None:
    """A ``compare_server_default`` hook that says "different" for equal defaults gets an
    alter_column setting the model's default (Alembic's behaviour); its migration runs and
    leaves the default as the models declare it. (The case itself cannot loop: the hook
    never says "same".)"""
    [case] = [c for c in all_cases() if c.name == "server_default_hook_true"]
    engine = _engine(engines, module_databases, backend)
    meta_db, meta_models = case.build()
    with engine.begin() as conn:
        build(conn, case, backend, meta_db)
    with engine.connect() as conn:
        result, db, wanted = compare(conn, case, meta_models)
    script = migrate(engine, result, db, wanted, tmp_path)
    upgrade = script.split("def downgrade")[0]
    assert "server_default=sa.text(\"'original'\")" in upgrade, upgrade
    with engine.connect() as conn:
        [column] = sa.inspect(conn).get_columns("t1")
    assert "original" in str(column["default"])
