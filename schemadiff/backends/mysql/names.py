"""Identifiers MariaDB/MySQL refuse: they fail only when the upgrade runs, so generation warns.

Both servers reject (they never cut) a schema, table, column, index or constraint name longer
than 64 characters (error 1059/1103/1166), a name ending with a space (1103/1166/1280), and a
character outside the Basic Multilingual Plane (a 4-byte UTF-8 character such as an emoji: 1300),
as well as U+0000.
"""

from __future__ import annotations

#: the longest schema, table, column, index or constraint name, in characters
LIMIT = 64


def identifier_problem(kind: str, name: str) -> str | None:
    """The generation-time warning for a name the server will refuse; None when it is fine."""
    why = _why(name)
    if why is None:
        return None
    return (
        f'{kind} name "{name}": {why}; MariaDB/MySQL refuse it, so the upgrade will fail; '
        "rename it in the models"
    )


def _why(name: str) -> str | None:
    if len(name) <= LIMIT and name.isascii() and "\0" not in name and not name.endswith(" "):
        return None  # the common case, decided without looking at each character
    if len(name) > LIMIT:
        return f"{len(name)} characters, more than {LIMIT}"
    outside = sorted({ch for ch in name if ord(ch) > 0xFFFF or ord(ch) == 0})
    if outside:
        listed = ", ".join(f"U+{ord(ch):04X}" for ch in outside)
        return f"characters outside U+0001..U+FFFF ({listed})"
    if name.endswith(" "):
        return "it ends with a space"
    return None
