"""The catalog queries behind MySQL/MariaDB reflection: one statement per object kind, covering
every requested schema at once (``TABLE_SCHEMA IN (...)``), so the count never grows with the
number of tables. Each returns positional rows (tuple-like, in the order its ``*_FIELDS`` names;
the labels are checked against it once per statement: MySQL 8 upper-cases column labels of
``information_schema`` views, aliases fix that), text values decoded. Rows stay the driver's own:
a dict per row cost as much as assembling the tables from them. Where the server can, each
statement returns its rows packed into one JSON value instead (:class:`_Reader`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Connection

#: one catalog row: its query's values in the order of that query's ``*_FIELDS``
Row = Sequence[Any]
#: a row as :class:`CatalogRows` accepts it: positional, or (hand-written, in tests) by field name
AnyRow = Row | Mapping[str, Any]


@dataclass(frozen=True)
class Server:
    """What the queries depend on: MariaDB or MySQL, and its version."""

    version: str
    database: str
    is_mariadb: bool
    version_info: tuple[int, ...]

    @property
    def has_check_constraints(self) -> bool:
        """``information_schema.CHECK_CONSTRAINTS`` exists (MariaDB 10.3.10+, MySQL 8.0.16+)."""
        return self.version_info >= ((10, 3, 10) if self.is_mariadb else (8, 0, 16))

    @property
    def packs_rows(self) -> bool:
        """A statement can return all its rows as one JSON value: ``JSON_ARRAY`` plus a
        per-statement ``group_concat_max_len`` (MariaDB 10.2.3+ ``SET STATEMENT``, MySQL 8.0.3+
        ``SET_VAR``)."""
        return self.version_info >= ((10, 2, 3) if self.is_mariadb else (8, 0, 3))

    @property
    def has_index_expressions(self) -> bool:
        """``STATISTICS.EXPRESSION`` (functional indexes) exists: MySQL 8.0.13+ only."""
        return not self.is_mariadb and self.version_info >= (8, 0, 13)


def server_info(conn: Connection) -> Server:
    version, database = conn.execute(sa.text("SELECT VERSION(), DATABASE()")).one()
    version = _text(version)
    numbers = tuple(int(n) for n in re.findall(r"\d+", version.split("-")[0])[:3])
    return Server(version, _text(database), "mariadb" in version.lower(), numbers)


#: ``create_options`` says whether the table is partitioned (listed as not compared)
TABLE_FIELDS = (
    "table_schema", "table_name", "table_collation", "table_comment", "create_options",
)  # fmt: skip
COLUMN_FIELDS = (
    "table_schema", "table_name", "column_name", "column_default", "is_nullable", "column_type",
    "collation_name", "extra", "column_comment", "generation_expression",
)  # fmt: skip
#: ``expression`` (the last one) only where :attr:`Server.has_index_expressions`; an index
#: element is a function of the fields from ``column_name`` on (the assembler's memo key)
STATISTICS_FIELDS = (
    "table_schema", "table_name", "index_name", "non_unique", "seq_in_index", "column_name",
    "collation", "sub_part", "index_type", "expression",
)  # fmt: skip
#: the key columns' fields, then the constraint's rules (from a second statement)
FOREIGN_KEY_FIELDS = (
    "table_schema", "table_name", "constraint_name", "column_name", "referenced_table_schema",
    "referenced_table_name", "referenced_column_name", "update_rule", "delete_rule",
)  # fmt: skip
_FOREIGN_KEY_RULE_FIELDS = (
    "table_schema", "table_name", "constraint_name", "update_rule", "delete_rule",
)  # fmt: skip
CHECK_FIELDS = ("table_schema", "table_name", "constraint_name", "check_clause")


@dataclass(frozen=True)
class Query:
    """One catalog statement: its fields (a ``*_FIELDS`` tuple), the ``FROM ... WHERE`` part
    (with the expanding ``:schemas``), the rows' order, and each field's SQL expression where it
    is not the upper-cased field name."""

    fields: tuple[str, ...]
    source: str
    order: str = ""
    columns: tuple[str, ...] = ()

    @property
    def expressions(self) -> tuple[str, ...]:
        return self.columns or tuple(f.upper() for f in self.fields)

    @property
    def order_by(self) -> str:
        return f" ORDER BY {self.order}" if self.order else ""

    def plain(self) -> str:
        """One row per catalog row (labels lower-cased: MySQL 8 upper-cases them)."""
        select = ", ".join(
            f"{e} AS {f}" for e, f in zip(self.expressions, self.fields, strict=True)
        )
        return f"SELECT {select} {self.source}{self.order_by}"

    def packed(self, server: Server) -> str:
        """All rows as one JSON array of arrays, plus their count (to tell a truncated
        ``GROUP_CONCAT`` apart); see :meth:`_Reader.packed_rows`."""
        values = self.expressions
        if not server.is_mariadb:  # text, never MySQL's base64 rendering of binary strings
            values = tuple(f"CAST({e} AS CHAR CHARACTER SET utf8mb4)" for e in values)
        rows = f"GROUP_CONCAT(JSON_ARRAY({', '.join(values)}){self.order_by} SEPARATOR ',')"
        select = f"COUNT(*), CONCAT('[', {rows}, ']') {self.source}"
        if server.is_mariadb:
            return f"SET STATEMENT group_concat_max_len={_MAX_LEN} FOR SELECT {select}"
        return f"SELECT /*+ SET_VAR(group_concat_max_len={_MAX_LEN}) */ {select}"


#: the largest ``group_concat_max_len`` (64-bit servers), set for one statement only
_MAX_LEN = 4294967295

TABLES = Query(
    TABLE_FIELDS,
    "FROM information_schema.TABLES WHERE TABLE_SCHEMA IN :schemas"
    " AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')",
)

COLUMNS = Query(
    COLUMN_FIELDS,
    "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA IN :schemas",
    "TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
)


def statistics(server: Server) -> Query:
    """``EXPRESSION`` (the last field) only where the server has it."""
    count = len(STATISTICS_FIELDS) - (0 if server.has_index_expressions else 1)
    return Query(
        STATISTICS_FIELDS[:count],
        "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA IN :schemas",
        "TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )


#: Foreign keys are read in two statements joined here: joining ``KEY_COLUMN_USAGE`` with
#: ``REFERENTIAL_CONSTRAINTS`` (and ``TABLE_CONSTRAINTS``) inside ``information_schema`` makes
#: MariaDB materialize and scan them per row (0.45 s at 1,000 tables, against 0.03 s apart).
FOREIGN_KEY_COLUMNS = Query(
    FOREIGN_KEY_FIELDS[:7],  # the rules come from FOREIGN_KEY_RULES
    "FROM information_schema.KEY_COLUMN_USAGE"
    " WHERE TABLE_SCHEMA IN :schemas AND REFERENCED_TABLE_NAME IS NOT NULL",
    "TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
)

FOREIGN_KEY_RULES = Query(
    _FOREIGN_KEY_RULE_FIELDS,
    "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN :schemas",
    columns=("CONSTRAINT_SCHEMA", "TABLE_NAME", "CONSTRAINT_NAME", "UPDATE_RULE", "DELETE_RULE"),
)

#: MariaDB names the table in CHECK_CONSTRAINTS (check names are unique per table only)
MARIADB_CHECKS = Query(
    CHECK_FIELDS,
    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA IN :schemas",
    "CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME",
    columns=("CONSTRAINT_SCHEMA", "TABLE_NAME", "CONSTRAINT_NAME", "CHECK_CLAUSE"),
)

#: MySQL 8 does not: the table comes from TABLE_CONSTRAINTS (check names are unique per schema)
MYSQL_CHECKS = Query(
    CHECK_FIELDS,
    "FROM information_schema.CHECK_CONSTRAINTS c"
    " JOIN information_schema.TABLE_CONSTRAINTS t"
    " ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME"
    " AND t.CONSTRAINT_TYPE = 'CHECK'"
    " WHERE c.CONSTRAINT_SCHEMA IN :schemas",
    "t.TABLE_SCHEMA, t.TABLE_NAME, c.CONSTRAINT_NAME",
    columns=("t.TABLE_SCHEMA", "t.TABLE_NAME", "c.CONSTRAINT_NAME", "c.CHECK_CLAUSE"),
)


OBJECT_FIELDS = ("kind", "object_schema", "object_name", "table_name", "definition")

#: What the database holds that no comparator covers, for the "not compared" listing: views,
#: sequences (MariaDB) and events (partitioning, a table option, comes with :data:`TABLES`),
#: and triggers and routines, compared, with their definitions (:mod:`.triggers`,
#: :mod:`.routines`). One statement (a union in a derived table, so it packs like the others).
#: The routines' parameters are grouped once in a derived table: a sub-select per routine made
#: MariaDB read ``PARAMETERS`` once per routine (0.43 s for 200 functions, against 0.04 s).
OBJECTS = Query(
    OBJECT_FIELDS,
    "FROM ("
    "SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'view' ELSE 'sequence' END AS kind,"
    " TABLE_SCHEMA AS object_schema, TABLE_NAME AS object_name, NULL AS table_name,"
    " NULL AS definition"
    " FROM information_schema.TABLES"
    " WHERE TABLE_SCHEMA IN :schemas AND TABLE_TYPE IN ('VIEW', 'SEQUENCE')"
    " UNION ALL SELECT 'trigger', TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE,"
    " CONCAT_WS(' ', ACTION_TIMING, EVENT_MANIPULATION, 'FOR EACH', ACTION_ORIENTATION,"
    " ACTION_STATEMENT)"
    " FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA IN :schemas"
    " UNION ALL SELECT LOWER(r.ROUTINE_TYPE), r.ROUTINE_SCHEMA, r.ROUTINE_NAME, NULL,"
    " CONCAT_WS(CHAR(31), COALESCE(r.DTD_IDENTIFIER, ''), r.IS_DETERMINISTIC,"
    " r.SECURITY_TYPE, COALESCE(p.params, ''), COALESCE(r.ROUTINE_DEFINITION, ''))"
    " FROM information_schema.ROUTINES r LEFT JOIN ("
    "SELECT SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE, GROUP_CONCAT(CONCAT_WS(' ',"
    " PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER) ORDER BY ORDINAL_POSITION"
    " SEPARATOR '\x1e') AS params"
    " FROM information_schema.PARAMETERS"
    " WHERE SPECIFIC_SCHEMA IN :schemas AND ORDINAL_POSITION > 0"
    " GROUP BY SPECIFIC_SCHEMA, SPECIFIC_NAME, ROUTINE_TYPE) AS p"
    " ON p.SPECIFIC_SCHEMA = r.ROUTINE_SCHEMA AND p.SPECIFIC_NAME = r.ROUTINE_NAME"
    " AND p.ROUTINE_TYPE = r.ROUTINE_TYPE"
    " WHERE r.ROUTINE_SCHEMA IN :schemas"
    " UNION ALL SELECT 'event', EVENT_SCHEMA, EVENT_NAME, NULL, NULL"
    " FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN :schemas"
    ") AS o",
    "kind, object_schema, object_name",
    columns=OBJECT_FIELDS,
)


@dataclass(frozen=True)
class CatalogRows:
    """The rows of each statement; see :meth:`positional` for rows written by hand."""

    tables: Sequence[AnyRow]
    columns: Sequence[AnyRow]
    statistics: Sequence[AnyRow]
    foreign_keys: Sequence[AnyRow]
    checks: Sequence[AnyRow]
    #: :data:`OBJECTS` rows (objects listed as not compared)
    objects: Sequence[AnyRow] = ()

    def positional(self) -> PositionalRows:
        """Every row positional: rows given by field name (a test's dicts) are put in their
        statement's field order, a field they lack being None."""
        return PositionalRows(
            tables=_positional(self.tables, TABLE_FIELDS),
            columns=_positional(self.columns, COLUMN_FIELDS),
            statistics=_positional(self.statistics, STATISTICS_FIELDS),
            foreign_keys=_positional(self.foreign_keys, FOREIGN_KEY_FIELDS),
            checks=_positional(self.checks, CHECK_FIELDS),
            objects=_positional(self.objects, OBJECT_FIELDS),
        )


@dataclass(frozen=True)
class PositionalRows:
    """:class:`CatalogRows` with every row positional (what the assembler reads)."""

    tables: Sequence[Row]
    columns: Sequence[Row]
    statistics: Sequence[Row]
    foreign_keys: Sequence[Row]
    checks: Sequence[Row]
    objects: Sequence[Row]


def fetch_catalog(
    conn: Connection, server: Server, schemas: Sequence[str], packed: bool | None = None
) -> CatalogRows:
    """Run the fixed set of catalog queries for ``schemas``: each packed into one JSON value
    where the server can (``packed=None``), else (or with ``packed=False``) row by row."""
    pack = server.packs_rows and packed is not False
    reader = _Reader(conn, server, list(schemas), pack)
    checks: Sequence[Row] = []
    if server.has_check_constraints:
        checks = reader.rows(MARIADB_CHECKS if server.is_mariadb else MYSQL_CHECKS)
    return CatalogRows(
        tables=reader.rows(TABLES),
        columns=reader.rows(COLUMNS),
        statistics=reader.rows(statistics(server)),
        foreign_keys=_foreign_keys(reader),
        checks=checks,
        objects=reader.rows(OBJECTS),
    )


def _foreign_keys(reader: _Reader) -> list[Row]:
    """One row per foreign-key column, with its constraint's update and delete rules."""
    rules = {
        (schema, table, name): (update_rule, delete_rule)
        for schema, table, name, update_rule, delete_rule in reader.rows(FOREIGN_KEY_RULES)
    }
    out: list[Row] = []
    for row in reader.rows(FOREIGN_KEY_COLUMNS):
        rule = rules.get((row[0], row[1], row[2]))
        if rule is not None:
            out.append((*row, *rule))
    return out


class _Reader:
    """Runs :class:`Query` objects on one connection, packed or plain.

    PyMySQL parses every value of every row in Python (about 0.15 s for the 13,500 rows of
    1,000 tables' columns, holding the GIL); one JSON value per statement is parsed by the
    ``json`` module in C instead and leaves the time to the server (where the models' snapshot,
    built in another thread, can overlap it). A packed result that does not hold the rows it
    counts (a server that ignored the length setting) is read again plain.
    """

    def __init__(self, conn: Connection, server: Server, schemas: list[str], pack: bool) -> None:
        self.conn, self.server, self.schemas, self.pack = conn, server, schemas, pack

    def rows(self, query: Query) -> Sequence[Row]:
        if self.pack:
            rows = self.packed_rows(query)
            if rows is not None:
                return rows
        return self.plain_rows(query)

    def packed_rows(self, query: Query) -> list[Row] | None:
        row: Sequence[Any] = self.execute(query.packed(self.server)).one()
        count, text = row[0], row[1]
        if not count:
            return []
        try:
            values = json.loads(_text(text)) if text is not None else None
        except ValueError:
            values = None
        if not isinstance(values, list) or len(values) != count:
            return None
        return [tuple(v) for v in values]

    def plain_rows(self, query: Query) -> Sequence[Row]:
        result = self.execute(query.plain())
        keys = tuple(k.lower() for k in result.keys())
        assert keys == query.fields, f"catalog statement returns {keys}, not {query.fields}"
        rows = result.all()  # the driver's fetchall: iterating fetches one row per call
        if _BINARY.isdisjoint(map(type, chain.from_iterable(rows))):
            return rows  # one pass over all values, instead of a check per row
        return [tuple(map(_text, row)) for row in rows]

    def execute(self, sql: str) -> sa.CursorResult[Any]:
        stmt = sa.text(sql).bindparams(sa.bindparam("schemas", expanding=True))
        return self.conn.execute(stmt, {"schemas": self.schemas})


_BINARY = frozenset({bytes, bytearray})


def _positional(rows: Sequence[AnyRow], fields: tuple[str, ...]) -> Sequence[Row]:
    if rows and isinstance(rows[0], Mapping):
        return [tuple(cast(Mapping[str, Any], row).get(f) for f in fields) for row in rows]
    return cast(Sequence[Row], rows)


def _text(value: Any) -> Any:
    """MySQL 8 returns some ``information_schema`` text columns as bytes."""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8")
    return value
