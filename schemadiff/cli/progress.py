"""A progress line for slow steps (reflecting thousands of tables): rich, on stderr, transient.

It appears only when stderr is a terminal and the work is still running after ``delay`` seconds
(about one): quick runs, pipes, CI logs and redirected output never see it. It shows the current
step, the catalog statements run so far and the elapsed time, and erases itself when done.

Usage (what a command does around reflection and comparison)::

    with progress("Reflecting the database") as shown:
        with shown.watch(conn):              # counts catalog statements on this connection
            db = inspect_database(conn, schemas)
        shown.step("Building the models' snapshot")
        models = inspect_metadata(metadata, conn.dialect, db.default_schema)
        shown.step("Comparing")
        result = compute_diff(db, models, options)

Blocks nest: an inner ``progress(label)`` (``reflect_target`` inside ``compare`` inside ``check``)
only names its step on the line already running, so one command shows one line. Call
:meth:`Progress.before_prompt` on anything that asks the user a question: the line is closed
first, and a prompt is never mixed with it. :func:`suppressed` keeps the line off while another
display (``check``'s bar over several targets) owns the terminal.

rich is imported only when the line is actually shown, so short commands do not pay for it.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, ParamSpec, TextIO, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

DEFAULT_DELAY = 1.0

P = ParamSpec("P")
R = TypeVar("R")


class Progress:
    """The state of one progress line; :func:`progress` shows it once ``delay`` has passed."""

    def __init__(self, label: str, stream: TextIO, delay: float) -> None:
        self.label = label
        self.statements = 0
        self._stream = stream
        self._delay = delay
        self._started = time.monotonic()
        self._lock = threading.Lock()
        self._live: Any = None
        self._timer: threading.Timer | None = None
        self._closed = False

    # --- what callers use ----------------------------------------------------------------------

    def step(self, label: str) -> None:
        """Name the step now running."""
        self.label = label

    @contextmanager
    def watch(self, conn: Connection) -> Iterator[None]:
        """Count the statements ``conn`` runs inside the block."""
        from sqlalchemy import event

        def count(*_: object) -> None:
            self.statements += 1

        event.listen(conn, "before_cursor_execute", count)
        try:
            yield
        finally:
            event.remove(conn, "before_cursor_execute", count)

    def before_prompt(self, ask: Callable[P, R]) -> Callable[P, R]:
        """``ask`` with this line closed (for good) before it runs: prompts stay readable."""

        def closed_first(*args: P.args, **kwargs: P.kwargs) -> R:
            self.close()
            return ask(*args, **kwargs)

        return closed_first

    @property
    def shown(self) -> bool:
        return self._live is not None

    def text(self) -> str:
        elapsed = time.monotonic() - self._started
        queries = f", {self.statements} catalog queries" if self.statements else ""
        return f"{self.label}… ({elapsed:.0f} s{queries})"

    # --- showing and hiding ------------------------------------------------------------------

    def arm(self) -> None:
        """Show the line after the delay, if the stream is a terminal."""
        if not _is_terminal(self._stream):
            return
        self._timer = threading.Timer(self._delay, self._show)
        self._timer.daemon = True
        self._timer.start()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._live is not None:
                self._live.stop()

    def _show(self) -> None:
        from rich.console import Console
        from rich.live import Live
        from rich.spinner import Spinner

        with self._lock:
            if self._closed:
                return
            console = Console(file=self._stream, stderr=self._stream is sys.stderr)
            spinner = Spinner("dots", text=_Text(self), style="cyan")
            # stdout is the command's output (maybe a file): never sent to the terminal's line
            live = Live(
                spinner,
                console=console,
                transient=True,
                refresh_per_second=8,
                redirect_stdout=False,
            )
            live.start(refresh=True)
            self._live = live


class _Text:
    """Rich renderable re-reading the progress text at each refresh (no locking needed)."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def __rich__(self) -> str:
        return self._progress.text()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


#: the progress line of the running command, if any (inner blocks reuse it)
_ACTIVE: ContextVar[Progress | None] = ContextVar("schemadiff_progress", default=None)


@contextmanager
def progress(
    label: str, *, stream: TextIO | None = None, delay: float | None = None
) -> Iterator[Progress]:
    """A :class:`Progress` for the block, shown on ``stream`` (stderr) after ``delay`` seconds
    (:data:`DEFAULT_DELAY`) when that is a terminal; erased when the block ends (also on errors).
    Inside another block: that block's line, now showing ``label``."""
    active = _ACTIVE.get()
    if active is not None:
        active.step(label)
        yield active
        return
    wait = DEFAULT_DELAY if delay is None else delay
    state = Progress(label, stream if stream is not None else sys.stderr, wait)
    token = _ACTIVE.set(state)
    state.arm()
    try:
        yield state
    finally:
        state.close()
        _ACTIVE.reset(token)


@contextmanager
def suppressed() -> Iterator[None]:
    """No progress line inside the block (another display owns the terminal)."""
    silent = Progress("", sys.stderr, DEFAULT_DELAY)  # never armed, so never shown
    token = _ACTIVE.set(silent)
    try:
        yield
    finally:
        _ACTIVE.reset(token)
