"""The index MySQL/MariaDB creates by itself for a foreign key.

InnoDB needs an index whose leading columns are a foreign key's columns. When no index, unique key
or primary key covers them, the server creates one, named after the constraint (or after the first
column when the key has no name), and silently drops it again once another covering index appears.
A model never declares that index, so it is kept out of comparison on both sides and recorded on
the key instead (``ForeignKey.implied_index``), which is how renderers know to drop it with the key:

- model side (:func:`mark_foreign_keys`): each uncovered key gets the name the server will use;
- database side (:func:`hide_implied_indexes`): a plain index with exactly the key's columns and
  that name, when nothing else covers the key, is the implied one: it leaves ``Table.indexes``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemadiff.snapshot.model import ForeignKey, Index, PrimaryKey, Table, UniqueConstraint


def mark_foreign_keys(
    foreign_keys: tuple[ForeignKey, ...],
    primary_key: PrimaryKey | None,
    uniques: Sequence[UniqueConstraint],
    indexes: Sequence[Index],
) -> tuple[ForeignKey, ...]:
    """Model side: the table's foreign keys, each uncovered one with the name of the index the
    server will create for it. Takes the table's parts (the caller is building the table anyway:
    one copy of it, not two); the same tuple when the table has no foreign key."""
    if not foreign_keys:
        return foreign_keys
    covering = _covering(primary_key, uniques, indexes)
    fks = []
    for fk in foreign_keys:
        if not _covered(fk, covering):
            fk = replace(fk, implied_index=fk.name or fk.columns[0])
            covering.append(fk.columns)
        fks.append(fk)
    return tuple(fks)


def hide_implied_indexes(table: Table) -> Table:
    """Database side: move each foreign key's implied index from the indexes onto the key."""
    if not table.foreign_keys or not table.indexes:
        return table
    indexes = list(table.indexes)
    fks = []
    for fk in table.foreign_keys:
        implied = _implied_candidate(fk, indexes)
        if implied is not None:
            others = [ix for ix in indexes if ix is not implied]
            if not _covered(fk, _covering(table.primary_key, table.unique_constraints, others)):
                indexes.remove(implied)
                fk = replace(fk, implied_index=implied.name)
        fks.append(fk)
    hidden = {fk.columns for fk in fks if fk.implied_index}
    return replace(table, foreign_keys=tuple(fks), indexes=tuple(indexes)) if hidden else table


def _implied_candidate(fk: ForeignKey, indexes: list[Index]) -> Index | None:
    names = {fk.name, fk.columns[0]}
    for ix in indexes:
        if ix.name in names and ix.column_names == fk.columns and _plain(ix) and not ix.unique:
            return ix
    return None


def _covering(
    primary_key: PrimaryKey | None, uniques: Sequence[UniqueConstraint], indexes: Sequence[Index]
) -> list[tuple[str, ...]]:
    """Column lists of everything that can serve a foreign key (prefix-length parts cannot)."""
    covering = [u.columns for u in uniques]
    if primary_key:
        covering.append(primary_key.columns)
    covering += [ix.column_names for ix in indexes if _plain(ix)]
    return covering


def _covered(fk: ForeignKey, covering: list[tuple[str, ...]]) -> bool:
    return any(cols[: len(fk.columns)] == fk.columns for cols in covering)


def _plain(ix: Index) -> bool:
    return ix.using is None and all(not e.is_expression and e.length is None for e in ix.elements)
