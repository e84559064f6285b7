"""A raw SQL op, for plugin comparators whose change has no dedicated op."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase


@dataclass(frozen=True)
class ExecuteSQL(Op):
    """Run ``sql`` on upgrade and ``reverse_sql`` on downgrade (None: not reversible)."""

    kind = "execute_sql"
    phase = Phase.CUSTOM
    sql: str
    reverse_sql: str | None = None
    description: str = "execute SQL"
    schema_name: str | None = None
    table_name: str | None = None
    is_destructive: bool = False

    @property
    def destructive(self) -> bool:
        return self.is_destructive

    def reverse(self) -> Op:
        if self.reverse_sql is None:
            raise NotImplementedError(f"no reverse SQL for: {self.description}")
        prefix = "undo: "
        if self.description.startswith(prefix):
            description = self.description[len(prefix) :]
        else:
            description = prefix + self.description
        return ExecuteSQL(
            self.reverse_sql,
            self.sql,
            description,
            self.schema_name,
            self.table_name,
            self.is_destructive,
        )

    def describe(self) -> str:
        return self.description
