"""``revision -m`` with any message writes a file that parses, and the message reads back as
given (``history`` and ``show`` display it; the file name slug stays a plain name)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.kit.cli import run_process

MESSAGES = {
    "triple double quotes": 'say """hi""" there',
    "backslash N": r"keep \N{BULLET} and \n literally",
    "backslashes": r"path C:\temp\new \\server",
    "trailing backslash": "ends with a backslash\\",
    "trailing quote": 'ends "quoted"',
    "only quotes": '""""',
    "leading quote": '"quoted" start',
    "triple single quotes": "triple '''single''' quotes",
    "non-ASCII": "ünïcødé – “quotes” 名前",
    "newlines": "first line\nsecond line",
    "mako-looking": "price ${amount} <%text>",
    "control character": "bell\x07here",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("messages")
    (root / "migrations" / "versions").mkdir(parents=True)
    (root / "schemadiff.toml").write_text('script_location = "migrations"\n')
    return root


@pytest.mark.parametrize("name", sorted(MESSAGES))
def test_message_round_trips(project: Path, name: str) -> None:
    message = MESSAGES[name]
    rev = re.sub(r"\W", "_", name)
    result = run_process(project, "revision", "-m", message, "--rev-id", rev)
    assert result.code == 0, result
    [path] = (project / "migrations" / "versions").glob(f"{rev}_*.py")
    assert re.fullmatch(rf"{rev}_\w*\.py", path.name), path.name
    assert path.name.isprintable()
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    assert docstring.split("\n\nRevision ID:")[0] == message
    shown = " ".join(message.split())
    history = run_process(project, "history")
    assert history.code == 0, history
    assert f", {shown}\n" in history.stdout
    show = run_process(project, "show", rev)
    assert show.code == 0, show
    for line in message.splitlines():
        assert f"    {line}\n" in show.stdout


def test_slug_of_special_characters(project: Path) -> None:
    result = run_process(project, "revision", "-m", 'a/b\\c "d" \\N ünï', "--rev-id", "slugs")
    assert result.code == 0, result
    assert (project / "migrations" / "versions" / "slugs_a_b_c_d_n_ünï.py").is_file()
