"""The sequences ``create_all`` creates from a MetaData: standalone ones
(``Sequence("order_seq", metadata=metadata)``) and those bound to a column
(``Column(Integer, Sequence("item_id_seq"))``), options filled in with the backend's defaults."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from schemadiff.backends.base import DialectRules
from schemadiff.snapshot.model import Sequence


def model_sequences(
    metadata: sa.MetaData,
    dialect: Dialect,
    rules: DialectRules,
    schema_of: Callable[[str | None], str | None],
) -> tuple[Sequence, ...]:
    """Every sequence of ``metadata`` the backend would create, keyed like its tables."""
    seq_rules = rules.sequences
    if seq_rules is None:
        return ()
    found: dict[tuple[str | None, str], Sequence] = {}
    for source in _declared(metadata):
        seq = seq_rules.model_sequence(source, dialect, schema_of(source.schema))
        if seq is not None:
            found.setdefault(seq.key, seq)
    return tuple(sorted(found.values(), key=lambda s: (s.schema or "", s.name)))


def _declared(metadata: sa.MetaData) -> Iterator[sa.Sequence]:
    yield from metadata._sequences.values()
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.default, sa.Sequence):
                yield column.default
