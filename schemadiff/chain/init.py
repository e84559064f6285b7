"""``init DIR [-t TEMPLATE]``: a migration environment both schemadiff and plain ``alembic`` can
run, from one of the templates ``alembic init -t`` offers (same names, same files)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from schemadiff.atomic import write_text, write_tree
from schemadiff.chain.env_template import (
    ALEMBIC_INI,
    ASYNC_ENV_PY,
    ENV_PY,
    MULTIDB_ENV_PY,
    MULTIDB_INI,
    MULTIDB_SCRIPT,
    PYPROJECT_INI,
    PYPROJECT_TOML,
)
from schemadiff.chain.project import TEMPLATE_NAME
from schemadiff.chain.scripts import versions_dir
from schemadiff.errors import ConfigError, UsageError
from schemadiff.render.script import DEFAULT_TEMPLATE


@dataclass(frozen=True)
class Template:
    """What ``init -t NAME`` writes: ``env.py``, ``alembic.ini`` (with ``{script_location}``
    where the ini holds it) and, for the pyproject templates, a ``[tool.alembic]`` section."""

    description: str
    env_py: str
    ini: str
    pyproject: str | None = None
    script: str = DEFAULT_TEMPLATE


#: the templates, with Alembic's names and descriptions (``list_templates``)
TEMPLATES: dict[str, Template] = {
    "generic": Template("Generic single-database configuration.", ENV_PY, ALEMBIC_INI),
    "async": Template(
        "Generic single-database configuration with an async dbapi.", ASYNC_ENV_PY, ALEMBIC_INI
    ),
    "multidb": Template(
        "Rudimentary multi-database configuration.",
        MULTIDB_ENV_PY,
        MULTIDB_INI,
        script=MULTIDB_SCRIPT,
    ),
    "pyproject": Template(
        "pyproject configuration, based on the generic configuration.",
        ENV_PY,
        PYPROJECT_INI,
        PYPROJECT_TOML,
    ),
    "pyproject_async": Template(
        "pyproject configuration, with an async dbapi.", ASYNC_ENV_PY, PYPROJECT_INI, PYPROJECT_TOML
    ),
}
DEFAULT = "generic"


@dataclass(frozen=True)
class InitResult:
    written: tuple[Path, ...]
    #: set when an alembic.ini already existed (and was left alone)
    existing_ini: Path | None = None
    #: set when pyproject.toml already had a [tool.alembic] section (left alone)
    existing_toml: Path | None = None


def init_project(directory: Path, cwd: Path | None = None, template: str = DEFAULT) -> InitResult:
    """Write ``DIR/versions/``, ``DIR/script.py.mako``, ``DIR/env.py``, and, if there is none,
    ``alembic.ini`` in the current directory pointing at ``DIR`` (pyproject templates: a
    ``[tool.alembic]`` section in ``pyproject.toml``): all of them or, when a write fails, none
    (a half-made ``DIR`` would make the next ``init`` refuse it)."""
    chosen = _template(template)
    base = cwd or Path.cwd()
    target = directory if directory.is_absolute() else base / directory
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageError(
            f"{directory} already exists and is not an empty directory; pick a new directory "
            "(an existing Alembic project needs no init: schemadiff uses it as it is)"
        )
    toml = base / "pyproject.toml"
    toml_before = _read_toml(toml) if chosen.pyproject is not None else None
    files = {TEMPLATE_NAME: chosen.script, "env.py": chosen.env_py}
    versions = versions_dir(target)
    ini = base / "alembic.ini"
    existing = ini if ini.exists() else None
    was_there = target.exists()
    write_tree(target, files, (versions.relative_to(target).as_posix(),))
    written: tuple[Path, ...] = (versions, *(target / name for name in files))
    location = _location(target, base)
    existing_toml = None
    try:
        if existing is None:
            write_text(ini, chosen.ini.format(script_location=location))
            written = (*written, ini)
        if chosen.pyproject is not None and toml_before is not None:
            if _has_alembic_section(toml, toml_before):
                existing_toml = toml
            else:
                section = chosen.pyproject.format(script_location=location)
                sep = "" if not toml_before or toml_before.endswith("\n") else "\n"
                write_text(toml, toml_before + sep + section)
                written = (*written, toml)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # all or nothing: ours, filled just now
        if was_there:
            target.mkdir()  # the empty folder the user had made
        if existing is None and ini in written:
            ini.unlink(missing_ok=True)
        raise
    return InitResult(written, existing, existing_toml)


def _template(name: str) -> Template:
    try:
        return TEMPLATES[name]
    except KeyError:
        names = ", ".join(TEMPLATES)
        raise UsageError(
            f"no template {name!r}; use one of: {names} ('schemadiff list_templates')"
        ) from None


def _read_toml(path: Path) -> str:
    """pyproject.toml as text ("" when there is none), to add a section to."""
    if not path.exists():
        return ""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}; fix the file") from exc


def _has_alembic_section(path: Path, text: str) -> bool:
    import tomllib

    try:
        tool = tomllib.loads(text).get("tool", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix it, then run init") from exc
    return isinstance(tool, dict) and "alembic" in tool


def _location(target: Path, base: Path) -> str:
    """``%(here)s/DIR`` when DIR is inside the project (works from any directory)."""
    try:
        relative = target.resolve().relative_to(base.resolve())
    except ValueError:
        return str(target.resolve())
    return "%(here)s/" + relative.as_posix()
