"""Standard output that cannot fail silently.

A report cut short by a full disk, ``ulimit -f`` or an I/O error must not pass for a complete one:
the command then ends with one ``error: could not write standard output: <reason>`` line and exit
code 2, whatever its verdict was. A reader that went away (``schemadiff diff | head -1``) is not
an error: the rest of the output is dropped quietly and the exit code is 1, as Python's own
advice for SIGPIPE and click's handling have it.

Two things in the stock ``sys.stdout`` defeat this. Under ``PYTHONUNBUFFERED=1`` (or ``-u``) it
writes straight to the file descriptor and ignores short writes, so ``ulimit -f`` truncated a
snapshot while the command exited 0. And data still buffered at exit used to be flushed where
errors were swallowed. :func:`install` replaces ``sys.stdout`` with a buffered, checked stream
for the whole process; :func:`settle` flushes it at the end of each command and decides the code.
"""

from __future__ import annotations

import errno
import io
import os
import signal
import sys
from contextlib import suppress
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

WHAT = "standard output"

#: the exit code when the reader of our output went away (Python's advice for SIGPIPE; click's)
READER_GONE = 1


class StdoutLost(Exception):  # noqa: N818 - a state, not an error to report as such
    """Raised from a write to stdout that failed; deliberately not an OSError, so that no
    framework turns it into its own exit (click exits 1 on any EPIPE). :func:`settle` reports."""


@dataclass
class _Outcome:
    failure: OSError | None = None
    reader_gone: bool = False


_OUTCOME = _Outcome()


class _Descriptor(io.RawIOBase):
    """The raw side of our streams: ``os.write`` on a descriptor (None: it was closed at start,
    so every write fails with EBADF) that becomes a sink once the stream gave up, so the rest
    of the buffer drains without a second error (Python's shutdown would otherwise print
    ``Exception ignored`` and exit 120)."""

    def __init__(self, fd: int | None) -> None:
        super().__init__()
        self._fd = fd
        self.sink = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        if self._fd is None:
            raise io.UnsupportedOperation("closed at start")
        return self._fd

    def isatty(self) -> bool:
        return self._fd is not None and os.isatty(self._fd)

    def write(self, data: ReadableBuffer) -> int:
        size = memoryview(data).nbytes
        if self.sink:
            return size
        if self._fd is None:
            raise OSError(errno.EBADF, os.strerror(errno.EBADF))
        return os.write(self._fd, data)  # a short count is retried by the BufferedWriter


class CheckedStdout(io.TextIOWrapper):
    """``sys.stdout`` that remembers a failed write, drops the rest and raises
    :class:`StdoutLost` (see :func:`settle`)."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError as exc:
            raise _lost(exc) from exc

    def flush(self) -> None:
        try:
            super().flush()
        except OSError as exc:
            raise _lost(exc) from exc


class QuietStderr(io.TextIOWrapper):
    """``sys.stderr`` that drops what it cannot write: it is where failures are reported, so
    there is nowhere left to report its own (the exit code still tells)."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except OSError:
            _sink(self)
            return len(text)

    def flush(self) -> None:
        try:
            super().flush()
        except OSError:
            _sink(self)
            super().flush()


def install() -> None:
    """Replace ``sys.stdout`` and ``sys.stderr`` with checked streams on the same descriptors,
    for a process that is the command line (never for a library caller). Buffered even under
    ``-u``, where the stock stream drops the rest of a short write: the buffer retries it; line
    buffering keeps the output as timely as before."""
    if hasattr(signal, "SIGXFSZ"):
        # past ``ulimit -f`` a write must fail with EFBIG, not kill the process (CPython does
        # this at start-up too; an embedding interpreter may not have)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    if not isinstance(sys.stdout, CheckedStdout):
        sys.stdout = _replace(sys.stdout, 1, CheckedStdout)
    if not isinstance(sys.stderr, QuietStderr):
        sys.stderr = _replace(sys.stderr, 2, QuietStderr)


def _replace(old: TextIO | None, fd: int, kind: type[io.TextIOWrapper]) -> TextIO:
    encoding, errors, line_buffering = "utf-8", "backslashreplace", True
    if old is not None:
        with suppress(OSError, ValueError):
            old.flush()
        encoding, errors = old.encoding, old.errors or "strict"
        unbuffered = not isinstance(getattr(old, "buffer", None), io.BufferedWriter)
        line_buffering = bool(old.line_buffering) or unbuffered
    raw = _Descriptor(fd if old is not None else None)
    return kind(io.BufferedWriter(raw), encoding, errors, None, line_buffering)


def settle(code: int) -> int:
    """Flush stdout at the end of a command and return the exit code that tells the truth:
    2 with one ``error:`` line after a failed write, 1 (quietly) when the reader went away."""
    stream = sys.stdout
    try:
        if stream is not None:
            stream.flush()
    except StdoutLost:
        pass
    except OSError as exc:  # an unchecked stdout (a library caller's)
        _lost(exc)
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say anything
    if _OUTCOME.failure is not None:
        failure, _OUTCOME.failure = _OUTCOME.failure, None
        stderr_line(f"error: could not write {WHAT}: {failure.strerror or failure}")
        return 2
    if _OUTCOME.reader_gone:
        _OUTCOME.reader_gone = False
        return READER_GONE
    return code


def _lost(exc: OSError) -> StdoutLost:
    """Remember why stdout failed (the first reason wins) and stop writing to it."""
    if isinstance(exc, BrokenPipeError):
        _OUTCOME.reader_gone = True
    elif _OUTCOME.failure is None:
        _OUTCOME.failure = exc
    _sink(sys.stdout)
    return StdoutLost(str(exc))


def _sink(stream: object) -> None:
    """Turn our stream's descriptor into a sink (a stream that is not ours is left alone)."""
    raw = getattr(getattr(stream, "buffer", None), "raw", None)
    if isinstance(raw, _Descriptor):
        raw.sink = True


def stderr_line(line: str) -> None:
    """One line on stderr: whitespace collapsed (messages stay one line), secrets scrubbed."""
    from schemadiff.backends.connect import scrub

    text = scrub(" ".join(line.split())) + "\n"
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stderr is full, closed or missing: the exit code still tells
