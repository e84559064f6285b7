"""Reflect a MySQL / MariaDB database with our own ``information_schema`` queries.

SQLAlchemy's MySQL inspector parses ``SHOW CREATE TABLE`` one table at a time; we run a fixed
handful of catalog queries per run (see :mod:`schemadiff.sources.mysql_queries`) and assemble
every table from their rows. The connection's ``DATABASE()`` is the default schema (its objects get
``schema=None``); other schemas are other databases. Dialect spellings are normalized by
:class:`~schemadiff.dialects.mysql.MysqlRules`, plus what only the catalog shows: MariaDB's JSON
columns (``longtext`` with a ``json_valid()`` check), MySQL 8's unquoted literal defaults, the
``PRIMARY`` key name, unique indexes as unique constraints, and column collations that merely
repeat the table's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.engine import Connection

from schemadiff.dialects import rules_for
from schemadiff.dialects.mysql import MysqlRules, is_plain_unique, typed_default
from schemadiff.dialects.mysql_fk_indexes import hide_implied_indexes
from schemadiff.dialects.mysql_types import base_of
from schemadiff.snapshot import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Snapshot,
    Table,
    UniqueConstraint,
    sort_tables,
)
from schemadiff.sources.mysql_queries import CatalogRows, Row, Server, fetch_catalog, server_info
from schemadiff.sqlexpr import literal_string

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
    notes = NOT_COMPARED
    if not server.has_check_constraints:
        notes += (f"check constraints (not in this server's catalog: {server.version})",)
    return Snapshot(
        dialect=rules.name,
        default_schema=server.database,
        schemas=tuple(extra),
        tables=sort_tables(tables),
        not_compared=notes,
        server_version=server.version,
    )


class _Assembler:
    """Builds Tables from the catalog rows, grouped by (schema, table)."""

    def __init__(self, server: Server, rules: MysqlRules, rows: CatalogRows) -> None:
        self.server = server
        self.rules = rules
        self.rows = rows
        self.columns = _group(rows.columns)
        self.statistics = _group(rows.statistics)
        self.foreign_keys = _group(rows.foreign_keys)
        self.checks = _group(rows.checks)

    def schema(self, name: str | None) -> str | None:
        return None if name is None or name == self.server.database else name

    def tables(self) -> list[Table]:
        return [self.table(row) for row in self.rows.tables]

    def table(self, row: Row) -> Table:
        key = (row["table_schema"], row["table_name"])
        checks = self.check_constraints(self.checks.get(key, []))
        columns = []
        for col_row in self.columns.get(key, []):
            column, json_check = self.column(col_row, row["table_collation"], checks)
            columns.append(column)
            checks = [c for c in checks if c is not json_check]
        pk, uniques, indexes = self.indexes(self.statistics.get(key, []))
        table = Table(
            name=row["table_name"],
            schema=self.schema(row["table_schema"]),
            columns=tuple(columns),
            primary_key=pk,
            unique_constraints=tuple(sorted(uniques, key=lambda u: (u.name or "", u.columns))),
            foreign_keys=tuple(self.foreign_key_list(self.foreign_keys.get(key, []))),
            check_constraints=tuple(sorted(checks, key=lambda c: (c.name or "", c.sqltext))),
            indexes=tuple(sorted(indexes, key=lambda i: i.name)),
            comment=row["table_comment"] or None,
        )
        return hide_implied_indexes(table)

    # --- columns ---------------------------------------------------------------------------

    def column(
        self, row: Row, table_collation: str | None, checks: list[CheckConstraint]
    ) -> tuple[Column, CheckConstraint | None]:
        """The column, and the MariaDB ``json_valid()`` check it absorbed (if any)."""
        name = row["column_name"]
        ctype = self.rules.canonical_type(row["column_type"])
        collation = row["collation_name"]
        json_check = _json_check(name, ctype, checks, self.rules)
        if json_check is not None:
            ctype, collation = ColumnType(sql="json"), None
        extra = (row["extra"] or "").lower()
        computed = self.computed(row, extra)
        autoincrement = "auto_increment" in extra
        raw_default = None if computed or autoincrement else self.default_text(row, ctype)
        default = typed_default(self.rules.canonical_default(raw_default), ctype.sql)
        raw_default = raw_default if default is not None else None
        return (
            Column(
                name=name,
                type=ctype,
                nullable=row["is_nullable"] == "YES",
                server_default=default,
                comment=row["column_comment"] or None,
                computed=computed,
                collation=collation if collation != table_collation else None,
                autoincrement=autoincrement,
                raw_default=raw_default,
            ),
            json_check,
        )

    def computed(self, row: Row, extra: str) -> Computed | None:
        expression = row["generation_expression"]
        if not expression or not ("generated" in extra or extra in ("virtual", "persistent")):
            return None
        stored = "stored" in extra or "persistent" in extra
        text = self.unescape(expression)
        return Computed(self.rules.canonical_expression(text), stored or None, raw=text)

    def default_text(self, row: Row, ctype: ColumnType) -> str | None:
        """The default as SQL text, ``... ON UPDATE ...`` appended when EXTRA says so."""
        value = row["column_default"]
        extra = row["extra"] or ""
        if value is not None and not self.server.is_mariadb:
            value = self.mysql_default(value, extra, base_of(ctype.sql))
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

    def check_constraints(self, rows: list[Row]) -> list[CheckConstraint]:
        return [
            CheckConstraint(
                self.rules.canonical_expression(self.unescape(r["check_clause"])),
                r["constraint_name"],
                raw=r["check_clause"],
            )
            for r in rows
        ]

    def indexes(
        self, rows: list[Row]
    ) -> tuple[PrimaryKey | None, list[UniqueConstraint], list[Index]]:
        by_name: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_name[r["index_name"]].append(r)
        pk, uniques, indexes = None, [], []
        for name, index_rows in by_name.items():
            if name == "PRIMARY":
                pk = PrimaryKey(tuple(r["column_name"] for r in index_rows), None)
                continue
            index = self.index(name, index_rows)
            if is_plain_unique(index):
                uniques.append(UniqueConstraint(index.column_names, name))
            else:
                indexes.append(index)
        return pk, uniques, indexes

    def index(self, name: str, rows: list[Row]) -> Index:
        kind = (rows[0]["index_type"] or "").lower()
        return Index(
            name=name,
            elements=tuple(self.index_element(r) for r in rows),
            unique=not int(rows[0]["non_unique"]),
            using=kind if kind in ("fulltext", "spatial") else None,
        )

    def index_element(self, row: Row) -> IndexElement:
        descending = row["collation"] == "D"
        expression = row.get("expression")
        if row["column_name"] is None and expression:
            text = self.unescape(expression)
            canonical = self.rules.canonical_expression(text)
            return IndexElement(canonical, True, descending, raw=text)
        length = row["sub_part"]
        return IndexElement(
            row["column_name"], descending=descending, length=int(length) if length else None
        )

    def foreign_key_list(self, rows: list[Row]) -> list[ForeignKey]:
        by_name: dict[str, list[Row]] = defaultdict(list)
        for r in rows:
            by_name[r["constraint_name"]].append(r)
        fks = [self.foreign_key(name, fk_rows) for name, fk_rows in by_name.items()]
        return sorted(fks, key=lambda fk: (fk.name or "", fk.columns, fk.referred_table))

    def foreign_key(self, name: str, rows: list[Row]) -> ForeignKey:
        first = rows[0]
        return ForeignKey(
            columns=tuple(r["column_name"] for r in rows),
            referred_schema=self.schema(first["referenced_table_schema"]),
            referred_table=first["referenced_table_name"],
            referred_columns=tuple(r["referenced_column_name"] for r in rows),
            name=name,
            ondelete=self.rules.canonical_fk_action(first["delete_rule"]),
            onupdate=self.rules.canonical_fk_action(first["update_rule"]),
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


def _group(rows: list[Row]) -> dict[Key, list[Row]]:
    grouped: dict[Key, list[Row]] = defaultdict(list)
    for row in rows:
        grouped[(row["table_schema"], row["table_name"])].append(row)
    return grouped
