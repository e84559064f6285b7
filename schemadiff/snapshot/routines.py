"""Functions, procedures and triggers in the snapshot model.

Every compared field is a canonical form built the same way on both sides
(:mod:`schemadiff.canonical.routines`): the server's catalog spelling of argument and result
types, a body with its layout normalized, a trigger's definition without its name and table.
The ``raw_*`` fields are what a migration runs, never compared.
"""

from __future__ import annotations

from collections.abc import Callable
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
    #: the result type as written, for CREATE (None: ``returns``)
    raw_returns: str | None = field(default=None, compare=False)
    #: models' side: the server's syntax error for the declared function (the migration fails)
    refused: str | None = field(default=None, compare=False, metadata={"json": False})

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


def _dollar_quote(body: str) -> str:
    """``body`` between dollar quotes whose tag it does not contain."""
    tag = "$function$"
    n = 0
    while tag in body:
        n += 1
        tag = f"$function{n}$"
    return f"{tag}{body}{tag}"


def function_ddl(fn: Function, quote: Callable[[str], str], replace: bool = False) -> str:
    """``CREATE [OR REPLACE] FUNCTION|PROCEDURE name(args) ... AS $function$body$function$``,
    names quoted with ``quote``."""
    head = "CREATE OR REPLACE" if replace else "CREATE"
    name = (quote(fn.schema) + "." if fn.schema else "") + quote(fn.name)
    parts = [f"{head} {fn.kind.upper()} {name}({fn.raw_args})"]
    if fn.kind == "function":
        parts.append(f"RETURNS {fn.raw_returns or fn.returns or 'void'}")
    parts.append(f"LANGUAGE {fn.language}")
    if fn.kind == "function":
        parts.append(fn.volatility.upper())
        if fn.strict:
            parts.append("STRICT")
    if fn.security_definer:
        parts.append("SECURITY DEFINER")
    parts.append(f"AS {_dollar_quote(fn.raw_body)}")
    return " ".join(parts)
