"""MySQL / MariaDB views: one ``information_schema.VIEWS`` statement for every schema, and the
server's own spelling of a declared query, learnt in a scratch database.

The server stores a view's query rewritten (every column qualified with its database and table,
every output aliased: ``select `app`.`users`.`id` AS `id` from `app`.`users```). The default
database's qualifier is taken out (scripts then run on a database of any name).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.canonical.views import canonical_view_sql, view_body, view_reads
from schemadiff.snapshot.model import TableKey, View

_VIEWS = (
    "SELECT TABLE_SCHEMA, TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE, CHECK_OPTION"
    " FROM information_schema.VIEWS"
    " WHERE TABLE_SCHEMA IN :schemas ORDER BY TABLE_SCHEMA, TABLE_NAME"
)
_PROBE_PREFIX = "schemadiff_scratch_"
#: server errors that say the query does not work on this database: no such table (1146),
#: column (1054) or function (1305), a syntax error (1064), an ambiguous column (1052)
_QUERY_ERRORS = frozenset({1146, 1054, 1305, 1064, 1052})


def _error_code(exc: sa.exc.DBAPIError) -> int | None:
    args = getattr(exc.orig, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def _text(value: object) -> str:
    return value.decode() if isinstance(value, (bytes, bytearray)) else str(value or "")


def local_query(text: str, database: str) -> str:
    """The stored query without the default database's qualifier (`` `db`.`t` `` -> `` `t` ``)."""
    return view_body(text.replace(f"`{database}`.", ""))


def fetch_views(
    conn: Connection, schemas: Sequence[str], database: str
) -> tuple[tuple[View, ...], tuple[str, ...]]:
    """Every view of ``schemas``, the default database keyed None; and a "not compared" note
    naming the views whose options are not the defaults (``SQL SECURITY INVOKER``, a check
    option): those options are neither compared nor written when the view is created again."""
    stmt = sa.text(_VIEWS).bindparams(sa.bindparam("schemas", expanding=True))
    views = []
    optioned = []
    rows = conn.execute(stmt, {"schemas": list(schemas)})
    for schema, name, definition, security, check in rows:
        schema, raw = _text(schema), local_query(_text(definition), database)
        options = []
        if _text(security).upper() == "INVOKER":
            options.append("SQL SECURITY INVOKER")
        if _text(check).upper() not in ("", "NONE"):
            options.append(f"WITH {_text(check).upper()} CHECK OPTION")
        if options:
            shown = _text(name) if schema == database else f"{schema}.{_text(name)}"
            optioned.append(f"{shown} ({', '.join(options)})")
        views.append(
            View(
                name=_text(name),
                definition=canonical_view_sql(raw, "mysql"),
                schema=None if schema == database else schema,
                raw=raw,
                reads=view_reads(raw, "mysql", database),
            )
        )
    notes = (
        (
            f"view options of {'; '.join(optioned)} (neither compared nor kept when a view "
            "is created again)",
        )
        if optioned
        else ()
    )
    return tuple(sorted(views, key=lambda v: (v.schema or "", v.name))), notes


def settle_views(conn: Connection, views: Sequence[View]) -> dict[TableKey, str | None]:
    """Create each view's declared query in a scratch database (a second connection, on the
    same default database: unqualified names resolve as they would for the real view), read
    the server's rewrite, and drop the scratch database. None: the server refused the query as
    wrong here (unknown table or column...); refused for another reason (a privilege): left
    out, unsettled."""
    database = conn.exec_driver_sql("SELECT DATABASE()").scalar()
    database = _text(database)
    scratch = _PROBE_PREFIX + uuid.uuid4().hex[:12]
    out: dict[TableKey, str | None] = {}
    with conn.engine.connect() as probe:
        probe.exec_driver_sql(f"USE `{database}`")
        probe.exec_driver_sql(f"CREATE DATABASE `{scratch}`")
        try:
            probes: dict[str, TableKey] = {}
            for i, view in enumerate(views):
                name = f"p{i}"
                try:
                    sql = f"CREATE VIEW `{scratch}`.`{name}` AS {view.raw}"
                    probe.exec_driver_sql(sql.replace("%", "%%"))  # no parameters: % is %%
                except sa.exc.DBAPIError as exc:
                    if _error_code(exc) in _QUERY_ERRORS:
                        out[view.key] = None  # the query is wrong here: not the stored one
                    continue  # anything else (a privilege...) decides nothing: unsettled
                probes[name] = view.key
            rows = probe.execute(
                sa.text(
                    "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS"
                    " WHERE TABLE_SCHEMA = :s"
                ),
                {"s": scratch},
            )
            for name, definition in rows:
                key = probes.get(_text(name))
                if key is not None:
                    out[key] = local_query(_text(definition), database)
        finally:
            probe.exec_driver_sql(f"DROP DATABASE `{scratch}`")
    return out


#: what the server's rewrite of a query made into a view depends on besides the query and the
#: relations it reads: the server, the default database, the user, and the settings that change
#: how a query reads (SQL mode, name case) or how its literals are written (character sets)
_CONTEXT = (
    "SELECT VERSION(), DATABASE(), CURRENT_USER(), @@sql_mode, @@lower_case_table_names,"
    " @@character_set_client, @@collation_connection, @@character_set_database,"
    " @@collation_database, @@time_zone"
)


def rewrite_context(conn: Connection) -> str:
    """The server and session settings a declared query's rewrite depends on, as text (the
    scratch connection of :func:`settle_views` uses ``conn``'s default database)."""
    row = conn.exec_driver_sql(_CONTEXT).one()
    return "\x1f".join(_text(value) for value in row)
