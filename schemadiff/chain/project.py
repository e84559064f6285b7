"""Where a project's migrations live, from the settings (``script_location``, ``version_table``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from schemadiff.chain.graph import RevisionGraph, load_graph
from schemadiff.chain.scripts import versions_dir
from schemadiff.errors import UsageError
from schemadiff.settings.alembic_config import DEFAULT_FILE_TEMPLATE, DEFAULT_SLUG_LENGTH
from schemadiff.settings.config import Settings

TEMPLATE_NAME = "script.py.mako"


@dataclass(frozen=True)
class NewFiles:
    """How new revision files are named, written and formatted (Alembic's keys)."""

    file_template: str = DEFAULT_FILE_TEMPLATE
    truncate_slug_length: int = DEFAULT_SLUG_LENGTH
    timezone: str | None = None
    output_encoding: str = "utf-8"
    #: Alembic's ``post_write_hooks`` configurations, run in order after writing
    hooks: tuple[Mapping[str, str], ...] = ()
    #: the project's black/ruff line length, for our own layout
    line_length: int = 88


@dataclass(frozen=True)
class Project:
    """A migration environment: the script location, its version locations, the version table."""

    script_location: Path
    version_table: str = "alembic_version"
    #: Alembic's ``version_locations`` (absolute); empty: ``<script_location>/versions``
    version_locations: tuple[Path, ...] = ()
    #: Alembic's ``recursive_version_locations``: revision files in subfolders too
    recursive: bool = False
    new_files: NewFiles = field(default_factory=NewFiles)

    @property
    def locations(self) -> tuple[Path, ...]:
        """Every folder revision files are read from, in the configured order."""
        return self.version_locations or (versions_dir(self.script_location),)

    @property
    def versions(self) -> Path:
        """The one version location (the first one when several are configured)."""
        return self.locations[0]

    @property
    def template_path(self) -> Path:
        return self.script_location / TEMPLATE_NAME

    def template(self) -> str | None:
        """The project's own ``script.py.mako`` if it has one (else the built-in template)."""
        path = self.template_path
        return read_template(path) if path.is_file() else None

    def graph(self, *, quick: bool = False) -> RevisionGraph:
        return load_graph(self.locations, recursive=self.recursive, quick=quick)


#: Mako's magic encoding comment, on one of the template's first two lines (as Alembic reads it)
_MAKO_CODING = re.compile(rb"^[ \t\f]*##.*?coding[:=][ \t]*([-\w.]+)")


def read_template(path: Path) -> str:
    """``script.py.mako`` decoded as Mako decodes it: UTF-8, or the encoding a
    ``## -*- coding: NAME -*-`` line among the first two declares; anything else is an error
    saying how to fix the file."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the revision template {path}: {exc.strerror}") from exc
    encoding = "utf-8-sig"
    for line in raw.split(b"\n")[:2]:
        declared = _MAKO_CODING.match(line)
        if declared:
            encoding = declared.group(1).decode("ascii")
            break
    try:
        return raw.decode(encoding)
    except LookupError:
        raise UsageError(
            f"{path} declares an unknown encoding {encoding!r}; fix its '## -*- coding: ... -*-' "
            "line (e.g. utf-8)"
        ) from None
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{path} is not valid {encoding.removesuffix('-sig')} text (byte {exc.start}: "
            f"{exc.reason}); save it as UTF-8, or declare its encoding with a first line "
            "'## -*- coding: latin-1 -*-'"
        ) from None


def project_from(settings: Settings, cwd: Path | None = None) -> Project:
    """The project the settings point at; a missing location is an error saying what to do."""
    if not settings.script_location:
        raise UsageError(
            "no script_location configured; run 'schemadiff init migrations' to create one, or "
            "set script_location in alembic.ini or [tool.schemadiff]"
        )
    location = Path(settings.script_location).expanduser()
    if not location.is_absolute():
        location = (cwd or Path.cwd()) / location
    if not location.is_dir():
        raise UsageError(
            f"script_location {settings.script_location!r} is not a directory; create it with "
            f"'schemadiff init {settings.script_location}' or fix the setting"
        )
    return Project(
        location,
        settings.version_table,
        version_locations=tuple(Path(p) for p in settings.version_locations),
        recursive=settings.recursive_version_locations,
        new_files=NewFiles(
            file_template=settings.file_template,
            truncate_slug_length=settings.truncate_slug_length,
            timezone=settings.timezone,
            output_encoding=settings.output_encoding,
            hooks=settings.post_write_hooks,
            line_length=settings.line_length,
        ),
    )
