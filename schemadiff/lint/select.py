"""Which revisions to lint: a range like ``history -r`` (``A:B``, ``A:``, ``:B``), one revision,
or the revision files added since a git ref (``--since main``), which is what a pull request adds.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.targets import history_revisions, resolve_destination
from schemadiff.errors import UsageError


def by_range(graph: RevisionGraph, spec: str | None, current: tuple[str, ...] = ()) -> set[str]:
    """``A:B`` as ``history -r`` reads it (both ends included), a single revision, or every
    revision when ``spec`` is None; ``current`` stands for the database's revisions."""
    if not spec:
        return set(graph.scripts)
    if ":" in spec:
        return set(history_revisions(graph, spec, current))
    return set(resolve_destination(graph, spec, current))


def needs_database(spec: str | None) -> bool:
    """A range naming ``current`` reads the database's version table."""
    return bool(spec) and any(end.strip() == "current" for end in (spec or "").split(":"))


def added_since(graph: RevisionGraph, locations: Sequence[Path], ref: str) -> set[str]:
    """Revisions whose file was added after ``ref`` (committed since, staged, or not yet
    tracked) in any of the version ``locations`` (Alembic's ``version_locations``; their
    subfolders too, which matter when ``recursive_version_locations`` put their files in the
    graph)."""
    if shutil.which("git") is None:
        raise UsageError("--since needs git, and git is not installed (or not on PATH)")
    paths: set[Path] = set()
    for folder in dict.fromkeys(location.resolve() for location in locations):
        if folder.is_dir():
            paths |= _added_in(folder, ref)
    return {rev for rev, s in graph.scripts.items() if s.path.resolve() in paths}


def _added_in(folder: Path, ref: str) -> set[Path]:
    """Files under ``folder`` (at any depth) added since ``ref``, or not tracked yet."""
    not_repo = f"{folder} is not inside a git repository (--since compares with a git ref)"
    _git(folder, "rev-parse", "--is-inside-work-tree", fail=not_repo)
    unknown = f"unknown git ref {ref!r}; give a branch, tag or commit (e.g. --since origin/main)"
    _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", fail=unknown)
    added = _git(folder, "diff", "-z", "--name-only", "--relative", "--diff-filter=A", ref, "--")
    untracked = _git(folder, "ls-files", "-z", "--others", "--exclude-standard", "--", ".")
    return {(folder / name).resolve() for name in (added + untracked).split("\0") if name}


def _git(folder: Path, *args: str, fail: str = "") -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as exc:
        raise UsageError(f"cannot run git: {exc}") from exc
    if done.returncode != 0:
        detail = done.stderr.strip().splitlines()
        raise UsageError(fail or f"git {args[0]} failed: {detail[-1] if detail else 'error'}")
    return done.stdout
