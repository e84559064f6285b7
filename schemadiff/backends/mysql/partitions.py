"""MySQL / MariaDB partitioning read from ``information_schema.PARTITIONS``: one statement for
every partitioned table of the covered schemas (none when no table is partitioned), into
:class:`~schemadiff.snapshot.table_partitioning.TablePartitioning`; and the models' bounds the
catalog keeps evaluated, settled by asking the server. The models' declarations are read in
:mod:`schemadiff.backends.mysql.partition_clause`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.mysql.partition_clause import READABLE, bound_values, method_name
from schemadiff.snapshot.table_partitioning import (
    TablePartition,
    TablePartitioning,
    less_than,
    loose_sql,
    values_in,
)

_QUERY = (
    "SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name,"
    " PARTITION_NAME AS partition_name, SUBPARTITION_NAME AS subpartition_name,"
    " PARTITION_METHOD AS partition_method, PARTITION_EXPRESSION AS partition_expression,"
    " PARTITION_DESCRIPTION AS partition_description,"
    " SUBPARTITION_METHOD AS subpartition_method,"
    " SUBPARTITION_EXPRESSION AS subpartition_expression"
    " FROM information_schema.PARTITIONS"
    " WHERE TABLE_SCHEMA IN :schemas AND TABLE_NAME IN :tables AND PARTITION_NAME IS NOT NULL"
    " ORDER BY TABLE_SCHEMA, TABLE_NAME, PARTITION_ORDINAL_POSITION,"
    " SUBPARTITION_ORDINAL_POSITION"
)


def fetch_partitioning(
    conn: Connection, tables: Iterable[tuple[str, str]], database: str
) -> tuple[TablePartitioning, ...]:
    """The partitioning of ``tables`` ((schema, name) pairs the catalog lists as partitioned)
    in one statement, sorted by key, the default database keyed None. Tables partitioned in a
    way not read here (MariaDB's ``SYSTEM_TIME``) are left out (listed as not compared)."""
    wanted = sorted(set(tables))
    if not wanted:
        return ()
    statement = sa.text(_QUERY).bindparams(
        sa.bindparam("schemas", expanding=True), sa.bindparam("tables", expanding=True)
    )
    rows = conn.execute(
        statement,
        {"schemas": sorted({s for s, _ in wanted}), "tables": sorted({t for _, t in wanted})},
    ).all()
    keep = set(wanted)
    grouped: dict[tuple[str, str], list[Sequence[Any]]] = {}
    for row in rows:
        values = [_text(v) if v is not None else None for v in row]
        key = (str(values[0]), str(values[1]))
        if key in keep:
            grouped.setdefault(key, []).append(values)
    found = []
    for (schema, table), table_rows in grouped.items():
        partitioning = _from_rows(None if schema == database else schema, table, table_rows)
        if partitioning is not None:
            found.append(partitioning)
    return tuple(sorted(found, key=lambda p: (p.schema or "", p.table)))


def _from_rows(
    schema: str | None, table: str, rows: list[Sequence[Any]]
) -> TablePartitioning | None:
    first = rows[0]
    method = method_name(first[4] or "")
    if method not in READABLE:
        return None
    partitions: list[TablePartition] = []
    subs: dict[str, int] = {}
    for row in rows:
        name = str(row[2])
        if name not in subs:
            subs[name] = 0
            partitions.append(_db_partition(name, method, row[6]))
        if row[3] is not None:
            subs[name] += 1
    sub_method = method_name(first[7]) if first[7] else None
    return TablePartitioning(
        table=table,
        schema=schema,
        method=method,
        expression=loose_sql(first[5] or ""),
        partitions=tuple(partitions),
        sub_method=sub_method,
        sub_expression=loose_sql(first[8] or "") if sub_method else None,
        sub_count=max(subs.values(), default=0) if sub_method else 0,
        raw_expression=first[5] or "",
        raw_sub_expression=first[8] if sub_method else None,
    )


def _db_partition(name: str, method: str, description: str | None) -> TablePartition:
    text = description or ""
    if method.startswith("RANGE"):
        raw = (
            "VALUES LESS THAN MAXVALUE"
            if method == "RANGE" and text.upper() == "MAXVALUE"
            else f"VALUES LESS THAN ({text})"
        )
        return TablePartition(name, less_than(text), raw)
    if method.startswith("LIST"):
        return TablePartition(name, values_in(text), f"VALUES IN ({text})")
    return TablePartition(name)


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def settle_bounds(
    conn: Connection, wanted: Sequence[TablePartitioning]
) -> tuple[TablePartitioning, ...]:
    """``wanted`` with the bounds the catalog keeps evaluated (``LESS THAN (TO_DAYS(...))``,
    not ``COLUMNS``: those are literals) replaced by the server's value of them, all asked in
    one ``SELECT`` that changes nothing; when the server refuses it they stay unsure."""
    values: list[str] = []
    for p in wanted:
        for part in p.partitions:
            if not part.comparable:
                values.extend(bound_values(part.raw))
    if not values:
        return tuple(wanted)
    statement = "SELECT " + ", ".join(f"({v})" for v in values)
    try:
        row = conn.exec_driver_sql(statement.replace("%", "%%")).one()
    except sa.exc.DBAPIError:
        return tuple(wanted)
    answers = iter("MAXVALUE" if v is None else _text(v) for v in row)
    return tuple(_settled(p, answers) for p in wanted)


def _settled(p: TablePartitioning, answers: Iterator[str]) -> TablePartitioning:
    if all(part.comparable for part in p.partitions):
        return p
    parts = []
    for part in p.partitions:
        if part.comparable:
            parts.append(part)
            continue
        found = ",".join(next(answers) for _ in bound_values(part.raw))
        bound = values_in(found) if part.bound.startswith("in:") else less_than(found)
        parts.append(replace(part, bound=bound, comparable=True))
    return replace(p, partitions=tuple(parts))
