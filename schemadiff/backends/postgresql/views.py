"""PostgreSQL views and materialized views: one statement for every view of every requested
schema, with the indexes of materialized views and the relations each reads from the dependency
catalog (``pg_depend`` of the view's ``_RETURN`` rule); and the
server's own rewrite of a declared query (``pg_get_viewdef`` of a temporary view made in a
transaction that is rolled back)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.canonical.views import canonical_view_sql, view_body
from schemadiff.snapshot.model import Domain, TableKey, View
from schemadiff.snapshot.partitions import Partition
from schemadiff.snapshot.policies import Policy

_CLASS = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")
_VIEWS = f"""
SELECT n.nspname::text, c.relname::text, pg_catalog.pg_get_viewdef(c.oid),
       (SELECT pg_catalog.jsonb_agg(DISTINCT pg_catalog.jsonb_build_array(rn.nspname::text,
                                                                         rc.relname::text))
        FROM pg_catalog.pg_rewrite r
        JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass
             AND d.objid = r.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
        JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
        JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
        WHERE r.ev_class = c.oid AND rc.oid <> c.oid),
       c.relkind = 'm',
       (SELECT pg_catalog.array_agg(pg_catalog.pg_get_indexdef(i.indexrelid) ORDER BY ic.relname)
        FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE i.indrelid = c.oid)
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY(:schemas) AND c.relkind = ANY(ARRAY['v', 'm']) AND {_CLASS}
ORDER BY 1, 2
"""
_PROBES = """
SELECT c.relname::text, pg_catalog.pg_get_viewdef(c.oid)
FROM pg_catalog.pg_class c
WHERE c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname LIKE 'schemadiff\\_probe\\_%'
"""


#: SQLSTATEs that say the query does not work on this database (an unknown table, column,
#: function or type, a syntax or type error); others (privileges...) settle nothing
_QUERY_ERRORS = frozenset(
    {"42P01", "42703", "42883", "42704", "42601", "42804", "42803", "42702", "42P10", "42846"}
)


def _sqlstate(exc: sa.exc.DBAPIError) -> str | None:
    orig = exc.orig
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def fetch_views(conn: Connection, schemas: Sequence[str], default: str) -> tuple[View, ...]:
    """Every view of ``schemas`` (default schema keyed None)."""
    views = []
    rows = conn.execute(sa.text(_VIEWS), {"schemas": schemas})
    for schema, name, definition, reads, materialized, indexes in rows:
        raw = view_body(definition or "")
        views.append(
            View(
                name=name,
                definition=canonical_view_sql(raw, "postgresql"),
                schema=None if schema == default else schema,
                raw=raw,
                reads=_reads(reads, default),
                materialized=bool(materialized),
                indexes=tuple(indexes or ()),
            )
        )
    return tuple(sorted(views, key=lambda v: (v.schema or "", v.name)))


def _reads(rows: Any, default: str) -> tuple[TableKey, ...]:
    found = {(None if s == default else str(s), str(t)) for s, t in rows or ()}
    return tuple(sorted(found, key=lambda k: (k[0] or "", k[1])))


def settle_views(conn: Connection, views: Sequence[View]) -> dict[TableKey, str | None]:
    """On a second connection with the same search path (``conn`` is read-only), in one
    transaction that is rolled back: each query as a temporary view (a savepoint each, so one
    the server refuses does not stop the others), then their ``pg_get_viewdef``. A query the
    server refuses as wrong (unknown table or column...) answers None; one refused for another
    reason (no right to make temporary objects...) is left out, unsettled."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[TableKey, str | None] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        probes = _create_all(probe, views)
        if probes is None:  # one was refused, or the driver sends one statement at a time
            probes = {}
            for i, view in enumerate(views):
                name = f"schemadiff_probe_{i}"
                try:
                    with probe.begin_nested():
                        probe.exec_driver_sql(_probe_sql(name, view))
                except sa.exc.DBAPIError as exc:
                    if _sqlstate(exc) in _QUERY_ERRORS:
                        out[view.key] = None  # the query itself is wrong here: not the stored one
                    continue  # anything else (a privilege...) decides nothing: left unsettled
                probes[name] = view.key
        for name, definition in probe.execute(sa.text(_PROBES)):
            if name in probes:
                out[probes[name]] = view_body(definition or "")
        transaction.rollback()
    return out


def _probe_sql(name: str, view: View) -> str:
    return f"CREATE TEMPORARY VIEW {name} AS {view.raw}".replace("%", "%%")  # no parameters


def _create_all(probe: Connection, views: Sequence[View]) -> dict[str, TableKey] | None:
    """Every probe view made by one statement (a round trip and a savepoint per view were
    most of the time on a first run: 500 views, 1,500 statements), in a savepoint; None when
    that failed (a query the server refuses, a driver that runs one statement per call), and
    nothing was made. Each ``;`` is on a line of its own (a query may end in a ``--`` comment)."""
    names = {f"schemadiff_probe_{i}": view for i, view in enumerate(views)}
    batch = "\n;\n".join(_probe_sql(name, view) for name, view in names.items())
    try:
        with probe.begin_nested():
            probe.exec_driver_sql(batch)
    except sa.exc.DBAPIError:
        return None
    return {name: view.key for name, view in names.items()}


#: what ``pg_get_viewdef`` of a query made into a view depends on besides the query and the
#: relations it reads: the server, who asks where (the path resolves names and types), and the
#: settings that change how a query's literals read (strings, dates, intervals, time zone)
_CONTEXT = """
SELECT pg_catalog.current_setting('server_version'), current_user, pg_catalog.current_database(),
       pg_catalog.current_setting('search_path'), pg_catalog.current_schemas(true)::text,
       pg_catalog.current_setting('standard_conforming_strings'),
       pg_catalog.current_setting('DateStyle'), pg_catalog.current_setting('IntervalStyle'),
       pg_catalog.current_setting('TimeZone'), pg_catalog.current_setting('extra_float_digits')
"""


def rewrite_context(conn: Connection) -> str:
    """The server and session settings a declared query's rewrite depends on, as text (the
    probe connection of :func:`settle_views` takes ``conn``'s search path)."""
    row = conn.exec_driver_sql(_CONTEXT).one()
    return "\x1f".join(str(value) for value in row)


#: SQLSTATE of a statement the server cannot parse
_SYNTAX_ERROR = "42601"


def view_syntax_errors(conn: Connection, views: Sequence[View]) -> dict[TableKey, str]:
    """On a second connection with the same search path, in one transaction that is rolled
    back: each query as a temporary view (a savepoint each); the first line of the server's
    message for those it cannot parse (a reference to a table the database does not have yet
    is not one of them: the migration may create it)."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[TableKey, str] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        for i, view in enumerate(views):
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(
                        f"CREATE TEMPORARY VIEW schemadiff_probe_{i} AS {view.raw}".replace(
                            "%", "%%"
                        )
                    )
            except sa.exc.DBAPIError as exc:
                if _sqlstate(exc) == _SYNTAX_ERROR:
                    out[view.key] = str(exc.orig).strip().splitlines()[0].strip()
        transaction.rollback()
    return out


#: a relation no database has: statements on it are parsed, then refused for the name
_NOWHERE = "pg_temp.schemadiff_no_such_table"


def declaration_syntax_errors(
    conn: Connection,
    policies: Sequence[Policy],
    partitions: Sequence[Partition],
    domains: Sequence[Domain] = (),
) -> dict[tuple[str, Any], str]:
    """The syntax errors of the declared policies' expressions (``SELECT 1 WHERE (...)``) and
    partitions' bounds (``CREATE TABLE ... PARTITION OF`` a table no database has): see
    :func:`syntax_errors`."""
    statements: dict[tuple[str, Any, int], str] = {}
    for policy in policies:
        for i, expr in enumerate((policy.raw_using or policy.using, policy.raw_with_check)):
            if expr:
                statements[("policy", policy.key, i)] = f"SELECT 1 WHERE ({expr})"
    for part in partitions:
        statements[("partition", part.key, 0)] = (
            f"CREATE TEMPORARY TABLE schemadiff_probe PARTITION OF {_NOWHERE} "
            f"{part.raw_bounds or part.bounds}"
        )
    for i, domain in enumerate(domains):
        default = f" DEFAULT {domain.default}" if domain.default is not None else ""
        checks = "".join(f" {c.definition}" for c in domain.checks)
        statements[("domain", domain.key, 0)] = (
            f"CREATE DOMAIN pg_temp.schemadiff_probe_{i} AS {domain.data_type}{default}{checks}"
        )
    if not statements:
        return {}
    return {
        (kind, key): message for (kind, key, _), message in syntax_errors(conn, statements).items()
    }


def syntax_errors(conn: Connection, statements: dict[Any, str]) -> dict[Any, str]:
    """On a second connection, in one transaction that is rolled back: each statement in a
    savepoint; the first line of the server's message for those it cannot parse (the parser
    runs before names are looked up, so a statement on a table the database does not have yet
    is refused for that, not for its syntax, and is left out)."""
    out: dict[Any, str] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        for key, sql in statements.items():
            try:
                with probe.begin_nested():
                    probe.exec_driver_sql(sql.replace("%", "%%"))
            except sa.exc.DBAPIError as exc:
                if _sqlstate(exc) == _SYNTAX_ERROR:
                    out[key] = str(exc.orig).strip().splitlines()[0].strip()
        transaction.rollback()
    return out
