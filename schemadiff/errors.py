"""Errors the command line reports as one line (``error: <message>``, exit code 2).

Each message says what failed and what to do about it. Messages never contain a password: URLs are
rendered masked (:func:`schemadiff.backends.connect.mask_url`) before they are put into a message,
and the
command line scrubs any remaining secret before printing.
"""

from __future__ import annotations


class SchemadiffError(Exception):
    """Base class: a failure the user can fix; reported without a traceback."""

    exit_code: int = 2


class UsageError(SchemadiffError):
    """A command-line argument is wrong (unknown ``--format``, malformed rename hint...)."""


class ConfigError(SchemadiffError):
    """A configuration file or value is wrong (malformed TOML, wrong type, unknown environment)."""


class ConnectionFailed(SchemadiffError):
    """The database could not be reached, refused the login, or does not exist."""


class DriverMissing(ConnectionFailed):
    """The URL names a backend or DBAPI driver that is not installed."""


class MetadataError(SchemadiffError):
    """The models' MetaData (or a configured hook) could not be imported."""


class SnapshotError(SchemadiffError):
    """A snapshot file could not be read or written."""


class OutputError(SchemadiffError):
    """Output could not be written in full (disk full, file too large, I/O error): the command
    fails even when its verdict was known, since what it printed or saved is incomplete."""


class RevisionError(SchemadiffError):
    """The revision chain or a revision argument is wrong: unknown or ambiguous id, several heads
    without a target, a cycle or dangling ``down_revision``, a script that does not parse."""


class NotAtHeads(SchemadiffError):
    """``current --check-heads``: the database is not at every head (a failed check, exit 1)."""

    exit_code = 1


class MigrationFailed(SchemadiffError):
    """A revision's ``upgrade()`` / ``downgrade()`` failed; the message says where the database
    was left."""


class MigrationInterrupted(KeyboardInterrupt):
    """Ctrl-C during a revision; the message says what of it ran and where the database is.
    A ``KeyboardInterrupt``, so a program that imports schemadiff stops as it expects."""


class InterruptReported(SchemadiffError):
    """A :class:`MigrationInterrupted` on its way to the command line's error line (typer turns
    any ``KeyboardInterrupt`` into a silent exit, losing the message); exit code 130."""

    exit_code = 130


class LockTimeout(SchemadiffError):
    """Another runner held the database's migration lock longer than ``lock_timeout``."""


def lock_timeout_message(waited: float) -> str:
    """The one line a runner that gave up waiting prints."""
    return (
        f"another upgrade, downgrade or stamp is running on this database; waited {waited:g} s "
        "(raise lock_timeout or --lock-timeout to wait longer)"
    )
