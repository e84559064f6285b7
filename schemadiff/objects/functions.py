"""Declared PostgreSQL functions and procedures: our own ``Function`` / ``Procedure`` and
alembic_utils' ``PGFunction`` entities (converted, alembic_utils stays optional)."""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

#: where a MetaData keeps its declared functions: ``{(schema, name, args): Function}``
FUNCTIONS_KEY = "schemadiff.functions"

_VOLATILITIES = ("volatile", "stable", "immutable")


class Function:
    """A function the models declare, by its parts::

        Function(metadata, "touch_updated_at", "BEGIN NEW.updated_at = now(); RETURN NEW; END;",
                 returns="trigger", language="plpgsql")

    ``args`` is the argument list as in ``CREATE FUNCTION`` (``"a integer, b text DEFAULT ''"``),
    ``body`` the text between the dollar quotes. Kept in ``metadata.info``."""

    kind = "function"

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        body: str,
        *,
        args: str = "",
        returns: str | None = "void",
        language: str = "sql",
        volatility: str = "volatile",
        security_definer: bool = False,
        strict: bool = False,
        schema: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a {self.kind} needs a name")
        if not isinstance(body, str):
            raise TypeError(f"{self.kind} {name!r}: the body must be SQL text")
        if volatility.lower() not in _VOLATILITIES:
            raise ValueError(
                f"{self.kind} {name!r}: volatility must be one of {', '.join(_VOLATILITIES)}"
            )
        self.name = name
        self.body = body
        self.args = args
        self.returns = returns if self.kind == "function" else None
        self.language = language.lower()
        self.volatility = volatility.lower()
        self.security_definer = security_definer
        self.strict = strict
        self.schema = schema
        metadata.info.setdefault(FUNCTIONS_KEY, {})[(schema, name, args)] = self

    def __repr__(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"{type(self).__name__}({name!r}, args={self.args!r})"


class Procedure(Function):
    """A procedure (``CREATE PROCEDURE``, called with ``CALL``): no result type."""

    kind = "procedure"

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        body: str,
        *,
        args: str = "",
        language: str = "sql",
        security_definer: bool = False,
        schema: str | None = None,
    ) -> None:
        super().__init__(
            metadata,
            name,
            body,
            args=args,
            returns=None,
            language=language,
            security_definer=security_definer,
            schema=schema,
        )


def declared_functions(metadata: sa.MetaData) -> list[Function]:
    """The functions and procedures declared on ``metadata``, in declaration order."""
    found = metadata.info.get(FUNCTIONS_KEY) or {}
    return [f for f in found.values() if isinstance(f, Function)]


_DEFINITION = re.compile(
    r"^\s*(?:RETURNS\s+(?P<returns>.+?)\s+)?(?P<options>(?:(?!\bAS\b).)*?)\s*"
    r"\bAS\s+(?P<quote>\$[A-Za-z_]*\$)(?P<body>.*)(?P=quote)\s*(?P<after>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def function_from_entity(metadata: sa.MetaData, entity: Any) -> Function:
    """An alembic_utils ``PGFunction`` (``signature`` ``name(args)``, ``definition``
    ``RETURNS ... LANGUAGE ... AS $$...$$``) as a :class:`Function`. A definition we cannot
    take apart raises ValueError naming the function (never a silent partial copy)."""
    signature = str(entity.signature)
    name, _, args = signature.partition("(")
    args = args.rsplit(")", 1)[0]
    match = _DEFINITION.match(str(entity.definition))
    if match is None:
        raise ValueError(
            f"PGFunction {signature}: its definition is not RETURNS ... LANGUAGE ... AS $$...$$"
        )
    options = f"{match['options']} {match['after']}".lower()
    language = re.search(r"\blanguage\s+(\w+)", options)
    volatility = re.search(r"\b(volatile|stable|immutable)\b", options)
    return Function(
        metadata,
        name.strip(),
        match["body"],
        args=args.strip(),
        returns=match["returns"] or "void",
        language=language.group(1) if language else "sql",
        volatility=volatility.group(1) if volatility else "volatile",
        security_definer="security definer" in options,
        strict=bool(re.search(r"\bstrict\b|returns null on null input", options)),
        schema=getattr(entity, "schema", None),
    )
