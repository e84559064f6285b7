"""mysql normalization rules (to be filled by the mysql work)."""

from __future__ import annotations

from typing import ClassVar

from schemadiff.dialects.base import DialectRules


class MysqlRules(DialectRules):
    name: ClassVar[str] = "mysql"
