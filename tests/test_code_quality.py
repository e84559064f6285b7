"""The code stays typed and linted: mypy and ruff run as part of the suite (and so in CI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_mypy_is_clean() -> None:
    done = _run(str(BIN / "mypy"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_is_clean() -> None:
    done = _run(str(BIN / "ruff"), "check", "schemadiff", "tests")
    assert done.returncode == 0, done.stdout + done.stderr
    formatted = _run(str(BIN / "ruff"), "format", "--check", "schemadiff", "tests")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
