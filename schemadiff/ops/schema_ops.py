"""Ops on schemas (PostgreSQL namespaces, MySQL databases)."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops.base import Op, Phase


@dataclass(frozen=True)
class CreateSchema(Op):
    kind = "create_schema"
    phase = Phase.CREATE_SCHEMA
    schema_name: str

    @property
    def name(self) -> str:
        return self.schema_name

    def reverse(self) -> Op:
        return DropSchema(self.schema_name)

    def describe(self) -> str:
        return f"create schema {self.schema_name}"


@dataclass(frozen=True)
class DropSchema(Op):
    kind = "drop_schema"
    phase = Phase.DROP_SCHEMA
    schema_name: str

    @property
    def name(self) -> str:
        return self.schema_name

    @property
    def destructive(self) -> bool:
        return True

    def reverse(self) -> Op:
        return CreateSchema(self.schema_name)

    def describe(self) -> str:
        return f"drop schema {self.schema_name}"
