"""The models' PostgreSQL declarative partitioning: each table's ``postgresql_partition_by``
(SQLAlchemy's own option) and the partitions declared with
:class:`schemadiff.objects.Partition`, in the compared form."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.base import DialectRules
from schemadiff.backends.registry import rules_for
from schemadiff.objects.partitions import declared_partitions
from schemadiff.snapshot.model import Snapshot
from schemadiff.snapshot.partitions import (
    Partition,
    PartitionKey,
    PartitionName,
    canonical_partition_sql,
)


def declared_key(table: sa.Table) -> str | None:
    """The table's ``postgresql_partition_by`` text (None: not partitioned)."""
    value = table.kwargs.get("postgresql_partition_by")
    return str(value).strip() if value else None


def _schema(schema: str | None, default_schema: str | None) -> str | None:
    return None if schema == default_schema else schema


def metadata_partition_keys(
    metadata: sa.MetaData, rules: DialectRules, default_schema: str | None
) -> tuple[PartitionKey, ...]:
    """The key of every table declared ``postgresql_partition_by`` (backends with the
    ``partitions`` feature: PostgreSQL), sorted.
    Its canonical form is not sure to be the server's until settled (``comparable`` False
    when it differs, see :func:`settle_partitions`)."""
    if "partitions" not in rules.features:
        return ()
    out = []
    for table in metadata.tables.values():
        key = declared_key(table)
        if key is None:
            continue
        out.append(
            PartitionKey(
                table.name,
                _schema(table.schema, default_schema),
                canonical_partition_sql(key) or "",
                comparable=False,
                raw=key,
            )
        )
    return tuple(sorted(out, key=lambda k: (k.schema or "", k.table)))


def metadata_partitions(
    metadata: sa.MetaData, rules: DialectRules, default_schema: str | None
) -> tuple[Partition, ...]:
    """Every declared partition, sorted by key (PostgreSQL compares them; MySQL's are another
    kind, read with their tables; a backend with neither lists them as not compared)."""
    if "partitions" not in rules.features and "table_partitioning" in rules.features:
        return ()
    out = [
        Partition(
            name=decl.name,
            table=decl.table,
            schema=_schema(decl.schema, default_schema),
            bounds=canonical_partition_sql(decl.bounds) or "",
            partition_by=canonical_partition_sql(decl.partition_by),
            comparable=False,
            raw_bounds=decl.bounds,
            raw_partition_by=decl.partition_by,
        )
        for decl in declared_partitions(metadata)
    ]
    return tuple(sorted(out, key=lambda p: (p.schema or "", p.name)))


def settle_partitions(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with each declared key and partition that differs in text from the
    database's settled: replaced by the server's own rewrite of it (asked without changing
    anything, see ``DialectRules.settle_partitions``). Those equal already, or with no
    database counterpart (created), are marked sure; those the server could not be asked
    about stay unsure: listed as not compared when they differ."""
    if not models.partition_keys and not models.partitions:
        return models
    old_keys = {k.name_key: k for k in db.partition_keys}
    old_parts = {p.key: p for p in db.partitions}
    # the database's key of every partitioned table or partition, to probe partitions with
    parent_keys: dict[PartitionName, str] = {k.name_key: k.raw for k in db.partition_keys}
    parent_keys |= {p.key: p.raw_partition_by for p in db.partitions if p.raw_partition_by}
    keys: dict[PartitionName, PartitionKey] = {}
    pending_keys = []
    for key in models.partition_keys:
        old = old_keys.get(key.name_key)
        if old is None or old.key == key.key:
            keys[key.name_key] = replace(key, comparable=True)
        else:
            pending_keys.append(key)
    parts: dict[PartitionName, Partition] = {}
    pending_parts = []
    for part in models.partitions:
        was = old_parts.get(part.key)
        if was is None or (was.bounds, was.partition_by) == (part.bounds, part.partition_by):
            parts[part.key] = replace(part, comparable=True)
        elif was.table == part.table and part.parent_key in parent_keys:
            pending_parts.append((part, parent_keys[part.parent_key]))
        else:
            parts[part.key] = replace(part, comparable=True)  # moves to another table
    answers_keys: dict = {}
    answers_parts: dict = {}
    if pending_keys or pending_parts:
        try:
            answers_keys, answers_parts = rules_for(db.dialect).settle_partitions(
                conn, pending_keys, pending_parts, db.default_schema or ""
            )
        except sa.exc.DBAPIError:
            pass  # no second connection, no rights on temporary tables
    for key in pending_keys:
        text = answers_keys.get(key.name_key)
        if text is not None:
            keys[key.name_key] = replace(
                key, key=canonical_partition_sql(text) or "", comparable=True
            )
    for part, _ in pending_parts:
        answer = answers_parts.get(part.key)
        if answer is not None:
            bounds, by = answer
            parts[part.key] = replace(
                part,
                bounds=canonical_partition_sql(bounds) or "",
                partition_by=canonical_partition_sql(by),
                comparable=True,
            )
    return replace(
        models,
        partition_keys=tuple(keys.get(k.name_key, k) for k in models.partition_keys),
        partitions=tuple(parts.get(p.key, p) for p in models.partitions),
    )
