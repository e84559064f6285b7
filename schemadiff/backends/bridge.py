"""Let synchronous code drive an async driver (asyncpg, asyncmy, ...) with no loop of its own.

schemadiff reflects and migrates through synchronous connections. SQLAlchemy's async drivers
work behind a synchronous connection only inside a greenlet that can await for them: that is
what ``AsyncConnection.run_sync`` does. :func:`run` gives a whole command that greenlet, with
one private event loop that runs only while a driver awaits, so the command's own code (and an
``env.py`` calling ``asyncio.run``) never finds a running loop. Without an async driver nothing
ever awaits and the loop is never created.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")

#: the attribute SQLAlchemy 2.1 looks for on the current greenlet before an async driver awaits
PROVIDER = "__sqlalchemy_greenlet_provider__"


def available() -> bool:
    """True when greenlet (``sqlalchemy[asyncio]``) is installed."""
    try:
        import greenlet  # noqa: F401
    except ImportError:
        return False
    return True


def active() -> bool:
    """True inside :func:`run` or ``AsyncConnection.run_sync``: an async driver may await here."""
    if not available() or "sqlalchemy" not in sys.modules:
        return False  # nothing of SQLAlchemy's has run: no run_sync can be active (and the
        # command line's start stays free of SQLAlchemy's import)
    from sqlalchemy.util.concurrency import in_greenlet

    return in_greenlet()


def run(fn: Callable[[], T]) -> T:
    """``fn()`` inside a greenlet where SQLAlchemy's async drivers can await (as under
    ``AsyncConnection.run_sync``); plainly when greenlet is not installed or one is active."""
    if not available() or active():
        return fn()
    from greenlet import getcurrent

    child = _provider_class()(fn, getcurrent())
    loop: asyncio.AbstractEventLoop | None = None
    try:
        result: Any = child.switch()
        while not child.dead:  # the child handed over an awaitable: run it, hand back the result
            if loop is None:
                import asyncio

                loop = asyncio.new_event_loop()
            try:
                value = loop.run_until_complete(result)
            except BaseException:  # noqa: BLE001 - the child unwinds (closing its connections)
                result = child.throw(*sys.exc_info())
            else:
                result = child.switch(value)
        return result
    finally:
        if loop is not None:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def _provider_class() -> Any:
    """A greenlet class SQLAlchemy accepts as an await provider: 2.1 looks for :data:`PROVIDER`
    and awaits in the parent; 2.0 wants its own class and awaits in ``driver`` (the parent)."""
    from greenlet import greenlet

    base: Any = greenlet
    if _sqlalchemy_20():  # its own class (gone in 2.1)
        try:
            base = import_module("sqlalchemy.util._concurrency_py3k")._AsyncIoGreenlet
        except (ImportError, AttributeError):
            pass

    class Provider(base):
        def __init__(self, fn: Callable[[], Any], driver: Any) -> None:
            greenlet.__init__(self, fn, driver)
            self.driver = driver
            self.gr_context = driver.gr_context  # the command's context variables stay visible

    setattr(Provider, PROVIDER, True)
    return Provider


def _sqlalchemy_20() -> bool:
    """SQLAlchemy 2.0 (its own greenlet class) rather than 2.1, found without importing it or
    reading package metadata (both would slow every command's start)."""
    from importlib.util import find_spec

    spec = find_spec("sqlalchemy")
    if spec is None or spec.origin is None:
        return False
    return (Path(spec.origin).parent / "util" / "_concurrency_py3k.py").is_file()
