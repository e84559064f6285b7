"""Ops on PostgreSQL extensions: create, drop, move to another schema or update the version.

An extension is created right after the schemas (before the types, tables and functions that
may use what it provides) and dropped after everything else. Dropping one drops every object
it made (its types, functions, operators), and with ``CASCADE`` whatever uses them: it is
destructive.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Phase
from schemadiff.ops.objects import Creates, Drops, SchemaObjectOp, SwapsOldNew, pair
from schemadiff.snapshot.model import Extension


class _ExtensionOp(SchemaObjectOp[Extension]):
    subject_field = "extension"

    def described(self) -> str:
        text = f"extension {self.subject.name}"
        if self.subject.schema:
            text += f" in schema {self.subject.schema}"
        if self.subject.version:
            text += f" version {self.subject.version}"
        return text


@dataclass(frozen=True)
class CreateExtension(_ExtensionOp, Creates):
    kind = "create_extension"
    phase = Phase.CREATE_EXTENSION
    extension: Extension


@dataclass(frozen=True)
class DropExtension(_ExtensionOp, Drops):
    """Destructive: the extension's objects go with it (its types, functions, operators), and
    the columns and indexes that use them refuse the drop or, with CASCADE, go too."""

    kind = "drop_extension"
    phase = Phase.DROP_EXTENSION
    extension: Extension

    @property
    def destructive(self) -> bool:
        return True


pair(CreateExtension, DropExtension)


@dataclass(frozen=True)
class AlterExtension(SchemaObjectOp[Extension], SwapsOldNew):
    """Move an installed extension to another schema (``SET SCHEMA``) and/or update it to the
    pinned version (``UPDATE TO``). Runs with the creations, before what may use it."""

    kind = "alter_extension"
    phase = Phase.CREATE_EXTENSION
    old: Extension
    new: Extension
    #: the database's default schema (where ``SET SCHEMA`` moves one whose schema is None)
    default_schema: str | None = None

    def changes(self) -> list[str]:
        out = []
        if self.old.schema != self.new.schema:
            old, new = (e.schema or self.default_schema for e in (self.old, self.new))
            out.append(f"schema {old} -> {new}")
        if self.new.version is not None and self.old.version != self.new.version:
            out.append(f"version {self.old.version} -> {self.new.version}")
        return out

    def describe(self) -> str:
        return f"alter extension {self.new.name} ({', '.join(self.changes())})"
