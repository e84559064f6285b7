"""Reflect a MySQL / MariaDB database with our own ``information_schema`` queries.

SQLAlchemy's MySQL inspector parses ``SHOW CREATE TABLE`` one table at a time; we run a fixed
handful of catalog queries per run (see :mod:`schemadiff.backends.mysql.queries`) and assemble
every table from their rows. The connection's ``DATABASE()`` is the default schema (its objects get
``schema=None``); other schemas are other databases. Dialect spellings are normalized by
:class:`~schemadiff.backends.mysql.rules.MysqlRules`, plus what only the catalog shows: MariaDB's
JSON
columns (``longtext`` with a ``json_valid()`` check), MySQL 8's unquoted literal defaults, the
``PRIMARY`` key name, unique indexes as unique constraints, and column collations that merely
repeat the table's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy.engine import Connection

from schemadiff.backends.mysql.fk_indexes import hide_implied_indexes
from schemadiff.backends.mysql.partitions import fetch_partitioning
from schemadiff.backends.mysql.queries import (
    CHECK_FIELDS,
    COLUMN_FIELDS,
    FOREIGN_KEY_FIELDS,
    STATISTICS_FIELDS,
    TABLE_FIELDS,
    CatalogRows,
    Row,
    Server,
    fetch_catalog,
    server_info,
)
from schemadiff.backends.mysql.routines import mysql_functions
from schemadiff.backends.mysql.rules import MysqlRules, is_plain_unique
from schemadiff.backends.mysql.script_types import charset_of
from schemadiff.backends.mysql.sequences import fetch_sequences, unqualified_calls
from schemadiff.backends.mysql.triggers import mysql_triggers
from schemadiff.backends.mysql.types import base_of
from schemadiff.backends.mysql.views import fetch_views
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.sqlexpr import literal_string
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    DbObject,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Snapshot,
    Table,
    UniqueConstraint,
    sort_tables,
)

Key = tuple[str, str]
_ON_UPDATE = re.compile(r"on update (.+)$", re.IGNORECASE)
NOT_COMPARED: tuple[str, ...] = (
    "MySQL table options (ENGINE, DEFAULT CHARSET/COLLATE, ROW_FORMAT)",
)


def reflect(conn: Connection, schemas: Sequence[str]) -> Snapshot:
    """Snapshot of ``DATABASE()`` plus the databases named in ``schemas``."""
    server = server_info(conn)
    if not server.database:
        raise ValueError("no database selected: put the database name in the URL")
    extra = sorted({s for s in schemas if s and s != server.database})
    rows = fetch_catalog(conn, server, [server.database, *extra])
    rules = rules_for("mysql")
    assert isinstance(rules, MysqlRules)
    tables = _Assembler(server, rules, rows).tables()
    views, view_notes = fetch_views(conn, [server.database, *extra], server.database)
    notes = NOT_COMPARED + view_notes
    partitioning = fetch_partitioning(conn, _partitioned(rows), server.database)
    read = {(p.schema, p.table) for p in partitioning}
    if not server.has_check_constraints:
        notes += (f"check constraints (not in this server's catalog: {server.version})",)
    return Snapshot(
        dialect=rules.name,
        default_schema=server.database,
        schemas=tuple(extra),
        tables=sort_tables(tables),
        not_compared=notes,
        server_version=server.version,
        sequences=fetch_sequences(conn, _sequence_names(rows), server.database),
        views=views,
        uncompared=tuple(
            o
            for o in _uncompared(rows, server.database)
            if o.kind != "sequence"
            and o.kind != "view"
            and not (o.kind == "partitioning" and (o.schema, o.name) in read)
        ),
        table_partitioning=partitioning,
        triggers=mysql_triggers(rows.positional().objects, server.database),
        functions=mysql_functions(
            rows.positional().objects, server.database, lambda t: rules.canonical_type(t).sql
        ),
    )


def _sequence_names(rows: CatalogRows) -> list[tuple[str, str]]:
    """(schema, name) of MariaDB's sequences, as the catalog's object rows list them."""
    return [
        (str(schema), str(name))
        for kind, schema, name, *_ in rows.positional().objects
        if kind == "sequence"
    ]


def _partitioned(rows: CatalogRows) -> list[tuple[str, str]]:
    """(schema, name) of the tables the catalog lists as partitioned."""
    return [
        (row[_T_SCHEMA], row[_T_NAME])
        for row in rows.positional().tables
        if "partitioned" in (row[_T_OPTIONS] or "").lower()
    ]


def _uncompared(rows: CatalogRows, database: str) -> tuple[DbObject, ...]:
    """Views, triggers, routines, events, sequences, and the partitioning of partitioned tables
    (a table option on MySQL/MariaDB), the default schema keyed None."""
    positional = rows.positional()
    found = {
        DbObject(str(kind), str(name), schema, table)
        for kind, schema, name, table, _ in positional.objects
        if kind not in ("trigger", "function", "procedure")  # compared (.triggers, .routines)
    }
    found |= {
        DbObject("partitioning", row[_T_NAME], row[_T_SCHEMA], row[_T_NAME])
        for row in positional.tables
        if "partitioned" in (row[_T_OPTIONS] or "").lower()
    }
    return tuple(
        sorted(
            (replace(o, schema=None) if o.schema == database else o for o in found),
            key=DbObject.sort_key,
        )
    )


class _Assembler:
    """Builds Tables from the catalog rows, grouped by (schema, table).

    A column is a pure function of its row (past the table's name), the table's collation and
    whether a MariaDB JSON check is absorbed: thousands of columns share a few dozen such rows,
    so each distinct one is converted once per run and the (immutable) Column shared; index
    elements likewise.
    """

    def __init__(self, server: Server, rules: MysqlRules, rows: CatalogRows) -> None:
        self.server = server
        self.rules = rules
        positional = rows.positional()
        self.table_rows = positional.tables
        self.columns = _group(positional.columns)
        self.statistics = _group(positional.statistics)
        self.foreign_keys = _group(positional.foreign_keys)
        self.checks = _group(positional.checks)
        self.known_columns: dict[tuple[Any, ...], Column] = {}
        self.known_elements: dict[Sequence[Any], IndexElement] = {}

    def schema(self, name: str | None) -> str | None:
        return None if name is None or name == self.server.database else name

    def tables(self) -> list[Table]:
        return [self.table(row) for row in self.table_rows]

    def table(self, row: Row) -> Table:
        key = (row[_T_SCHEMA], row[_T_NAME])
        checks = self.check_constraints(self.checks.get(key, ()))
        columns = []
        table_collation = row[_T_COLLATION]
        for col_row in self.columns.get(key, ()):
            column, json_check = self.column(col_row, table_collation, checks)
            columns.append(column)
            if json_check is not None:
                checks = [c for c in checks if c is not json_check]
        pk, uniques, indexes = self.indexes(self.statistics.get(key, ()))
        table = Table(
            name=row[_T_NAME],
            schema=self.schema(row[_T_SCHEMA]),
            columns=tuple(columns),
            primary_key=pk,
            unique_constraints=tuple(sorted(uniques, key=lambda u: (u.name or "", u.columns))),
            foreign_keys=tuple(self.foreign_key_list(self.foreign_keys.get(key, ()))),
            check_constraints=tuple(sorted(checks, key=lambda c: (c.name or "", c.sqltext))),
            indexes=tuple(sorted(indexes, key=lambda i: i.name)),
            comment=row[_T_COMMENT] or None,
        )
        return hide_implied_indexes(table)

    # --- columns ---------------------------------------------------------------------------

    def column(
        self, row: Row, table_collation: str | None, checks: list[CheckConstraint]
    ) -> tuple[Column, CheckConstraint | None]:
        """The column, and the MariaDB ``json_valid()`` check it absorbed (if any)."""
        key: tuple[Any, ...] = (row[_PAST_TABLE:], table_collation)
        column = self.known_columns.get(key)
        if column is not None:  # never a longtext column: those are keyed with the check below
            return column, None
        ctype = self.rules.canonical_type(row[_C_TYPE])
        json_check = None
        if ctype.sql == "longtext":
            json_check = _json_check(row[_C_NAME], ctype, checks, self.rules)
            key = (*key, json_check is not None)
            column = self.known_columns.get(key)
        if column is None:
            column = self.new_column(row, ctype, table_collation, json_check is not None)
            self.known_columns[key] = column
        return column, json_check

    def new_column(
        self, row: Row, ctype: ColumnType, table_collation: str | None, is_json: bool
    ) -> Column:
        collation = row[_C_COLLATION]
        if is_json:
            ctype, collation = ColumnType(sql="json"), None
        extra = (row[_C_EXTRA] or "").lower()
        computed = self.computed(row, extra)
        autoincrement = "auto_increment" in extra
        raw_default = None if computed or autoincrement else self.default_text(row, ctype)
        default = self.rules.typed_default(self.rules.canonical_default(raw_default), ctype.sql)
        raw_default = raw_default if default is not None else None
        return Column(
            name=row[_C_NAME],
            type=ctype,
            nullable=row[_C_NULLABLE] == "YES",
            server_default=default,
            comment=row[_C_COMMENT] or None,
            computed=computed,
            collation=collation if collation != table_collation else None,
            autoincrement=autoincrement,
            raw_default=raw_default,
            charset=charset_of(collation),
        )

    def computed(self, row: Row, extra: str) -> Computed | None:
        expression = row[_C_GENERATION]
        if not expression or not ("generated" in extra or extra in ("virtual", "persistent")):
            return None
        stored = "stored" in extra or "persistent" in extra
        text = self.unescape(expression)
        return Computed(self.rules.canonical_expression(text), stored or None, raw=text)

    def default_text(self, row: Row, ctype: ColumnType) -> str | None:
        """The default as SQL text, ``... ON UPDATE ...`` appended when EXTRA says so."""
        value = row[_C_DEFAULT]
        extra = row[_C_EXTRA] or ""
        if value is not None and not self.server.is_mariadb:
            value = self.mysql_default(value, extra, base_of(ctype.sql))
        elif value is not None:
            value = unqualified_calls(value, self.server.database)
        on_update = _ON_UPDATE.search(extra)
        if on_update:
            return f"{value or 'NULL'} ON UPDATE {on_update.group(1)}"
        return value

    def mysql_default(self, value: str, extra: str, base: str) -> str:
        """MySQL 8 shows literals unquoted; expressions carry DEFAULT_GENERATED in EXTRA."""
        if "DEFAULT_GENERATED" in extra.upper():
            return self.unescape(value)
        if base in ("datetime", "timestamp") and value.upper().startswith("CURRENT_TIMESTAMP"):
            return value  # before 8.0.13 CURRENT_TIMESTAMP had no DEFAULT_GENERATED flag
        if base == "bit" and value.startswith("b'"):
            return value
        return literal_string(value)

    def unescape(self, text: str) -> str:
        """MySQL 8 prints quotes inside generated/check/default expressions as ``\\'``."""
        return text if self.server.is_mariadb else text.replace("\\'", "'")

    # --- constraints and indexes -----------------------------------------------------------

    def check_constraints(self, rows: Sequence[Row]) -> list[CheckConstraint]:
        return [
            CheckConstraint(
                self.rules.canonical_expression(self.unescape(r[_K_CLAUSE])),
                r[_K_NAME],
                raw=r[_K_CLAUSE],
            )
            for r in rows
        ]

    def indexes(
        self, rows: Sequence[Row]
    ) -> tuple[PrimaryKey | None, list[UniqueConstraint], list[Index]]:
        by_name: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_name[r[_S_INDEX]].append(r)
        pk, uniques, indexes = None, [], []
        for name, index_rows in by_name.items():
            if name == "PRIMARY":
                pk = PrimaryKey(tuple(r[_S_COLUMN] for r in index_rows), None)
                continue
            index = self.index(name, index_rows)
            if is_plain_unique(index):
                uniques.append(UniqueConstraint(index.column_names, name))
            else:
                indexes.append(index)
        return pk, uniques, indexes

    def index(self, name: str, rows: list[Row]) -> Index:
        kind = (rows[0][_S_TYPE] or "").lower()
        return Index(
            name=name,
            elements=tuple(map(self.index_element, rows)),
            unique=not int(rows[0][_S_NON_UNIQUE]),
            using=kind if kind in ("fulltext", "spatial") else None,
        )

    def index_element(self, row: Row) -> IndexElement:
        """The element of a STATISTICS row (a pure function of the row past SEQ_IN_INDEX)."""
        key = row[_S_COLUMN:]
        element = self.known_elements.get(key)
        if element is None:
            element = self.known_elements[key] = self.new_index_element(row)
        return element

    def new_index_element(self, row: Row) -> IndexElement:
        descending = row[_S_COLLATION] == "D"
        expression = row[_S_EXPRESSION] if len(row) > _S_EXPRESSION else None
        if row[_S_COLUMN] is None and expression:
            text = self.unescape(expression)
            canonical = self.rules.canonical_index_expression(text)
            return IndexElement(canonical, True, descending, raw=text)
        length = row[_S_SUB_PART]
        return IndexElement(
            row[_S_COLUMN], descending=descending, length=int(length) if length else None
        )

    def foreign_key_list(self, rows: Sequence[Row]) -> list[ForeignKey]:
        by_name: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_name[r[_F_NAME]].append(r)
        fks = [self.foreign_key(name, fk_rows) for name, fk_rows in by_name.items()]
        return sorted(fks, key=lambda fk: (fk.name or "", fk.columns, fk.referred_table))

    def foreign_key(self, name: str, rows: list[Row]) -> ForeignKey:
        first = rows[0]
        return ForeignKey(
            columns=tuple(r[_F_COLUMN] for r in rows),
            referred_schema=self.schema(first[_F_REF_SCHEMA]),
            referred_table=first[_F_REF_TABLE],
            referred_columns=tuple(r[_F_REF_COLUMN] for r in rows),
            name=name,
            ondelete=self.rules.canonical_fk_action(first[_F_DELETE]),
            onupdate=self.rules.canonical_fk_action(first[_F_UPDATE]),
        )


def _json_check(
    column: str, ctype: ColumnType, checks: list[CheckConstraint], rules: MysqlRules
) -> CheckConstraint | None:
    """MariaDB's JSON is ``longtext`` plus ``CHECK (json_valid(col))`` named after the column."""
    if ctype.sql != "longtext":
        return None
    wanted = rules.canonical_expression(f"json_valid(`{column}`)")
    for check in checks:
        if check.name == column and check.sqltext == wanted:
            return check
    return None


def _group(rows: Sequence[Row]) -> dict[Key, list[Row]]:
    """Rows by (schema, table), in their order. The statements return each table's rows together
    (but under the catalog's case-insensitive collation ``T1`` and ``t1`` may interleave): one
    step per run of rows, not per row."""
    grouped: dict[Key, list[Row]] = {}
    for key, run in groupby(rows, _TABLE_KEY):
        grouped.setdefault(key, []).extend(run)
    return grouped


_TABLE_KEY = itemgetter(0, 1)


# positions in the rows (every statement starts with TABLE_SCHEMA, TABLE_NAME: _group's key)
_PAST_TABLE = 2
_T_SCHEMA = TABLE_FIELDS.index("table_schema")
_T_NAME = TABLE_FIELDS.index("table_name")
_T_COLLATION = TABLE_FIELDS.index("table_collation")
_T_COMMENT = TABLE_FIELDS.index("table_comment")
_T_OPTIONS = TABLE_FIELDS.index("create_options")
_C_NAME = COLUMN_FIELDS.index("column_name")
_C_DEFAULT = COLUMN_FIELDS.index("column_default")
_C_NULLABLE = COLUMN_FIELDS.index("is_nullable")
_C_TYPE = COLUMN_FIELDS.index("column_type")
_C_COLLATION = COLUMN_FIELDS.index("collation_name")
_C_EXTRA = COLUMN_FIELDS.index("extra")
_C_COMMENT = COLUMN_FIELDS.index("column_comment")
_C_GENERATION = COLUMN_FIELDS.index("generation_expression")
_S_INDEX = STATISTICS_FIELDS.index("index_name")
_S_NON_UNIQUE = STATISTICS_FIELDS.index("non_unique")
_S_COLUMN = STATISTICS_FIELDS.index("column_name")  # the element's fields: this one and after
_S_COLLATION = STATISTICS_FIELDS.index("collation")
_S_SUB_PART = STATISTICS_FIELDS.index("sub_part")
_S_TYPE = STATISTICS_FIELDS.index("index_type")
_S_EXPRESSION = STATISTICS_FIELDS.index("expression")  # the last one, absent on some servers
_F_NAME = FOREIGN_KEY_FIELDS.index("constraint_name")
_F_COLUMN = FOREIGN_KEY_FIELDS.index("column_name")
_F_REF_SCHEMA = FOREIGN_KEY_FIELDS.index("referenced_table_schema")
_F_REF_TABLE = FOREIGN_KEY_FIELDS.index("referenced_table_name")
_F_REF_COLUMN = FOREIGN_KEY_FIELDS.index("referenced_column_name")
_F_UPDATE = FOREIGN_KEY_FIELDS.index("update_rule")
_F_DELETE = FOREIGN_KEY_FIELDS.index("delete_rule")
_K_NAME = CHECK_FIELDS.index("constraint_name")
_K_CLAUSE = CHECK_FIELDS.index("check_clause")
