"""The SQLite CREATE-statement reader and the SQLite rules, on statements SQLite accepts."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.backends.sqlite.catalog import read_catalog
from schemadiff.backends.sqlite.ddl import (
    DDLError,
    ForeignKeyDDL,
    parse_create_index,
    parse_create_table,
)
from schemadiff.backends.sqlite.rules import SqliteRules
from schemadiff.backends.sqlite.tables import TableReader

TRICKY = """CREATE TABLE "we ird" (
  [a b] TEXT UNIQUE ON CONFLICT IGNORE,
  `c` INT CONSTRAINT pk_c PRIMARY KEY DESC ON CONFLICT REPLACE,  -- a comment, with ( and )
  d "my type" CONSTRAINT d_pos CHECK (d > 0) DEFAULT -1 NOT NULL COLLATE RTRIM,
  e INTEGER GENERATED ALWAYS AS (c * 2) STORED,
  f TEXT AS (upper("a b")) VIRTUAL,
  g DECIMAL(10, 2) DEFAULT (round(1.5, 1)) REFERENCES other MATCH FULL NOT DEFERRABLE,
  CONSTRAINT "odd, name" CHECK (coalesce(d, ',') <> ')' /* ) */),
  UNIQUE (d COLLATE NOCASE, e DESC),
  CONSTRAINT fk_pair FOREIGN KEY (c, d) REFERENCES other (x, y)
    ON DELETE SET NULL ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID"""


def test_tricky_create_table_is_accepted_by_sqlite_and_read() -> None:
    sqlite3.connect(":memory:").execute(TRICKY)  # the statement is real SQLite
    ddl = parse_create_table(TRICKY)
    assert ddl.pk_name == "pk_c"
    assert ddl.uniques == ((None, ("a b",)), (None, ("d", "e")))
    assert ddl.checks == (("d_pos", "d > 0"), ("odd, name", "coalesce(d, ',') <> ')'"))
    assert ddl.generated == (("e", "c * 2", True), ("f", 'upper("a b")', False))
    assert ddl.collations == (("d", "RTRIM"),)
    assert ddl.foreign_keys == (
        ForeignKeyDDL(("g",), "other", (), None, deferrable=False),
        ForeignKeyDDL(("c", "d"), "other", ("x", "y"), "fk_pair", True, "DEFERRED"),
    )
    assert ddl.without_rowid


def test_create_index_elements_and_predicate() -> None:
    ddl = parse_create_index(
        'CREATE UNIQUE INDEX IF NOT EXISTS "ix" ON "t" (lower(a) DESC, "b", c COLLATE NOCASE ASC)'
        " WHERE a IN ('x,y', ')') AND b > 0"
    )
    assert ddl.elements == (("lower(a)", None), ('"b"', "b"), ("c COLLATE NOCASE", None))
    assert ddl.where == "a IN ('x,y', ')') AND b > 0"


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE t (a INT NOT FROB)",
        "CREATE TABLE t (a INT DEFAULT 1 FROB)",
        "CREATE TABLE t (a INT CHECK (a > 0)",
        "CREATE TABLE t (a INT, CHECK (a > 0) trailing)",
    ],
)
def test_statements_outside_the_grammar_raise(sql: str) -> None:
    with pytest.raises(DDLError):
        parse_create_table(sql)


def test_unreadable_create_table_still_reflects_columns_with_a_note(tmp_path: Path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/t.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT CHECK (x <> ''))")
        catalog = read_catalog(conn)
    engine.dispose()
    reader = TableReader(SqliteRules(), "t", "CREATE TABLE t (id INT NOT FROB)", catalog)
    table = reader.table()
    assert [c.name for c in table.columns] == ["id", "x"]
    assert table.check_constraints == ()
    assert len(reader.notes) == 1 and "cannot read its CREATE TABLE" in reader.notes[0]


def test_rules_canonical_types_and_defaults() -> None:
    rules = SqliteRules()
    assert rules.canonical_type('VARCHAR(40) COLLATE "NOCASE"').sql == "varchar(40)"
    assert rules.canonical_type("INTEGER GENERATED ALWAYS").sql == "integer"
    assert rules.canonical_type("NUMERIC(10, 2)").sql == "numeric(10,2)"
    assert rules.canonical_default("TRUE") == "1"
    assert rules.canonical_default("false") == "0"
    assert rules.canonical_default("(1)") == "1"
    assert rules.canonical_default("NULL") is None
