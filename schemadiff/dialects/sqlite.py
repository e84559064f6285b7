"""sqlite normalization rules (to be filled by the sqlite work)."""

from __future__ import annotations

from typing import ClassVar

from schemadiff.dialects.base import DialectRules


class SqliteRules(DialectRules):
    name: ClassVar[str] = "sqlite"
