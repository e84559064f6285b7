"""Offline SQL for the ``mysql`` client: a trigger, procedure, function or event whose body holds
``;`` (``BEGIN ... ; ... END``) is written between ``DELIMITER`` lines, since the client would
otherwise cut the statement at the body's first ``;``."""

from __future__ import annotations

import re

_COMPOUND = re.compile(
    r"\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:AGGREGATE\s+)?"
    r"(?:TRIGGER|PROCEDURE|FUNCTION|EVENT|PACKAGE)\b",
    re.IGNORECASE,
)


def delimited(statement: str) -> str:
    """``statement`` (one statement as Alembic writes it, ``;`` and blank line after it) between
    ``DELIMITER`` lines when it is a compound statement with a ``;`` in its body."""
    body = statement.rstrip()
    if not body.endswith(";") or not _COMPOUND.match(body):
        return statement
    body = body[:-1].rstrip()
    if ";" not in body:
        return statement
    mark = next(m for m in ("//", "$$", "@@@@") if m not in body)
    return f"DELIMITER {mark}\n{body}{mark}\nDELIMITER ;\n\n"
