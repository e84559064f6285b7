"""Scripts we write run under plain ``alembic upgrade head``, on every backend, with the same
result as ``create_all`` of the new models (and ``alembic downgrade base`` goes back)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from fixtures.cases import load_case
from tests.db.test_convergence import autogenerate, make_project, reference
from tests.kit.cases import build_v1, schemas_of
from tests.kit.independent import describe

ALEMBIC = Path(sys.executable).parent / "alembic"
ROOT = Path(__file__).resolve().parents[2]

CASES = [
    ("tutorial_posts", "sqlite"),
    ("tutorial_posts", "postgresql"),
    ("tutorial_posts", "mysql"),
    ("enum_add_value", "postgresql"),
    ("primary_key_change", "sqlite"),
]


def alembic(folder: Path, url: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"PYTHONPATH": str(ROOT), "SCHEMADIFF_URL": url})
    done = subprocess.run(
        [str(ALEMBIC), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize(("name", "backend"), CASES, ids=[f"{n}-{b}" for n, b in CASES])
def test_plain_alembic_runs_our_script(
    name: str, backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    case = load_case(name)
    url = backend_url(backend)
    schemas = schemas_of(case.v1(), case.v2())
    want_v2 = reference(backend_url(backend, 1), case.v2(), schemas)
    engine = sa.create_engine(url)
    try:
        build_v1(engine, case)
        with engine.connect() as conn:
            v1_state = describe(conn, [None, *schemas])
        folder = make_project(tmp_path / "project", url, case, backend)
        script = autogenerate(folder, case)
        assert (folder / "alembic.ini").is_file()
        alembic(folder, url, "upgrade", "head")
        with engine.connect() as conn:
            assert describe(conn, [None, *schemas]) == want_v2, script
        assert "0001 (head)" in alembic(folder, url, "current")
        alembic(folder, url, "downgrade", "base")
        with engine.connect() as conn:
            assert describe(conn, [None, *schemas]) == v1_state, script
    finally:
        engine.dispose()
