"""``init DIR``: a migration environment both schemadiff and plain ``alembic`` can run."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from schemadiff.atomic import write_text, write_tree
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
    ``alembic.ini`` in the current directory pointing at ``DIR``: all of them or, when a write
    fails, none (a half-made ``DIR`` would make the next ``init`` refuse it)."""
    base = cwd or Path.cwd()
    target = directory if directory.is_absolute() else base / directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{directory} already exists and is not an empty directory; pick a new directory "
            "(an existing Alembic project needs no init: schemadiff uses it as it is)"
        )
    files = {TEMPLATE_NAME: DEFAULT_TEMPLATE, "env.py": ENV_PY}
    versions = versions_dir(target)
    ini = base / "alembic.ini"
    existing = ini if ini.exists() else None
    was_there = target.exists()
    write_tree(target, files, (versions.relative_to(target).as_posix(),))
    written = (versions, *(target / name for name in files))
    if existing is None:
        try:
            write_text(ini, ALEMBIC_INI.format(script_location=_ini_location(target, base)))
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)  # all or nothing: ours, filled just now
            if was_there:
                target.mkdir()  # the empty folder the user had made
            raise
        written = (*written, ini)
    return InitResult(written, existing)


def _ini_location(target: Path, base: Path) -> str:
    """``%(here)s/DIR`` when DIR is inside the project (works from any directory)."""
    try:
        relative = target.resolve().relative_to(base.resolve())
    except ValueError:
        return str(target.resolve())
    return "%(here)s/" + relative.as_posix()
