"""Running the typer app so that every failure is one scrubbed ``error:`` line and an exit code.

Exit code 2 for usage, configuration, connection, output and unexpected errors; tracebacks only
with ``--debug``; library warnings become one ``warning:`` line each. Nothing printed here can
contain a password (:func:`schemadiff.backends.connect.scrub`).
"""

from __future__ import annotations

import importlib
import logging
import sys
import traceback
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import typer

from schemadiff.cli.output import StdoutLost, settle, stderr_line

if TYPE_CHECKING:
    from schemadiff.settings.config import Settings


@dataclass
class _State:
    """Global options, set by the app callback; ``debug`` is read by the error handler."""

    config: Path | None = None
    name: str | None = None
    debug: bool = False
    #: ``-x KEY=VALUE`` arguments, for the project's env.py (``context.get_x_argument()``)
    x: tuple[str, ...] = ()


STATE = _State()


def cli_settings(**overrides: Any) -> Settings:
    """Merged settings for a command: the global ``--config`` / ``-n`` (from :data:`STATE`), the
    command's options as ``overrides``; config warnings go to stderr at once, and the engines
    created from now on use the configured connect and read timeouts."""
    from schemadiff.backends import timeouts
    from schemadiff.settings.config import load_settings

    settings = load_settings(config_path=STATE.config, environment=STATE.name, overrides=overrides)
    settings = replace(settings, x_arguments=STATE.x)
    timeouts.configure(settings.connect_timeout, settings.read_timeout)
    for warning in settings.warnings:
        stderr_line(f"warning: {warning}")
    return settings


def run_app(app: typer.Typer, argv: list[str] | None = None) -> int:
    """Run ``app`` and return its exit code (errors printed, never raised). The code is settled
    last, after stdout is flushed: a write that failed wins over the command's verdict."""
    return settle(_run_command(app, argv))


def _run_command(app: typer.Typer, argv: list[str] | None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--debug" in args[: args.index("--") if "--" in args else len(args)]:
        args.remove("--debug")  # accepted anywhere, not only before the command
        args.insert(0, "--debug")
        STATE.debug = True
    warnings.showwarning = _show_warning
    if not logging.getLogger().handlers:
        # no logging configured: a driver's own log records (asyncmy logs each server warning
        # of its SHOW WARNINGS) would reach stderr raw through logging's last resort
        logging.getLogger().addHandler(logging.NullHandler())
    command = typer.main.get_command(app)
    usage_errors, interrupts = _framework_exceptions()
    from schemadiff import steps
    from schemadiff.backends import bridge
    from schemadiff.cli import progress

    steps.show_with(progress.progress)  # the library's slow steps get the progress line
    steps.notes_to(_debug_note)
    try:
        # in a greenlet async drivers can await from (a no-op for the synchronous ones)
        rv = bridge.run(
            lambda: command.main(args=args, prog_name="schemadiff", standalone_mode=False)
        )
    except usage_errors as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # type: ignore[attr-defined]
        else:
            message = exc.format_message()  # type: ignore[attr-defined]
            stderr_line(f"error: {message} (see 'schemadiff --help')")
        return int(getattr(exc, "exit_code", 2))
    except interrupts:
        return _interrupted()
    except StdoutLost:
        return 2  # settle() says why (or that the reader went away, which is no error)
    except Exception as exc:  # noqa: BLE001 - every failure becomes one clear line
        return _report(exc)
    finally:
        steps.show_with(None)
        steps.notes_to(None)
    if rv == INTERRUPTED:  # typer turns Ctrl-C into a silent Exit(130), returned as the code
        return _interrupted()
    return rv if isinstance(rv, int) else 0


def _debug_note(text: str) -> None:
    """A library note (which driver an async URL got), shown only with ``--debug``."""
    if STATE.debug:
        stderr_line(f"note: {text}")


#: the exit code after Ctrl-C (128 + SIGINT); no command returns it otherwise
INTERRUPTED = 130


def _interrupted() -> int:
    stderr_line("error: interrupted")
    return INTERRUPTED


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    """Library warnings (e.g. SQLAlchemy's) as one scrubbed ``warning:`` line each."""
    stderr_line(f"warning: {category.__name__}: {message}")


def _framework_exceptions() -> tuple[tuple[type[Exception], ...], tuple[type[BaseException], ...]]:
    """Usage-error and interrupt classes of typer (which may vendor click) and of click itself."""
    usage: list[type[Exception]] = []
    aborts: list[type[BaseException]] = [KeyboardInterrupt, typer.Abort]
    typer_exc = getattr(typer, "TyperException", None)
    if isinstance(typer_exc, type) and issubclass(typer_exc, Exception):
        usage.append(typer_exc)
    # typer 0.26+ carries its own copy of click (typer._click), whose exceptions are not click's
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        click_exc = getattr(module, "ClickException", None)  # not in every typer release
        if isinstance(click_exc, type) and issubclass(click_exc, Exception):
            usage.append(click_exc)
        abort = getattr(module, "Abort", None)
        if isinstance(abort, type) and issubclass(abort, BaseException):
            aborts.append(abort)
    return tuple(usage), tuple(aborts)


def _report(exc: BaseException) -> int:
    from schemadiff.errors import SchemadiffError

    if STATE.debug:
        from schemadiff.backends.connect import scrub

        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        sys.stderr.write(scrub(text))
    if isinstance(exc, SchemadiffError):
        stderr_line(f"error: {exc}")
        return exc.exit_code
    stderr_line(f"error: {_describe_unexpected(exc)}")
    return 2


def _describe_unexpected(exc: BaseException) -> str:
    """Driver and SQLAlchemy errors as one line; anything else flagged as a probable bug."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.SQLAlchemyError):
        from schemadiff.backends.connect import driver_message

        return f"database error: {driver_message(exc)}; check the database and your permissions"
    if isinstance(exc, OSError):
        return f"{exc}; check the path and permissions"
    first = (str(exc).splitlines() or [""])[0]
    hint = "" if STATE.debug else "; run with --debug for the traceback"
    return f"unexpected {type(exc).__name__}: {first}{hint} (please report it)"
