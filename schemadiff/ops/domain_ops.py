"""Ops on PostgreSQL domains: create, drop, alter.

A domain is created before the tables whose columns use it (after the enums it may be over)
and dropped after the tables. An altered domain changes in place (``ALTER DOMAIN``: default,
NOT NULL, checks); a new base type cannot be altered: the domain is dropped and created again
at the same point (the server refuses while a column uses it).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase
from schemadiff.snapshot.model import Domain


@dataclass(frozen=True)
class CreateDomain(Op):
    kind = "create_domain"
    phase = Phase.CREATE_DOMAIN
    domain: Domain

    @property
    def schema(self) -> str | None:
        return self.domain.schema

    @property
    def name(self) -> str:
        return self.domain.name

    def reverse(self) -> Op:
        return DropDomain(self.domain)

    def describe(self) -> str:
        return f"create {self.domain.describe()} ({self.domain.data_type})"


@dataclass(frozen=True)
class DropDomain(Op):
    """Drop a domain; ``domain`` is the database's (what the downgrade makes again)."""

    kind = "drop_domain"
    phase = Phase.DROP_DOMAIN
    domain: Domain

    @property
    def schema(self) -> str | None:
        return self.domain.schema

    @property
    def name(self) -> str:
        return self.domain.name

    def reverse(self) -> Op:
        return CreateDomain(self.domain)

    def describe(self) -> str:
        return f"drop {self.domain.describe()}"


@dataclass(frozen=True)
class AlterDomain(Op):
    """Change a domain from ``old`` (the database's) to ``new`` (checks named, see
    :func:`schemadiff.snapshot.domains.name_checks`)."""

    kind = "alter_domain"
    phase = Phase.CREATE_DOMAIN
    old: Domain
    new: Domain

    @property
    def schema(self) -> str | None:
        return self.new.schema

    @property
    def name(self) -> str:
        return self.new.name

    def reverse(self) -> Op:
        return AlterDomain(self.new, self.old)

    def changes(self) -> list[str]:
        out = []
        if self.old.data_type != self.new.data_type:
            out.append(f"type {self.old.data_type} -> {self.new.data_type}")
        if self.old.not_null != self.new.not_null:
            out.append("not null" if self.new.not_null else "nullable")
        if self.old.default != self.new.default:
            out.append(f"default {self.new.default}" if self.new.default else "no default")
        if self.old.checks != self.new.checks:
            out.append("checks")
        return out

    def describe(self) -> str:
        return f"alter {self.new.describe()} ({', '.join(self.changes())})"
