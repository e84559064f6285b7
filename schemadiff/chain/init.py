"""``init DIR``: a migration environment both schemadiff and plain ``alembic`` can run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schemadiff.chain.env_template import ALEMBIC_INI, ENV_PY
from schemadiff.chain.project import TEMPLATE_NAME
from schemadiff.chain.scripts import versions_dir
from schemadiff.errors import UsageError
from schemadiff.render.script import DEFAULT_TEMPLATE


@dataclass(frozen=True)
class InitResult:
    written: tuple[Path, ...]
    #: set when an alembic.ini already existed (and was left alone)
    existing_ini: Path | None = None


def init_project(directory: Path, cwd: Path | None = None) -> InitResult:
    """Write ``DIR/versions/``, ``DIR/script.py.mako``, ``DIR/env.py`` and, if there is none,
    ``alembic.ini`` in the current directory pointing at ``DIR``."""
    base = cwd or Path.cwd()
    target = directory if directory.is_absolute() else base / directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{directory} already exists and is not an empty directory; pick a new directory "
            "(an existing Alembic project needs no init: schemadiff uses it as it is)"
        )
    files = {
        target / TEMPLATE_NAME: DEFAULT_TEMPLATE,
        target / "env.py": ENV_PY,
    }
    ini = base / "alembic.ini"
    existing = ini if ini.exists() else None
    if existing is None:
        files[ini] = ALEMBIC_INI.format(script_location=_ini_location(target, base))
    versions_dir(target).mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    written = (versions_dir(target), *files)
    return InitResult(tuple(written), existing)


def _ini_location(target: Path, base: Path) -> str:
    """``%(here)s/DIR`` when DIR is inside the project (works from any directory)."""
    try:
        relative = target.resolve().relative_to(base.resolve())
    except ValueError:
        return str(target.resolve())
    return "%(here)s/" + relative.as_posix()
