"""Ops on PostgreSQL domains: create, drop, alter.

A domain is created before the tables whose columns use it (after the enums it may be over)
and dropped after the tables. An altered domain changes in place (``ALTER DOMAIN``: default,
NOT NULL, checks); a new base type cannot be altered: the domain is dropped and created again
at the same point (the server refuses while a column uses it).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Phase
from schemadiff.ops.objects import Creates, Drops, SchemaObjectOp, SwapsOldNew, pair
from schemadiff.snapshot.model import Domain


@dataclass(frozen=True)
class CreateDomain(SchemaObjectOp[Domain], Creates):
    kind = "create_domain"
    phase = Phase.CREATE_DOMAIN
    subject_field = "domain"
    domain: Domain

    def describe(self) -> str:
        return f"{super().describe()} ({self.domain.data_type})"


@dataclass(frozen=True)
class DropDomain(SchemaObjectOp[Domain], Drops):
    """Drop a domain; ``domain`` is the database's (what the downgrade makes again)."""

    kind = "drop_domain"
    phase = Phase.DROP_DOMAIN
    subject_field = "domain"
    domain: Domain


pair(CreateDomain, DropDomain)


@dataclass(frozen=True)
class AlterDomain(SchemaObjectOp[Domain], SwapsOldNew):
    """Change a domain from ``old`` (the database's) to ``new`` (checks named, see
    :func:`schemadiff.snapshot.domains.name_checks`)."""

    kind = "alter_domain"
    phase = Phase.CREATE_DOMAIN
    old: Domain
    new: Domain

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
