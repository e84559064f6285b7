"""Whether a migration environment's ``env.py`` is the project's own (then its logic decides
connection, version table and transactions, and commands run it) or the one ``schemadiff init``
wrote (then schemadiff's own runner does the same work faster)."""

from __future__ import annotations

from pathlib import Path

from schemadiff.chain.env_template import ENV_PY


def own_env_py(script_location: Path) -> Path | None:
    """The project's own ``env.py`` in ``script_location``; None when there is none or it is
    ours, unchanged (line endings and trailing blanks aside)."""
    path = script_location / "env.py"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return path  # not ours: let Alembic read it and report what is wrong
    return None if _normal(text) == _normal(ENV_PY) else path


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())
