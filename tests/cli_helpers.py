"""Running the command line as a user would: ``python -m schemadiff`` in a project folder."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """``python -m schemadiff ARGS`` in ``cwd``, without the caller's database variables."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    clean.update({"NO_COLOR": "1", "PYTHONPATH": str(ROOT)})
    clean.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "schemadiff", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
