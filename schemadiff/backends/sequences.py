"""Standalone sequences: what ``create_all`` makes of an ``sa.Sequence``, and their DDL.

A backend with sequences (PostgreSQL, MariaDB 10.3+) sets ``DialectRules.sequences`` to a
:class:`SequenceRules` of its own, which knows the server's defaults: the models' side gets every
option the ``Sequence`` leaves out filled in with them, so a database built by ``create_all``
compares equal option by option, and a declared option that goes back to its default is altered
back. Backends without sequences (MySQL 8, SQLite) have none, and SQLAlchemy does not create them
there either (``dialect.supports_sequences``).
"""

from __future__ import annotations

from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from schemadiff.snapshot.model import Sequence

#: the option names in the order DDL spells them, and the Sequence fields they come from
OPTIONS = ("data_type", "start", "increment", "minvalue", "maxvalue", "cache", "cycle")


class SequenceRules:
    """The sequence defaults and DDL of one backend (the SQL standard's spelling here)."""

    #: the server has ``CREATE SEQUENCE ... AS type``
    has_data_type: ClassVar[bool] = False
    #: the server has ``OWNED BY`` (PostgreSQL)
    has_owned_by: ClassVar[bool] = False
    #: the type when none is given (PostgreSQL's bigint)
    default_type: ClassVar[str | None] = None
    #: cache size when none is given
    default_cache: ClassVar[int] = 1
    #: the range of an ascending / descending sequence with no bounds given (no data type)
    ascending_max: ClassVar[int] = 2**63 - 1
    descending_min: ClassVar[int] = -(2**63)

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def qualified(self, seq: Sequence) -> str:
        return (self.quote(seq.schema) + "." if seq.schema else "") + self.quote(seq.name)

    def type_range(self, data_type: str | None) -> tuple[int, int]:
        """(lowest, highest) value of a sequence of ``data_type`` with no bounds given."""
        return self.descending_min, self.ascending_max

    def model_type(self, seq: sa.Sequence, dialect: Dialect) -> str | None:
        """The canonical data type ``seq`` declares (None: the backend has no choice)."""
        return None

    def creates(self, seq: sa.Sequence, dialect: Dialect) -> bool:
        """Whether ``create_all`` creates ``seq`` on ``dialect`` (SQLAlchemy's own test)."""
        return bool(dialect.supports_sequences) and not (
            dialect.sequences_optional and seq.optional
        )

    def model_sequence(
        self, seq: sa.Sequence, dialect: Dialect, schema: str | None
    ) -> Sequence | None:
        """The sequence ``create_all`` makes of ``seq`` on ``dialect`` (None when it makes none:
        no sequences on this server, or an ``optional`` one the backend does not need)."""
        if not self.creates(seq, dialect):
            return None
        data_type = self.model_type(seq, dialect) if self.has_data_type else None
        increment = seq.increment if seq.increment is not None else 1
        low, high = self.type_range(data_type)
        if increment > 0:
            default_min, default_max = 1, high
        else:
            default_min, default_max = low, -1
        minvalue = default_min if seq.minvalue is None or seq.nominvalue else seq.minvalue
        maxvalue = default_max if seq.maxvalue is None or seq.nomaxvalue else seq.maxvalue
        start = seq.start if seq.start is not None else (minvalue if increment > 0 else maxvalue)
        return Sequence(
            name=seq.name,
            schema=schema,
            start=start,
            increment=increment,
            minvalue=minvalue,
            maxvalue=maxvalue,
            cycle=bool(seq.cycle),
            cache=seq.cache if seq.cache is not None else self.default_cache,
            data_type=data_type,
            owned_by=_owned_by(seq) if self.has_owned_by else None,
        )

    def defaults(self, seq: Sequence) -> Sequence:
        """``seq`` with every option at the value the server gives it when none is spelled."""
        low, high = self.type_range(seq.data_type)
        ascending = seq.increment > 0
        minvalue, maxvalue = (1, high) if ascending else (low, -1)
        return Sequence(
            seq.name,
            seq.schema,
            start=minvalue if ascending else maxvalue,
            increment=seq.increment,
            minvalue=minvalue,
            maxvalue=maxvalue,
            cycle=False,
            cache=self.default_cache,
            data_type=self.default_type if self.has_data_type else None,
        )

    # --- DDL -------------------------------------------------------------------------------

    def create_sql(self, seq: Sequence) -> str:
        """``CREATE SEQUENCE`` spelling the options that differ from the server's defaults
        (the owner is set apart, once the column exists)."""
        base = self.defaults(seq)
        parts = [f"CREATE SEQUENCE {self.qualified(seq)}"]
        for name in OPTIONS:
            value = getattr(seq, name)
            if value != (1 if name == "increment" else getattr(base, name)):
                parts.append(self.option(name, value))
        return " ".join(p for p in parts if p)

    def alter_sql(self, old: Sequence, new: Sequence) -> str | None:
        """``ALTER SEQUENCE`` of the options that differ (None: only the owner differs).
        ``START WITH`` records the start for a later ``RESTART``: the current value is kept."""
        parts = [
            self.option(n, getattr(new, n)) for n in OPTIONS if getattr(old, n) != getattr(new, n)
        ]
        parts = [p for p in parts if p]
        if not parts:
            return None
        return f"ALTER SEQUENCE {self.qualified(new)} " + " ".join(parts)

    def owner_sql(self, seq: Sequence) -> str | None:
        """``ALTER SEQUENCE ... OWNED BY`` (None where the backend has no owners)."""
        return None

    def drop_sql(self, seq: Sequence) -> str:
        return f"DROP SEQUENCE {self.qualified(seq)}"

    def option(self, name: str, value: object) -> str:
        if name == "data_type":
            return f"AS {value}" if value else ""
        if name == "cycle":
            return "CYCLE" if value else "NO CYCLE"
        keyword = {
            "start": "START WITH",
            "increment": "INCREMENT BY",
            "minvalue": "MINVALUE",
            "maxvalue": "MAXVALUE",
            "cache": "CACHE",
        }[name]
        return f"{keyword} {value}"


def _owned_by(seq: sa.Sequence) -> str | None:
    """``seq.info["owned_by"] = "table.column"``: PostgreSQL's ``OWNED BY`` (``Sequence()``
    takes no ``info=`` argument, but has the ``info`` dict of every schema item)."""
    value = seq.info.get("owned_by") if seq.info else None
    return str(value) if value else None
