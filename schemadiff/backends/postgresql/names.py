"""Identifiers as PostgreSQL stores them: cut to ``NAMEDATALEN - 1`` bytes.

PostgreSQL's lexer truncates every identifier longer than 63 bytes (``max_identifier_length``)
at a character boundary (``pg_mbcliplen``), says so in a NOTICE nobody reads, and runs the
statement. A model whose table name is 70 bytes long therefore makes a table with another name;
compared by the name as written, every later run would drop it and create it again.
"""

from __future__ import annotations

from sqlalchemy.engine import Dialect

#: ``NAMEDATALEN - 1`` of a standard build (SQLAlchemy's PostgreSQL dialect says the same)
DEFAULT_LIMIT = 63


def name_limit(dialect: Dialect | None) -> int:
    """The longest identifier in bytes: the dialect's limit (63 unless the engine was told
    otherwise), 63 without one."""
    limit = getattr(dialect, "max_identifier_length", None)
    return limit if isinstance(limit, int) and limit > 0 else DEFAULT_LIMIT


def clip_identifier(name: str, limit: int = DEFAULT_LIMIT) -> str:
    """``name`` cut to at most ``limit`` UTF-8 bytes without splitting a character, as
    PostgreSQL's ``truncate_identifier`` does (a UTF-8 database)."""
    if name.isascii():  # one byte a character (the common case, and a quick test)
        return name if len(name) <= limit else name[:limit]
    encoded = name.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return name
    # a cut inside a multibyte character leaves an incomplete sequence at the end: dropped
    return encoded[:limit].decode("utf-8", "ignore")


def truncation_warning(kind: str, name: str, limit: int = DEFAULT_LIMIT) -> str | None:
    """The generation-time warning for a name PostgreSQL will cut; None when it fits."""
    stored = clip_identifier(name, limit)
    if stored == name:
        return None
    size = len(name.encode("utf-8", "surrogatepass"))
    kept = len(stored.encode("utf-8", "surrogatepass"))
    return (
        f'{kind} name "{name}": {size} bytes, PostgreSQL keeps the first {kept} ("{stored}"); '
        "rename it in the models"
    )
