"""Functions, procedures and triggers in the snapshot model.

Every compared field is a canonical form built the same way on both sides
(:mod:`schemadiff.canonical.routines`): the server's catalog spelling of argument and result
types, a body with its layout normalized, a trigger's definition without its name and table.
The ``raw_*`` fields are what a migration runs, never compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: (schema, name, identity arguments) of a function; (schema, table, name) of a trigger
RoutineKey = tuple[str | None, str, str]


@dataclass(frozen=True)
class Function:
    """A PostgreSQL function or procedure (``kind``). ``args`` are the identity arguments in
    the catalog's spelling (``a integer, b text``), part of the key (overloads are distinct);
    ``returns`` the result type (None for a procedure); ``body`` the source text with its
    whitespace collapsed. ``comparable`` False: the body is in a form we cannot read (a
    SQL-standard ``BEGIN ATOMIC`` body), so a difference in it is "not compared"."""

    name: str
    args: str
    body: str
    schema: str | None = None
    kind: str = "function"
    returns: str | None = None
    language: str = "sql"
    volatility: str = "volatile"
    security_definer: bool = False
    strict: bool = False
    comparable: bool = True
    #: the full argument list as written (defaults, OUT arguments), for CREATE
    raw_args: str = field(default="", compare=False)
    #: the body as written, for CREATE
    raw_body: str = field(default="", compare=False)

    @property
    def key(self) -> RoutineKey:
        return (self.schema, self.name, self.args)

    def describe(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"{self.kind} {name}({self.args})"


@dataclass(frozen=True)
class Trigger:
    """A trigger on a table. ``definition`` is the canonical text after ``CREATE TRIGGER name``
    without ``ON table`` (timing, events, level, condition, action);
    ``comparable`` False: part of it (a ``WHEN`` condition the server rewrites) cannot be
    compared as text, so a difference is "not compared". ``raw`` is the whole CREATE statement."""

    name: str
    table: str
    definition: str
    schema: str | None = None
    comparable: bool = True
    raw: str = field(default="", compare=False)

    @property
    def key(self) -> RoutineKey:
        return (self.schema, self.table, self.name)

    def describe(self) -> str:
        table = f"{self.schema}.{self.table}" if self.schema else self.table
        return f"trigger {self.name} on {table}"
