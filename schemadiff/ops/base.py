"""The op protocol: a small frozen object per change that knows its phase, reverse and description.

The downgrade of a migration is ``order_ops([op.reverse() for op in upgrade])``: every op's reverse
lands in its own natural phase, so the same ordering rules that make an upgrade run first time make
its downgrade run too.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import IntEnum
from typing import Any, ClassVar

from schemadiff.snapshot.jsonable import to_jsonable


class Phase(IntEnum):
    """Execution phases of a migration, in order. Drops of dependants come before the changes they
    block; creations of dependencies before their users; table drops near the end.

    Renames run first: every other op names tables and columns by their new names. In a downgrade
    (reversed ops, which still use those names) the renames are undone last, in the ``UNDO_*``
    phases (see ``RenameTable.undo``).
    """

    DROP_POLICY = 1
    DROP_TRIGGER = 2
    DROP_VIEW = 3
    DROP_FUNCTION = 4
    RENAME_TABLE = 5
    RENAME_COLUMN = 6
    DROP_RENAMED_POLICY = 7
    DROP_RENAMED_TRIGGER = 8
    REVOKE_PRIVILEGES = 9
    CREATE_SCHEMA = 10
    CREATE_ROLE = 11
    ALTER_ROLE = 12
    CREATE_EXTENSION = 15
    #: a function that a domain created or changed below calls in its default or CHECK
    CREATE_DOMAIN_CALLED_FUNCTION = 18
    CREATE_ENUM = 20
    CREATE_DOMAIN = 22
    CREATE_SEQUENCE = 25
    DROP_FOREIGN_KEY = 30
    DROP_AUTOINCREMENT = 35
    DROP_CONSTRAINT = 40
    REMOVE_PARTITIONING = 46
    DROP_TABLE_PARTITIONS = 47
    DETACH_PARTITION = 41
    DROP_PARTITION = 42
    #: a function that a default, check, generated column or index created below calls (and
    #: the functions its SQL body calls): see :mod:`schemadiff.diff.function_calls`
    CREATE_CALLED_FUNCTION = 60
    CREATE_TABLE = 70
    CREATE_PARTITION = 71
    REPARTITION_TABLE = 73
    ATTACH_PARTITION = 75
    ADD_COLUMN = 80
    ALTER_COLUMN = 90
    ALTER_SEQUENCE = 92
    ALTER_ENUM = 95
    DROP_COLUMN = 100
    ADD_CONSTRAINT = 110
    ADD_AUTOINCREMENT = 115
    ADD_FOREIGN_KEY = 120
    PARTITION_TABLE = 121
    ADD_PARTITION = 122
    REORGANIZE_PARTITION = 123
    ALTER_TABLE = 125
    CREATE_FUNCTION = 126
    CREATE_TRIGGER = 127
    ALTER_ROW_SECURITY = 128
    CREATE_POLICY = 129
    DROP_TABLE = 130
    CHANGE_PARTITIONING = 131
    UNDO_RENAME_COLUMN = 134
    UNDO_RENAME_TABLE = 136
    CREATE_RENAMED_TRIGGER = 137
    CREATE_VIEW = 138
    GRANT_PRIVILEGES = 139
    DROP_ENUM = 140
    #: a dropped function that a default, check, index or trigger dropped above still called
    DROP_CALLED_FUNCTION = 141
    DROP_DOMAIN = 142
    #: a dropped function that a domain dropped or changed above still called
    DROP_DOMAIN_CALLED_FUNCTION = 143
    #: a trigger on a view (``INSTEAD OF``): once the views are created
    CREATE_VIEW_TRIGGER = 144
    DROP_SEQUENCE = 145
    DROP_EXTENSION = 148
    DROP_SCHEMA = 150
    DROP_ROLE = 152
    CUSTOM = 160


@dataclass(frozen=True)
class Op:
    """Base class of all ops. Subclasses are frozen dataclasses and set ``kind`` and ``phase``."""

    kind: ClassVar[str] = "op"
    phase: ClassVar[Phase] = Phase.CUSTOM

    @property
    def schema(self) -> str | None:
        return getattr(self, "schema_name", None)

    @property
    def table(self) -> str | None:
        return getattr(self, "table_name", None)

    @property
    def name(self) -> str | None:
        """The name of the object the op is about (column, constraint, index, enum...)."""
        return None

    @property
    def destructive(self) -> bool:
        """True when applying the op can lose data."""
        return False

    @property
    def run_phase(self) -> Phase:
        """The phase this op runs in (``phase``, except for undone renames)."""
        return self.phase

    def reverse(self) -> Op:
        raise NotImplementedError(f"{type(self).__name__} cannot be reversed")

    def describe(self) -> str:
        raise NotImplementedError

    def detail(self) -> dict[str, Any]:
        """Machine-readable fields for the JSON report (stable keys)."""
        return {f.name: to_jsonable(getattr(self, f.name)) for f in fields(self)}

    def sort_key(self) -> tuple[Any, ...]:
        return (self.schema or "", self.table or "", self.kind, self.name or "")


def qualified(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name
