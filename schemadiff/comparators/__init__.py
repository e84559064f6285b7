"""Comparators: one module per object kind, each a function that yields ops and notices.

The registries below list them in the order :func:`schemadiff.diff.engine.compute_diff` runs them.
Plugins get :class:`CompareContext`, :class:`TablePair` and :data:`Item` from here.
"""

from __future__ import annotations

from schemadiff.comparators.check_constraints import compare_check_constraints
from schemadiff.comparators.columns import compare_columns
from schemadiff.comparators.comments import compare_table_comment
from schemadiff.comparators.context import (
    CompareContext,
    Item,
    SnapshotComparator,
    TableComparator,
    TablePair,
)
from schemadiff.comparators.domains import compare_domains
from schemadiff.comparators.enums import compare_enums
from schemadiff.comparators.extensions import compare_extensions
from schemadiff.comparators.foreign_keys import compare_foreign_keys
from schemadiff.comparators.functions import compare_functions
from schemadiff.comparators.grants import compare_grants, compare_roles
from schemadiff.comparators.indexes import compare_indexes
from schemadiff.comparators.partitions import compare_partitions
from schemadiff.comparators.policies import compare_policies
from schemadiff.comparators.primary_keys import compare_primary_key
from schemadiff.comparators.schemas import compare_schemas
from schemadiff.comparators.sequences import compare_sequences
from schemadiff.comparators.table_options import compare_table_options
from schemadiff.comparators.table_partitioning import compare_table_partitioning
from schemadiff.comparators.tables import compare_tables
from schemadiff.comparators.triggers import compare_triggers
from schemadiff.comparators.unique_constraints import compare_unique_constraints
from schemadiff.comparators.views import compare_views

__all__ = [
    "SNAPSHOT_COMPARATORS",
    "TABLE_COMPARATORS",
    "CompareContext",
    "Item",
    "TablePair",
]

#: Comparators over whole snapshots, by object kind.
SNAPSHOT_COMPARATORS: dict[str, SnapshotComparator] = {
    "schemas": compare_schemas,
    "extensions": compare_extensions,
    "enums": compare_enums,
    "domains": compare_domains,
    "sequences": compare_sequences,
    "tables": compare_tables,
    "functions": compare_functions,
    "triggers": compare_triggers,
    "views": compare_views,
    "policies": compare_policies,
    "table_partitioning": compare_table_partitioning,
    "partitions": compare_partitions,
    "roles": compare_roles,
    "grants": compare_grants,
}

#: Comparators run for every table present on both sides (never for created/dropped tables).
TABLE_COMPARATORS: dict[str, TableComparator] = {
    "columns": compare_columns,
    "primary_keys": compare_primary_key,
    "unique_constraints": compare_unique_constraints,
    "foreign_keys": compare_foreign_keys,
    "check_constraints": compare_check_constraints,
    "indexes": compare_indexes,
    "comments": compare_table_comment,
    "table_options": compare_table_options,
}
