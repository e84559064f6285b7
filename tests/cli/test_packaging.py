"""The distribution: an sdist and a wheel build, ship the whole package, and the wheel installs
into a fresh venv where the ``schemadiff`` command runs.

The build copies only what pyproject.toml packages (so nothing is written into the checkout) and
runs ``python -m build``: the sdist first, then the wheel from the unpacked sdist, so a file the
sdist forgot fails here. ``--no-isolation`` takes setuptools from the test extras (an isolated
build fetches it from the index on every run: a minute here); ``build`` still refuses to start
when the installed setuptools is older than ``[build-system] requires``.

The fresh venv gets the wheel only (``--no-deps``); its dependencies are the test venv's, put on
its path by a ``.pth`` line. Such a line adds a directory without running the ``.pth`` files in
it, so the test venv's editable install (a finder installed by its own ``.pth``) cannot answer
``import schemadiff``: the wheel's copy does, which the test checks.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

import schemadiff
from schemadiff.backends.connect import DISTRIBUTION

ROOT = Path(__file__).resolve().parents[2]
#: what the build reads besides the package itself
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE")
STEM = f"{DISTRIBUTION.replace('-', '_')}-{schemadiff.__version__}"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _source_files() -> set[str]:
    """The package as the checkout holds it: every module and data file, posix paths."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "schemadiff").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built from a copy of the project files."""
    base = tmp_path_factory.mktemp("dist")
    source = base / "src"
    source.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "schemadiff", source / "schemadiff", ignore=shutil.ignore_patterns("__pycache__")
    )
    out = base / "out"
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", out, source], base)
    return out


def test_sdist_holds_the_project(dist: Path) -> None:
    with tarfile.open(dist / f"{STEM}.tar.gz") as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {*PROJECT_FILES, "schemadiff/py.typed"} <= names
    assert _source_files() <= names


def test_wheel_ships_every_module_typing_marker_and_license(dist: Path) -> None:
    with zipfile.ZipFile(dist / f"{STEM}-py3-none-any.whl") as wheel:
        names = set(wheel.namelist())
        metadata = email.message_from_string(wheel.read(f"{STEM}.dist-info/METADATA").decode())
        entry_points = wheel.read(f"{STEM}.dist-info/entry_points.txt").decode()
    package = {name for name in names if not name.startswith(f"{STEM}.dist-info/")}
    assert package == _source_files()  # every subpackage, py.typed, and nothing else
    assert "schemadiff/py.typed" in package
    assert f"{STEM}.dist-info/licenses/LICENSE" in names
    assert metadata["Name"] == DISTRIBUTION
    assert metadata["Version"] == schemadiff.__version__
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    assert "schemadiff = schemadiff.cli.app:main" in entry_points


def test_wheel_installs_and_runs_in_a_fresh_venv(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path)
    python = venv / "bin" / "python"
    wheel = dist / f"{STEM}-py3-none-any.whl"
    pip = [sys.executable, "-m", "pip", "--python", python]
    _run([*pip, "install", "--no-deps", "--no-index", wheel], tmp_path)
    purelib = Path(
        _run(
            [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path
        ).strip()
    )
    (purelib / "test_venv_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update({"NO_COLOR": "1", "SCHEMADIFF_URL": "", "DATABASE_URL": ""})

    # the wheel's own copy is imported, its public API works, its requirements are met
    where = _run(
        [python, "-c", "import schemadiff; schemadiff.compute_diff; print(schemadiff.__file__)"],
        tmp_path,
        env,
    )
    assert Path(where.strip()).is_relative_to(purelib / "schemadiff")
    _run([*pip, "check"], tmp_path)

    command = venv / "bin" / "schemadiff"
    assert _run([command, "--version"], tmp_path, env).strip() == (
        f"schemadiff {schemadiff.__version__}"
    )
    assert "diff" in _run([command, "--help"], tmp_path, env)

    # a real diff: a SQLite database one table behind its models
    (tmp_path / "models.py").write_text(
        "import sqlalchemy as sa\n"
        "metadata = sa.MetaData()\n"
        "sa.Table('users', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"
    )
    _run(
        [python, "-c", "import sqlite3; sqlite3.connect('app.db').execute('create table t (x)')"],
        tmp_path,
        env,
    )
    proc = subprocess.run(
        [command, "diff", "--db", "sqlite:///app.db", "--metadata", "models:metadata"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "users" in proc.stdout
