"""What every comparator receives: read-only access to the options and both (filtered) snapshots.

Comparators are plain functions that *yield* ops and notices; they never mutate shared state, so
they can run in any order and plugins can be mixed in freely.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from schemadiff.diff.options import CompareOptions
from schemadiff.diff.result import Notice
from schemadiff.ops import Op, qualified
from schemadiff.snapshot.model import Snapshot, Table, TableKey

#: What a comparator yields.
Item = Op | Notice

#: Human names of the dialect features (``DialectRules.features``) for "not compared" notices.
FEATURE_LABELS = {
    "autoincrement": "auto-increment key columns (SERIAL, AUTO_INCREMENT)",
    "check_constraints": "check constraints",
    "collation": "column collations",
    "comments": "table and column comments",
    "computed": "computed (generated) columns",
    "enums": "named enum types",
    "expression_indexes": "expression indexes",
    "identity": "identity columns",
    "partial_indexes": "partial-index predicates",
    "schemas": "schemas",
    "sequences": "sequences",
    "functions": "functions and procedures",
    "triggers": "triggers",
    "policies": "row-level security policies",
    "partitions": "partitions (declarative partitioning)",
    "views": "views",
    "materialized_views": "materialized views",
    "extensions": "extensions",
    "domains": "domains",
    "table_partitioning": "table partitioning",
    "grants": "grants on tables and views (Grant, PGGrantTable)",
    "roles": "roles (Role)",
}


@dataclass(frozen=True)
class CompareContext:
    """Read-only view given to comparators and plugins.

    ``db`` is the database snapshot after filters and with confirmed renames already applied
    (renamed tables and columns carry their new names), ``models`` the filtered model snapshot.
    ``features`` are the object kinds the database's dialect reports.
    """

    options: CompareOptions
    dialect: str
    db: Snapshot
    models: Snapshot
    features: frozenset[str]
    #: keys (old and new) of the tables this migration renames or renames columns of
    renamed: frozenset[TableKey] = frozenset()
    #: keys of every table and view of the database, those the filters leave out included
    relations: frozenset[TableKey] = frozenset()

    def supports(self, feature: str) -> bool:
        return feature in self.features

    def not_supported(self, feature: str) -> Notice:
        """The single notice for a feature the models use but this backend cannot store."""
        label = FEATURE_LABELS.get(feature, feature)
        return Notice(
            "not_compared",
            f"{label}: the {self.dialect} backend does not report them, so they were not compared",
        )


@dataclass(frozen=True)
class TablePair:
    """A table present on both sides (``db`` under its new name when it was renamed)."""

    db: Table
    model: Table

    @property
    def schema(self) -> str | None:
        return self.model.schema

    @property
    def name(self) -> str:
        return self.model.name

    @property
    def label(self) -> str:
        return qualified(self.model.schema, self.model.name)


SnapshotComparator = Callable[[CompareContext], Iterable[Item]]
TableComparator = Callable[[CompareContext, TablePair], Iterable[Item]]


def refused_warning(what: str, why: str, schema: str | None, table: str | None = None) -> Notice:
    """The warning for a declared object the server cannot parse (``why``: its syntax error,
    learnt in a transaction that was rolled back): the migration would fail at upgrade."""
    return Notice(
        "warning",
        f"{what}: the server refuses it: {why} (the migration would fail at upgrade)",
        schema,
        table,
    )
