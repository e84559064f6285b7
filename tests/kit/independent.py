"""An independent description of a database, for convergence tests.

Built only from SQLAlchemy's Inspector and compiled type names, never from schemadiff's own
snapshot or comparators, so that a bug in our engine cannot hide itself: two databases are "equal"
when these descriptions are equal.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

_WS = re.compile(r"\s+")


def describe(conn: Connection, schemas: list[str | None]) -> dict[str, Any]:
    """A plain, comparable structure for every table of ``schemas`` (None = default)."""
    insp = sa.inspect(conn)
    out: dict[str, Any] = {}
    for schema in schemas:
        if schema is not None and schema not in insp.get_schema_names():
            continue
        for table in sorted(insp.get_table_names(schema=schema)):
            if table == "alembic_version":
                continue
            key = f"{schema}.{table}" if schema else table
            out[key] = _table(insp, conn, table, schema)
        views = {
            (f"{schema}.{view}" if schema else view): _view_query(
                insp.get_view_definition(view, schema=schema), conn
            )
            for view in insp.get_view_names(schema=schema)
        }
        if views:
            out[f"<views {schema}>" if schema else "<views>"] = sorted(views.items())
        if conn.dialect.name == "postgresql":
            names = insp.get_materialized_view_names(schema=schema)  # type: ignore[attr-defined]
            found = {
                name: (
                    _view_query(insp.get_view_definition(name, schema=schema), conn),
                    sorted(i["name"] for i in insp.get_indexes(name, schema=schema)),
                )
                for name in names
            }
            if found:
                key = f"<materialized views {schema}>" if schema else "<materialized views>"
                out[key] = sorted(found.items())
    if conn.dialect.name == "sqlite":
        # SQLAlchemy skips expression indexes on SQLite: take every index's DDL as SQLite keeps it
        rows = conn.exec_driver_sql(
            "select tbl_name, name, sql from sqlite_master where type = 'index' and sql is not null"
        )
        # (a table rename makes SQLite quote the new name in the stored DDL)
        out["<sqlite indexes>"] = sorted((t, n, _norm(sql.replace('"', ""))) for t, n, sql in rows)
        # AUTOINCREMENT (sqlite_autoincrement=True) is in no PRAGMA: the stored DDL says it
        tables = conn.exec_driver_sql("select name, sql from sqlite_master where type = 'table'")
        out["<sqlite autoincrement>"] = sorted(
            n for n, sql in tables if re.search(r"\bAUTOINCREMENT\b", sql or "", re.IGNORECASE)
        )
    if conn.dialect.name == "postgresql":
        out["<enums>"] = sorted(
            (e["schema"], e["name"], tuple(e["labels"])) for e in insp.get_enums(schema="*")
        )
    if conn.dialect.name == "postgresql" or getattr(conn.dialect, "is_mariadb", False):
        out["<sequences>"] = _sequences(conn, insp, schemas)
    out.update(_routines(conn))
    return out


#: functions and procedures of the user's schemas, as the server keeps them
_PG_FUNCTIONS = """
SELECT n.nspname, p.proname, p.prokind, pg_get_function_identity_arguments(p.oid),
       pg_get_function_result(p.oid), l.lanname, p.provolatile, p.prosecdef, p.proisstrict,
       p.prosrc
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
_PG_TRIGGERS = """
SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal
"""
#: policies and tables with row-level security, as the catalogs keep them
_PG_POLICIES = """
SELECT c.relname, p.polname, p.polcmd, p.polpermissive,
       ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END
             FROM unnest(p.polroles) r ORDER BY 1)::text,
       pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)
FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
"""
#: partitioned tables' keys and partitions' bounds, as the catalogs keep them
_PG_PARTITIONS = """
SELECT n.nspname, c.relname,
       (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
        WHERE i.inhrelid = c.oid AND c.relispartition),
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE (c.relkind = 'p' OR c.relispartition) AND c.relkind IN ('r', 'p')
  AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
"""
_PG_ROW_SECURITY = """
SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c
WHERE c.relrowsecurity OR c.relforcerowsecurity
"""


def _routines(conn: Connection) -> dict[str, Any]:
    """Functions and triggers, from the catalogs with plain SQL (no schemadiff code)."""
    out: dict[str, Any] = {}
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(_PG_FUNCTIONS).all()
        functions = sorted((*r[:-1], _norm(r[-1])) for r in rows)
        triggers = sorted(tuple(r) for r in conn.exec_driver_sql(_PG_TRIGGERS))
        policies = sorted(tuple(map(str, r)) for r in conn.exec_driver_sql(_PG_POLICIES))
        if policies:
            out["<policies>"] = policies
        partitioned = sorted(tuple(map(str, r)) for r in conn.exec_driver_sql(_PG_PARTITIONS))
        if partitioned:
            out["<partitions>"] = partitioned
        secured = sorted(tuple(r) for r in conn.exec_driver_sql(_PG_ROW_SECURITY))
        if secured:
            out["<row security>"] = secured
    elif conn.dialect.name == "sqlite":
        functions = []
        rows = conn.exec_driver_sql(
            "select tbl_name, name, sql from sqlite_master where type = 'trigger'"
        )
        triggers = sorted((t, n, _norm(sql.replace('"', ""))) for t, n, sql in rows)
    else:
        database = conn.engine.url.database
        rows = conn.exec_driver_sql(
            "select event_object_table, trigger_name, action_timing, event_manipulation, "
            "action_orientation, action_statement from information_schema.triggers "
            f"where trigger_schema = '{database}'"
        )
        triggers = sorted((*r[:-1], _norm(r[-1])) for r in rows)
        rows = conn.exec_driver_sql(
            "select routine_name, routine_type, dtd_identifier, routine_definition, "
            "is_deterministic, sql_data_access, security_type from information_schema.routines "
            f"where routine_schema = '{database}'"
        )
        functions = sorted(tuple(_norm(v) if i == 3 else v for i, v in enumerate(r)) for r in rows)
    if conn.dialect.name == "postgresql":
        extensions = sorted(
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT x.extname, n.nspname, x.extversion FROM pg_extension x "
                "JOIN pg_namespace n ON n.oid = x.extnamespace WHERE x.extname <> 'plpgsql'"
            )
        )
        if extensions:
            out["<extensions>"] = extensions
        domains = sorted(
            (r[0], r[1], r[2], r[3], r[4], tuple(sorted(r[5] or ())))
            for r in conn.exec_driver_sql(
                "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod), "
                "t.typnotnull, t.typdefault, (SELECT array_agg(pg_get_constraintdef(c.oid)) "
                "FROM pg_constraint c WHERE c.contypid = t.oid) FROM pg_type t "
                "JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype = 'd' "
                "AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
            )
        )
        if domains:
            out["<domains>"] = domains
    if functions:
        out["<functions>"] = functions
    if triggers:
        out["<triggers>"] = triggers
    return out


def _sequences(conn: Connection, insp: sa.Inspector, schemas: list[str | None]) -> list[Any]:
    """Every sequence with its options (not its current value): PostgreSQL's ``pg_sequences``
    view (with the owning column from ``pg_depend``), MariaDB's one-row sequence tables."""
    out: list[Any] = []
    for schema in schemas:
        if schema is not None and schema not in insp.get_schema_names():
            continue
        if conn.dialect.name == "postgresql":
            rows = conn.execute(
                sa.text(
                    "SELECT s.sequencename, s.data_type::text, s.start_value, s.increment_by,"
                    " s.min_value, s.max_value, s.cycle, s.cache_size,"
                    " (SELECT d.refobjid::regclass::text || '.' || d.refobjsubid FROM pg_depend d"
                    "  WHERE d.objid = (quote_ident(s.schemaname) || '.' ||"
                    "  quote_ident(s.sequencename))::regclass AND d.deptype IN ('a', 'i'))"
                    " FROM pg_sequences s WHERE s.schemaname = coalesce(:s, current_schema())"
                ),
                {"s": schema},
            )
            out += [(schema, *row) for row in rows]
            continue
        for name in insp.get_sequence_names(schema=schema):
            quoted = conn.dialect.identifier_preparer.quote
            table = f"{quoted(schema)}.{quoted(name)}" if schema else quoted(name)
            row = conn.exec_driver_sql(
                "SELECT start_value, increment, minimum_value, maximum_value, cycle_option,"
                f" cache_size FROM {table}"
            ).one()
            out.append((schema, name, *row))
    return sorted(out, key=repr)


def keep_declared_types(
    description: dict[str, Any], columns: list[tuple[str, str]]
) -> dict[str, Any]:
    """``description`` with the declared type of each ``(table, column)`` replaced by its
    SQLite type affinity: two databases may then differ in those columns' type text only where
    SQLite stores both types alike."""
    out = dict(description)
    for table, name in columns:
        entry = dict(out[table])
        entry["columns"] = [
            (c[0], "affinity " + sqlite_affinity(c[1]), *c[2:]) if c[0] == name else c
            for c in entry["columns"]
        ]
        out[table] = entry
    return out


def sqlite_affinity(declared: str) -> str:
    """SQLite's type affinity rules (https://sqlite.org/datatype3.html, 3.1), written here
    independently of schemadiff's own copy."""
    upper = declared.upper()
    for needles, affinity in (
        (("INT",), "INTEGER"),
        (("CHAR", "CLOB", "TEXT"), "TEXT"),
        (("BLOB",), "BLOB"),
        (("REAL", "FLOA", "DOUB"), "REAL"),
    ):
        if any(n in upper for n in needles):
            return affinity
    return "BLOB" if not upper.strip() else "NUMERIC"


_CREATE_VIEW = re.compile(r"^\s*CREATE\b.*?\bVIEW\s+\S+\s+AS\s+", re.IGNORECASE | re.DOTALL)


def _view_query(definition: str | None, conn: Connection) -> str:
    """A view's query as the server keeps it, without what differs between two databases
    built alike: the ``CREATE VIEW`` head (SQLite, MySQL), the database's own name (MySQL
    qualifies every column with it), quotes and layout."""
    text = _CREATE_VIEW.sub("", definition or "")
    database = conn.engine.url.database
    if conn.dialect.name in ("mysql", "mariadb") and database:
        text = text.replace(f"`{database}`.", "")
    return _norm(text.replace("`", "").replace('"', "").rstrip().rstrip(";"))


def _norm(text: Any) -> Any:
    return _WS.sub(" ", str(text)).strip() if text is not None else None


def _table(insp: sa.Inspector, conn: Connection, table: str, schema: str | None) -> dict[str, Any]:
    dialect = conn.dialect
    columns = []
    for c in insp.get_columns(table, schema=schema):
        columns.append(
            (
                c["name"],
                _norm(c["type"].compile(dialect=dialect)),
                c["nullable"],
                _norm(c.get("default")),
                c.get("comment"),
                _norm((c.get("computed") or {}).get("sqltext")),
                repr(sorted((c.get("identity") or {}).items())) if c.get("identity") else None,
            )
        )
    pk = insp.get_pk_constraint(table, schema=schema)
    fks = sorted(
        (
            tuple(fk["constrained_columns"]),
            fk.get("referred_schema"),
            fk["referred_table"],
            tuple(fk["referred_columns"]),
            repr(sorted((fk.get("options") or {}).items())),
        )
        for fk in insp.get_foreign_keys(table, schema=schema)
    )
    uniques = sorted(
        (tuple(u["column_names"])) for u in insp.get_unique_constraints(table, schema=schema)
    )
    indexes = sorted(
        (
            i["name"],
            tuple(str(c) for c in i["column_names"]),
            tuple(_norm(e) for e in i.get("expressions") or ()),
            bool(i["unique"]),
            repr(sorted((k, _norm(v)) for k, v in (i.get("dialect_options") or {}).items())),
        )
        for i in insp.get_indexes(table, schema=schema)
        if not i.get("duplicates_constraint")
    )
    try:
        checks = sorted(
            _norm(c["sqltext"]) for c in insp.get_check_constraints(table, schema=schema)
        )
    except NotImplementedError:
        checks = []
    try:
        comment = insp.get_table_comment(table, schema=schema).get("text")
    except NotImplementedError:
        comment = None
    out: dict[str, Any] = {
        # column order is not compared: ADD COLUMN appends, create_all follows the model
        "columns": sorted(columns),
        "pk": tuple(pk.get("constrained_columns") or ()),
        "fks": fks,
        "uniques": uniques,
        "indexes": indexes,
        "checks": checks,
        "comment": comment,
    }
    if dialect.name in ("mysql", "mariadb"):
        # partitioning, as SQLAlchemy's MySQL inspector reads it from SHOW CREATE TABLE
        partitioning = sorted(
            (k, _norm(v))
            for k, v in insp.get_table_options(table, schema=schema).items()
            if "partition" in k
        )
        if partitioning:
            out["partitioning"] = partitioning
    return out
