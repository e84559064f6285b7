"""Canonical SQL remembered between runs, so that most runs never import sqlglot or parse.

Canonicalizing an expression (:mod:`schemadiff.canonical.sqlexpr`) is a pure function of its text,
its
dialect, sqlglot's version and our own rewrite code. Runs over the same schema see the same few
thousand defaults, checks and index expressions again; parsing them costs about 0.4 ms each, and
importing sqlglot another 50-90 ms. So results are kept in one JSON file per *fingerprint*: the
Python and sqlglot versions and a hash of every module of this package (rules live in many of
them: sqltree, the dialects, the SQLite lexer's tables; a list of "the rule modules" went stale,
and two checkouts or versions then shared one file with different results in it). The SQLite DDL
reader keeps the keyword tables it derives from sqlglot here too
(:mod:`schemadiff.backends.sqlite.lexer`).

Output must never depend on what was remembered, so a run writes back only what it computed
itself, never entries it merely read; an entry two runs computed differently (a nondeterministic
computation, such as sqlglot's lazy set-up racing between threads) is dropped rather than kept
for every later run; a run whose code changed on disk while it ran writes nothing; and files of
other fingerprints (another checkout sharing the directory) are left alone unless unused for
``_STALE_DAYS``.

Where: ``$SCHEMADIFF_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemadiff``, else
``~/.cache/schemadiff``. ``SCHEMADIFF_NO_CACHE=1`` turns it off. Any problem reading or writing
the file (read-only home, a corrupt file, a race with another run) only means parsing again.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import sys
import threading
import time
from pathlib import Path

from schemadiff import atomic
from schemadiff.errors import OutputError

Key = tuple[str, str, str]  # (kind, dialect, text)

_PREFIX = "canonical-sql-"
_LIMIT = 200_000  # entries; past this the file starts over (it only grows with new texts)
_STALE_DAYS = 30  # another fingerprint's file unused this long is removed


class PersistentMemo:
    """A dict loaded on first use and written back at exit when something was added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] | None = None
        #: what this run computed (only these are written back)
        self._computed: dict[str, str] = {}
        self._added = False
        self._path: Path | None = None

    def get(self, key: Key) -> str | None:
        values = self._values if self._values is not None else self._load()
        return values.get(_join(key))

    def put(self, key: Key, value: str) -> None:
        values = self._values if self._values is not None else self._load()
        values[_join(key)] = value
        self._computed[_join(key)] = value
        if not self._added and self._path is not None:
            self._added = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write what this run computed into the memo file, merged with what other runs wrote
        meanwhile; a key they computed differently is dropped (neither value can be trusted)."""
        with self._lock:
            if not self._added or self._path is None or self._values is None:
                return
            self._added = False
            path = self._path
            if path != memo_path():
                return  # our code changed on disk during the run: what we computed may be stale
            try:
                merged = _read(path)
                for key, value in self._computed.items():
                    if merged.get(key, value) != value:
                        del merged[key]
                    else:
                        merged[key] = value
                if len(merged) > _LIMIT:
                    merged = dict(self._computed)
                path.parent.mkdir(parents=True, exist_ok=True)
                text = json.dumps(merged, ensure_ascii=False, separators=(",", ":"))
                atomic.write_text(path, text, sync=False)  # a cache: no fsync, no tmp left
                _remove_stale(path)
            except (OSError, OutputError):
                return

    def _load(self) -> dict[str, str]:
        with self._lock:
            if self._values is None:
                self._path = memo_path()
                self._values = _read(self._path) if self._path is not None else {}
            return self._values


def memo_path() -> Path | None:
    """This fingerprint's file, or None when the memo is turned off."""
    if os.environ.get("SCHEMADIFF_NO_CACHE", "").strip() not in ("", "0"):
        return None
    configured = os.environ.get("SCHEMADIFF_CACHE_DIR")
    if configured:
        directory = Path(configured)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        directory = Path(base) / "schemadiff"
    return directory / f"{_PREFIX}{fingerprint()}.json"


def fingerprint() -> str:
    """Python's and sqlglot's versions plus a hash of every module of this package (a few ms).

    The whole package rather than a list of "rule modules": canonical text is decided in many
    places (sqltree, every dialect, the SQLite lexer, rewrites elsewhere), and a module missing
    from such a list let two different codes share one memo file."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version_info[:2]}\0{_sqlglot_version()}\0".encode())
    package = Path(__file__).parents[1]  # schemadiff/, not only canonical/
    for module in sorted(package.rglob("*.py")):
        digest.update(module.relative_to(package).as_posix().encode() + b"\0")
        try:
            digest.update(module.read_bytes())
        except OSError:
            digest.update(b"\0unreadable")
        digest.update(b"\0")
    return digest.hexdigest()[:20]


def _remove_stale(current: Path) -> None:
    """Remove other fingerprints' files nobody used for ``_STALE_DAYS`` (another checkout or
    version may share the directory and still use its own)."""
    cutoff = time.time() - _STALE_DAYS * 86400
    for other in current.parent.glob(f"{_PREFIX}*.json"):
        try:
            if other != current and other.stat().st_mtime < cutoff:
                other.unlink(missing_ok=True)
        except OSError:
            continue


def _sqlglot_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sqlglot")
    except PackageNotFoundError:  # pragma: no cover - a dependency of ours
        return "unknown"


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


def _join(key: Key) -> str:
    return "\x1f".join(key)


#: the process-wide memo
MEMO = PersistentMemo()
