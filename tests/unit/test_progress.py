"""The progress line: only on a terminal, only after the delay, statements counted."""

from __future__ import annotations

import io
import time

import sqlalchemy as sa

from schemadiff.cli.progress import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_on_a_pipe_even_when_slow() -> None:
    stream = io.StringIO()
    with progress("Reflecting", stream=stream, delay=0.0) as shown:
        time.sleep(0.05)
        assert not shown.shown
    assert stream.getvalue() == ""


def test_nothing_when_done_before_the_delay() -> None:
    stream = _Terminal()
    with progress("Reflecting", stream=stream, delay=5.0) as shown:
        pass
    assert not shown.shown
    assert stream.getvalue() == ""


def test_shown_on_a_terminal_after_the_delay() -> None:
    stream = _Terminal()
    with progress("Reflecting", stream=stream, delay=0.0) as shown:
        deadline = time.monotonic() + 2
        while not shown.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        shown.step("Comparing")
        assert shown.shown
    assert "Comparing" in shown.text()


def test_watch_counts_statements() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.connect() as conn, progress("Reflecting", stream=io.StringIO()) as shown:
        with shown.watch(conn):
            conn.exec_driver_sql("select 1")
            conn.exec_driver_sql("select 2")
        conn.exec_driver_sql("select 3")
    assert shown.statements == 2
    assert "2 catalog queries" in shown.text()
