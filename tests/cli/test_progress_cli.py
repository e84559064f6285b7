"""The progress line in real commands: nothing on stderr unless it is a terminal, never in
stdout, and closed before the rename prompt of ``revision --autogenerate``."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.cli import progress
from tests.kit.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
#: the command line with the progress line due at once (no one-second wait)
NO_DELAY = (
    "import schemadiff.cli.progress as p; p.DEFAULT_DELAY = 0.0; "
    "from schemadiff.cli.app import main; main()"
)
MODELS = """
import time
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("full_name", sa.String(80)))
_slept = []


def slow_names(name, type_, parent_names):
    # the first call takes a while, so that the (undelayed) progress line is surely drawn
    if not _slept:
        _slept.append(time.sleep(0.5))
    return True
"""
ERASE = "\x1b[2K"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(80))"))
    engine.dispose()
    (tmp_path / "progress_models.py").write_text(MODELS)
    (tmp_path / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "progress_models:metadata"\nscript_location = "migrations"\n'
        'include_name = "progress_models:slow_names"\n'
    )
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ["diff"],
        ["diff", "--format", "sql"],
        ["check", "--no-classify"],
        ["snapshot", "-o", "-"],
        ["revision", "--autogenerate", "-m", "r", "--rev-id", "r1"],
    ],
)
def test_nothing_on_stderr_when_it_is_not_a_terminal(
    project: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "DEFAULT_DELAY", 0.0)
    result = run_cli(args, project)
    assert result.code in (0, 1), result.err
    warnings = [line for line in result.err.splitlines() if "possible rename" not in line]
    assert warnings == []
    assert "…" not in result.out + result.err


def _read_all(fd: int, proc: subprocess.Popen[bytes], answer: bytes | None = None) -> str:
    """Everything written to the terminal ``fd`` until the process ends; ``answer`` is typed
    at the first rename question."""
    seen, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if answer is not None and not answered and b"renamed to" in seen:
            os.write(fd, answer)
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    return seen.decode(errors="replace")


def _env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    return {**clean, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}


def test_shown_on_a_terminal_stderr_and_never_in_stdout(project: Path) -> None:
    """``diff --format sql > file`` on a terminal: the line is drawn on stderr and erased; the
    SQL is exactly what a run without a terminal prints."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", NO_DELAY, "diff", "--format", "sql"],
        cwd=project,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=follower,
        env=_env(),
    )
    os.close(follower)
    terminal = _read_all(leader, proc)
    os.close(leader)
    assert proc.stdout is not None
    stdout = proc.stdout.read().decode()
    proc.stdout.close()
    assert proc.returncode == 1
    assert "Comparing…" in terminal
    assert terminal.rstrip("\r\n").endswith(ERASE)
    plain = run_cli(["diff", "--format", "sql"], project)
    assert stdout == plain.out
    assert "…" not in stdout


def test_closed_before_the_rename_prompt(project: Path) -> None:
    leader, follower = pty.openpty()
    args = ["revision", "--autogenerate", "-m", "r", "--rev-id", "r1"]
    proc = subprocess.Popen(
        [sys.executable, "-c", NO_DELAY, *args],
        cwd=project,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=_env(),
    )
    os.close(follower)
    seen = _read_all(leader, proc, answer=b"y\n")
    os.close(leader)
    assert proc.returncode == 0, seen
    question = seen.index("Was column")
    assert "Comparing…" in seen[:question]  # drawn while comparing...
    assert seen[:question].rstrip("\r\n").endswith(ERASE)  # ...and erased before the question
    assert "…" not in seen[question:]  # never drawn again over the prompt or after it
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen[question:])
    assert "Was column users.name renamed to full_name?" in plain
    script = (project / "migrations" / "versions" / "r1_r.py").read_text()
    assert 'new_column_name="full_name"' in script
