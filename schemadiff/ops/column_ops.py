"""Ops on columns: add, drop, alter, rename."""

from __future__ import annotations

from dataclasses import dataclass, fields

from schemadiff.canonical.typeorder import is_widening
from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import Column, Identity

#: Attributes of a column that ``AlterColumn`` can change, in report order.
ALTERABLE = (
    "type",
    "nullable",
    "server_default",
    "comment",
    "identity",
    "computed",
    "collation",
)


@dataclass(frozen=True)
class WholeColumnOp(Op):
    """An op that carries one whole column of a table (add/drop it, its autoincrement)."""

    schema_name: str | None
    table_name: str
    column: Column

    @property
    def name(self) -> str:
        return self.column.name

    @property
    def qualified_column(self) -> str:
        """``schema.table.column`` for ``describe()``."""
        return f"{qualified(self.schema_name, self.table_name)}.{self.column.name}"


@dataclass(frozen=True)
class AddColumn(WholeColumnOp):
    kind = "add_column"
    phase = Phase.ADD_COLUMN

    @property
    def needs_backfill(self) -> bool:
        """NOT NULL without a default or generator: fails on a table that already has rows."""
        c = self.column
        return (
            not c.nullable
            and c.server_default is None
            and c.identity is None
            and c.computed is None
            and not c.autoincrement
        )

    def reverse(self) -> Op:
        return DropColumn(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        null = "" if self.column.nullable else " NOT NULL"
        return f"add column {self.qualified_column} {self.column.type.sql}{null}"


@dataclass(frozen=True)
class DropColumn(WholeColumnOp):
    kind = "drop_column"
    phase = Phase.DROP_COLUMN

    @property
    def destructive(self) -> bool:
        return True

    def reverse(self) -> Op:
        return AddColumn(self.schema_name, self.table_name, self.column)

    def describe(self) -> str:
        return f"drop column {self.qualified_column}"


@dataclass(frozen=True)
class AlterColumn(Op):
    """Change one or more attributes of a column; ``old`` and ``new`` are the whole columns.

    ``forced`` names attributes whose values compare equal but that a user hook
    (``compare_type`` / ``compare_server_default``) declared different: they are set anyway, as
    the user asked (Alembic does the same), and stay forced in the reverse op.
    """

    kind = "alter_column"
    phase = Phase.ALTER_COLUMN
    schema_name: str | None
    table_name: str
    old: Column
    new: Column
    forced: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.new.name

    @property
    def changes(self) -> tuple[str, ...]:
        """Names of the attributes that differ or are forced, in ``ALTERABLE`` order."""
        return tuple(attr for attr in ALTERABLE if attr in self.forced or self._differs(attr))

    def _differs(self, attr: str) -> bool:
        a, b = getattr(self.old, attr), getattr(self.new, attr)
        return bool(a.sql != b.sql) if attr == "type" else bool(a != b)

    @property
    def destructive(self) -> bool:
        if "type" in self.changes and not (
            is_widening(self.old.type.sql, self.new.type.sql) or self._same_storage
        ):
            return True
        return "computed" in self.changes and self.new.computed is not None

    @property
    def _same_storage(self) -> bool:
        """The backend stores both types alike (SQLite: one type affinity): no value changes."""
        storage = self.old.type.storage
        return storage is not None and storage == self.new.type.storage

    def reverse(self) -> Op:
        return AlterColumn(self.schema_name, self.table_name, self.new, self.old, self.forced)

    def describe(self) -> str:
        target = f"{qualified(self.schema_name, self.table_name)}.{self.new.name}"
        parts = []
        for attr in self.changes:
            a, b = getattr(self.old, attr), getattr(self.new, attr)
            if attr == "type":
                parts.append(f"type {a.sql} -> {b.sql}")
            elif attr == "nullable":
                parts.append("nullable -> NOT NULL" if not b else "NOT NULL -> nullable")
            elif attr == "identity" and a is not None and b is not None:
                parts.append("identity " + _identity_changes(a, b))
            elif attr == "identity":
                parts.append(f"identity {_identity_text(a)} -> {_identity_text(b)}")
            else:
                parts.append(f"{attr.replace('_', ' ')} {_short(a)} -> {_short(b)}")
            if attr in self.forced and not self._differs(attr):
                parts[-1] += " (a compare hook says it differs)"
        return f"alter column {target}: {', '.join(parts)}"


@dataclass(frozen=True)
class RenameColumn(Op):
    """Rename a column of ``table_name`` (the table's new name when it is renamed too).

    ``column`` is the column as it was before the rename (its type, for backends whose rename
    needs it). ``undo`` marks the reverse (see :class:`~schemadiff.ops.RenameTable`).
    """

    kind = "rename_column"
    phase = Phase.RENAME_COLUMN
    schema_name: str | None
    table_name: str
    old_name: str
    new_name: str
    column: Column | None = None
    undo: bool = False

    @property
    def name(self) -> str:
        return self.new_name

    @property
    def run_phase(self) -> Phase:
        return Phase.UNDO_RENAME_COLUMN if self.undo else self.phase

    def reverse(self) -> Op:
        return RenameColumn(
            self.schema_name,
            self.table_name,
            self.new_name,
            self.old_name,
            self.column,
            not self.undo,
        )

    def describe(self) -> str:
        return (
            f"rename column {qualified(self.schema_name, self.table_name)}.{self.old_name}"
            f" to {self.new_name}"
        )


def _identity_changes(a: Identity, b: Identity) -> str:
    """``increment 3 -> 1, maxvalue 9999 -> 3333`` (None: the backend's default)."""
    changed = [f.name for f in fields(a) if getattr(a, f.name) != getattr(b, f.name)]
    return ", ".join(
        f"{name} {_option(getattr(a, name))} -> {_option(getattr(b, name))}" for name in changed
    )


def _identity_text(identity: Identity | None) -> str:
    """``none`` or ``GENERATED BY DEFAULT (start 2, maxvalue 1000)``."""
    if identity is None:
        return "none"
    kind = "ALWAYS" if identity.always else "BY DEFAULT"
    options = [
        f"{f.name} {getattr(identity, f.name)}"
        for f in fields(identity)
        if f.name not in ("always", "cycle") and getattr(identity, f.name) is not None
    ]
    options += ["cycle"] if identity.cycle else []
    return f"GENERATED {kind}" + (f" ({', '.join(options)})" if options else "")


def _option(value: object) -> str:
    return "default" if value is None else str(value)


def _short(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return repr(value)
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
