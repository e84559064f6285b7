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
from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.casts import quote_ident
from schemadiff.backends.postgresql.objects import INTERNAL_PROC, NOT_EXTENSION_MEMBER
from schemadiff.canonical.routines import (
    canonical_body,
    canonical_returns,
    canonical_trigger,
    identity_args,
    split_trigger,
)
from schemadiff.snapshot.routines import Function, RoutineKey, Trigger, function_ddl

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
        canonical, _ = canonical_trigger(definition, rewritten=True)  # the server's own
        out.append(
            Trigger(name, table, canonical, None if schema == default else schema, True, definition)
        )
    return tuple(out)


_PROBES = """
SELECT c.relname::text, pg_catalog.pg_get_triggerdef(tg.oid)
FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND NOT tg.tgisinternal
  AND c.relname LIKE 'schemadiff\\_probe\\_%%'
"""


def settle_triggers(
    conn: Connection, triggers: Sequence[Trigger], default: str
) -> dict[RoutineKey, str | None]:
    """The server's own ``pg_get_triggerdef`` of each declared trigger, learnt on a second
    connection with the same search path (``conn`` is read-only), in one transaction that is
    rolled back: each trigger made on a temporary copy of its table's columns (a savepoint
    each, so one the server refuses does not stop the others). None: refused."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[RoutineKey, str | None] = {}
    probes: dict[str, RoutineKey] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        for i, trigger in enumerate(triggers):
            name = f"schemadiff_probe_{i}"
            source = ".".join(quote(part) for part in (trigger.schema or default, trigger.table))
            head, tail = split_trigger(trigger.raw)
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(f"CREATE TEMPORARY TABLE {name} (LIKE {source})")
                    sql = f"CREATE TRIGGER {quote(trigger.name)} {head} ON pg_temp.{name} {tail}"
                    probe.exec_driver_sql(sql.replace("%", "%%"))
            except sa.exc.DBAPIError:
                out[trigger.key] = None
                continue
            probes[name] = trigger.key
        for name, definition in probe.exec_driver_sql(_PROBES):
            if name in probes:
                out[probes[name]] = definition
        transaction.rollback()
    return out


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_FUNCTION_PROBES = """
SELECT p.proname::text, pg_catalog.pg_get_function_identity_arguments(p.oid),
       CASE WHEN {kind} = 'p' THEN NULL ELSE pg_catalog.pg_get_function_result(p.oid) END
FROM pg_catalog.pg_proc p
WHERE p.pronamespace = pg_catalog.pg_my_temp_schema() AND p.proname LIKE 'schemadiff\\_probe\\_%%'
"""


def settle_functions(
    conn: Connection, functions: Sequence[Function]
) -> dict[RoutineKey, tuple[str, str | None] | None]:
    """The server's own spelling of each declared function's identity arguments and result
    type, learnt like :func:`settle_triggers`: each function made again in the temporary
    schema, in a transaction that is rolled back. None: refused."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    version = conn.dialect.server_version_info or (14,)
    out: dict[RoutineKey, tuple[str, str | None] | None] = {}
    probes: dict[str, RoutineKey] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        for i, function in enumerate(functions):
            name = f"schemadiff_probe_{i}"
            copy = replace(function, name=name, schema="pg_temp")
            try:
                with probe.begin_nested():
                    sql = function_ddl(copy, quote_ident)
                    probe.exec_driver_sql(sql.replace("%", "%%"))
            except sa.exc.DBAPIError:
                out[function.key] = None
                continue
            probes[name] = function.key
        kind = "p.prokind" if version >= (11,) else "'f'"
        for name, args, result in probe.exec_driver_sql(_FUNCTION_PROBES.format(kind=kind)):
            if name in probes:
                out[probes[name]] = (args or "", result)
        transaction.rollback()
    return out


#: SQLSTATE of a statement the server cannot parse
_SYNTAX_ERROR = "42601"


def function_syntax_errors(
    conn: Connection, functions: Sequence[Function]
) -> dict[RoutineKey, str]:
    """The first line of the server's message for each declared function whose DDL it cannot
    parse (``CREATE FUNCTION`` checks a PL/pgSQL body's syntax, a SQL body's too), learnt like
    :func:`settle_functions`: each made again in the temporary schema, in a transaction that is
    rolled back. Other refusals (a table or type the migration creates) are left out."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[RoutineKey, str] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        for i, function in enumerate(functions):
            copy = replace(function, name=f"schemadiff_probe_{i}", schema="pg_temp")
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(function_ddl(copy, quote_ident).replace("%", "%%"))
            except sa.exc.DBAPIError as exc:
                state = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
                if state == _SYNTAX_ERROR:
                    out[function.key] = str(exc.orig).strip().splitlines()[0].strip()
        transaction.rollback()
    return out
