"""Settings: where the database and the models are, and what to compare.

Read in this order, later wins:

1. Alembic's configuration, read through Alembic's own ``Config`` (``alembic.ini`` ``[alembic]``
   and ``[tool.alembic]`` of ``pyproject.toml``; see :mod:`schemadiff.settings.alembic_config`),
   so an existing Alembic project works without new configuration;
2. ``--config FILE`` if given, else ``./schemadiff.toml`` (top-level keys), else
   ``[tool.schemadiff]`` of ``./pyproject.toml``; a named environment (``-n NAME``) from
   ``[tool.schemadiff.environments.NAME]`` overrides the base keys;
3. the environment: ``SCHEMADIFF_URL``, else ``DATABASE_URL``;
4. command-line flags.

One exception: a named environment that sets ``url`` keeps it over the variables of layer 3
(choosing ``-n NAME`` is explicit; a stray ``DATABASE_URL`` must not redirect it to another
database, whose version table would then be read and written as the environment's).
"""

from __future__ import annotations

import difflib
import importlib
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from schemadiff.errors import ConfigError
from schemadiff.settings.alembic_config import (
    DEFAULT_FILE_TEMPLATE,
    DEFAULT_SLUG_LENGTH,
    read_alembic_config,
)
from schemadiff.settings.formatting import DEFAULT_LINE_LENGTH, line_length

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

URL_ENV_VARS = ("SCHEMADIFF_URL", "DATABASE_URL")


@dataclass(frozen=True)
class Settings:
    """The merged configuration. ``schemas`` None means "the default schema plus every schema the
    models name"; ``sources`` lists what was read (shown with ``--debug``)."""

    url: str | None = None
    metadata: str | None = None
    script_location: str | None = None
    #: a server where schemadiff may create and drop scratch databases (replaying the chain)
    scratch_url: str | None = None
    schemas: tuple[str, ...] | None = None
    version_table: str = "alembic_version"
    exclude_tables: tuple[str, ...] = ()
    include_object: str | None = None
    include_name: str | None = None
    compare_type: bool | str = True
    compare_server_default: bool | str = True
    comparators: tuple[str, ...] = ()
    #: alembic_utils entities (``"module:attr"``, an entity or a list) compared with the models
    entities: tuple[str, ...] = ()
    render_as_batch: bool | str = "auto"
    #: the server offline MySQL-family SQL is for: "mariadb" or "mysql" (None: see README)
    mysql_flavour: str | None = None
    #: seconds upgrade/downgrade/stamp wait for another runner on the same database
    lock_timeout: float = 60.0
    #: seconds to wait for a connection: TCP connect, handshake, login (0: no limit)
    connect_timeout: float = 10.0
    #: seconds to wait for each answer once connected, migrations included (0: no limit)
    read_timeout: float = 0.0
    environment: str | None = None
    #: alembic.ini's ``prepend_sys_path``, absolute: importable while revision scripts run
    sys_path: tuple[str, ...] = ()
    # --- from Alembic's configuration only (alembic.ini [alembic] / [tool.alembic]) ---------
    #: absolute folders holding revision files (empty: ``<script_location>/versions``)
    version_locations: tuple[str, ...] = ()
    recursive_version_locations: bool = False
    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = DEFAULT_SLUG_LENGTH
    timezone: str | None = None
    #: read for completeness; running env.py during ``revision`` is not done here
    revision_environment: bool = False
    output_encoding: str = "utf-8"
    #: Alembic's hook configurations (each with ``_hook_name``), run after writing a revision
    post_write_hooks: tuple[Mapping[str, str], ...] = ()
    #: the project's black/ruff ``line-length`` (pyproject.toml): revision files' width
    line_length: int = DEFAULT_LINE_LENGTH
    #: the alembic.ini read (absolute), handed to the project's env.py as Alembic's Config
    config_file: str | None = None
    #: the pyproject.toml whose ``[tool.alembic]`` was read (absolute), for the same Config
    alembic_toml_file: str | None = None
    #: ``-x KEY=VALUE`` arguments for the project's env.py (``context.get_x_argument()``)
    x_arguments: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


#: fields only Alembic's configuration sets (their meaning is Alembic's)
_ALEMBIC_ONLY = frozenset(
    {
        "sys_path",
        "version_locations",
        "recursive_version_locations",
        "file_template",
        "truncate_slug_length",
        "timezone",
        "revision_environment",
        "output_encoding",
        "post_write_hooks",
        "line_length",
    }
)

_BOOKKEEPING = (
    "environment",
    "config_file",
    "alembic_toml_file",
    "x_arguments",
    "sources",
    "warnings",
)
#: keys a config file may set (everything but the bookkeeping fields)
KEYS: tuple[str, ...] = tuple(
    f.name for f in fields(Settings) if f.name not in _BOOKKEEPING and f.name not in _ALEMBIC_ONLY
)
_STR_KEYS = {"url", "metadata", "script_location", "version_table", "include_object"}
_STR_KEYS |= {"include_name", "scratch_url"}
_LIST_KEYS = {"schemas", "exclude_tables", "comparators", "entities"}
_SECONDS_KEYS = {"lock_timeout", "connect_timeout", "read_timeout"}
_HOOK_OR_BOOL_KEYS = {"compare_type", "compare_server_default"}
#: keys whose value may carry a password: errors about them never echo the value
_SECRET_KEYS = {"url", "scratch_url"}
_REFERENCE_KEYS = {"metadata", "include_object", "include_name"}
#: keys whose value is one of a fixed set of words (module:attribute of the allowed ones,
#: imported only when the key is set: the dialect modules load SQLAlchemy)
_CHOICE_KEYS = {"mysql_flavour": "schemadiff.backends.mysql.flavour:FLAVOURS"}


def load_settings(
    *,
    cwd: str | Path | None = None,
    config_path: str | Path | None = None,
    environment: str | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge every configuration layer; ``overrides`` are command-line values (None = not given)."""
    base = Path(cwd) if cwd is not None else Path.cwd()
    env = os.environ if env is None else env
    layers = _Layers()
    explicit = Path(config_path) if config_path is not None else None
    if explicit is not None and not explicit.is_absolute():
        explicit = base / explicit
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"config file {explicit} not found; check the --config path")
    ini, alembic_toml = _add_alembic(layers, base, explicit, env)
    _add_line_length(layers, base)
    toml_file, table, label = _find_toml(base, explicit)
    if toml_file is not None:
        layers.add_file(label, table, environment)
    elif environment is not None:
        raise ConfigError(
            f"unknown environment {environment!r}: no configuration file defines environments; "
            "add [tool.schemadiff.environments.NAME] to pyproject.toml"
        )
    for var in URL_ENV_VARS:
        if env.get(var) and not layers.environment_url:
            layers.add(f"${var}", {"url": env[var]})
            break
    given = {k: v for k, v in (overrides or {}).items() if v is not None}
    if given:
        layers.add("command line", _validate("the command line", given, layers))
    return replace(
        Settings(**layers.values),
        config_file=str(ini.resolve()) if ini is not None else None,
        alembic_toml_file=str(alembic_toml.resolve()) if alembic_toml is not None else None,
        environment=environment,
        sources=tuple(layers.sources),
        warnings=tuple(layers.warnings),
    )


def _add_alembic(
    layers: _Layers, base: Path, explicit: Path | None, env: Mapping[str, str]
) -> tuple[Path | None, Path | None]:
    """Layer 1: Alembic's configuration, found where ``alembic`` finds it (``--config`` naming an
    .ini or a pyproject.toml, else ``$ALEMBIC_CONFIG``, else ./alembic.ini and ./pyproject.toml).
    Returns the alembic.ini and pyproject.toml read (None: none), which env.py gets as Alembic's
    Config."""
    ini: Path | None = base / "alembic.ini"
    toml: Path | None = base / "pyproject.toml"
    chosen = env.get("ALEMBIC_CONFIG", "").strip()
    if chosen:
        path = base / chosen
        if path.name == "pyproject.toml":
            toml = path
        else:
            ini = path
    if explicit is not None and explicit.suffix == ".ini":
        ini = explicit
    elif explicit is not None and explicit.name == "pyproject.toml":
        toml = explicit
    ini = ini if ini is not None and ini.is_file() else None
    toml = toml if toml is not None and toml.is_file() and _has_tool_alembic(toml) else None
    if ini is None and toml is None:
        return None, None
    values = read_alembic_config(ini, toml, base)
    parts = [ini.name] if ini is not None else []
    parts += ["pyproject.toml [tool.alembic]"] if toml is not None else []
    layers.add(" + ".join(parts), values)
    return ini, toml


def _add_line_length(layers: _Layers, base: Path) -> None:
    """The formatter's width from ./pyproject.toml (no source label: it is not our setting)."""
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        width = line_length(_read_toml(pyproject))
        if width != DEFAULT_LINE_LENGTH:
            layers.values["line_length"] = width


def _has_tool_alembic(path: Path) -> bool:
    tool = _read_toml(path).get("tool")
    return isinstance(tool, dict) and "alembic" in tool


def environment_names(
    *, cwd: str | Path | None = None, config_path: str | Path | None = None
) -> tuple[str, ...]:
    """The names of the configured environments (``[tool.schemadiff.environments.*]``), sorted."""
    base = Path(cwd) if cwd is not None else Path.cwd()
    explicit = Path(config_path) if config_path is not None else None
    if explicit is not None and not explicit.is_absolute():
        explicit = base / explicit
    if explicit is not None and not explicit.is_file():
        raise ConfigError(f"config file {explicit} not found; check the --config path")
    _, table, _ = _find_toml(base, explicit)
    envs = table.get("environments", {})
    return tuple(sorted(envs)) if isinstance(envs, dict) else ()


class _Layers:
    """Accumulates values (later wins), their sources and warnings."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.sources: list[str] = []
        self.warnings: list[str] = []
        #: the chosen named environment sets ``url`` (it then wins over the URL variables)
        self.environment_url = False

    def add(self, label: str, values: Mapping[str, Any]) -> None:
        self.values.update(values)
        self.sources.append(label)

    def add_file(self, label: str, table: Mapping[str, Any], environment: str | None) -> None:
        raw_envs = table.get("environments", {})
        if not isinstance(raw_envs, dict):
            raise ConfigError(f"{label}: 'environments' must be a table of named tables")
        base = {k: v for k, v in table.items() if k != "environments"}
        self.add(label, _validate(label, base, self))
        if environment is None:
            return
        if environment not in raw_envs:
            known = ", ".join(sorted(raw_envs)) or "none defined"
            raise ConfigError(
                f"unknown environment {environment!r} (known in {label}: {known}); "
                "pick one of those with -n/--name"
            )
        env_label = f"{label} environment {environment!r}"
        chosen = raw_envs[environment]
        if not isinstance(chosen, dict):
            raise ConfigError(f"{env_label} must be a table of keys")
        values = _validate(env_label, chosen, self)
        self.environment_url = "url" in values
        self.add(env_label, values)


def _find_toml(base: Path, explicit: Path | None) -> tuple[Path | None, dict[str, Any], str]:
    """The TOML file to read, the table holding our keys, and a label for messages."""
    if explicit is not None and explicit.suffix != ".ini":
        data = _read_toml(explicit)
        section = _tool_section(explicit, data)
        if section is not None:
            return explicit, section, f"{explicit.name} [tool.schemadiff]"
        return explicit, data, explicit.name
    own = base / "schemadiff.toml"
    if own.is_file():
        data = _read_toml(own)
        section = _tool_section(own, data)
        if section is not None:
            return own, section, "schemadiff.toml [tool.schemadiff]"
        return own, data, "schemadiff.toml"
    pyproject = base / "pyproject.toml"
    if pyproject.is_file():
        section = _tool_section(pyproject, _read_toml(pyproject))
        if section is not None:
            return pyproject, section, "pyproject.toml [tool.schemadiff]"
    return None, {}, ""


def _tool_section(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """``[tool.schemadiff]`` of a TOML file (None when absent); a ``tool`` or ``tool.schemadiff``
    that is not a table is an error naming the file."""
    tool = data.get("tool")
    if tool is None:
        return None
    if not isinstance(tool, dict):
        raise ConfigError(
            f"{path.name}: 'tool' must be a table (it is {_toml_type(tool)}); schemadiff reads "
            "its settings from [tool.schemadiff]: fix or remove the 'tool' key"
        )
    section = tool.get("schemadiff")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(
            f"{path.name}: [tool.schemadiff] must be a table (it is {_toml_type(section)}); "
            "write the settings under a [tool.schemadiff] header, one 'key = value' a line"
        )
    return section


def _toml_type(value: object) -> str:
    """The TOML name of a value's type with its article, for messages."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string"}
    names[list] = "an array"
    return next((n for t, n in names.items() if isinstance(value, t)), type(value).__name__)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name} is not valid TOML ({exc}); fix the file") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path.name} is not UTF-8 text (byte {exc.start}); TOML files are UTF-8: save it so"
        ) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc


def _validate(label: str, raw: Mapping[str, Any], layers: _Layers) -> dict[str, Any]:
    """Check types and convert values; unknown keys become warnings, not errors."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in KEYS:
            hint = difflib.get_close_matches(key, KEYS, n=1)
            also = f"; did you mean {hint[0]!r}?" if hint else f" (known keys: {', '.join(KEYS)})"
            layers.warnings.append(f"unknown key {key!r} in {label} ignored{also}")
            continue
        out[key] = _coerce(label, key, value)
    return out


def _shown(key: str, value: Any) -> str:
    """``value`` for an error message; only its type for keys that may hold a secret (a URL)."""
    if key in _SECRET_KEYS:
        return f"a {type(value).__name__} (value not shown: it may hold a password)"
    return repr(value)


def _coerce(label: str, key: str, value: Any) -> Any:
    where = f"{label}: {key!r}"
    if key == "metadata" and isinstance(value, (list, tuple)):
        # several MetaData, compared as one: kept as one comma-separated reference string
        if not value or not all(isinstance(i, str) and i.strip() for i in value):
            raise ConfigError(f"{where} must be a 'module:attribute' or a list of them")
        value = ", ".join(i.strip() for i in value)
    if key in _STR_KEYS:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where} must be a non-empty string, got {_shown(key, value)}")
        if key == "metadata":
            for ref in value.split(","):
                _check_reference(where, ref.strip())
        elif key in _REFERENCE_KEYS:
            _check_reference(where, value)
        return value.strip()
    if key in _LIST_KEYS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, (list, tuple)) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{where} must be a list of strings, got {value!r}")
        if key == "comparators":
            for item in items:
                _check_reference(where, item)
        return tuple(items)
    if key in _CHOICE_KEYS:
        module, _, attr = _CHOICE_KEYS[key].partition(":")
        allowed: tuple[str, ...] = getattr(importlib.import_module(module), attr)
        if not isinstance(value, str) or value.strip().lower() not in allowed:
            choices = " or ".join(repr(a) for a in allowed)
            raise ConfigError(f"{where} must be {choices}, got {value!r}")
        return value.strip().lower()
    if key in _SECONDS_KEYS:
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError:
                raise ConfigError(f"{where} must be a number of seconds") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
            raise ConfigError(f"{where} must be a number of seconds (0 or more)")
        if value > 86400:
            raise ConfigError(f"{where} must be at most 86400 seconds (a day)")
        return float(value)
    if key in _HOOK_OR_BOOL_KEYS:
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            _check_reference(where, value)
            return value
        raise ConfigError(f"{where} must be true, false or 'module:function', got {value!r}")
    return _coerce_batch(where, value)


def _coerce_batch(where: str, value: Any) -> bool | str:
    if isinstance(value, bool):
        return value
    lowered = str(value).lower()
    if lowered in ("auto", "true", "false"):
        return {"true": True, "false": False}.get(lowered, "auto")
    raise ConfigError(f"{where} must be 'auto', true or false, got {value!r}")


def _check_reference(where: str, value: str) -> None:
    module, sep, attr = value.partition(":")
    if not sep or not module.strip() or not attr.strip():
        raise ConfigError(
            f"{where} must look like 'module:attribute' (e.g. 'models:Base.metadata'), "
            f"got {value!r}"
        )
