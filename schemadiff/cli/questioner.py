"""Asking the user about possible renames, when someone is there to answer.

``revision --autogenerate`` on a terminal asks "was users.name renamed to users.full_name?"
instead of only warning; anywhere else (CI, pipes) nothing is asked and the warning stands.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

Questioner = Callable[[str, str, str, str], bool]


def terminal_questioner() -> Questioner | None:
    """A questioner when stdin and stdout are terminals, else None (never block a pipeline)."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    return ask_rename


def ask_rename(kind: str, table: str, old: str, new: str) -> bool:
    """``kind`` is "table" or "column"; ``table`` the (qualified) table the question is about."""
    from rich.prompt import Confirm

    if kind == "table":
        question = f"Was table [bold]{old}[/] renamed to [bold]{new}[/]?"
    else:
        question = f"Was column [bold]{table}.{old}[/] renamed to [bold]{new}[/]?"
    return Confirm.ask(question + " (no: drop and add; data in the old one is lost)", default=False)
