"""Declarations of schema objects that are not tables, attached to a MetaData (kept in
``metadata.info``, so they live as long as the MetaData and travel with it) and compared like
the tables.

``View(metadata, "active_users", select(...) or "SELECT ...", schema=None)`` declares a view,
``MaterializedView(...)`` a materialized one (PostgreSQL); ``Function``, ``Procedure`` and
``Trigger`` the routines and triggers; ``Extension``, ``Domain``, ``Policy``,
``RowLevelSecurity``, ``Grant`` and ``Role`` (PostgreSQL); ``Partition`` the partitions of a
partitioned table.
alembic_utils' ``PGView``, ``PGMaterializedView``,
``PGFunction``, ``PGTrigger``, ``PGExtension``, ``PGPolicy`` and ``PGGrantTable`` entities can
be attached with
:func:`register_entities` (alembic_utils stays optional: nothing here imports it).
sqlalchemy-declarative-extensions' declarations (``declare_database(...)``) are read as ours by
:func:`attach_declarative_extensions` (optional too, see :mod:`.declarative_extensions`).
"""

from schemadiff.objects import partition_ddl  # noqa: F401 - create_all of partitions
from schemadiff.objects.declarative_extensions import (
    DECLEXT_CONVERTERS,
    attach_declarative_extensions,
)
from schemadiff.objects.domains import DOMAINS_KEY, Domain, declared_domains
from schemadiff.objects.extensions import (
    EXTENSIONS_KEY,
    Extension,
    declared_extensions,
    extension_from_entity,
)
from schemadiff.objects.functions import (
    FUNCTIONS_KEY,
    Function,
    Procedure,
    declared_functions,
    function_from_entity,
)
from schemadiff.objects.grants import (
    GRANTS_KEY,
    Grant,
    declared_grants,
    grant_from_entity,
    grants_from_declext,
)
from schemadiff.objects.partitions import (
    PARTITIONS_KEY,
    Partition,
    create_partitions,
    declared_partitions,
)
from schemadiff.objects.policies import (
    POLICIES_KEY,
    ROW_SECURITY_KEY,
    Policy,
    RowLevelSecurity,
    declared_policies,
    declared_row_security,
    policy_from_entity,
)
from schemadiff.objects.roles import ROLES_KEY, Role, declared_roles, roles_from_declext
from schemadiff.objects.triggers import (
    TRIGGERS_KEY,
    Trigger,
    declared_triggers,
    trigger_from_entity,
)
from schemadiff.objects.views import (
    ENTITY_CONVERTERS,
    VIEWS_KEY,
    MaterializedView,
    View,
    create_views,
    declared_views,
    drop_views,
    register_entities,
    unsupported_entities,
)

__all__ = [
    "DECLEXT_CONVERTERS",
    "DOMAINS_KEY",
    "ENTITY_CONVERTERS",
    "EXTENSIONS_KEY",
    "FUNCTIONS_KEY",
    "GRANTS_KEY",
    "PARTITIONS_KEY",
    "POLICIES_KEY",
    "ROLES_KEY",
    "ROW_SECURITY_KEY",
    "TRIGGERS_KEY",
    "VIEWS_KEY",
    "Domain",
    "Extension",
    "Function",
    "Grant",
    "MaterializedView",
    "Partition",
    "Policy",
    "Procedure",
    "Role",
    "RowLevelSecurity",
    "Trigger",
    "View",
    "attach_declarative_extensions",
    "create_partitions",
    "create_views",
    "declared_domains",
    "declared_extensions",
    "declared_functions",
    "declared_grants",
    "declared_partitions",
    "declared_policies",
    "declared_roles",
    "declared_row_security",
    "declared_triggers",
    "declared_views",
    "drop_views",
    "extension_from_entity",
    "function_from_entity",
    "grant_from_entity",
    "grants_from_declext",
    "policy_from_entity",
    "register_entities",
    "roles_from_declext",
    "trigger_from_entity",
    "unsupported_entities",
]
