"""Apply confirmed renames to the database snapshot, so comparators see it as it will be right after
the renames ran (which is what every other op of the migration assumes).

A renamed table takes its new name, and foreign keys in *other* tables that refer to it follow; a
renamed column takes its new name everywhere it is mentioned: the primary key, unique and foreign
keys (also foreign keys in other tables referring to it), index elements and covering columns,
and SQL text (check constraints, index expressions and predicates, computed columns) — just as
the database itself updates them on ``ALTER ... RENAME``. Nothing else changes, so a rename plus a
type change still shows up as an ``AlterColumn``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from schemadiff.ops import RenameColumn, RenameTable
from schemadiff.snapshot.grants import Privilege
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    IndexElement,
    Snapshot,
    Table,
    TableKey,
    sort_tables,
)

if TYPE_CHECKING:
    from sqlglot.expressions import Expression

ColumnMap = dict[TableKey, dict[str, str]]


def apply_renames(
    db: Snapshot, tables: Sequence[RenameTable], columns: Sequence[RenameColumn]
) -> Snapshot:
    """``db`` with ``tables`` and then ``columns`` renamed (column ops name the new table)."""
    if not tables and not columns:
        return db
    table_map = {(op.schema_name, op.old_name): op.new_name for op in tables}
    column_map: ColumnMap = {}
    for op in columns:
        column_map.setdefault((op.schema_name, op.table_name), {})[op.old_name] = op.new_name
    out = []
    for table in db.tables:
        table = replace(table, name=table_map.get(table.key, table.name))
        mapping = column_map.get(table.key)
        if mapping:
            table = _rename_columns(table, mapping)
        fks = tuple(_follow_references(fk, table_map, column_map) for fk in table.foreign_keys)
        out.append(replace(table, foreign_keys=fks))
    # a renamed table keeps its triggers (the servers move them with it)
    triggers = tuple(
        replace(t, table=table_map.get((t.schema, t.table), t.table)) for t in db.triggers
    )
    # and its policies and row-level security
    policies = tuple(
        replace(p, table=table_map.get((p.schema, p.table), p.table)) for p in db.policies
    )
    row_security = tuple(
        replace(r, table=table_map.get((r.schema, r.table), r.table)) for r in db.row_security
    )
    partitioning = tuple(
        replace(p, table=table_map.get((p.schema, p.table), p.table)) for p in db.table_partitioning
    )
    # and its partitions (and its key)
    partitions = tuple(
        replace(p, table=table_map.get((p.schema, p.table), p.table)) for p in db.partitions
    )
    partition_keys = tuple(
        replace(k, table=table_map.get((k.schema, k.table), k.table)) for k in db.partition_keys
    )
    # and its privileges (the columns' too, under their new names)
    privileges = tuple(
        replace(
            p,
            table=table_map.get((p.schema, p.table), p.table),
            column=_renamed_column(p, table_map, column_map),
        )
        for p in db.privileges
    )
    owners = tuple(
        replace(o, table=table_map.get((o.schema, o.table), o.table)) for o in db.relation_owners
    )
    return replace(
        db,
        tables=sort_tables(out),
        partitions=partitions,
        partition_keys=partition_keys,
        triggers=triggers,
        policies=policies,
        row_security=row_security,
        table_partitioning=tuple(sorted(partitioning, key=lambda p: (p.schema or "", p.table))),
        privileges=privileges,
        relation_owners=owners,
    )


def _renamed_column(p: Privilege, tables: dict[TableKey, str], columns: ColumnMap) -> str | None:
    if p.column is None:
        return None
    table = tables.get((p.schema, p.table), p.table)
    return columns.get((p.schema, table), {}).get(p.column, p.column)


def _follow_references(
    fk: ForeignKey, tables: dict[TableKey, str], columns: ColumnMap
) -> ForeignKey:
    target = tables.get(fk.referred_key, fk.referred_table)
    mapping = columns.get((fk.referred_schema, target), {})
    referred = tuple(mapping.get(c, c) for c in fk.referred_columns)
    return replace(fk, referred_table=target, referred_columns=referred)


def _rename_columns(table: Table, m: dict[str, str]) -> Table:
    def names(cols: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(m.get(c, c) for c in cols)

    pk = table.primary_key
    return replace(
        table,
        columns=tuple(_column(c, m) for c in table.columns),
        primary_key=replace(pk, columns=names(pk.columns)) if pk else None,
        unique_constraints=tuple(
            replace(u, columns=names(u.columns)) for u in table.unique_constraints
        ),
        foreign_keys=tuple(replace(fk, columns=names(fk.columns)) for fk in table.foreign_keys),
        check_constraints=tuple(_check(c, m) for c in table.check_constraints),
        indexes=tuple(_index(ix, m) for ix in table.indexes),
    )


def _column(col: Column, m: dict[str, str]) -> Column:
    col = replace(col, name=m.get(col.name, col.name))
    if col.computed is not None:
        col = replace(
            col, computed=replace(col.computed, sqltext=rename_in_sql(col.computed.sqltext, m))
        )
    return col


def _check(check: CheckConstraint, m: dict[str, str]) -> CheckConstraint:
    text = rename_in_sql(check.sqltext, m)
    return check if text == check.sqltext else replace(check, sqltext=text, raw=None)


def _index(index: Index, m: dict[str, str]) -> Index:
    where = rename_in_sql(index.where, m) if index.where else index.where
    return replace(
        index,
        elements=tuple(_element(e, m) for e in index.elements),
        where=where,
        include=tuple(m.get(c, c) for c in index.include),
        raw_where=index.raw_where if where == index.where else None,
    )


def _element(element: IndexElement, m: dict[str, str]) -> IndexElement:
    if not element.is_expression:
        return replace(element, expr=m.get(element.expr, element.expr))
    text = rename_in_sql(element.expr, m)
    return element if text == element.expr else replace(element, expr=text, raw=None)


def rename_in_sql(text: str, mapping: dict[str, str]) -> str:
    """Canonical SQL ``text`` with column references renamed per ``mapping``.

    Canonical SQL has unquoted, lower-cased identifiers (PostgreSQL spelling), so names are
    matched lower-cased. Text sqlglot cannot parse falls back to whole-word replacement.
    """
    lower = {old.lower(): new.lower() for old, new in mapping.items()}
    if not any(re.search(rf"\b{re.escape(old)}\b", text) for old in lower):
        return text
    import sqlglot  # only when a renamed column appears in SQL text (see exprmemo)
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        tree = sqlglot.parse_one(text, read="postgres")
    except (SqlglotError, ValueError, RecursionError):
        tree = None
    if tree is None:
        for old, new in lower.items():
            text = re.sub(rf"\b{re.escape(old)}\b", new, text)
        return text

    def rename(node: Expression) -> Expression:
        if isinstance(node, exp.Column) and node.name in lower:
            node = node.copy()
            node.set("this", exp.Identifier(this=lower[node.name], quoted=False))
        return node

    return tree.transform(rename).sql(dialect="postgres", normalize_functions="upper")
