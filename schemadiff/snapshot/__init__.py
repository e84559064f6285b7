"""The snapshot: one frozen description of a schema, built alike from a database and from models.

The model's classes are importable from here (``from schemadiff.snapshot import Table`` is the
plugin API); :mod:`.io` reads and writes snapshot files.
"""

from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    DbObject,
    Enum,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Sequence,
    Snapshot,
    SourceWarning,
    Table,
    UniqueConstraint,
    sort_tables,
)

__all__ = [
    "CheckConstraint",
    "Column",
    "ColumnType",
    "Computed",
    "DbObject",
    "Enum",
    "ForeignKey",
    "Identity",
    "Index",
    "IndexElement",
    "PrimaryKey",
    "Sequence",
    "Snapshot",
    "SourceWarning",
    "Table",
    "UniqueConstraint",
    "sort_tables",
]
