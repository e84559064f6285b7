"""PostgreSQL partitions: ``op.execute`` with the exact DDL (``CREATE TABLE .. PARTITION OF``,
``DROP TABLE``, ``ALTER TABLE .. DETACH / ATTACH PARTITION``), so scripts run under plain
``alembic upgrade`` and offline (``--sql``) alike."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.errors import RevisionError
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.registry import render_op, renders
from schemadiff.snapshot.partitions import Partition, partition_ddl, partition_depth


def _name(dialect: str, schema: str | None, name: str) -> str:
    rules = rules_for(dialect)
    return (rules.quote_identifier(schema) + "." if schema else "") + rules.quote_identifier(name)


def _execute(sql: str) -> str:
    return execute_call(sql)


def _both(dialect: str, partition: Partition) -> tuple[str, str]:
    """The partition's and its parent's names as SQL."""
    return (
        _name(dialect, partition.schema, partition.name),
        _name(dialect, partition.schema, partition.table),
    )


@renders(O.CreatePartition)
def _create_partition(op: O.CreatePartition, ctx: RenderContext, target: str) -> Code:
    name, parent = _both(ctx.dialect, op.partition)
    create = _execute(partition_ddl(op.partition, name, parent))
    if op.default is None:
        return Code((create,))
    default = _name(ctx.dialect, op.partition.schema, op.default)
    return Code(
        (
            f"# the rows of {op.default} in the new bounds move to {op.partition.name}",
            _execute(f"ALTER TABLE {parent} DETACH PARTITION {default}"),
            create,
            _execute(_move_rows(default, name, parent)),
            _execute(f"ALTER TABLE {parent} ATTACH PARTITION {default} DEFAULT"),
        )
    )


def _in_literal(name: str) -> str:
    """A quoted name as the text of a SQL string literal."""
    return name.replace("'", "''")


def _move_rows(source: str, target: str, parent: str) -> str:
    """A statement moving the rows of ``source`` that fit ``target``'s bounds (its partition
    constraint, asked of the server when the script runs) into ``target``, naming the parent's
    columns (a partition attached later may order them differently)."""
    return (
        "DO $schemadiff$ DECLARE cols text; fits text; BEGIN "
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols "
        f"FROM pg_catalog.pg_attribute WHERE attrelid = '{_in_literal(parent)}'::regclass "
        "AND attnum > 0 AND NOT attisdropped; "
        f"fits := pg_catalog.pg_get_partition_constraintdef('{_in_literal(target)}'::regclass); "
        "EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %s RETURNING %s) "
        "INSERT INTO %s (%s) SELECT %s FROM moved', "
        f"'{_in_literal(source)}', fits, cols, '{_in_literal(target)}', cols, cols); "
        "END $schemadiff$"
    )


@renders(O.DropPartition)
def _drop_partition(op: O.DropPartition, ctx: RenderContext, target: str) -> Code:
    if op.with_table:
        return Code((f"# partition {op.partition.name} goes with table {op.partition.table}",))
    name, parent = _both(ctx.dialect, op.partition)
    if op.default is None:
        return Code((_execute(f"DROP TABLE {name}"),))
    return Code(
        (
            f"# the rows of {op.partition.name} go back to {op.default}",
            _execute(f"ALTER TABLE {parent} DETACH PARTITION {name}"),
            _execute(_insert_back(name, parent)),
            _execute(f"DROP TABLE {name}"),
        )
    )


def _insert_back(source: str, parent: str) -> str:
    """Rows of the detached ``source`` into ``parent`` (its DEFAULT partition takes them)."""
    return (
        "DO $schemadiff$ DECLARE cols text; BEGIN "
        "SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols "
        f"FROM pg_catalog.pg_attribute WHERE attrelid = '{_in_literal(parent)}'::regclass "
        "AND attnum > 0 AND NOT attisdropped; "
        "EXECUTE format('INSERT INTO %s (%s) SELECT %s FROM %s', "
        f"'{_in_literal(parent)}', cols, cols, '{_in_literal(source)}'); "
        "END $schemadiff$"
    )


@renders(O.DetachPartition)
def _detach_partition(op: O.DetachPartition, ctx: RenderContext, target: str) -> Code:
    name, parent = _both(ctx.dialect, op.partition)
    return Code((_execute(f"ALTER TABLE {parent} DETACH PARTITION {name}"),))


@renders(O.AttachPartition)
def _attach_partition(op: O.AttachPartition, ctx: RenderContext, target: str) -> Code:
    name, parent = _both(ctx.dialect, op.partition)
    bounds = op.partition.run_bounds
    return Code((_execute(f"ALTER TABLE {parent} ATTACH PARTITION {name} {bounds}"),))


@renders(O.ChangePartitioning)
def _change_partitioning(op: O.ChangePartitioning, ctx: RenderContext, target: str) -> Code:
    """Not written: the migration stops here, naming the table and what to do."""
    table = ".".join(x for x in (op.schema_name, op.table_name) if x)
    why = f" ({op.reason})" if op.reason else ""
    raise RevisionError(
        f"table {table}: its partitioning changes ({op.keys()}) and schemadiff cannot rebuild "
        f"it{why}: write this migration by hand (a new table with its partitions, "
        "INSERT .. SELECT, drop the old table, rename the new one), or declare the database's "
        "partitioning in the models"
    )


#: the suffix of the table that holds a rebuilt table's rows while it is made again
ROWS_SUFFIX = "__schemadiff_rows"


@renders(O.RepartitionTable)
def _repartition_table(op: O.RepartitionTable, ctx: RenderContext, target: str) -> Code:
    """Rows aside, table dropped, made again with its indexes and partitions, rows back."""
    rules = rules_for(ctx.dialect)
    quote = rules.quote_identifier
    new = op.new
    table = _name(ctx.dialect, new.schema, new.name)
    rows = _name(ctx.dialect, new.schema, (new.name + ROWS_SUFFIX)[:63])
    code = Code(
        (
            _execute(f"CREATE TABLE {rows} AS SELECT * FROM {table}"),
            _execute(f"DROP TABLE {table}"),
        )
    )
    code += render_op(O.CreateTable(new), ctx, "op")
    by_key = {p.key: p for p in op.new_partitions}
    for partition in sorted(op.new_partitions, key=lambda p: partition_depth(p, by_key)):
        code += _create_partition(O.CreatePartition(partition), ctx, target)
    columns = ", ".join(quote(c) for c in op.copied)
    identity = [c.name for c in new.columns if c.identity is not None or c.autoincrement]
    lines = [
        _execute(
            f"INSERT INTO {table} ({columns}) OVERRIDING SYSTEM VALUE SELECT {columns} FROM {rows}"
        )
        if columns
        else "# no column of the table is kept: no rows to copy back"
    ]
    for name in identity:
        if name in op.copied:  # the server reads the column's name as it is, unquoted
            sequence = f"pg_get_serial_sequence({_literal(table)}, {_literal(name)})"
            lines.append(_execute(f"SELECT setval({sequence}, max({quote(name)})) FROM {table}"))
    lines.append(_execute(f"DROP TABLE {rows}"))
    return code + Code(tuple(lines))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
