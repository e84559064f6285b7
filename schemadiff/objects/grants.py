"""Declared table privileges (PostgreSQL): ``Grant`` (``GRANT ... ON TABLE ... TO ...``),
alembic_utils' ``PGGrantTable`` entities and sqlalchemy-declarative-extensions' grant
statements (both optional: nothing here imports them).

Declaring one grant opts the project in: every role named in a grant then holds, on the tables
and views of the covered schemas, exactly the privileges declared for it (the others are
revoked); the privileges of roles no grant names, and those of each table's owner, are never
touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from schemadiff.snapshot.grants import ALL_TABLE_PRIVILEGES, COLUMN_PRIVILEGES

#: where a MetaData keeps its declared grants: a list of :class:`Grant`
GRANTS_KEY = "schemadiff.grants"
#: where a MetaData keeps notes on grants and roles it was given but cannot compare
ACCESS_NOTES_KEY = "schemadiff.access_notes"


def _names(value: str | Iterable[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _relation(on: Any, schema: str | None) -> tuple[str | None, str]:
    """(schema, name) of ``on``: a name (``"orders"``, ``"sales.orders"``), a Table or a View."""
    if isinstance(on, str):
        if schema is None and "." in on and not on.startswith('"'):
            head, _, name = on.partition(".")
            return head, name
        return schema, on
    found = getattr(on, "name", None)
    if not isinstance(found, str):
        raise TypeError(f"a grant is on a table or view (its name), not {on!r}")
    return (schema if schema is not None else getattr(on, "schema", None)), found


class Grant:
    """Privileges on a table or view for one or more roles::

        Grant(metadata, ["SELECT", "INSERT"], on="orders", to="app")
        Grant(metadata, "ALL", on="orders", to=["admin"], with_grant_option=True)
        Grant(metadata, ["SELECT", "UPDATE"], on="orders", to="clerk", columns=["status"])

    ``privileges``: names among SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES,
    TRIGGER (MAINTAIN on PostgreSQL 17), or ``"ALL"`` (what the server gives for ``ALL``);
    with ``columns``, SELECT, INSERT, UPDATE, REFERENCES or ALL on those columns only. ``to``:
    role names as stored, ``public`` for every role. Kept in ``metadata.info``."""

    def __init__(
        self,
        metadata: sa.MetaData,
        privileges: str | Iterable[str],
        on: Any,
        to: str | Iterable[str],
        columns: Iterable[str] | None = None,
        schema: str | None = None,
        with_grant_option: bool = False,
    ) -> None:
        self.schema, self.table = _relation(on, schema)
        if not self.table:
            raise ValueError("a grant needs the name of its table or view")
        self.columns = tuple(columns or ())
        allowed = COLUMN_PRIVILEGES if self.columns else ALL_TABLE_PRIVILEGES
        names = tuple(p.strip().upper() for p in _names(privileges))
        if not names:
            raise ValueError(f"grant on {self.table!r}: name at least one privilege (or 'ALL')")
        names = tuple("ALL" if p == "ALL PRIVILEGES" else p for p in names)
        for p in names:
            if p != "ALL" and p not in allowed:
                level = "a column" if self.columns else "a table"
                raise ValueError(
                    f"grant on {self.table!r}: {p!r} is not a privilege on {level} "
                    f"(one of {', '.join(allowed)}, or ALL)"
                )
        self.privileges = ("ALL",) if "ALL" in names else tuple(dict.fromkeys(names))
        roles = tuple(r.strip() for r in _names(to))
        if not roles or not all(roles):
            raise ValueError(f"grant on {self.table!r}: name the role(s) it is to")
        self.roles = tuple("public" if r.lower() == "public" else r for r in roles)
        self.with_grant_option = bool(with_grant_option)
        metadata.info.setdefault(GRANTS_KEY, []).append(self)

    def __repr__(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        cols = f"({', '.join(self.columns)})" if self.columns else ""
        return f"Grant({', '.join(self.privileges)} on {table}{cols} to {', '.join(self.roles)})"


def declared_grants(metadata: sa.MetaData) -> list[Grant]:
    """The grants declared on ``metadata``, in declaration order."""
    return [g for g in metadata.info.get(GRANTS_KEY) or () if isinstance(g, Grant)]


def access_notes(metadata: sa.MetaData) -> list[str]:
    """What ``metadata`` was given about grants and roles that cannot be compared."""
    return list(metadata.info.get(ACCESS_NOTES_KEY) or ())


def note_not_compared(metadata: sa.MetaData, note: str) -> None:
    notes = metadata.info.setdefault(ACCESS_NOTES_KEY, [])
    if note not in notes:
        notes.append(note)


def grant_from_entity(metadata: sa.MetaData, entity: Any) -> Grant:
    """An alembic_utils ``PGGrantTable`` (``schema``, ``table``, ``columns``, ``role``,
    ``grant``, ``with_grant_option``) as a :class:`Grant`."""
    grant = getattr(entity.grant, "value", entity.grant)
    return Grant(
        metadata,
        [str(grant)],
        on=str(entity.table),
        to=str(entity.role),
        columns=list(entity.columns or ()) or None,
        schema=str(entity.schema) if entity.schema else None,
        with_grant_option=bool(entity.with_grant_option),
    )


def _value(item: Any) -> str:
    return str(getattr(item, "value", item)).upper()


def grants_from_declext(metadata: sa.MetaData, grants: Any) -> list[Grant]:
    """sqlalchemy-declarative-extensions' grants (a ``Grants`` collection, or an iterable of
    its statements) as :class:`Grant` declarations on ``metadata``: each table
    ``GrantStatement`` (``Grant.new(...).on_tables(...)``) one ``Grant`` per table. Default
    grants (``DefaultGrant``), revokes, and grants on other kinds of object (sequences,
    schemas, functions...) are recorded as not compared (reports list them)."""
    made: list[Grant] = []
    for statement in getattr(grants, "grants", grants) or ():
        kind = type(statement).__name__
        if kind == "DefaultGrantStatement":
            default = statement.default_grant
            note_not_compared(
                metadata,
                f"default privileges (sqlalchemy-declarative-extensions DefaultGrant on "
                f"{_value(default.grant_type).lower()}s in {', '.join(default.in_schemas)} "
                f"to {statement.grant.target_role})",
            )
            continue
        grant = getattr(statement, "grant", None)
        target = getattr(statement, "targets", None)
        if kind != "GrantStatement" or grant is None or target is None:
            note_not_compared(metadata, f"sqlalchemy-declarative-extensions {kind} grants")
            continue
        object_type = _value(statement.grant_type)
        if object_type != "TABLE":
            note_not_compared(
                metadata,
                f"grants on {object_type.lower()}s (to {grant.target_role}: "
                "only grants on tables and views are compared)",
            )
            continue
        if grant.revoke_:
            note_not_compared(
                metadata,
                f"declared revokes (to {grant.target_role}: a role named in a grant holds "
                "exactly its declared grants)",
            )
            continue
        privileges = [_value(p) for p in grant.grants]
        for name in target:
            made.append(
                Grant(
                    metadata,
                    privileges,
                    on=str(name),
                    to=str(grant.target_role),
                    with_grant_option=bool(grant.grant_option),
                )
            )
    return made
