"""postgresql normalization rules (to be filled by the postgresql work)."""

from __future__ import annotations

from typing import ClassVar

from schemadiff.dialects.base import DialectRules


class PostgresqlRules(DialectRules):
    name: ClassVar[str] = "postgresql"
