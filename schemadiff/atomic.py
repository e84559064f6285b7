"""All-or-nothing file and directory writes.

A full disk, ``ulimit -f`` or an I/O error in the middle of a write must not leave a truncated
snapshot or revision script behind, nor replace a good file with half of a new one, nor leave the
temporary file lying next to it. Everything is written under a unique hidden name in the target's
own directory (so the final rename stays on one file system), synced, then renamed into place;
on any failure, Ctrl-C included, the temporary file or folder is removed again.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

from schemadiff.errors import OutputError


def write_text(path: str | Path, text: str, *, sync: bool = True, encoding: str = "utf-8") -> None:
    """Write ``text`` (UTF-8 unless told) to ``path`` atomically; :class:`OutputError` names it.
    ``sync=False`` skips the fsync, for caches that may be lost but never be torn."""
    path = Path(path)
    with _failure_names(path):
        tmp = _temporary(path)
        try:
            _write_synced(tmp, text, sync, encoding)
            os.replace(tmp, path)
        except BaseException:
            with suppress(OSError):
                tmp.unlink()
            raise


def write_tree(directory: Path, files: Mapping[str, str], folders: tuple[str, ...] = ()) -> None:
    """Create ``directory`` (absent or empty) holding ``files`` (relative path -> text) and the
    empty ``folders``, all at once: it is built under a temporary name and renamed at the end."""
    with _failure_names(directory):
        directory.parent.mkdir(parents=True, exist_ok=True)
        tmp = _temporary(directory)
        try:
            tmp.mkdir()
            for folder in folders:
                (tmp / folder).mkdir(parents=True, exist_ok=True)
            for name, text in files.items():
                (tmp / name).parent.mkdir(parents=True, exist_ok=True)
                _write_synced(tmp / name, text, True)
            os.replace(tmp, directory)  # replaces an empty directory; refuses a non-empty one
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _temporary(path: Path) -> Path:
    """A fresh hidden sibling of ``path``: never an existing file the user may care about."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def _write_synced(path: Path, text: str, sync: bool, encoding: str = "utf-8") -> None:
    """Write and fsync: delayed errors (a full disk with delayed allocation, NFS) surface here,
    before the rename, instead of after it or never."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    with open(fd, "w", encoding=encoding) as out:
        out.write(text)
        out.flush()
        if sync:
            os.fsync(out.fileno())


@contextmanager
def _failure_names(target: Path) -> Iterator[None]:
    """An OSError while writing becomes ``could not write TARGET: <reason>``."""
    try:
        yield
    except OSError as exc:
        raise OutputError(f"could not write {target}: {exc.strerror or exc}") from exc
