"""Alembic's ``post_write_hooks`` run on a revision file we wrote, with Alembic's own runners
(``console_scripts``, ``exec``, ``module`` and any the project registered through
``alembic.script.write_hooks.register``), so the file ends formatted as ``alembic revision``
would leave it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from schemadiff.errors import UsageError


def run_hooks(
    path: Path, hooks: Sequence[Mapping[str, str]], notice: Callable[[str], None] | None = None
) -> None:
    """Run each configured hook on ``path`` in order; a misconfigured one is one clear error (the
    file stays written, as with Alembic)."""
    from alembic.script import write_hooks
    from alembic.util import CommandError

    for hook in hooks:
        name = hook.get("_hook_name", "?")
        kind = hook.get("type")
        if not kind:
            raise UsageError(
                f"post_write_hooks {name!r} has no 'type' (Alembic needs {name}.type, e.g. "
                f"console_scripts); {path} was written but not formatted"
            )
        if notice is not None:
            notice(f"running post write hook {name!r}")
        try:
            write_hooks._invoke(kind, str(path), hook)  # noqa: SLF001 - Alembic's hook dispatch
        except CommandError as exc:
            raise UsageError(
                f"post_write_hooks {name!r}: {exc}; fix the hook in the Alembic configuration "
                f"({path} was written but not formatted)"
            ) from None
