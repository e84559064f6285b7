"""Ops on indexes."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase, qualified
from schemadiff.snapshot.model import Index, IndexElement


def _index_text(index: Index) -> str:
    cols = ", ".join(map(_element_text, index.elements))
    text = f"{index.name} ({cols})"
    if index.nulls_not_distinct:
        text += " NULLS NOT DISTINCT"
    if index.where:
        text += f" WHERE {index.where}"
    return text


def _element_text(e: IndexElement) -> str:
    text = e.expr + (f" {e.opclass}" if e.opclass else "")
    text += " DESC" if e.descending else ""
    return text + (f" NULLS {e.nulls.upper()}" if e.nulls else "")


@dataclass(frozen=True)
class CreateIndex(Op):
    kind = "create_index"
    phase = Phase.ADD_CONSTRAINT
    schema_name: str | None
    table_name: str
    index: Index

    @property
    def name(self) -> str:
        return self.index.name

    def reverse(self) -> Op:
        return DropIndex(self.schema_name, self.table_name, self.index)

    def describe(self) -> str:
        unique = "unique " if self.index.unique else ""
        target = qualified(self.schema_name, self.table_name)
        return f"create {unique}index {_index_text(self.index)} on {target}"


@dataclass(frozen=True)
class DropIndex(Op):
    kind = "drop_index"
    phase = Phase.DROP_CONSTRAINT
    schema_name: str | None
    table_name: str
    index: Index

    @property
    def name(self) -> str:
        return self.index.name

    def reverse(self) -> Op:
        return CreateIndex(self.schema_name, self.table_name, self.index)

    def describe(self) -> str:
        unique = "unique " if self.index.unique else ""
        target = qualified(self.schema_name, self.table_name)
        return f"drop {unique}index {_index_text(self.index)} on {target}"
