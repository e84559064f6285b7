"""Keeping the cyclic garbage collector out of the hot paths.

Reflecting and comparing thousands of tables allocates millions of small, acyclic objects
(frozen dataclasses, tuples, row dicts). Each allocation burst makes CPython's collector walk
every live object, including the user's whole SQLAlchemy ``MetaData``: at 1,000 tables that was a
third of a diff's wall time. The collector is paused while such a step runs and restored after,
so nothing else in the process changes; reference counting still frees everything without a
cycle, and the few cycles made meanwhile are collected at the next collection after it.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nesting is fine; re-enabled only by the
    outermost block, and only if it was enabled before)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


#: the thread switch interval while reflection and the models' snapshot share the interpreter
QUICK_SWITCH_INTERVAL = 0.001


@contextmanager
def quick_thread_switches() -> Iterator[None]:
    """Let a thread that was waiting on the database take the interpreter back sooner.

    While the models' snapshot is built in a worker thread, the reflecting thread reads the
    catalog's answers: each ``recv`` releases the GIL, and getting it back waits for the busy
    worker to reach the switch interval (5 ms by default). A packed MariaDB answer of a
    megabyte arrives in dozens of reads, so the waits added about 40 ms at 1,000 tables; 1 ms
    removes most of them. The interval is process-wide and restored on exit."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, QUICK_SWITCH_INTERVAL))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)


def without_gc(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorator form of :func:`gc_paused`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return fn(*args, **kwargs)

    return wrapper


def spare_final_collection() -> None:
    """Called by the console script just before the process exits: the interpreter's shutdown
    runs one last full collection over every live object (the user's whole ``MetaData`` and our
    snapshots; about 0.4 s at 1,000 tables), which frees nothing the ending process needs.
    Freezing moves those objects out of the collector's reach; the operating system reclaims
    the memory. Only for a process that is about to end: a long-lived one (the pytest plugin, a
    library caller) would keep its cyclic garbage.

    Call it only once the output is flushed and its errors counted in the exit code
    (:func:`schemadiff.cli.output.settle`): nothing here may swallow a failed write."""
    gc.freeze()
