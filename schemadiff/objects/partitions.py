"""Declared partitions of partitioned tables (PostgreSQL declarative partitioning, MySQL and
MariaDB partitioning). The table declares its key with SQLAlchemy's own dialect option
(``postgresql_partition_by="RANGE (created_at)"``, ``mysql_partition_by="RANGE (year)"``);
its partitions are declared here, one object each, because SQLAlchemy has no construct for
them."""

from __future__ import annotations

import sqlalchemy as sa

#: where a MetaData keeps its declared partitions: ``{(schema, table, name): Partition}``
PARTITIONS_KEY = "schemadiff.partitions"


class Partition:
    """A partition of ``table``; ``bounds`` is what follows the partition's name.

    PostgreSQL (a partition is a table of its own: ``CREATE TABLE name PARTITION OF table
    bounds``; ``partition_by`` partitions it again)::

        Partition(metadata, "events_2024", "events",
                  "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')")
        Partition(metadata, "events_other", "events", "DEFAULT")

    MySQL / MariaDB (a named part of the table: ``PARTITION name bounds``)::

        Partition(metadata, "p2024", "events", "VALUES LESS THAN (2025)")

    Declare partitions in their order: MySQL keeps RANGE partitions in ascending order.
    Kept in ``metadata.info``."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        table: str,
        bounds: str,
        schema: str | None = None,
        partition_by: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a partition needs a name")
        if not isinstance(table, str) or not table:
            raise ValueError(f"partition {name!r} needs the name of its table")
        if not isinstance(bounds, str) or not bounds.strip():
            raise TypeError(f"partition {name!r}: the bounds must be SQL text")
        self.name = name
        self.table = table
        self.bounds = bounds.strip()
        self.schema = schema
        self.partition_by = partition_by
        metadata.info.setdefault(PARTITIONS_KEY, {})[(schema, table, name)] = self

    def __repr__(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"Partition({self.name!r}, of={table!r})"


def declared_partitions(metadata: sa.MetaData) -> list[Partition]:
    """The partitions declared on ``metadata``, in declaration order."""
    found = metadata.info.get(PARTITIONS_KEY) or {}
    return [p for p in found.values() if isinstance(p, Partition)]
