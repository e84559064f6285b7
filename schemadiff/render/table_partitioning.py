"""Table partitioning (MySQL / MariaDB): ``op.execute`` with the exact ``ALTER TABLE``
(Alembic has no partitioning operations), so scripts run under plain ``alembic upgrade`` and
offline (``--sql``) alike."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.registry import renders
from schemadiff.snapshot.table_partitioning import (
    TablePartitioning,
    partition_clause,
    partition_list,
    quote_name,
)


def _execute(sql: str) -> str:
    return execute_call(sql)


def _table(dialect: str, p: TablePartitioning) -> str:
    rules = rules_for(dialect)
    schema = rules.quote_identifier(p.schema) + "." if p.schema else ""
    return schema + rules.quote_identifier(p.table)


def _names(partitions: tuple[object, ...]) -> str:
    return ", ".join(quote_name(str(getattr(p, "name", p))) for p in partitions)


@renders(O.PartitionTable)
def _partition_table(op: O.PartitionTable, ctx: RenderContext, target: str) -> Code:
    table = _table(ctx.dialect, op.new)
    return Code((_execute(f"ALTER TABLE {table} {partition_clause(op.new)}"),))


@renders(O.RemovePartitioning)
def _remove_partitioning(op: O.RemovePartitioning, ctx: RenderContext, target: str) -> Code:
    if op.with_table:
        return Code((f"# the partitioning of {op.old.table} goes with the table",))
    return Code((_execute(f"ALTER TABLE {_table(ctx.dialect, op.old)} REMOVE PARTITIONING"),))


@renders(O.AddPartitions)
def _add_partitions(op: O.AddPartitions, ctx: RenderContext, target: str) -> Code:
    table = _table(ctx.dialect, op.target)
    after = op.next_partition
    if after is not None:
        into = partition_list((*op.partitions, after))
        sql = f"ALTER TABLE {table} REORGANIZE PARTITION {_names((after,))} INTO {into}"
    else:
        sql = f"ALTER TABLE {table} ADD PARTITION {partition_list(op.partitions)}"
    return Code((_execute(sql),))


@renders(O.DropPartitions)
def _drop_partitions(op: O.DropPartitions, ctx: RenderContext, target: str) -> Code:
    table = _table(ctx.dialect, op.target)
    return Code((_execute(f"ALTER TABLE {table} DROP PARTITION {_names(op.partitions)}"),))


@renders(O.ReorganizePartitions)
def _reorganize(op: O.ReorganizePartitions, ctx: RenderContext, target: str) -> Code:
    table = _table(ctx.dialect, op.target)
    sql = f"ALTER TABLE {table} REORGANIZE PARTITION {_names(op.old)} INTO {partition_list(op.new)}"
    return Code((_execute(sql),))
