"""The catalog queries behind MySQL/MariaDB reflection: one statement per object kind, covering
every requested schema at once (``TABLE_SCHEMA IN (...)``), so the count never grows with the
number of tables. Each returns positional rows (tuple-like, in the order its ``*_FIELDS`` names;
the labels are checked against it once per statement: MySQL 8 upper-cases column labels of
``information_schema`` views, aliases fix that), text values decoded. Rows stay the driver's own:
a dict per row cost as much as assembling the tables from them.
"""

from __future__ import annotations

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
    def has_index_expressions(self) -> bool:
        """``STATISTICS.EXPRESSION`` (functional indexes) exists: MySQL 8.0.13+ only."""
        return not self.is_mariadb and self.version_info >= (8, 0, 13)


def server_info(conn: Connection) -> Server:
    version, database = conn.execute(sa.text("SELECT VERSION(), DATABASE()")).one()
    version = _text(version)
    numbers = tuple(int(n) for n in re.findall(r"\d+", version.split("-")[0])[:3])
    return Server(version, _text(database), "mariadb" in version.lower(), numbers)


TABLE_FIELDS = ("table_schema", "table_name", "table_collation", "table_comment")
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

TABLES = """
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       TABLE_COLLATION AS table_collation, TABLE_COMMENT AS table_comment
FROM information_schema.TABLES
WHERE TABLE_SCHEMA IN :schemas AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
"""

COLUMNS = """
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name,
       COLUMN_DEFAULT AS column_default, IS_NULLABLE AS is_nullable, COLUMN_TYPE AS column_type,
       COLLATION_NAME AS collation_name, EXTRA AS extra, COLUMN_COMMENT AS column_comment,
       GENERATION_EXPRESSION AS generation_expression
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA IN :schemas
ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION
"""

STATISTICS = """
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name,
       NON_UNIQUE AS non_unique, SEQ_IN_INDEX AS seq_in_index, COLUMN_NAME AS column_name,
       COLLATION AS collation, SUB_PART AS sub_part, INDEX_TYPE AS index_type{expression}
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA IN :schemas
ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""

#: Foreign keys are read in two statements joined here: joining ``KEY_COLUMN_USAGE`` with
#: ``REFERENTIAL_CONSTRAINTS`` (and ``TABLE_CONSTRAINTS``) inside ``information_schema`` makes
#: MariaDB materialize and scan them per row (0.45 s at 1,000 tables, against 0.03 s apart).
FOREIGN_KEY_COLUMNS = """
SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       CONSTRAINT_NAME AS constraint_name, COLUMN_NAME AS column_name,
       REFERENCED_TABLE_SCHEMA AS referenced_table_schema,
       REFERENCED_TABLE_NAME AS referenced_table_name,
       REFERENCED_COLUMN_NAME AS referenced_column_name
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA IN :schemas AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
"""

FOREIGN_KEY_RULES = """
SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       CONSTRAINT_NAME AS constraint_name, UPDATE_RULE AS update_rule, DELETE_RULE AS delete_rule
FROM information_schema.REFERENTIAL_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN :schemas
"""

#: MariaDB names the table in CHECK_CONSTRAINTS (check names are unique per table only)
MARIADB_CHECKS = """
SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name,
       CONSTRAINT_NAME AS constraint_name, CHECK_CLAUSE AS check_clause
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA IN :schemas
ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME
"""

#: MySQL 8 does not: the table comes from TABLE_CONSTRAINTS (check names are unique per schema)
MYSQL_CHECKS = """
SELECT t.TABLE_SCHEMA AS table_schema, t.TABLE_NAME AS table_name,
       c.CONSTRAINT_NAME AS constraint_name, c.CHECK_CLAUSE AS check_clause
FROM information_schema.CHECK_CONSTRAINTS c
JOIN information_schema.TABLE_CONSTRAINTS t
  ON t.CONSTRAINT_SCHEMA = c.CONSTRAINT_SCHEMA AND t.CONSTRAINT_NAME = c.CONSTRAINT_NAME
 AND t.CONSTRAINT_TYPE = 'CHECK'
WHERE c.CONSTRAINT_SCHEMA IN :schemas
ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.CONSTRAINT_NAME
"""


@dataclass(frozen=True)
class CatalogRows:
    """The rows of each statement; see :meth:`positional` for rows written by hand."""

    tables: Sequence[AnyRow]
    columns: Sequence[AnyRow]
    statistics: Sequence[AnyRow]
    foreign_keys: Sequence[AnyRow]
    checks: Sequence[AnyRow]

    def positional(self) -> PositionalRows:
        """Every row positional: rows given by field name (a test's dicts) are put in their
        statement's field order, a field they lack being None."""
        return PositionalRows(
            tables=_positional(self.tables, TABLE_FIELDS),
            columns=_positional(self.columns, COLUMN_FIELDS),
            statistics=_positional(self.statistics, STATISTICS_FIELDS),
            foreign_keys=_positional(self.foreign_keys, FOREIGN_KEY_FIELDS),
            checks=_positional(self.checks, CHECK_FIELDS),
        )


@dataclass(frozen=True)
class PositionalRows:
    """:class:`CatalogRows` with every row positional (what the assembler reads)."""

    tables: Sequence[Row]
    columns: Sequence[Row]
    statistics: Sequence[Row]
    foreign_keys: Sequence[Row]
    checks: Sequence[Row]


def fetch_catalog(conn: Connection, server: Server, schemas: Sequence[str]) -> CatalogRows:
    """Run the fixed set of catalog queries for ``schemas``."""
    expression = ", EXPRESSION AS expression" if server.has_index_expressions else ""
    checks: Sequence[Row] = []
    if server.has_check_constraints:
        sql = MARIADB_CHECKS if server.is_mariadb else MYSQL_CHECKS
        checks = _rows(conn, sql, schemas, CHECK_FIELDS)
    return CatalogRows(
        tables=_rows(conn, TABLES, schemas, TABLE_FIELDS),
        columns=_rows(conn, COLUMNS, schemas, COLUMN_FIELDS),
        statistics=_rows(
            conn, STATISTICS.format(expression=expression), schemas, STATISTICS_FIELDS
        ),
        foreign_keys=_foreign_keys(conn, schemas),
        checks=checks,
    )


def _foreign_keys(conn: Connection, schemas: Sequence[str]) -> list[Row]:
    """One row per foreign-key column, with its constraint's update and delete rules."""
    rules = {
        (schema, table, name): (update_rule, delete_rule)
        for schema, table, name, update_rule, delete_rule in _rows(
            conn, FOREIGN_KEY_RULES, schemas, _FOREIGN_KEY_RULE_FIELDS
        )
    }
    out: list[Row] = []
    for row in _rows(conn, FOREIGN_KEY_COLUMNS, schemas, FOREIGN_KEY_FIELDS):
        rule = rules.get((row[0], row[1], row[2]))
        if rule is not None:
            out.append((*row, *rule))
    return out


def _rows(
    conn: Connection, sql: str, schemas: Sequence[str], fields: tuple[str, ...]
) -> Sequence[Row]:
    stmt = sa.text(sql).bindparams(sa.bindparam("schemas", expanding=True))
    result = conn.execute(stmt, {"schemas": list(schemas)})
    keys = tuple(k.lower() for k in result.keys())
    assert keys == fields[: len(keys)], f"catalog statement returns {keys}, not {fields}"
    rows = result.all()  # the driver's fetchall: iterating fetches one row per call
    if _BINARY.isdisjoint(map(type, chain.from_iterable(rows))):
        return rows  # one pass over all values, instead of a check per row
    return [tuple(map(_text, row)) for row in rows]


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
