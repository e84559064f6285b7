"""The project's line length, as its formatter reads it from pyproject.toml: ``[tool.black]
line-length``, else ``[tool.ruff] line-length``, else black's 88. Revision files are laid out at
that width, so the project's own ``black --check`` / ``ruff format --check`` leaves them alone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schemadiff.errors import ConfigError

DEFAULT_LINE_LENGTH = 88


def line_length(pyproject: Mapping[str, Any]) -> int:
    """The width from a parsed pyproject.toml (see the module docstring)."""
    tool = pyproject.get("tool")
    if not isinstance(tool, dict):
        return DEFAULT_LINE_LENGTH
    for name in ("black", "ruff"):
        section = tool.get(name)
        if isinstance(section, dict) and "line-length" in section:
            value = section["line-length"]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 320:
                raise ConfigError(
                    f"pyproject.toml: [tool.{name}] line-length must be a whole number from 1 "
                    f"to 320, got {value!r}; fix it (revision files are laid out at that width)"
                )
            return value
    return DEFAULT_LINE_LENGTH
