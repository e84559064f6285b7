"""Running the user's code (models module, hooks, revision files) so that its ``sys.exit()`` is
an error naming the file, never a verdict: a ``SystemExit(0)`` raised while a models module is
imported must not end ``check`` with exit code 0. ``KeyboardInterrupt`` stays an interrupt.

Python source files are read as Python reads them (PEP 263 coding line, BOM): see
:func:`read_source`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import tokenize
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from schemadiff.errors import SchemadiffError

T = TypeVar("T")


class UserCodeExited(SchemadiffError):
    """User code called ``sys.exit()`` (or raised ``SystemExit``) while schemadiff ran it."""


def exit_code_text(exc: SystemExit) -> str:
    """``sys.exit(3)``: ``code 3``; ``sys.exit("msg")``: ``'msg'``; ``sys.exit()``: ``code 0``."""
    code = exc.code
    if code is None or isinstance(code, int):
        return f"code {code or 0}"
    return repr(str(code))


def exited_message(what: str, exc: SystemExit, where: str = "") -> str:
    """One line for user code that called ``sys.exit()``: ``what`` names it and what was going
    on (``"models module 'models' exited while being imported"``)."""
    place = f" in {where}" if where else ""
    return (
        f"{what} (sys.exit() with {exit_code_text(exc)}{place}); schemadiff needs that code to "
        "run to its end: remove the sys.exit() call or put it under "
        "'if __name__ == \"__main__\":'"
    )


def import_user_module(name: str, what: str) -> ModuleType:
    """``importlib.import_module(name)``, with a ``sys.exit()`` in the module (or in anything it
    imports) reported as :class:`UserCodeExited`; ``what`` names the module's role
    (``"models module"``, ``"include_object module"``). Other exceptions propagate."""
    try:
        return importlib.import_module(name)
    except SystemExit as exc:
        raise UserCodeExited(
            exited_message(f"{what} {name!r} exited while being imported", exc, _origin(name))
        ) from exc


def guarded(fn: Callable[..., T], what: str) -> Callable[..., T]:
    """``fn`` (a hook or plugin the user configured) with a ``sys.exit()`` inside it reported as
    :class:`UserCodeExited` instead of ending schemadiff with the hook's exit code."""

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> T:
        try:
            return fn(*args, **kwargs)
        except SystemExit as exc:
            raise UserCodeExited(exited_message(f"{what} exited while running", exc)) from exc

    return call


def _origin(name: str) -> str:
    """The file module ``name`` comes from (for messages), or ``""``."""
    try:
        spec = importlib.util.find_spec(name)
    except (Exception, SystemExit):  # noqa: BLE001 - only for a message
        return ""
    origin = spec.origin if spec is not None else None
    return origin if origin and origin not in ("built-in", "frozen") else ""


def read_source(path: Path) -> str:
    """A Python file's text decoded as the interpreter decodes it (coding declaration, BOM,
    UTF-8 by default). Raises ``OSError``, ``SyntaxError`` (bad declaration) or
    ``UnicodeDecodeError``, as ``open`` and ``ast.parse`` do."""
    with tokenize.open(path) as handle:
        return handle.read()
