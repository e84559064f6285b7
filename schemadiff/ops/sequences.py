"""Ops on standalone sequences (PostgreSQL, MariaDB): create, drop, alter options.

A sequence is created before the tables (a column default may call ``nextval`` on it) and
dropped after them; option changes and PostgreSQL's ``OWNED BY`` run between the columns added
and the columns dropped (an owner column must exist, and dropping it would drop the sequence).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from schemadiff.ops.base import Phase, qualified
from schemadiff.ops.objects import Creates, Drops, SchemaObjectOp, SwapsOldNew, pair
from schemadiff.snapshot.model import Sequence

#: the options an alter can change, as described to the user
_LABELS = {
    "data_type": "type",
    "start": "start",
    "increment": "increment",
    "minvalue": "minvalue",
    "maxvalue": "maxvalue",
    "cycle": "cycle",
    "cache": "cache",
    "owned_by": "owned by",
}


class _SequenceOp(SchemaObjectOp[Sequence]):
    subject_field = "sequence"

    def described(self) -> str:
        return f"sequence {qualified(self.subject.schema, self.subject.name)}"


@dataclass(frozen=True)
class CreateSequence(_SequenceOp, Creates):
    kind = "create_sequence"
    phase = Phase.CREATE_SEQUENCE
    sequence: Sequence


@dataclass(frozen=True)
class DropSequence(_SequenceOp, Drops):
    """Destructive: the sequence's current value is lost (a re-created one starts over, and
    hands out values the rows already hold)."""

    kind = "drop_sequence"
    phase = Phase.DROP_SEQUENCE
    sequence: Sequence

    @property
    def destructive(self) -> bool:
        return True


pair(CreateSequence, DropSequence)


@dataclass(frozen=True)
class AlterSequence(SchemaObjectOp[Sequence], SwapsOldNew):
    """Change options of an existing sequence (``ALTER SEQUENCE``); its current value is kept
    (a new ``start`` is what a later ``RESTART`` goes back to)."""

    kind = "alter_sequence"
    phase = Phase.ALTER_SEQUENCE
    old: Sequence
    new: Sequence

    @property
    def changed(self) -> tuple[str, ...]:
        """Names of the fields that differ (in declaration order)."""
        return tuple(
            f.name
            for f in fields(Sequence)
            if f.name in _LABELS and getattr(self.old, f.name) != getattr(self.new, f.name)
        )

    def describe(self) -> str:
        parts = [
            f"{_LABELS[n]} {_shown(getattr(self.old, n))} -> {_shown(getattr(self.new, n))}"
            for n in self.changed
        ]
        name = qualified(self.new.schema, self.new.name)
        # START only says where RESTART goes back to: the next value handed out does not change
        kept = " (current value kept)" if "start" in self.changed else ""
        return f"alter sequence {name}: {', '.join(parts)}{kept}"


def _shown(value: object) -> str:
    if value is None:
        return "none"
    return str(value).lower() if isinstance(value, bool) else str(value)
