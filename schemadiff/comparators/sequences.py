"""Standalone sequences (PostgreSQL, MariaDB): create, drop, alter options.

Both sides carry every option (the models' side filled in with the server's defaults), so a
difference is a real one. SERIAL's own sequence (``implicit``) is part of its column: never
dropped, compared only when the models declare a sequence of that name. Opt-in, as views:
models that declare no sequence leave the database's alone (listed as not compared).
PostgreSQL's ``OWNED BY`` is set apart from the create (the owner column may be created later in
the same migration) and taken off before the drop (dropping the owner drops the sequence).

A SERIAL column whose integer type changes keeps its sequence's type (PostgreSQL), so a column
widened to BIGINT would still stop at 2,147,483,647: its sequence follows, as ``create_all`` makes
it (a BIGSERIAL's sequence is ``AS bigint``), when its bounds are still its type's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from schemadiff.backends.registry import rules_for
from schemadiff.comparators.context import CompareContext, Item
from schemadiff.ops import AlterSequence, CreateSequence, DropSequence
from schemadiff.snapshot.model import DbObject, Sequence, Snapshot, Table, TableKey

#: integer types a sequence can have (PostgreSQL's ``AS``), and so a SERIAL column
_SEQUENCE_TYPES = ("smallint", "integer", "bigint")


def compare_sequences(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("sequences"):
        if ctx.models.sequences:
            yield ctx.not_supported("sequences")
        return
    db = ctx.db.sequence_map()
    models = ctx.models.sequence_map()
    tables = ctx.models.table_map()  # once: SERIAL's sequences look their table up
    for key in sorted(models, key=_sort_key):
        new = models[key]
        old = db.get(key)
        if old is None:
            unowned = replace(new, owned_by=None)
            yield CreateSequence(unowned)
            if new.owned_by is not None:
                yield AlterSequence(unowned, new)
        elif old != new:
            yield AlterSequence(old, new)
    for key in sorted(db, key=_sort_key):
        old = db[key]
        if key in models:
            continue
        if old.implicit:
            yield from _serial_type(ctx, old, tables)
            continue
        if not models:
            continue  # not the models' to manage: listed (unmanaged_sequences)
        if old.owned_by is not None:
            unowned = replace(old, owned_by=None)
            yield AlterSequence(old, unowned)
            yield DropSequence(unowned)
        else:
            yield DropSequence(old)


def unmanaged_sequences(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's sequences when the models declare none (SERIAL's own excepted: they are
    their columns'): a project that makes its sequences in migrations of its own gets them
    listed as not compared, never proposed for drop (as views, functions and triggers)."""
    if models.sequences:
        return ()
    return tuple(DbObject("sequence", s.name, s.schema) for s in db.sequences if not s.implicit)


def _serial_type(
    ctx: CompareContext, seq: Sequence, tables: Mapping[TableKey, Table]
) -> Iterator[Item]:
    """SERIAL's own sequence, retyped along with its column (see the module doc)."""
    rules = rules_for(ctx.dialect).sequences
    if rules is None or not rules.has_data_type or seq.owned_by is None:
        return
    table_name, _, column_name = seq.owned_by.rpartition(".")
    table = tables.get((seq.schema, table_name))
    column = table.column(column_name) if table is not None else None
    if column is None or not column.autoincrement:
        return
    new_type = column.type.sql
    if new_type not in _SEQUENCE_TYPES or new_type == seq.data_type:
        return
    low, high = rules.type_range(seq.data_type)
    if (seq.minvalue, seq.maxvalue) != ((1, high) if seq.increment > 0 else (low, -1)):
        return  # bounds set by hand: left as they are
    new_low, new_high = rules.type_range(new_type)
    bounds = (1, new_high) if seq.increment > 0 else (new_low, -1)
    yield AlterSequence(
        seq, replace(seq, data_type=new_type, minvalue=bounds[0], maxvalue=bounds[1])
    )


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])
