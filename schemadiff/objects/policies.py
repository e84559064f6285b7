"""Declared row-level security: ``Policy`` (``CREATE POLICY``), ``RowLevelSecurity`` (a table's
``ENABLE`` / ``FORCE ROW LEVEL SECURITY``), and alembic_utils' ``PGPolicy`` entities."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

#: where a MetaData keeps its declared policies: ``{(schema, table, name): Policy}``
POLICIES_KEY = "schemadiff.policies"
#: where a MetaData keeps its tables' row-level security: ``{(schema, table): RowLevelSecurity}``
ROW_SECURITY_KEY = "schemadiff.row_security"

COMMANDS = ("ALL", "SELECT", "INSERT", "UPDATE", "DELETE")


class Policy:
    """A PostgreSQL row-level security policy on a table::

        Policy(metadata, "own_rows", "orders", command="ALL", roles=("public",),
               using="owner = current_user", with_check=None, permissive=True)

    ``using`` and ``with_check`` are SQL expressions (without their parentheses); ``roles``
    names roles as they are stored (``public`` for everyone). Kept in ``metadata.info``."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        table: str,
        command: str = "ALL",
        roles: tuple[str, ...] | list[str] = ("public",),
        using: str | None = None,
        with_check: str | None = None,
        permissive: bool = True,
        schema: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a policy needs a name")
        if not isinstance(table, str) or not table:
            raise ValueError(f"policy {name!r} needs the name of its table")
        command = str(command).upper()
        if command not in COMMANDS:
            raise ValueError(f"policy {name!r}: command must be one of {', '.join(COMMANDS)}")
        if isinstance(roles, str):
            roles = (roles,)
        if not roles:
            raise ValueError(f"policy {name!r}: roles must name at least one role (or 'public')")
        for text in (using, with_check):
            if text is not None and not isinstance(text, str):
                raise TypeError(f"policy {name!r}: USING and WITH CHECK must be SQL text")
        self.name = name
        self.table = table
        self.command = command
        self.roles = tuple(roles)
        self.using = using
        self.with_check = with_check
        self.permissive = bool(permissive)
        self.schema = schema
        metadata.info.setdefault(POLICIES_KEY, {})[(schema, table, name)] = self

    def __repr__(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"Policy({self.name!r}, on={table!r})"


class RowLevelSecurity:
    """``ALTER TABLE table ENABLE ROW LEVEL SECURITY`` (``force``: ``FORCE`` too, so the
    table's owner is bound by its policies)::

        RowLevelSecurity(metadata, "orders", force=False)

    Kept in ``metadata.info``."""

    def __init__(
        self, metadata: sa.MetaData, table: str, force: bool = False, schema: str | None = None
    ) -> None:
        if not isinstance(table, str) or not table:
            raise ValueError("row-level security needs the name of its table")
        self.table = table
        self.force = bool(force)
        self.schema = schema
        metadata.info.setdefault(ROW_SECURITY_KEY, {})[(schema, table)] = self

    def __repr__(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"RowLevelSecurity({table!r}, force={self.force})"


def declared_policies(metadata: sa.MetaData) -> list[Policy]:
    """The policies declared on ``metadata``, in declaration order."""
    found = metadata.info.get(POLICIES_KEY) or {}
    return [p for p in found.values() if isinstance(p, Policy)]


def declared_row_security(metadata: sa.MetaData) -> list[RowLevelSecurity]:
    """The tables ``metadata`` declares row-level security on, in declaration order."""
    found = metadata.info.get(ROW_SECURITY_KEY) or {}
    return [r for r in found.values() if isinstance(r, RowLevelSecurity)]


def _parenthesized(text: str, start: int) -> tuple[str, int]:
    """The text inside the parentheses opening at ``text[start]``, and the index after them."""
    depth = 0
    quote = ""
    for i in range(start, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i].strip(), i + 1
    raise ValueError("unbalanced parentheses in a policy definition")


_HEAD = re.compile(
    r"^\s*(?:AS\s+(?P<kind>PERMISSIVE|RESTRICTIVE)\s+)?(?:FOR\s+(?P<cmd>\w+)\s+)?"
    r"(?:TO\s+(?P<roles>.*?))?\s*(?=USING\b|WITH\s+CHECK\b|$)",
    re.IGNORECASE | re.DOTALL,
)


def parse_policy_definition(text: str) -> dict[str, Any]:
    """``AS PERMISSIVE FOR SELECT TO public USING (...) WITH CHECK (...)`` (every part
    optional) as :class:`Policy` keyword arguments."""
    text = text.strip().rstrip(";")
    match = _HEAD.match(text)
    if match is None:
        raise ValueError(f"cannot read the policy definition {text!r}")
    out: dict[str, Any] = {
        "permissive": (match["kind"] or "PERMISSIVE").upper() == "PERMISSIVE",
        "command": (match["cmd"] or "ALL").upper(),
        "roles": tuple(r.strip() for r in (match["roles"] or "public").split(",")),
    }
    rest = text[match.end() :]
    while rest.strip():
        rest = rest.strip()
        using = re.match(r"USING\s*(?=\()", rest, re.IGNORECASE)
        check = re.match(r"WITH\s+CHECK\s*(?=\()", rest, re.IGNORECASE)
        if using is None and check is None:
            raise ValueError(f"cannot read the policy definition {text!r}")
        head = using or check
        assert head is not None
        expr, end = _parenthesized(rest, head.end())
        out["using" if using else "with_check"] = expr
        rest = rest[end:]
    return out


def policy_from_entity(metadata: sa.MetaData, entity: Any) -> Policy:
    """An alembic_utils ``PGPolicy`` (``signature`` the policy name, ``on_entity``
    ``schema.table``, ``definition`` the text after ``ON table``) as a :class:`Policy`."""
    on = str(entity.on_entity)
    schema, _, table = on.rpartition(".")
    return Policy(
        metadata,
        str(entity.signature),
        table,
        schema=schema or getattr(entity, "schema", None),
        **parse_policy_definition(str(entity.definition)),
    )
