"""Which env.py is the project's own (run by the migration commands) and which is the one
``schemadiff init`` wrote (schemadiff's own runner does its work)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from schemadiff.chain.init import init_project
from schemadiff.settings.envpy import foreign_env_py


def test_init_env_py_is_ours(tmp_path: Path) -> None:
    init_project(Path("migrations"), cwd=tmp_path)
    assert foreign_env_py(tmp_path / "migrations") is None


def test_init_env_py_with_crlf_line_endings_is_still_ours(tmp_path: Path) -> None:
    init_project(Path("migrations"), cwd=tmp_path)
    env_py = tmp_path / "migrations" / "env.py"
    env_py.write_bytes(env_py.read_bytes().replace(b"\n", b"\r\n"))
    assert foreign_env_py(tmp_path / "migrations") is None


def test_edited_init_env_py_is_the_projects(tmp_path: Path) -> None:
    init_project(Path("migrations"), cwd=tmp_path)
    env_py = tmp_path / "migrations" / "env.py"
    env_py.write_text(env_py.read_text().replace("target_metadata = None", "target_metadata = 1"))
    assert foreign_env_py(tmp_path / "migrations") == env_py


def test_alembic_init_env_py_is_the_projects(tmp_path: Path) -> None:
    made = subprocess.run(
        [sys.executable, "-m", "alembic", "init", "migrations"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert foreign_env_py(tmp_path / "migrations") == tmp_path / "migrations" / "env.py"


def test_no_env_py(tmp_path: Path) -> None:
    assert foreign_env_py(tmp_path) is None
