"""The generic parts of the ops on one object other than a table (a view, function, trigger,
domain, extension, sequence, enum, policy, partition, role...).

Such an op holds its object in one field (``view``, ``function``...; ``new`` for the ops that
take one from ``old`` to ``new``), named by ``subject_field``: the op's schema, table and name
are the object's. Creates and drops come in pairs (:func:`pair`), each the reverse of the other
with the fields they share; an op from ``old`` to ``new`` is reversed by swapping them
(:class:`SwapsOldNew`). None of these bases declares a dataclass field: the fields (the JSON
report, and the positional arguments) stay declared in each kind's module, in their order.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any, ClassVar, Generic, Protocol, TypeVar, cast

from schemadiff.ops.base import Op, qualified


class _Named(Protocol):
    @property
    def name(self) -> str: ...


class _InSchema(_Named, Protocol):
    @property
    def schema(self) -> str | None: ...


class _InTable(Protocol):
    @property
    def schema(self) -> str | None: ...

    @property
    def table(self) -> str: ...


class _OnTable(_InSchema, _InTable, Protocol): ...


X = TypeVar("X")
N = TypeVar("N", bound=_Named)
S = TypeVar("S", bound=_InSchema)
T = TypeVar("T", bound=_OnTable)
P = TypeVar("P", bound=_InTable)


class SubjectOp(Op, Generic[X]):
    """An op about the object in its field ``subject_field``."""

    subject_field: ClassVar[str] = "new"

    @property
    def subject(self) -> X:
        return cast(X, getattr(self, self.subject_field))


class NamedOp(SubjectOp[N]):
    """An op about an object named as the op is."""

    @property
    def name(self) -> str:
        return self.subject.name


class SchemaObjectOp(NamedOp[S]):
    """An op about an object that lives in a schema (its schema is the op's)."""

    @property
    def schema(self) -> str | None:
        return self.subject.schema


class TableObjectOp(SchemaObjectOp[T]):
    """An op about an object of a table (a trigger, policy, partition): the table is the op's."""

    @property
    def table(self) -> str:
        return self.subject.table


class TableSettingOp(SubjectOp[P]):
    """An op about a setting of one table (its row-level security, its partitioning): the
    op's schema, table and name are the table's."""

    @property
    def schema(self) -> str | None:
        return self.subject.schema

    @property
    def table(self) -> str:
        return self.subject.table

    @property
    def name(self) -> str:
        return self.subject.table


class PairedOp(SubjectOp[Any]):
    """An op undone by its counterpart (a create by a drop, an attach by a detach; see
    :func:`pair`): the reverse is the counterpart with the fields both have. ``describe()`` is
    ``verb`` and :meth:`described`."""

    verb: ClassVar[str]
    counterpart: ClassVar[type[Op]]

    def reverse(self) -> Op:
        mine = {f.name for f in fields(self)}
        shared = {f.name: getattr(self, f.name) for f in fields(self.counterpart) if f.name in mine}
        return self.counterpart(**shared)

    def described(self) -> str:
        """The object as ``describe()`` names it after the verb."""
        text: str = self.subject.describe()
        return text

    def describe(self) -> str:
        return f"{self.verb} {self.described()}"


class Creates(PairedOp):
    verb = "create"


class Drops(PairedOp):
    verb = "drop"


def pair(one: type[PairedOp], other: type[PairedOp]) -> None:
    """Make ``one`` and ``other`` (a create and a drop...) each other's reverse."""
    one.counterpart = other
    other.counterpart = one


class SwapsOldNew(Op):
    """An op from ``old`` to ``new`` (dataclass fields of those names): the reverse goes from
    ``new`` back to ``old``, its other fields kept."""

    def reverse(self) -> Op:
        swapped: Any = self
        return cast(Op, replace(swapped, old=swapped.new, new=swapped.old))


def with_table_note(with_table: bool, subject: _OnTable) -> str:
    """What a drop's description adds when the object goes with its table's drop."""
    return f" (with table {qualified(subject.schema, subject.table)})" if with_table else ""
