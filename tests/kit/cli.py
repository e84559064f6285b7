"""Running the command line: in-process (:func:`run_cli`, fast, for most tests) or as a user
runs it, ``python -m schemadiff`` in a real process (:func:`run_process`: exit codes, signals,
output written by the process itself). Both return one :class:`Result`."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemadiff.cli import app as cli

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Result:
    """Exit code and the two output streams of one command."""

    code: int
    stdout: str
    stderr: str

    @property
    def out(self) -> str:
        return self.stdout

    @property
    def err(self) -> str:
        return self.stderr


def one_error(result: Result, *expect: str) -> str:
    """The result is bad input's contract: exit 2, one ``error:`` line holding every ``expect``
    text, no traceback, not an "unexpected" error; returns the line."""
    assert result.code == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert "unexpected" not in lines[0] and "please report" not in lines[0], result.stderr
    for text in expect:
        assert text in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@contextlib.contextmanager
def cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(args: Sequence[str], where: Path) -> Result:
    """Run ``schemadiff ARGS`` in-process from directory ``where``."""
    out, err = io.StringIO(), io.StringIO()
    with cwd(where), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.run([str(a) for a in args])
    return Result(code, out.getvalue(), err.getvalue())


def cli_ok(folder: Path, *args: str) -> str:
    """The in-process command's standard output; it must succeed."""
    result = run_cli(list(args), folder)
    assert result.code == 0, (args, result)
    return result.out


def run_process(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
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


def run_alembic(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Result:
    """The installed ``alembic`` command (``python -m alembic ARGS``) in ``cwd``, with the same
    environment as :func:`run_process`, to compare its answers with schemadiff's."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    clean.update({"NO_COLOR": "1", "PYTHONPATH": str(ROOT)})
    clean.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "alembic", *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)
