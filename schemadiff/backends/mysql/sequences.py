"""MariaDB sequences (10.3+): their defaults, DDL, and one statement that reads all of them.

MySQL has no sequences (SQLAlchemy creates none there), so nothing is compared on MySQL 8.
MariaDB keeps a sequence as a one-row table and, before 11.5, has no catalog view of their
options; the ``information_schema.TABLES`` rows of kind ``SEQUENCE`` (already read for the
catalog) name them, and a single ``UNION ALL`` of their rows reads every option at once, so the
statement count stays constant whatever their number. MariaDB before 11.5 has no ``AS`` type:
every sequence is a BIGINT one, and ``data_type`` is not compared.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.sequences import SequenceRules
from schemadiff.snapshot.model import Sequence

#: MariaDB's defaults: the bounds of a sequence with none given
_ASCENDING_MAX = 9223372036854775806
_DESCENDING_MIN = -9223372036854775807
_FIRST = (10, 3)


class MariadbSequences(SequenceRules):
    default_cache: ClassVar[int] = 1000
    ascending_max: ClassVar[int] = _ASCENDING_MAX
    descending_min: ClassVar[int] = _DESCENDING_MIN

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def creates(self, seq: sa.Sequence, dialect: Dialect) -> bool:
        # a dialect built offline (a snapshot file) was never initialized: its
        # ``supports_sequences`` is False even for a MariaDB that has them
        version = tuple(dialect.server_version_info or ())
        return (
            bool(getattr(dialect, "is_mariadb", False)) and version >= _FIRST and not seq.optional
        )

    def option(self, name: str, value: object) -> str:
        if name == "cycle":
            return "CYCLE" if value else "NOCYCLE"
        return super().option(name, value)


def fetch_sequences(
    conn: Connection, names: Iterable[tuple[str, str]], database: str
) -> tuple[Sequence, ...]:
    """The options of the sequences ``names`` ((schema, name) pairs) in one statement, the
    default database keyed None."""
    wanted = sorted(set(names))
    if not wanted:
        return ()
    selects = [
        f"SELECT {_literal(schema)}, {_literal(name)}, start_value, increment, minimum_value,"
        f" maximum_value, cycle_option, cache_size FROM {_quote(schema)}.{_quote(name)}"
        for schema, name in wanted
    ]
    rows = conn.execute(sa.text(" UNION ALL ".join(selects).replace(":", "\\:"))).all()
    found = [
        Sequence(
            name=_text(name),
            schema=None if _text(schema) == database else _text(schema),
            start=int(start),
            increment=int(inc),
            minvalue=int(low),
            maxvalue=int(high),
            cycle=bool(cycle),
            cache=int(cache),
        )
        for schema, name, start, inc, low, high, cycle, cache in rows
    ]
    return tuple(sorted(found, key=lambda s: (s.schema or "", s.name)))


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _literal(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes | bytearray) else str(value)


def unqualified_calls(default: str, database: str) -> str:
    """A column default with MariaDB's database-qualified sequence calls
    (``nextval(`app`.`order_seq`)``) for the default database written as the models write them
    (``nextval(`order_seq`)``)."""
    if "val(" not in default.lower():
        return default
    pattern = re.compile(r"\b(nextval|lastval)\(\s*" + re.escape(_quote(database)) + r"\.", re.I)
    return pattern.sub(r"\1(", default)
