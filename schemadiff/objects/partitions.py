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


def create_partitions(metadata: sa.MetaData, bind: sa.Connection) -> None:
    """Create the declared partitions on ``bind`` (PostgreSQL: ``CREATE TABLE .. PARTITION OF``),
    partitions of partitions after their parent, after ``metadata.create_all(bind)`` (which
    makes the tables declared ``postgresql_partition_by`` partitioned): for tests and fresh
    databases. PostgreSQL's form only."""
    quote = bind.dialect.identifier_preparer.quote
    partitions = declared_partitions(metadata)
    names = {(p.schema, p.name): p for p in partitions}

    def depth(p: Partition) -> int:
        seen, parent = 0, names.get((p.schema, p.table))
        while parent is not None and seen < len(names):
            seen += 1
            parent = names.get((parent.schema, parent.table))
        return seen

    for p in sorted(partitions, key=depth):
        prefix = f"{quote(p.schema)}." if p.schema else ""
        sql = f"CREATE TABLE {prefix}{quote(p.name)} PARTITION OF {prefix}{quote(p.table)} "
        sql += p.bounds + (f" PARTITION BY {p.partition_by}" if p.partition_by else "")
        bind.exec_driver_sql(sql.replace("%", "%%"))
