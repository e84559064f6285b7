"""Loading user code: ``"module:function"`` values from config, and comparator plugins from the
``schemadiff.comparators`` entry-point group.

A comparator plugin is ``fn(ctx, db, models) -> Iterable[Op | Notice]`` where ``ctx`` is a
:class:`schemadiff.comparators.CompareContext` and ``db`` / ``models`` the filtered snapshots. A
package registers one in its ``pyproject.toml``::

    [project.entry-points."schemadiff.comparators"]
    my_check = "my_package.schemadiff_plugin:compare"
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from importlib import metadata
from typing import Any

from schemadiff.errors import SchemadiffError
from schemadiff.settings.usercode import UserCodeExited, exited_message, guarded, import_user_module

ENTRY_POINT_GROUP = "schemadiff.comparators"


class PluginError(SchemadiffError):
    """User code that could not be loaded or failed; the message says what and how to fix it
    (the command line prints it as one line and exits 2)."""


def load_callable(spec: str, what: str = "value") -> Callable[..., Any]:
    """Import ``"package.module:function"`` (the attribute may be dotted: ``mod:Class.method``).

    ``what`` names the setting in error messages (``include_object``, ``comparators``...). The
    current directory is importable, like for ``metadata``.
    """
    module_name, sep, attr = spec.strip().partition(":")
    if not sep or not module_name or not attr:
        raise PluginError(f"{what} {spec!r}: expected 'module:function' (e.g. 'myapp.hooks:fn')")
    module = _import(module_name, spec, what)
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise PluginError(
                f"{what} {spec!r}: module {module_name!r} has no attribute {attr!r}"
            ) from None
    if not callable(obj):
        raise PluginError(f"{what} {spec!r}: {attr!r} is a {type(obj).__name__}, not a function")
    return guarded(obj, f"{what} {spec!r}")


def _import(module_name: str, spec: str, what: str) -> Any:
    try:
        return import_user_module(module_name, f"{what} module")
    except ModuleNotFoundError as exc:
        cwd = os.getcwd()
        top = module_name.split(".")[0]
        if exc.name == top and cwd not in sys.path:
            sys.path.insert(0, cwd)
            return _import(module_name, spec, what)
        raise PluginError(f"{what} {spec!r}: cannot import module {module_name!r} ({exc})") from exc
    except UserCodeExited:
        raise
    except Exception as exc:  # the user's module raised while importing
        raise PluginError(
            f"{what} {spec!r}: importing {module_name!r} failed: {type(exc).__name__}: {exc}"
        ) from exc


def entry_point_comparators() -> tuple[tuple[str, Callable[..., Any]], ...]:
    """(name, function) of every installed comparator plugin, sorted by name."""
    found: dict[tuple[str, str], metadata.EntryPoint] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault((ep.name, ep.value), ep)
    out = []
    for (name, value), ep in sorted(found.items()):
        try:
            fn = ep.load()
        except SystemExit as exc:
            what = f"comparator plugin {name!r} ({value}) exited while being imported"
            raise UserCodeExited(exited_message(what, exc)) from exc
        except Exception as exc:
            raise PluginError(
                f"comparator plugin {name!r} ({value}) could not be loaded: "
                f"{type(exc).__name__}: {exc} (uninstall it or fix the package)"
            ) from exc
        if not callable(fn):
            raise PluginError(f"comparator plugin {name!r} ({value}) is not callable")
        out.append((name, guarded(fn, f"comparator plugin {name!r} ({value})")))
    return tuple(out)


def callable_name(fn: Callable[..., Any]) -> str:
    """``module:qualname`` of a function, for messages."""
    module = getattr(fn, "__module__", None) or "?"
    return f"{module}:{getattr(fn, '__qualname__', repr(fn))}"
