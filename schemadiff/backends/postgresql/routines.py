"""PostgreSQL functions, procedures and triggers: one statement per kind for every requested
schema, whatever the number of objects.

Functions come from ``pg_proc``: the body as written (``prosrc``), the identity arguments and
result in the catalog's spelling, language, volatility, ``SECURITY DEFINER`` and ``STRICT``.
Aggregates and window functions stay "not compared" (:mod:`.objects`), and so do members of an
extension and functions a type made. Triggers come from ``pg_trigger`` (not the internal ones
of foreign keys) with ``pg_get_triggerdef``; those of partitions are their parent's clones.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import INTERNAL_PROC, NOT_EXTENSION_MEMBER
from schemadiff.canonical.routines import (
    canonical_body,
    canonical_returns,
    canonical_trigger,
    identity_args,
)
from schemadiff.snapshot.routines import Function, Trigger

_PROC = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_proc'", oid="p.oid")
_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")

_FUNCTIONS = f"""
SELECT n.nspname::text, p.proname::text, {{kind}},
       pg_catalog.pg_get_function_identity_arguments(p.oid),
       pg_catalog.pg_get_function_arguments(p.oid),
       CASE WHEN {{kind}} = 'p' THEN NULL ELSE pg_catalog.pg_get_function_result(p.oid) END,
       l.lanname::text, p.provolatile::text, p.prosecdef, p.proisstrict, p.prosrc,
       {{sqlbody}}
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY(:schemas) AND {{plain}}
  AND {_PROC} AND NOT {INTERNAL_PROC}
ORDER BY 1, 2, 4
"""
_VOLATILITY = {"v": "volatile", "s": "stable", "i": "immutable"}

_TRIGGERS = f"""
SELECT n.nspname::text, c.relname::text, tg.tgname::text, pg_catalog.pg_get_triggerdef(tg.oid)
FROM pg_catalog.pg_trigger tg
JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND NOT tg.tgisinternal AND NOT c.relispartition AND {_CLASS}
ORDER BY 1, 2, 3
"""


def fetch_functions(conn: Connection, schemas: Sequence[str], default: str) -> tuple[Function, ...]:
    """Every plain function and procedure of ``schemas`` (default schema keyed None)."""
    version = conn.dialect.server_version_info or (14,)
    sql = _FUNCTIONS.format(
        sqlbody="p.prosqlbody IS NOT NULL" if version >= (14,) else "false",
        kind="p.prokind::text" if version >= (11,) else "'f'",
        plain="p.prokind = ANY(ARRAY['f', 'p'])" if version >= (11,) else "NOT p.proisagg",
    )
    rows = conn.execute(sa.text(sql), {"schemas": list(schemas)})
    out = []
    for schema, name, kind, ident, full, result, lang, vol, secdef, strict, src, atomic in rows:
        out.append(
            Function(
                name=name,
                args=identity_args(ident or ""),
                body=canonical_body(src or ""),
                schema=None if schema == default else schema,
                kind="procedure" if kind == "p" else "function",
                returns=canonical_returns(result),
                language=lang,
                volatility=_VOLATILITY.get(vol, vol),
                security_definer=bool(secdef),
                strict=bool(strict),
                comparable=not atomic,
                raw_args=full or "",
                raw_body=src or "",
            )
        )
    return tuple(out)


def fetch_triggers(conn: Connection, schemas: Sequence[str], default: str) -> tuple[Trigger, ...]:
    """Every user trigger on the tables of ``schemas`` (default schema keyed None)."""
    rows = conn.execute(sa.text(_TRIGGERS), {"schemas": list(schemas)})
    out = []
    for schema, table, name, definition in rows:
        canonical, comparable = canonical_trigger(definition, rewritten=True)
        out.append(
            Trigger(
                name,
                table,
                canonical,
                None if schema == default else schema,
                comparable,
                definition,
            )
        )
    return tuple(out)
