"""The models' privileges and roles: grants and roles declared with :mod:`schemadiff.objects`
(or alembic_utils' ``PGGrantTable``, sqlalchemy-declarative-extensions' roles and grants
converted to them), in the compared form.

A declared ``ALL`` stays ``ALL`` here (what it gives depends on the server's version): the
comparator expands it (:func:`schemadiff.snapshot.grants.expand_all`).
"""

from __future__ import annotations

import sqlalchemy as sa

from schemadiff.objects.grants import Grant, access_notes, declared_grants
from schemadiff.objects.roles import declared_roles
from schemadiff.snapshot.grants import Privilege, RoleState, privilege_sort_key


def _registered_grants() -> list[Grant]:
    """``PGGrantTable`` entities given to alembic_utils' own ``register_entities``."""
    from schemadiff.sources.views import registered_entities

    return [g for g in registered_entities(frozenset({"PGGrantTable"})) if isinstance(g, Grant)]


def metadata_privileges(metadata: sa.MetaData, default_schema: str | None) -> tuple[Privilege, ...]:
    """One :class:`Privilege` per declared (relation, column, role, privilege), sorted; a
    privilege declared both with and without grant option is with it. ``ALL`` kept as is."""
    found: dict[tuple[object, ...], Privilege] = {}
    for grant in [*_registered_grants(), *declared_grants(metadata)]:
        schema = None if grant.schema == default_schema else grant.schema
        for role in grant.roles:
            for column in grant.columns or (None,):
                for privilege in grant.privileges:
                    p = Privilege(
                        grant.table, role, privilege, schema, column, grant.with_grant_option
                    )
                    old = found.get(p.key)
                    if old is None or (p.grantable and not old.grantable):
                        found[p.key] = p
    return tuple(sorted(found.values(), key=privilege_sort_key))


def metadata_roles(metadata: sa.MetaData) -> tuple[RoleState, ...]:
    """Every declared role, by name."""
    return tuple(
        sorted(
            (
                RoleState(
                    r.name, r.login, r.superuser, r.createdb, r.createrole, r.inherit, r.in_roles
                )
                for r in declared_roles(metadata)
            ),
            key=lambda r: r.name,
        )
    )


def grant_notes(metadata: sa.MetaData) -> tuple[str, ...]:
    """The "not compared" notes about grants and roles the models were given."""
    return tuple(access_notes(metadata))
