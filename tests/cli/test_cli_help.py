"""Every command's ``--help`` as a user reads it: no placeholders from typer's defaults
(``<bool>``, ``<str>``, ``{directory}``), and every help text printed whole (rich markup must not
swallow ``[tool.schemadiff.environments.*]``)."""

from __future__ import annotations

import contextlib
import io
import re

import pytest
import typer

from schemadiff.cli import app as cli

COMMAND = typer.main.get_command(cli.app)
NAMES = sorted(COMMAND.commands)  # type: ignore[attr-defined]


def render_help(*args: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "300")  # wide enough that no help text wraps
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.run([*args, "--help"])
    assert code == 0
    return out.getvalue()


def test_every_command_is_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    text = render_help(monkeypatch=monkeypatch)
    assert len(NAMES) >= 16
    for name in NAMES:
        assert re.search(rf"│ {name} ", text), name
    assert not re.search(r"<\w+>|\{\w+\}", text), text
    panel = text[text.index("─ Commands ") :].rstrip().splitlines()
    assert len(panel) == len(NAMES) + 2, text  # one line per command: no summary wraps


@pytest.mark.parametrize("name", NAMES)
def test_help_has_no_placeholders_and_every_text_whole(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = render_help(name, monkeypatch=monkeypatch)
    assert not re.search(r"<\w+>", text), text  # typer's type labels (<bool>, <str>, <path>)
    assert not re.search(r"\{\w+\}", text), text  # typer's required-argument notation
    flat = " ".join(text.split())
    command = COMMAND.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        if param.help:  # as written, markup escapes removed: nothing swallowed
            assert " ".join(param.help.replace("\\[", "[").split()) in flat, (name, param.help)


def test_check_help_names_the_environment_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    text = render_help("check", monkeypatch=monkeypatch)
    assert "Check every [tool.schemadiff.environments.*] entry." in text
