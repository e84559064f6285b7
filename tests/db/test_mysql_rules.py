"""MySQL/MariaDB normalization rules without a server: type, default and expression spellings, and
the MySQL 8 catalog spellings (unquoted literals, DEFAULT_GENERATED, ``\\'`` escapes, CHECK rows
joined from TABLE_CONSTRAINTS) that the local MariaDB cannot produce."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from schemadiff.backends.mysql.queries import CatalogRows, Server
from schemadiff.backends.mysql.reflect import _Assembler
from schemadiff.backends.mysql.rules import MysqlRules
from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import Computed, ForeignKey, Index, IndexElement, PrimaryKey, Table
from schemadiff.sources.metadata import inspect_metadata

RULES = rules_for("mysql")
MYSQL8 = Server("8.0.36", "app", False, (8, 0, 36))
MARIADB = Server("10.11.6-MariaDB", "app", True, (10, 11, 6))


def test_registered_for_both_names() -> None:
    assert isinstance(RULES, MysqlRules)
    assert rules_for("mariadb") is not None and isinstance(rules_for("mariadb"), MysqlRules)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("int(11)", "integer"), ("INTEGER", "integer"), ("int", "integer"),
        ("tinyint(1)", "boolean"), ("BOOL", "boolean"), ("tinyint(4)", "tinyint"),
        ("tinyint(1) unsigned", "tinyint unsigned"),
        ("int(10) unsigned zerofill", "integer unsigned zerofill"),
        ("INTEGER(8) ZEROFILL", "integer unsigned zerofill"),
        ("bigint(20) unsigned", "bigint unsigned"), ("BIGINT UNSIGNED", "bigint unsigned"),
        ("NUMERIC", "numeric(10,0)"), ("decimal(10,2)", "numeric(10,2)"),
        ("NUMERIC(10, 2)", "numeric(10,2)"), ("decimal(5)", "numeric(5,0)"),
        ("FLOAT", "float"), ("FLOAT(24)", "float"), ("FLOAT(53)", "double"),
        ("REAL", "double"), ("DOUBLE PRECISION", "double"), ("double(10,2)", "double(10,2)"),
        ("VARCHAR(50)", "varchar(50)"), ("VARCHAR(10) COLLATE utf8mb4_bin", "varchar(10)"),
        ("VARCHAR(10) CHARACTER SET latin1", "varchar(10)"),
        ("NATIONAL VARCHAR(10)", "varchar(10)"), ("CHAR", "char(1)"), ("char(3)", "char(3)"),
        ("TEXT", "text"), ("TEXT(50)", "tinytext"), ("TEXT(1000)", "text"),
        ("TEXT(100000)", "mediumtext"), ("LONGTEXT COLLATE utf8mb4_bin", "longtext"),
        ("BLOB", "blob"), ("BLOB(100)", "tinyblob"), ("longblob", "longblob"),
        ("DATETIME", "datetime"), ("datetime(6)", "datetime(6)"), ("DATETIME(0)", "datetime"),
        ("TIMESTAMP", "timestamp"), ("time(3)", "time(3)"), ("year(4)", "year"),
        ("JSON", "json"), ("BIT", "bit(1)"), ("bit(8)", "bit(8)"), ("UUID", "uuid"),
        ("ENUM('a','b''c')", "enum('a','b''c')"), ("enum('a','b\\'c','D')", "enum('a','b''c','D')"),
        ("ENUM('x(1)','y, z') CHARACTER SET utf8mb4", "enum('x(1)','y, z')"),
        ("SET('x','y')", "set('x','y')"),
    ],
)  # fmt: skip
def test_canonical_type(spelling: str, canonical: str) -> None:
    ctype = RULES.canonical_type(spelling)
    assert ctype.sql == canonical and ctype.known


def test_unknown_type_is_not_known() -> None:
    assert not RULES.canonical_type("vector(3) frobnicated").known


@pytest.mark.parametrize(
    ("default", "canonical"),
    [
        (None, None), ("NULL", None), ("", None), ("'new'", "'new'"), ("'it''s'", "'it''s'"),
        ("'it\\'s'", "'it''s'"), ("0", "0"), ("0.00", "0.00"), ("+1.50", "1.50"), ("true", "1"),
        ("false", "0"), ("TRUE", "1"), ("current_timestamp()", "CURRENT_TIMESTAMP"),
        ("now()", "CURRENT_TIMESTAMP"), ("current_timestamp(6)", "CURRENT_TIMESTAMP(6)"),
        ("CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP",
         "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
        ("current_timestamp() ON UPDATE current_timestamp()",
         "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP"),
        ("NULL ON UPDATE CURRENT_TIMESTAMP", "NULL ON UPDATE CURRENT_TIMESTAMP"),
        ("b'1'", "b'1'"), ("_utf8mb4'x'", "'x'"),
    ],
)  # fmt: skip
def test_canonical_default(default: str | None, canonical: str | None) -> None:
    assert RULES.canonical_default(default) == canonical


def test_typed_default_unquotes_numbers_on_numeric_columns_only() -> None:
    typed_default = RULES.typed_default
    assert typed_default("'0'", "integer") == "0"
    assert typed_default("'1.50'", "numeric(8,2)") == "1.5"
    assert typed_default("'1'", "boolean") == "1"
    assert typed_default("'007'", "varchar(10)") == "'007'"
    assert typed_default("'x'", "integer") == "'x'"
    assert typed_default(None, "integer") is None


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("`views` >= 0 and octet_length(`title`) > 0", "views >= 0 AND length(title) > 0"),
        ("(`status` in (_utf8mb4'a',_utf8mb4'b'))", "status IN ('a', 'b')"),
        ("`active` = 1", "active = true"),
        ("char_length(`a`)", "CHARACTER_LENGTH(a)"),
    ],
)
def test_equal_expressions(left: str, right: str) -> None:
    assert RULES.canonical_expression(left) == RULES.canonical_expression(right)


def test_length_and_char_length_differ() -> None:
    assert RULES.canonical_expression("length(a)") != RULES.canonical_expression("char_length(a)")


def test_restrict_is_no_action() -> None:
    assert RULES.canonical_fk_action("RESTRICT") is None
    assert RULES.canonical_fk_action("NO ACTION") is None
    assert RULES.canonical_fk_action("cascade") == "CASCADE"
    assert RULES.canonical_fk_action("SET NULL") == "SET NULL"


def _column(name: str, column_type: str, default: Any = None, **extra: Any) -> dict[str, Any]:
    return {
        "table_schema": "app", "table_name": "t", "column_name": name,
        "column_default": default, "is_nullable": extra.get("nullable", "YES"),
        "column_type": column_type, "collation_name": extra.get("collation"),
        "extra": extra.get("extra", ""), "column_comment": "",
        "generation_expression": extra.get("generated", ""),
    }  # fmt: skip


def _assemble(server: Server, columns: list[dict[str, Any]], **rows: Any) -> Table:
    catalog = CatalogRows(
        tables=[{"table_schema": "app", "table_name": "t", "table_collation": "utf8mb4_0900_ai_ci",
                 "table_comment": ""}],
        columns=columns,
        statistics=rows.get("statistics", []),
        foreign_keys=rows.get("foreign_keys", []),
        checks=rows.get("checks", []),
    )  # fmt: skip
    assert isinstance(RULES, MysqlRules)
    return _Assembler(server, RULES, catalog).tables()[0]


def test_mysql8_column_spellings() -> None:
    table = _assemble(
        MYSQL8,
        [
            _column("id", "int unsigned", None, nullable="NO", extra="auto_increment"),
            _column("s", "varchar(10)", "new"),
            _column("q", "varchar(10)", "it's"),
            _column("e", "varchar(10)", ""),
            _column("n", "int", "0"),
            _column("d", "decimal(8,2)", "1.50"),
            _column("b", "tinyint(1)", "1"),
            _column("bit1", "bit(1)", "b'1'"),
            _column("c", "datetime", "CURRENT_TIMESTAMP", extra="DEFAULT_GENERATED"),
            _column("u", "timestamp", "CURRENT_TIMESTAMP",
                    extra="DEFAULT_GENERATED on update CURRENT_TIMESTAMP"),
            _column("old", "timestamp", "CURRENT_TIMESTAMP"),
            _column("x", "varchar(20)", "concat(_utf8mb4\\'a\\',_utf8mb4\\'b\\')",
                    extra="DEFAULT_GENERATED"),
            _column("g", "varchar(20)", None, extra="STORED GENERATED",
                    generated="concat(`s`,_utf8mb4\\' \\',`q`)"),
            _column("v", "int", None, extra="VIRTUAL GENERATED", generated="(`n` + 1)"),
            _column("j", "json", None, collation=None),
            _column("k", "varchar(10)", None, collation="utf8mb4_bin"),
            _column("m", "varchar(10)", None, collation="utf8mb4_0900_ai_ci"),
        ],
    )  # fmt: skip
    defaults = {c.name: c.server_default for c in table.columns}
    assert defaults == {
        "id": None, "s": "'new'", "q": "'it''s'", "e": "''", "n": "0", "d": "1.5", "b": "1",
        "bit1": "b'1'", "c": "CURRENT_TIMESTAMP",
        "u": "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP", "old": "CURRENT_TIMESTAMP",
        "x": "'a' || 'b'", "g": None, "v": None, "j": None, "k": None, "m": None,
    }  # fmt: skip
    by_name = {c.name: c for c in table.columns}
    assert by_name["id"].autoincrement and by_name["id"].type.sql == "integer unsigned"
    assert by_name["g"].computed == Computed("s || ' ' || q", True)
    assert by_name["v"].computed == Computed("n + 1", None)
    assert by_name["j"].type.sql == "json"
    assert (by_name["k"].collation, by_name["m"].collation) == ("utf8mb4_bin", None)


def test_mysql8_literal_that_looks_like_sql_stays_a_string() -> None:
    table = _assemble(MYSQL8, [_column("s", "varchar(20)", "now()")])
    assert table.columns[0].server_default == "'now()'"


def test_mysql8_checks_indexes_and_keys() -> None:
    stat = {"table_schema": "app", "table_name": "t", "collation": "A", "sub_part": None,
            "index_type": "BTREE", "expression": None}  # fmt: skip
    table = _assemble(
        MYSQL8,
        [_column("id", "int", None, nullable="NO"), _column("email", "varchar(100)"),
         _column("p", "int")],
        statistics=[
            {**stat, "index_name": "PRIMARY", "non_unique": 0, "seq_in_index": 1,
             "column_name": "id"},
            {**stat, "index_name": "ix_lower", "non_unique": 1, "seq_in_index": 1,
             "column_name": None, "collation": "D", "expression": "lower(`email`)"},
            {**stat, "index_name": "fk_p", "non_unique": 1, "seq_in_index": 1,
             "column_name": "p"},
        ],
        foreign_keys=[
            {"table_schema": "app", "table_name": "t", "constraint_name": "fk_p",
             "column_name": "p", "referenced_table_schema": "other",
             "referenced_table_name": "parent", "referenced_column_name": "id",
             "update_rule": "NO ACTION", "delete_rule": "CASCADE"},
        ],
        checks=[
            {"table_schema": "app", "table_name": "t", "constraint_name": "t_chk_1",
             "check_clause": "(`email` in (_utf8mb4\\'a\\',_utf8mb4\\'b\\'))"},
        ],
    )  # fmt: skip
    assert table.primary_key == PrimaryKey(("id",), None)
    assert table.indexes == (
        Index("ix_lower", (IndexElement("LOWER(email)", True, descending=True),)),
    )
    assert table.foreign_keys == (
        ForeignKey(("p",), "other", "parent", ("id",), "fk_p", ondelete="CASCADE"),
    )
    assert table.foreign_keys[0].implied_index == "fk_p"
    assert [c.sqltext for c in table.check_constraints] == ["email IN ('a', 'b')"]


def test_server_capabilities() -> None:
    assert MYSQL8.has_check_constraints and MYSQL8.has_index_expressions
    assert MARIADB.has_check_constraints and not MARIADB.has_index_expressions
    assert not Server("8.0.12", "a", False, (8, 0, 12)).has_index_expressions
    assert not Server("5.7.44", "a", False, (5, 7, 44)).has_check_constraints


def test_uncompilable_model_type_is_not_known() -> None:
    ctype = RULES.metadata_type(sa.String(), mysql.dialect())
    assert not ctype.known and ctype.python == "sa.String()"


def test_model_collation_equal_to_the_table_collation_is_dropped() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("a", sa.String(10, collation="utf8mb4_bin")),
        sa.Column("b", sa.String(10, collation="latin1_bin")),
        mysql_collate="utf8mb4_bin",
    )  # fmt: skip
    table = inspect_metadata(metadata, mysql.dialect()).tables[0]
    assert [c.collation for c in table.columns] == [None, "latin1_bin"]


def test_model_side_unique_index_and_implied_fk_index() -> None:
    metadata = sa.MetaData()
    sa.Table("p", metadata, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "c", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("a", sa.Integer, sa.ForeignKey("p.id")),
        sa.Column("b", sa.Integer, sa.ForeignKey("p.id", name="fk_b")),
        sa.Column("d", sa.Integer, sa.ForeignKey("p.id")),
        sa.Index("uq_c_d", "d", unique=True),
        sa.Index("ix_c_b_prefix", "b", mysql_length=3),
    )  # fmt: skip
    table = {t.name: t for t in inspect_metadata(metadata, mysql.dialect()).tables}["c"]
    assert [(u.columns, u.name) for u in table.unique_constraints] == [(("d",), "uq_c_d")]
    assert [ix.name for ix in table.indexes] == ["ix_c_b_prefix"]
    implied = {fk.columns: fk.implied_index for fk in table.foreign_keys}
    assert implied == {("a",): "a", ("b",): "fk_b", ("d",): None}


def test_on_update_inside_a_string_is_just_a_string() -> None:
    assert RULES.canonical_default("'sync on update now'") == "'sync on update now'"
    assert RULES.canonical_default("now() on update now(6)") == (
        "CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP(6)"
    )
