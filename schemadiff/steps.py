"""Progress hooks: the library names its slow steps, the command line decides how to show them.

``with progress("Reflecting the database") as shown:`` gives a :class:`Steps` whose ``step``,
``watch`` and ``before_prompt`` do nothing until a display is installed with :func:`show_with`
(the command line installs its rich progress line, :mod:`schemadiff.cli.progress`). The library
itself never imports a UI library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import TYPE_CHECKING, Any, ParamSpec, Protocol, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

P = ParamSpec("P")
R = TypeVar("R")


class Steps(Protocol):
    """What a slow piece of work tells the display."""

    def step(self, label: str) -> None:
        """Name the step now running."""

    def watch(self, conn: Connection) -> AbstractContextManager[Any]:
        """Count the statements ``conn`` runs inside the block."""

    def before_prompt(self, ask: Callable[P, R]) -> Callable[P, R]:
        """``ask``, made safe to call while the display is up (prompts stay readable)."""


class Quiet:
    """The display when none is installed: nothing shown, nothing counted."""

    def step(self, label: str) -> None:
        pass

    def watch(self, conn: Connection) -> AbstractContextManager[Any]:
        return nullcontext()

    def before_prompt(self, ask: Callable[P, R]) -> Callable[P, R]:
        return ask


Display = Callable[[str], AbstractContextManager[Steps]]

_display: Display | None = None


def show_with(display: Display | None) -> None:
    """Install the display every :func:`progress` block uses (None: quiet again)."""
    global _display
    _display = display


@contextmanager
def progress(label: str) -> Iterator[Steps]:
    """The installed display's steps for the block, else quiet ones."""
    if _display is None:
        yield Quiet()
        return
    with _display(label) as shown:
        yield shown


#: where the library's notes go (which driver an async URL got); the command line shows them
#: with ``--debug``
_notes: list[Callable[[str], None]] = []
_noted: set[str] = set()


def notes_to(show: Callable[[str], None] | None) -> None:
    """Send the library's notes to ``show`` (None: to nowhere)."""
    _notes[:] = [show] if show is not None else []
    _noted.clear()


def note(text: str) -> None:
    """Tell ``text`` once (a command may open several engines on one URL)."""
    if text in _noted:
        return
    _noted.add(text)
    for show in _notes:
        show(text)
