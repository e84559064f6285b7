"""MySQL/MariaDB stored functions and procedures, from the rows of the objects statement (no
statement of their own): parameters and result type in the catalog's spelling (compared as
canonical types), ``DETERMINISTIC`` (our ``volatility="immutable"``), ``SQL SECURITY`` and the
body as written (``ROUTINE_DEFINITION``, layout normalized). The data-access characteristic
(``READS SQL DATA``...) and comments are not compared.

There is no ``CREATE OR REPLACE`` for routines on MySQL: a changed routine is dropped and
created again."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from schemadiff.canonical.routines import canonical_body, identity_args
from schemadiff.errors import UsageError
from schemadiff.snapshot.routines import Function

#: separators of the objects statement's routine definition (fields, parameters)
_FIELD, _PARAM = chr(31), chr(30)


def mysql_functions(
    rows: Iterable[Sequence[object]], default: str, canonical_type: Callable[[str], str]
) -> tuple[Function, ...]:
    """The routines among the objects rows, the default database keyed None, sorted."""
    out = []
    for kind, schema, name, _, text in rows:
        if kind not in ("function", "procedure"):
            continue
        returns, deterministic, security, params, body = str(text or "").split(_FIELD, 4)
        raw_args = ", ".join(
            p.removeprefix("IN ") if kind == "function" else p for p in params.split(_PARAM) if p
        )
        fn = Function(
            name=str(name),
            args="",
            body=canonical_body(body),
            schema=None if schema == default else str(schema),
            kind=str(kind),
            returns=returns or None,
            language="sql",
            volatility="immutable" if deterministic == "YES" else "volatile",
            security_definer=security == "DEFINER",
            raw_args=raw_args,
            raw_body=body,
            raw_returns=returns or None,
        )
        out.append(canonical_function(fn, canonical_type))
    return tuple(sorted(out, key=lambda f: (f.schema or "", f.name, f.args)))


def canonical_function(fn: Function, canonical_type: Callable[[str], str]) -> Function:
    """``fn`` in the compared form: parameters and result in canonical types, ``IN`` implied,
    deterministic or not, no strictness (MySQL has none). A declared function without a
    result type (``returns`` left at ``void``) is refused: MySQL has no such type."""
    if fn.kind == "function" and (fn.raw_returns or "void").lower() == "void":
        raise UsageError(f"function {fn.name!r}: a MySQL function needs a result type (returns=)")
    return replace(
        fn,
        args=identity_args(fn.raw_args, canonical_type, keep_out=True),
        returns=canonical_type(fn.raw_returns) if fn.raw_returns else None,
        language="sql",
        volatility="immutable" if fn.volatility == "immutable" else "volatile",
        strict=False,
    )


def create_statements(fn: Function, quote: Callable[[str], str]) -> tuple[str, ...]:
    """``CREATE FUNCTION|PROCEDURE`` with the characteristics compared."""
    name = (quote(fn.schema) + "." if fn.schema else "") + quote(fn.name)
    parts = [f"CREATE {fn.kind.upper()} {name}({fn.raw_args})"]
    if fn.kind == "function":
        parts.append(f"RETURNS {fn.raw_returns or fn.returns}")
    parts.append("DETERMINISTIC" if fn.volatility == "immutable" else "NOT DETERMINISTIC")
    parts.append(f"SQL SECURITY {'DEFINER' if fn.security_definer else 'INVOKER'}")
    parts.append(fn.raw_body.strip())
    return (" ".join(parts),)


def drop_statement(fn: Function, quote: Callable[[str], str]) -> str:
    name = (quote(fn.schema) + "." if fn.schema else "") + quote(fn.name)
    return f"DROP {fn.kind.upper()} {name}"
