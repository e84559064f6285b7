"""Alembic's own configuration (alembic.ini ``[alembic]``, ``[tool.alembic]`` in pyproject.toml),
read through ``alembic.config.Config`` so every key means what it means to ``alembic``.

Only the reading errors are ours: one line naming the file and key, never the value of
``sqlalchemy.url`` (configparser quotes a value from its bad ``%`` on: the rest of a password).
"""

from __future__ import annotations

import configparser
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from schemadiff.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

T = TypeVar("T")

#: Alembic's defaults for the keys it gives a default
DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_SLUG_LENGTH = 40


def read_alembic_config(ini: Path | None, toml: Path | None, cwd: Path) -> dict[str, Any]:
    """The Settings values Alembic's configuration gives (empty when it sets nothing).

    Relative paths (``script_location``, ``version_locations``, ``prepend_sys_path``) start at
    ``cwd``, as under ``alembic``; ``%(here)s`` is the folder of the file that says it."""
    from alembic.config import Config

    config = Config(
        file_=str(ini) if ini is not None else None,
        toml_file=str(toml) if toml is not None else None,
    )
    names = _Names(ini, toml)
    read = _Reader(config, names)
    values: dict[str, Any] = {}
    location = read("script_location", lambda: config.get_alembic_option("script_location"))
    if location:
        values["script_location"] = str(_resolved(location, cwd, names, "script_location"))
    url = read("sqlalchemy.url", lambda: _main_option(config, "sqlalchemy.url"))
    if url and url.strip():
        values["url"] = url.strip()
    prepend = read("prepend_sys_path", config.get_prepend_sys_paths_list)
    if prepend:
        values["sys_path"] = tuple(str(cwd / p) for p in prepend if p)
    locations = read("version_locations", config.get_version_locations_list)
    if locations:
        values["version_locations"] = tuple(
            str(_resolved(p, cwd, names, "version_locations")) for p in locations if p
        )
    if read("recursive_version_locations", _boolean(config, "recursive_version_locations")):
        values["recursive_version_locations"] = True
    if read("revision_environment", _boolean(config, "revision_environment")):
        values["revision_environment"] = True
    template = read("file_template", lambda: config.get_alembic_option("file_template"))
    if template:
        values["file_template"] = _checked_template(template, names)
    slug_length = read(
        "truncate_slug_length", lambda: config.get_alembic_option("truncate_slug_length")
    )
    if slug_length is not None:
        values["truncate_slug_length"] = _slug_length(slug_length, names)
    timezone = read("timezone", lambda: config.get_alembic_option("timezone"))
    if timezone:
        values["timezone"] = _checked_timezone(str(timezone), names)
    encoding = read("output_encoding", lambda: config.get_alembic_option("output_encoding"))
    if encoding:
        values["output_encoding"] = _checked_encoding(str(encoding), names)
    hooks = read("post_write_hooks", config.get_hooks_list)
    if hooks:
        values["post_write_hooks"] = tuple(dict(hook) for hook in hooks)
    return values


class _Names:
    """Which file a key came from, for messages."""

    def __init__(self, ini: Path | None, toml: Path | None) -> None:
        self.ini = ini.name if ini is not None else None
        self.toml = toml.name if toml is not None else None

    def of(self, key: str) -> str:
        files = [f"{self.ini} [alembic]"] if self.ini else []
        files += [f"{self.toml} [tool.alembic]"] if self.toml else []
        return f"{' / '.join(files) or 'the Alembic configuration'} {key}"


class _Reader:
    """Runs one of Config's getters and turns its failures into one clear line."""

    def __init__(self, config: Config, names: _Names) -> None:
        self.config = config
        self.names = names

    def __call__(self, key: str, getter: Callable[[], T]) -> T:
        from alembic.util import CommandError

        where = self.names.of(key)
        try:
            self._parsed()
            with warnings.catch_warnings():  # Alembic's legacy-separator deprecation notes
                warnings.simplefilter("ignore")
                return getter()
        except configparser.InterpolationError:
            raise ConfigError(
                f"{where} has a '%' that is neither '%%' nor '%(name)s' (Alembic reads "
                "this file with %-interpolation); write each '%' of the value as '%%', e.g. a "
                "URL-encoded '@' in a password as '%%40'"
            ) from None
        except (ValueError, KeyError, TypeError) as exc:
            # a '%' in a [tool.alembic] string, or a path_separator Alembic does not know
            detail = "" if key == "sqlalchemy.url" else f" ({type(exc).__name__}: {exc})"
            raise ConfigError(
                f"{where} cannot be read as Alembic reads it{detail}; write each literal '%' "
                "as '%%' and use a path_separator of space, newline, os, ':' or ';'"
            ) from None
        except CommandError as exc:
            raise ConfigError(f"{where}: {exc}; fix the value") from None

    def _parsed(self) -> None:
        """Read the ini file once, reporting a broken one as the file's fault."""
        try:
            self.config.file_config  # noqa: B018 - memoized: parses the file
        except (configparser.Error, UnicodeDecodeError) as exc:
            first = (str(exc).splitlines() or [""])[0]
            if isinstance(exc, configparser.Error) and "%" in first:
                first = type(exc).__name__
            raise ConfigError(
                f"{self.names.ini} is not a valid ini file ({first}); fix the file"
            ) from None


def _main_option(config: Config, key: str) -> str | None:
    """``[alembic] key`` of the ini file (None without one: an ini holding only logging
    sections is fine until env.py asks for the key)."""
    if not config.file_config.has_section(config.config_ini_section):
        return None
    return config.get_main_option(key)


def _boolean(config: Config, key: str) -> Callable[[], bool]:
    return lambda: config.get_alembic_boolean_option(key)


def _resolved(value: str, cwd: Path, names: _Names, key: str) -> Path:
    """A path or ``package:path`` resource, as Alembic resolves it; relative ones from ``cwd``."""
    from alembic.util import coerce_resource_to_filename

    try:
        path = coerce_resource_to_filename(str(value).strip())
    except (ImportError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"{names.of(key)} {value!r} names a package resource that cannot be found ({exc}); "
            "fix the value"
        ) from None
    return path if path.is_absolute() else cwd / path


def _checked_template(template: str, names: _Names) -> str:
    sample: dict[str, object] = {"rev": "x", "slug": "x"}
    sample.update(dict.fromkeys(("epoch", "year", "month", "day", "hour", "minute", "second"), 1))
    try:
        template % sample
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"{names.of('file_template')} {template!r} does not format ({type(exc).__name__}: "
            f"{exc}); use Alembic's tokens %(rev)s %(slug)s %(epoch)s %(year)d %(month).2d "
            "%(day).2d %(hour).2d %(minute).2d %(second).2d"
        ) from None
    return template


def _slug_length(value: object, names: _Names) -> int:
    try:
        length = int(str(value).strip())
    except ValueError:
        length = 0
    if length < 1:
        raise ConfigError(
            f"{names.of('truncate_slug_length')} must be a whole number of characters, got "
            f"{value!r}"
        )
    return length


def _checked_timezone(name: str, names: _Names) -> str:
    """A zone Alembic accepts (as given, else upper-cased), checked now rather than mid-write."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    for candidate in (name, name.upper()):
        try:
            ZoneInfo(candidate)
            return candidate
        except (ZoneInfoNotFoundError, ValueError):
            continue
    raise ConfigError(
        f"{names.of('timezone')} {name!r} is not a known time zone; use a name like "
        "'UTC' or 'Europe/Paris'"
    )


def _checked_encoding(name: str, names: _Names) -> str:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise ConfigError(
            f"{names.of('output_encoding')} {name!r} is not a known encoding; use e.g. utf-8"
        ) from None
    return name


def hooks_summary(hooks: tuple[Mapping[str, str], ...]) -> str:
    """``black, ruff`` for messages."""
    return ", ".join(str(h.get("_hook_name", "?")) for h in hooks)
