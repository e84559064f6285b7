"""The lint rules' stable codes: what each one means, how bad it is, which backend it is for.

Codes never change meaning once released (configs and ``# schemadiff: ignore[...]`` comments name
them). The first digit is the family: 1 destructive, 2 data-dependent, 3 locking (PostgreSQL),
4 backward-incompatible for code already deployed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    severity: str  # "error" | "warning"
    #: the only backend the rule applies to (None: every backend)
    dialect: str | None = None


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule("SD101", "drop table", "error"),
        Rule("SD102", "drop column", "error"),
        Rule("SD103", "narrowing type change", "error"),
        Rule("SD104", "enum value removed", "error"),
        Rule("SD105", "drop sequence", "error"),
        Rule("SD106", "drop materialized view", "error", "postgresql"),
        Rule("SD107", "drop extension", "error", "postgresql"),
        Rule("SD109", "drop partition", "error"),
        Rule("SD201", "NOT NULL column without a server default on an existing table", "warning"),
        Rule("SD202", "new unique constraint or unique index on an existing table", "warning"),
        Rule("SD301", "index created without CONCURRENTLY", "warning", "postgresql"),
        Rule("SD302", "foreign key added without NOT VALID", "warning", "postgresql"),
        Rule("SD303", "type change that rewrites the table", "warning", "postgresql"),
        Rule("SD401", "rename of a table or column that running code uses", "warning"),
    )
}


@dataclass(frozen=True)
class Finding:
    """One problem at one op call of one revision file."""

    code: str
    revision: str
    file: Path
    line: int
    message: str

    @property
    def severity(self) -> str:
        return RULES[self.code].severity

    @property
    def title(self) -> str:
        return RULES[self.code].title


@dataclass(frozen=True)
class Hit:
    """What a rule reports before the engine knows the revision and file."""

    code: str
    message: str
