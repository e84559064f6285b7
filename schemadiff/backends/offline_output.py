"""Offline SQL as a backend's own client reads it: each statement Alembic writes (one
``write`` per statement, ``static_output``) goes through the backend's
:meth:`~schemadiff.backends.base.DialectRules.offline_statement` (the ``mysql`` client needs
``DELIMITER`` lines around a trigger or routine whose body holds ``;``)."""

from __future__ import annotations

from typing import Any, TextIO

from schemadiff.backends.registry import rules_for


class DelimitedOutput:
    """A text stream for Alembic's ``output_buffer``, writing each statement as
    ``dialect``'s client reads it; ``dialect`` may be set once known, before the first
    statement (env.py decides it)."""

    def __init__(self, out: TextIO, dialect: str | None = None) -> None:
        self.out = out
        self.dialect = dialect

    def write(self, text: str) -> int:
        if self.dialect is None:
            return self.out.write(text)
        return self.out.write(rules_for(self.dialect).offline_statement(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.out, name)
