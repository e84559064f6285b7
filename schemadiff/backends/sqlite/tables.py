"""Build one snapshot Table from SQLite's PRAGMA rows plus its parsed CREATE statements.

The PRAGMAs are authoritative for structure (columns, key columns, foreign-key targets and
actions, index columns and sort order); the CREATE text adds what only it holds. Where the text
cannot be read the table is still built, and a "not compared" note says what is missing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.dialects.sqlite.base import SQLiteDialect

from schemadiff.backends.base import python_type_hint
from schemadiff.backends.sqlite.ddl import (
    DDLError,
    ForeignKeyDDL,
    TableDDL,
    parse_create_index,
    parse_create_table,
    tokenize,
)
from schemadiff.backends.sqlite.rules import AUTOINCREMENT, SqliteRules
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    ColumnType,
    Computed,
    ForeignKey,
    Index,
    IndexElement,
    PrimaryKey,
    Table,
    UniqueConstraint,
)

if TYPE_CHECKING:
    from schemadiff.backends.sqlite.catalog import Catalog

Row = Sequence[Any]
_GENERATED = (2, 3)  # pragma_table_xinfo.hidden: 2 = VIRTUAL, 3 = STORED generated column


class TableReader:
    """Reads one table; ``notes`` collects what could not be compared."""

    def __init__(self, rules: SqliteRules, name: str, sql: str, catalog: Catalog) -> None:
        self.rules, self.name, self.catalog = rules, name, catalog
        self.notes: list[str] = []
        try:
            self.ddl = parse_create_table(sql)
        except DDLError as exc:
            self.ddl = TableDDL()
            self.notes.append(
                f"check constraints, constraint names, collations and generated "
                f"expressions of table {name} (cannot read its CREATE TABLE: {exc})"
            )
        # by lower-cased column name, built once per table (not once per column)
        self.generated = {c.lower(): (e, s) for c, e, s in self.ddl.generated}
        self.collations = {c.lower(): coll for c, coll in self.ddl.collations}

    def table(self) -> Table:
        rows = [r for r in self.catalog.columns[self.name] if r[6] != 1]  # 1: hidden vtab column
        pk_rows = sorted((r for r in rows if r[5]), key=lambda r: r[5])
        pk = PrimaryKey(tuple(r[1] for r in pk_rows), self.ddl.pk_name) if pk_rows else None
        declared = {r[1]: r[2] for r in rows}
        alias = None
        if len(pk_rows) == 1 and not self.ddl.without_rowid:
            if declared[pk_rows[0][1]].strip().upper() == "INTEGER":
                alias = pk_rows[0][1]
        columns = tuple(self.column(r, r[1] == alias) for r in rows)
        uniques, indexes = self.indexes()
        table = Table(
            name=self.name,
            columns=columns,
            primary_key=pk,
            unique_constraints=tuple(sorted(uniques, key=lambda u: (u.name or "", u.columns))),
            foreign_keys=tuple(sorted(self.foreign_keys(), key=_fk_order)),
            check_constraints=tuple(sorted(self.checks(), key=lambda c: (c.name or "", c.sqltext))),
            indexes=tuple(sorted(indexes, key=lambda i: i.name)),
            options=AUTOINCREMENT if self.ddl.autoincrement else (),
        )
        return table

    def column(self, row: Row, is_rowid_alias: bool) -> Column:
        _cid, name, declared, notnull, default, _pk, hidden = row
        collation = self.collations.get(name.lower())
        if hidden not in _GENERATED:
            return _column(self.rules, name, declared, notnull, default, is_rowid_alias, collation)
        computed = None
        found = self.generated.get(name.lower())
        if found is None:
            self.notes.append(
                f"generated expression of {self.name}.{name} (not found in its CREATE TABLE)"
            )
        else:
            expr, stored = found
            canonical = self.rules.canonical_expression(expr)
            computed = Computed(canonical, True if stored or hidden == 3 else None, expr)
        return replace(
            _column(self.rules, name, declared, notnull, default, is_rowid_alias, collation),
            computed=computed,
        )

    def checks(self) -> list[CheckConstraint]:
        return [
            CheckConstraint(self.rules.canonical_expression(text), name, text)
            for name, text in self.ddl.checks
        ]

    def foreign_keys(self) -> list[ForeignKey]:
        groups: dict[int, list[Row]] = defaultdict(list)
        for row in self.catalog.foreign_keys[self.name]:
            groups[row[0]].append(row)
        declared: dict[tuple[tuple[str, ...], str], list[ForeignKeyDDL]] = defaultdict(list)
        for fk in self.ddl.foreign_keys:
            declared[_fk_key(fk.columns, fk.referred_table)].append(fk)
        result = []
        for _id, rows in sorted(groups.items()):
            rows = sorted(rows, key=lambda r: r[1])
            referred = self.real_table_name(rows[0][2])
            columns = tuple(r[3] for r in rows)
            referred_columns = tuple(r[4] for r in rows)
            if any(c is None for c in referred_columns):  # ``REFERENCES parent`` -> its key
                referred_columns = self.primary_key_of(referred)
            matches = declared.get(_fk_key(columns, referred))
            ddl = matches.pop(0) if matches else ForeignKeyDDL(columns, referred, ())
            result.append(
                ForeignKey(
                    columns=columns,
                    referred_schema=None,
                    referred_table=referred,
                    referred_columns=referred_columns,
                    name=ddl.name,
                    ondelete=self.rules.canonical_fk_action(rows[0][6]),
                    onupdate=self.rules.canonical_fk_action(rows[0][5]),
                    deferrable=True if ddl.deferrable else None,
                    initially=ddl.initially,
                )
            )
        return result

    def real_table_name(self, name: str) -> str:
        """The referred table as SQLite stores it (identifiers are case-insensitive)."""
        return self.catalog.table_named(name) or name

    def primary_key_of(self, table: str) -> tuple[str, ...]:
        rows = sorted((r for r in self.catalog.columns.get(table, ()) if r[5]), key=lambda r: r[5])
        return tuple(r[1] for r in rows)

    def indexes(self) -> tuple[list[UniqueConstraint], list[Index]]:
        """UNIQUE constraints (automatic ``u`` indexes) and explicit indexes (``c``); the
        automatic index of a PRIMARY KEY (``pk``) belongs to the key and is skipped."""
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in self.catalog.indexes[self.name]:
            grouped[row[0]].append(row)
        names = {_cols_key(cols): name for name, cols in self.ddl.uniques}
        uniques: list[UniqueConstraint] = []
        indexes: list[Index] = []
        for index_name, rows in grouped.items():
            _name, unique, origin = rows[0][:3]
            if origin == "u":
                columns = tuple(r[5] for r in rows)
                uniques.append(UniqueConstraint(columns, names.get(_cols_key(columns))))
            elif origin == "c":
                index = self.index(index_name, bool(unique), rows)
                if index is not None:
                    indexes.append(index)
        return uniques, indexes

    def index(self, name: str, unique: bool, rows: list[Row]) -> Index | None:
        sql = self.catalog.index_sql.get(name)
        try:
            if sql is None:
                raise DDLError("no CREATE INDEX statement stored")
            ddl = parse_create_index(sql)
            if len(ddl.elements) != len(rows):
                raise DDLError("element count differs from PRAGMA index_xinfo")
        except DDLError as exc:
            self.notes.append(f"index {name} on {self.name} (cannot read its CREATE INDEX: {exc})")
            return None
        elements = []
        for (text, column), row in zip(ddl.elements, rows, strict=True):
            cid, column_name, descending = row[4], row[5], bool(row[6])
            if column is not None and cid >= 0:
                elements.append(IndexElement(column_name, False, descending))
            else:
                canonical = self.rules.canonical_index_expression(text)
                elements.append(IndexElement(canonical, True, descending, raw=text))
        where = self.rules.canonical_expression(ddl.where) if ddl.where else None
        return Index(name, tuple(elements), unique, where=where, raw_where=ddl.where)


@lru_cache(maxsize=4096)
def _column(
    rules: SqliteRules,
    name: str,
    declared: str | None,
    notnull: int,
    default: str | None,
    is_rowid_alias: bool,
    collation: str | None,
) -> Column:
    """A column without a generated expression: a pure function of its PRAGMA row, so the
    columns that recur from table to table (``id``, ``name``, ``created_at``...) are built once
    (snapshot values are frozen, so sharing one is safe)."""
    ctype = column_type(rules, declared or "")
    return Column(
        name=name,
        type=ctype,
        nullable=not notnull and not is_rowid_alias,
        server_default=rules.typed_default(rules.canonical_default(default), ctype.sql),
        collation=rules.canonical_collation(collation),
        autoincrement=is_rowid_alias,
        raw_default=_raw_default(default),
    )


@lru_cache(maxsize=1024)
def column_type(rules: SqliteRules, declared: str) -> ColumnType:
    """Canonical type from the declared text, with a Python hint when SQLAlchemy's reading of
    that text compiles back to the same type (an unusual declaration gets no hint)."""
    ctype = rules.canonical_type(declared)
    dialect = _dialect()
    sa_type = dialect._resolve_type_affinity(declared)  # noqa: SLF001 - SQLAlchemy's own reader
    try:
        compiled = dialect.type_compiler_instance.process(sa_type)
    except Exception:  # noqa: BLE001 - NullType and friends do not compile
        return ctype
    if rules.canonical_type(compiled).sql != ctype.sql:
        return ctype
    python, imports = python_type_hint(sa_type)
    return ColumnType(ctype.sql, python, imports, ctype.known, ctype.storage)


@lru_cache(maxsize=4096)
def _raw_default(text: str | None) -> str | None:
    """The default as DDL needs it: SQLite reports ``DEFAULT (lower('x'))`` as ``lower('x')``,
    and anything but a literal or keyword must be parenthesized again to be written back."""
    if text is None:
        return None
    try:
        toks = [t for t in tokenize(text) if t.text not in ("+", "-")]
    except DDLError:
        toks = []
    if len(toks) == 1 and toks[0].kind in ("string", "word", "other"):
        return text
    return f"({text})"


@lru_cache(maxsize=1)
def _dialect() -> SQLiteDialect:
    return SQLiteDialect()


def _fk_order(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    """The order metadata.py uses, so both sides list foreign keys alike."""
    return (fk.name or "", fk.columns, fk.referred_table)


def _fk_key(columns: tuple[str, ...], table: str) -> tuple[tuple[str, ...], str]:
    return tuple(c.lower() for c in columns), table.lower()


def _cols_key(columns: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.lower() for c in columns)
