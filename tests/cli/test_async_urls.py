"""Async URLs (``postgresql+asyncpg://``, ``sqlite+aiosqlite://``, ...) in every command, run as a
user runs them: through the synchronous sibling driver when it is installed, and through the
async driver itself (in a greenlet) when the sibling is hidden from the process."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.kit.cli import ROOT, Result, run_cli, run_process

pytestmark = pytest.mark.db

_counter = itertools.count()

MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False, unique=True),
)
"""

#: a sitecustomize that makes the sync drivers look uninstalled (ModuleNotFoundError)
HIDE = """
import sys

class _Hide:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("psycopg", "pymysql"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, _Hide())
"""

#: (backend, async driver, sibling hidden, the driver the command uses)
CASES = [
    ("sqlite", "aiosqlite", False, "sqlite+pysqlite"),
    ("postgresql", "asyncpg", False, "postgresql+psycopg"),
    ("postgresql", "asyncpg", True, None),
    ("postgresql", "psycopg_async", False, "postgresql+psycopg"),
    ("mysql", "aiomysql", False, "mysql+pymysql"),
    ("mysql", "asyncmy", False, "mysql+pymysql"),
    ("mysql", "asyncmy", True, None),
]


def async_url(url: str, driver: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername=f"{parsed.get_backend_name()}+{driver}").render_as_string(
        hide_password=False
    )


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


def _hidden_env(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "hide"
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(HIDE)
    return {"PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)])}


@pytest.mark.parametrize(
    ("backend", "driver", "hidden", "sibling"),
    CASES,
    ids=[f"{d}{'-no-sibling' if h else ''}" for _, d, h, _ in CASES],
)
def test_every_command_on_an_async_url(
    project: Path,
    backend_url: Callable[[str], str],
    backend: str,
    driver: str,
    hidden: bool,
    sibling: str | None,
) -> None:
    sync = backend_url(backend)
    url = async_url(sync, driver)
    name = f"async_models_{next(_counter)}_{os.getpid()}"
    (project / f"{name}.py").write_text(MODELS)
    ref = f"{name}:metadata"
    env = _hidden_env(project) if hidden else None

    def run(*args: str, code: int = 0) -> Result:
        result = run_process(project, *args, env=env)
        assert result.code == code, f"{args}: {result.err}"
        return result

    wrote = run(
        "revision", "--autogenerate", "-m", "a", "--rev-id", "r1", "--metadata", ref, "--db", url
    )
    assert "create table users" in wrote.out
    run("upgrade", "head", "--db", url)
    from_env = run_process(project, "current", env={**(env or {}), "DATABASE_URL": url})
    assert (from_env.code, from_env.out) == (0, "r1 (head)\n"), from_env.err
    assert run("diff", "--db", url, "--metadata", ref).err == ""
    assert run("check", "--db", url, "--metadata", ref).err == ""
    shot = run("--debug", "snapshot", "--db", url, "-o", str(project / "shot.json"))
    tables = {t["name"] for t in json.loads((project / "shot.json").read_text())["tables"]}
    assert {"users", "alembic_version"} <= tables
    assert f"{backend}+{driver}://" in shot.out  # the URL as the user gave it
    if sibling is None:
        assert f"note: {backend}+{driver} URL: no synchronous sibling installed" in shot.err
    else:
        assert f"note: {backend}+{driver} URL: using the synchronous driver {sibling}" in shot.err
    run("downgrade", "base", "--db", url)
    assert run("current", "--db", url).out == ""
    if backend != "sqlite":  # a scratch database on the async URL's server
        run("verify", "--scratch", url, "--metadata", ref)


@pytest.mark.parametrize("hidden", [False, True], ids=["sibling", "no-sibling"])
def test_a_failed_async_connection_is_one_masked_line(tmp_path: Path, hidden: bool) -> None:
    env = _hidden_env(tmp_path) if hidden else None
    url = "postgresql+asyncpg://app:s3cret-pw@127.0.0.1:9/app"  # the discard port: refused
    result = run_process(tmp_path, "snapshot", "--db", url, "-o", "s.json", env=env)
    assert result.code == 2
    assert result.err.startswith(
        "error: cannot connect to postgresql+asyncpg://app:***@127.0.0.1:9"
    )
    assert "the server is not reachable" in result.err and "s3cret" not in result.err
    assert len(result.err.splitlines()) == 1 and not (tmp_path / "s.json").exists()
