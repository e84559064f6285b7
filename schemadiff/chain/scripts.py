"""Revision files read by parsing them (``ast``), never by importing them.

A long history must stay cheap to list (``heads``, ``history``), and a script's module-level code
must not run just because someone asked what the head is. Only the scripts an upgrade or downgrade
actually runs are imported (see :mod:`schemadiff.chain.runner`). Listing may go further
(``quick=True``): only a file's head (docstring and identifiers, before the first ``def``) is read
when that is enough (:mod:`schemadiff.chain.script_head`), so a syntax error inside ``upgrade()``
goes unnoticed there; every other reading parses whole files and reports it.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from schemadiff.chain.script_head import head_of, scan_head
from schemadiff.errors import RevisionError
from schemadiff.settings.usercode import read_source

_FIELDS = ("revision", "down_revision", "branch_labels", "depends_on")
_CREATE_DATE = re.compile(r"^\s*Create Date:\s*(?P<date>.+?)\s*$", re.MULTILINE)
#: what Alembic itself would load as a revision file (no editor backups like ``.#x.py``)
_SOURCE_FILE = re.compile(r"^(?!\.#|__init__).*\.py$")


@dataclass(frozen=True)
class Script:
    """One revision file's identity and links, as written in it."""

    revision: str
    down_revisions: tuple[str, ...]
    branch_labels: tuple[str, ...]
    depends_on: tuple[str, ...]
    path: Path
    docstring: str = ""
    create_date: str | None = None

    @property
    def message(self) -> str:
        """The first paragraph of the docstring (what ``revision -m`` wrote), on one line."""
        first = self.docstring.strip().split("\n\n", 1)[0]
        return " ".join(first.split())

    @property
    def is_merge(self) -> bool:
        return len(self.down_revisions) > 1


def versions_dir(script_location: Path) -> Path:
    """Where the revision files live (Alembic's layout: ``<script_location>/versions``)."""
    return script_location / "versions"


def script_files(directory: Path, *, recursive: bool = False) -> list[Path]:
    """The revision files of ``directory`` in Alembic's order: name order within a folder, then
    (``recursive``, Alembic's ``recursive_version_locations``) its subfolders in name order,
    ``__pycache__`` skipped."""
    try:
        with os.scandir(directory) as entries:
            listed = [(e.name, e.is_file(), e.is_dir()) for e in entries]
    except (FileNotFoundError, NotADirectoryError):
        return []
    files = [directory / n for n, is_file, _ in sorted(listed) if is_file and _SOURCE_FILE.match(n)]
    if recursive:
        for name, _, is_dir in sorted(listed):
            if is_dir and not name.endswith("__pycache__"):
                files.extend(script_files(directory / name, recursive=True))
    return files


def location_files(directories: Sequence[Path], *, recursive: bool = False) -> list[Path]:
    """Every revision file of the version locations, each file once (as Alembic loads them)."""
    seen: set[Path] = set()
    out: list[Path] = []
    for directory in directories:
        for path in script_files(directory, recursive=recursive):
            real = path.resolve()
            if real not in seen:
                seen.add(real)
                out.append(path)
    return out


def load_scripts(
    directories: Path | Sequence[Path], *, recursive: bool = False, quick: bool = False
) -> list[Script]:
    """Parse every revision file of the version locations (``quick``: see :func:`parse_source`)."""
    folders = [directories] if isinstance(directories, Path) else list(directories)
    files = location_files(folders, recursive=recursive)
    return [parse_script(path, quick=quick) for path in files]


def parse_script(path: Path, *, quick: bool = False) -> Script:
    """Read one revision file's identifiers without running it."""
    try:
        source = read_source(path)
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise RevisionError(f"cannot read revision file {path}: {exc}; fix the file") from exc
    return parse_source(source, path, quick=quick)


def parse_source(source: str, path: Path, *, quick: bool = False) -> Script:
    """Like :func:`parse_script` for text already read. ``quick`` reads only the file's head when
    it is self-sufficient (same Script; a broken head still fails exactly as the whole file
    does, but a syntax error after the first ``def`` is not seen): for listing long chains."""
    head = head_of(source) if quick else None
    if head is not None:
        try:
            scanned = scan_head(head)
            if scanned is not None:
                return _script(scanned.values, scanned.docstring, path)
            tree = ast.parse(head, filename=str(path))
            return _script(_assignments(tree, path), ast.get_docstring(tree) or "", path)
        except (SyntaxError, ValueError, RevisionError):
            pass  # a cut inside a string, or a broken head: the whole file says which
    return parse_whole(source, path)


def parse_whole(source: str, path: Path) -> Script:
    """The reference reading: every top-level statement of the file (what the head must match)."""
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as exc:
        raise RevisionError(
            f"revision file {path} line {exc.lineno}: syntax error ({exc.msg}); fix the file"
        ) from exc
    return _script(_assignments(tree, path), ast.get_docstring(tree) or "", path)


def _script(values: Mapping[str, object], docstring: str, path: Path) -> Script:
    if "revision" not in values:
        raise RevisionError(
            f"{path} has no 'revision = \"...\"' line; it is not a revision file, move it out of "
            f"{path.parent}"
        )
    revision = values["revision"]
    if not isinstance(revision, str) or not revision.strip():
        raise RevisionError(f"{path}: 'revision' must be a non-empty string, got {revision!r}")
    date = _CREATE_DATE.search(docstring)
    return Script(
        revision=revision,
        down_revisions=_ids(values.get("down_revision"), "down_revision", path),
        branch_labels=_ids(values.get("branch_labels"), "branch_labels", path),
        depends_on=_ids(values.get("depends_on"), "depends_on", path),
        path=path,
        docstring=docstring,
        create_date=date["date"] if date else None,
    )


def _assignments(tree: ast.Module, path: Path) -> dict[str, object]:
    """Module-level ``name = literal`` (or ``name: T = literal``) for the four identifiers."""
    out: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            value: ast.expr | None = node.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names, value = [node.target.id], node.value
        else:
            continue
        for name in names:
            if name in _FIELDS and value is not None:
                out[name] = _literal(value, name, path)
    return out


def _literal(node: ast.expr, name: str, path: Path) -> object:
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError) as exc:
        raise RevisionError(
            f"{path} line {node.lineno}: {name} must be a literal string, tuple of strings or "
            "None (schemadiff reads it without running the file)"
        ) from exc


def _ids(value: object, name: str, path: Path) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: tuple[object, ...] = (value,)
    elif isinstance(value, (list, tuple)):
        items = tuple(value)
    else:
        raise RevisionError(f"{path}: {name} must be a string, a tuple of strings or None")
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise RevisionError(f"{path}: {name} must hold non-empty strings, got {item!r}")
    return tuple(str(item) for item in items)
