"""Ops on roles (PostgreSQL): ``CREATE ROLE``, ``ALTER ROLE`` and memberships
(``GRANT role TO role``), and ``DROP ROLE`` (only ever the downgrade of a created role: roles
belong to the whole server, so a role the models stop declaring is never dropped).

Roles are made first (``CREATE_ROLE``, then their memberships in ``ALTER_ROLE``, once every new
role exists), before any grant or policy names them; a created role is dropped last of all
(``DROP_ROLE``), after its privileges were revoked (``REVOKE_PRIVILEGES`` runs first).
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Phase
from schemadiff.ops.objects import Creates, Drops, NamedOp, SwapsOldNew, pair
from schemadiff.snapshot.grants import RoleState


@dataclass(frozen=True)
class CreateRole(NamedOp[RoleState], Creates):
    """``CREATE ROLE`` with the role's attributes, when the server has no role of that name
    (its memberships: an :class:`AlterRole`)."""

    kind = "create_role"
    phase = Phase.CREATE_ROLE
    subject_field = "role"
    role: RoleState


@dataclass(frozen=True)
class DropRole(NamedOp[RoleState], Drops):
    """``DROP ROLE`` (the downgrade of :class:`CreateRole`), after the downgrade revoked the
    privileges it granted; kept when something of the server still depends on it (its
    privileges or objects in another database: roles are shared by the server's databases)."""

    kind = "drop_role"
    phase = Phase.DROP_ROLE
    subject_field = "role"
    role: RoleState


pair(CreateRole, DropRole)


@dataclass(frozen=True)
class AlterRole(NamedOp[RoleState], SwapsOldNew):
    """Take a role from ``old`` to ``new``: ``ALTER ROLE ... WITH`` the attributes that change,
    ``GRANT`` / ``REVOKE`` the memberships that do."""

    kind = "alter_role"
    phase = Phase.ALTER_ROLE
    old: RoleState
    new: RoleState

    def describe(self) -> str:
        changes = [
            f"{k} {'on' if v else 'off'}"
            for k, v in self.new.attributes().items()
            if self.old.attributes()[k] != v
        ]
        added = sorted(set(self.new.in_roles) - set(self.old.in_roles))
        gone = sorted(set(self.old.in_roles) - set(self.new.in_roles))
        if added:
            changes.append("member of " + ", ".join(added))
        if gone:
            changes.append("no longer member of " + ", ".join(gone))
        return f"alter {self.new.describe()}: {'; '.join(changes)}"
