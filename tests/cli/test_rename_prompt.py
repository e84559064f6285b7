"""On a terminal, ``revision --autogenerate`` asks about a possible rename; elsewhere it warns."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from tests.kit.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
MODELS = """
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("full_name", sa.String(80)))
"""


def _project(tmp_path: Path) -> Path:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(80))"))
        conn.execute(sa.text("INSERT INTO users VALUES (1, 'Ada')"))
    engine.dispose()
    (tmp_path / "models.py").write_text(MODELS)
    (tmp_path / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models:metadata"\nscript_location = "migrations"\n'
    )
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


def _run_on_terminal(folder: Path, args: list[str], answer: bytes) -> str:
    """Run the CLI with a pseudo-terminal as stdin/stdout, answer the first prompt."""
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemadiff", *args],
        cwd=folder,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen, answered, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"renamed to" in seen:
            os.write(leader, answer)
            answered = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=30)
    os.close(leader)
    return re.sub(r"\x1b\[[0-9;]*m", "", seen.decode(errors="replace"))


def test_terminal_prompt_turns_yes_into_a_rename(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    out = _run_on_terminal(
        folder, ["revision", "--autogenerate", "-m", "r", "--rev-id", "r1"], b"y\n"
    )
    assert "Was column users.name renamed to full_name?" in out
    script = (folder / "migrations" / "versions" / "r1_r.py").read_text()
    assert 'new_column_name="full_name"' in script
    assert "drop_column" not in script


def test_without_a_terminal_it_only_warns(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = run_cli(["revision", "--autogenerate", "-m", "r", "--rev-id", "r1"], folder)
    assert result.code == 0
    assert "possible rename of users.name to users.full_name" in result.out + result.err
    script = (folder / "migrations" / "versions" / "r1_r.py").read_text()
    assert "drop_column" in script
