"""The progress line as commands use it: erased when done, closed before a prompt, one line for
nested blocks, silent under another display and on anything but a terminal."""

from __future__ import annotations

import io
import time

from schemadiff.cli.progress import Progress, progress, suppressed

ERASE = "\x1b[2K"  # rich's "erase line", written when the transient line goes away


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _wait_shown(shown: Progress) -> None:
    deadline = time.monotonic() + 5
    while not shown.shown and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shown.shown


def test_shown_then_erased_on_a_terminal() -> None:
    stream = _Terminal()
    with progress("Reflecting the database", stream=stream, delay=0.0) as shown:
        _wait_shown(shown)
        assert "Reflecting the database…" in stream.getvalue()
    assert stream.getvalue().endswith(ERASE)


def test_nothing_written_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with progress("Reflecting the database", stream=stream, delay=0.0) as shown:
        shown.step("Comparing")
        time.sleep(0.05)
    assert not shown.shown
    assert stream.getvalue() == ""


def test_inner_blocks_name_steps_of_the_outer_line() -> None:
    stream = _Terminal()
    with progress("Reflecting the database", stream=stream, delay=0.0) as outer:
        with progress("Connecting to the database") as inner:
            assert inner is outer
            assert outer.label == "Connecting to the database"
        _wait_shown(outer)
        outer.step("Comparing")
    with progress("Comparing", stream=io.StringIO()) as later:
        assert later is not outer  # the outer block is over: a new line


def test_closed_before_a_prompt() -> None:
    stream = _Terminal()
    seen_at_prompt: list[str] = []

    def ask(question: str) -> bool:
        seen_at_prompt.append(stream.getvalue())
        return True

    with progress("Comparing", stream=stream, delay=0.0) as shown:
        _wait_shown(shown)
        assert shown.before_prompt(ask)("renamed?") is True
        after_prompt = stream.getvalue()
        time.sleep(0.3)  # the line would have refreshed a few times by now
        assert stream.getvalue() == after_prompt  # and never comes back
    assert seen_at_prompt[0].endswith(ERASE)


def test_suppressed_while_another_display_runs() -> None:
    stream = _Terminal()
    with suppressed(), progress("Reflecting the database", stream=stream, delay=0.0) as shown:
        time.sleep(0.05)
    assert not shown.shown
    assert stream.getvalue() == ""
