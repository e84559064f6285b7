"""PostgreSQL declarative partitioning: every partitioned table's key and every partition with
its bounds, in one statement for every requested schema, whatever the number of partitions.

Keys and bounds come back in the server's spelling (``pg_get_partkeydef``,
``pg_get_expr(relpartbound)``: a date bound of a timestamp column reads ``'2024-01-01
00:00:00'``); a declared one is settled by asking the server (:func:`settle_partitions`), in a
transaction that is rolled back. Partitions of foreign tables are left out (listed as not
compared by :mod:`.objects`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.snapshot.partitions import (
    Partition,
    PartitionKey,
    PartitionName,
    canonical_partition_sql,
    partition_ddl,
)

_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")

_PARTITIONS = f"""
SELECT n.nspname::text, c.relname::text, c.relispartition,
       CASE WHEN c.relispartition THEN
         (SELECT pc.relname::text FROM pg_catalog.pg_inherits i
          JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1)
       END,
       CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
       CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND c.relpersistence <> 't'
  AND (c.relkind = 'p' OR (c.relispartition AND c.relkind = 'r')) AND {_CLASS}
ORDER BY 1, 2
"""


def fetch_partitions(
    conn: Connection, schemas: Sequence[str], default: str
) -> tuple[tuple[PartitionKey, ...], tuple[Partition, ...]]:
    """The keys of the partitioned tables that are not partitions, and every partition (a
    partition partitioned again carries its key), of ``schemas`` (default schema keyed None)."""
    keys: list[PartitionKey] = []
    partitions: list[Partition] = []
    for schema, name, is_partition, parent, bounds, key in conn.execute(
        sa.text(_PARTITIONS), {"schemas": list(schemas)}
    ):
        key_schema = None if schema == default else schema
        if not is_partition:
            keys.append(PartitionKey(name, key_schema, canonical_partition_sql(key) or "", raw=key))
            continue
        partitions.append(
            Partition(
                name=name,
                table=parent,
                schema=key_schema,
                bounds=canonical_partition_sql(bounds) or "",
                partition_by=canonical_partition_sql(key),
                raw_bounds=bounds,
                raw_partition_by=key,
            )
        )
    return tuple(keys), tuple(partitions)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_READ = """
SELECT pg_catalog.pg_get_expr(c.relpartbound, c.oid), CASE WHEN c.relkind = 'p'
       THEN pg_catalog.pg_get_partkeydef(c.oid) END
FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname = :name
"""


def settle_partitions(
    conn: Connection,
    keys: Sequence[PartitionKey],
    partitions: Sequence[tuple[Partition, str]],
    default: str,
) -> tuple[dict[PartitionName, str | None], dict[PartitionName, tuple[str, str | None] | None]]:
    """The server's own spelling of each declared key (``pg_get_partkeydef``) and of each
    declared partition's bounds and key (given with its parent's key as the database has
    it), learnt on a second connection with the same search path (``conn`` is read-only), in
    one transaction that is rolled back: each made on a temporary copy of its table's columns
    (``LIKE``; a savepoint each, so one the server refuses does not stop the others). A table
    or partition the server refused maps to None."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out_keys: dict[PartitionName, str | None] = {}
    out_parts: dict[PartitionName, tuple[str, str | None] | None] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})

        def source(schema: str | None, table: str) -> str:
            return f"{_quote(schema or default)}.{_quote(table)}"

        for i, key in enumerate(keys):
            name = f"schemadiff_probe_key_{i}"
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(
                        f"CREATE TEMPORARY TABLE {name} (LIKE {source(key.schema, key.table)}) "
                        f"PARTITION BY {key.raw}".replace("%", "%%")
                    )
                    row = probe.execute(sa.text(_READ), {"name": name}).one()
                    out_keys[key.name_key] = row[1]
            except sa.exc.DBAPIError:
                out_keys[key.name_key] = None
        parents: dict[tuple[PartitionName, str], str | None] = {}
        for i, (partition, parent_key) in enumerate(partitions):
            slot = (partition.parent_key, parent_key)
            if slot not in parents:
                name = f"schemadiff_probe_parent_{len(parents)}"
                parents[slot] = name
                try:
                    with probe.begin_nested():
                        probe.exec_driver_sql(
                            f"CREATE TEMPORARY TABLE {name} "
                            f"(LIKE {source(partition.schema, partition.table)}) "
                            f"PARTITION BY {parent_key}".replace("%", "%%")
                        )
                except sa.exc.DBAPIError:
                    parents[slot] = None
            parent = parents[slot]
            if parent is None:
                out_parts[partition.key] = None
                continue
            name = f"schemadiff_probe_partition_{i}"
            try:
                nested = probe.begin_nested()
                try:
                    probe.exec_driver_sql(
                        partition_ddl(partition, name, parent)
                        .replace("CREATE TABLE", "CREATE TEMPORARY TABLE", 1)
                        .replace("%", "%%")
                    )
                    bounds, by = probe.execute(sa.text(_READ), {"name": name}).one()
                    out_parts[partition.key] = (bounds, by)
                finally:
                    nested.rollback()  # the next probe may take the same values
            except sa.exc.DBAPIError:
                out_parts[partition.key] = None
        transaction.rollback()
    return out_keys, out_parts
