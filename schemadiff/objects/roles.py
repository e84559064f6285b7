"""Declared roles (PostgreSQL): ``Role``, and sqlalchemy-declarative-extensions' roles
(optional: nothing here imports it).

Roles belong to the server, not to one database: a declared role is created when missing and
its attributes and memberships brought to the declaration, but a role the models do not declare
is never dropped nor listed (every other project on the server has its own).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from schemadiff.objects.grants import note_not_compared

#: where a MetaData keeps its declared roles: ``{name: Role}``
ROLES_KEY = "schemadiff.roles"


class Role:
    """A role the models need::

        Role(metadata, "app", login=True)
        Role(metadata, "clerk", in_roles=["app"])

    ``in_roles``: the roles it is a member of (``GRANT app TO clerk``); it is a member of no
    other. Kept in ``metadata.info``."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        login: bool = False,
        superuser: bool = False,
        createdb: bool = False,
        createrole: bool = False,
        inherit: bool = True,
        in_roles: Iterable[str] = (),
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a role needs a name")
        if name.lower() == "public" or name.startswith("pg_"):
            raise ValueError(f"{name!r} is reserved by PostgreSQL; it cannot be declared")
        if isinstance(in_roles, str):
            in_roles = (in_roles,)
        self.name = name
        self.login = bool(login)
        self.superuser = bool(superuser)
        self.createdb = bool(createdb)
        self.createrole = bool(createrole)
        self.inherit = bool(inherit)
        self.in_roles = tuple(sorted(set(in_roles)))
        if name in self.in_roles:
            raise ValueError(f"role {name!r} cannot be a member of itself")
        metadata.info.setdefault(ROLES_KEY, {})[name] = self

    def __repr__(self) -> str:
        return f"Role({self.name!r})"


def declared_roles(metadata: sa.MetaData) -> list[Role]:
    """The roles declared on ``metadata``, in declaration order."""
    found = metadata.info.get(ROLES_KEY) or {}
    return [r for r in found.values() if isinstance(r, Role)]


#: declarative-extensions' role options we cannot express, with the value that means "unset"
_OTHER_OPTIONS = {
    "replication": (None, False),
    "bypass_rls": (None, False),
    "connection_limit": (None,),
    "valid_until": (None,),
    "password": (None,),
    "use_role": (None,),
}


def _name(role: Any) -> str:
    return str(getattr(role, "name", role))


def roles_from_declext(metadata: sa.MetaData, roles: Any) -> list[Role]:
    """sqlalchemy-declarative-extensions' roles (a ``Roles`` collection, or an iterable of
    its ``Role`` / postgresql ``Role`` objects or names) as :class:`Role` declarations on
    ``metadata``. ``external=True`` roles are not managed (not declared). An option left
    ``None`` takes PostgreSQL's default. Options we cannot compare (replication, bypass_rls,
    connection_limit, valid_until, password, use_role) are recorded as not compared."""
    made: list[Role] = []
    for role in getattr(roles, "roles", roles) or ():
        if isinstance(role, str):
            made.append(Role(metadata, role))
            continue
        if getattr(role, "external", False):
            continue
        name = _name(role)
        unset = {
            option
            for option, blanks in _OTHER_OPTIONS.items()
            if hasattr(role, option) and getattr(role, option) not in blanks
        }
        if unset:
            note_not_compared(
                metadata,
                f"role {name}: {', '.join(sorted(unset))} (only login, superuser, createdb, "
                "createrole, inherit and memberships are compared)",
            )

        def flag(option: str, default: bool, role: Any = role) -> bool:
            value = getattr(role, option, None)
            return default if value is None else bool(value)

        made.append(
            Role(
                metadata,
                name,
                login=flag("login", False),
                superuser=flag("superuser", False),
                createdb=flag("createdb", False),
                createrole=flag("createrole", False),
                inherit=flag("inherit", True),
                in_roles=[_name(r) for r in getattr(role, "in_roles", None) or ()],
            )
        )
    return made
