"""Declared PostgreSQL domains: a named base type with optional NOT NULL, default and CHECK
constraints."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

#: where a MetaData keeps its declared domains: ``{(schema, name): Domain}``
DOMAINS_KEY = "schemadiff.domains"


class Domain:
    """A domain the models declare, created before the tables whose columns use it::

        Domain(metadata, "positive_int", "integer", check="VALUE > 0")
        Domain(metadata, "email", "text", check=["VALUE LIKE '%@%'", "length(VALUE) < 255"],
               not_null=True, default="''")

    ``data_type`` is the base type as SQL text, ``check`` one condition or several (each one
    CHECK constraint), ``default`` a SQL expression. Kept in ``metadata.info``."""

    kind = "domain"

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        data_type: str,
        *,
        check: str | Sequence[str] | None = None,
        not_null: bool = False,
        default: str | None = None,
        schema: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a domain needs a name")
        if not isinstance(data_type, str) or not data_type.strip():
            raise ValueError(f"domain {name!r}: the base type must be SQL text")
        checks = [check] if isinstance(check, str) else list(check or ())
        if not all(isinstance(c, str) and c.strip() for c in checks):
            raise ValueError(f"domain {name!r}: each check must be SQL text")
        self.name = name
        self.data_type = data_type.strip()
        self.checks = tuple(c.strip() for c in checks)
        self.not_null = bool(not_null)
        self.default = default
        self.schema = schema
        metadata.info.setdefault(DOMAINS_KEY, {})[(schema, name)] = self

    def __repr__(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"Domain({name!r}, {self.data_type!r})"


def declared_domains(metadata: sa.MetaData) -> list[Domain]:
    """The domains declared on ``metadata``, in declaration order."""
    found = metadata.info.get(DOMAINS_KEY) or {}
    return [d for d in found.values() if isinstance(d, Domain)]
