"""Canonical SQL remembered between runs, so that most runs never import sqlglot or parse.

Canonicalizing an expression (:mod:`schemadiff.sqlexpr`) is a pure function of its text, its
dialect, sqlglot's version and our own rewrite code. Runs over the same schema see the same few
thousand defaults, checks and index expressions again; parsing them costs about 0.4 ms each, and
importing sqlglot another 50-90 ms. So results are kept in one JSON file per *fingerprint*
(sqlglot's version and a hash of the modules that canonicalize): a new sqlglot or a changed rule
starts a new file, and output never depends on what was remembered. The SQLite DDL reader keeps
the keyword tables it derives from sqlglot here too (:mod:`schemadiff.sources.sqlite_lexer`).

Where: ``$SCHEMADIFF_CACHE_DIR``, else ``$XDG_CACHE_HOME/schemadiff``, else
``~/.cache/schemadiff``. ``SCHEMADIFF_NO_CACHE=1`` turns it off. Any problem reading or writing
the file (read-only home, a corrupt file, a race with another run) only means parsing again.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import tempfile
import threading
from pathlib import Path

Key = tuple[str, str, str]  # (kind, dialect, text)

#: the modules whose code decides canonical text: a change in any starts a new memo file
_RULE_MODULES = ("sqlexpr.py", "sqltree.py", "dialects/mysql.py", "dialects/mysql_sqltree.py")
_PREFIX = "canonical-sql-"
_LIMIT = 200_000  # entries; past this the file starts over (it only grows with new texts)


class PersistentMemo:
    """A dict loaded on first use and written back at exit when something was added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[str, str] | None = None
        self._added = False
        self._path: Path | None = None

    def get(self, key: Key) -> str | None:
        values = self._values if self._values is not None else self._load()
        return values.get(_join(key))

    def put(self, key: Key, value: str) -> None:
        values = self._values if self._values is not None else self._load()
        values[_join(key)] = value
        if not self._added and self._path is not None:
            self._added = True
            atexit.register(self.save)

    def save(self) -> None:
        """Write the memo (merged with what another run may have written meanwhile)."""
        with self._lock:
            if not self._added or self._path is None or self._values is None:
                return
            self._added = False
            path = self._path
            try:
                merged = {**_read(path), **self._values}
                if len(merged) > _LIMIT:
                    merged = dict(self._values)
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(merged, out, ensure_ascii=False, separators=(",", ":"))
                os.replace(tmp, path)
                for stale in path.parent.glob(f"{_PREFIX}*.json"):
                    if stale != path:
                        stale.unlink(missing_ok=True)
            except OSError:
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
    """sqlglot's version plus a hash of our canonicalizing code."""
    digest = hashlib.sha256()
    digest.update(_sqlglot_version().encode())
    package = Path(__file__).parent
    for name in _RULE_MODULES:
        try:
            digest.update((package / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()[:20]


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
