"""How scripts write MySQL/MariaDB columns known only by their canonical text (the database
side of an ``AlterColumn``): ``MODIFY`` rewrites the whole column, so the type must be exact,
and expression defaults go in parentheses (MySQL 8). The golden case
``mysql_modify_keeps_type`` proves the same on MariaDB; these pin each spelling."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

from schemadiff.backends.mysql.script_types import script_default
from schemadiff.backends.registry import rules_for
from schemadiff.render.python_types import from_canonical
from schemadiff.snapshot.model import Column, ColumnType


@pytest.mark.parametrize(
    ("sql", "collation", "code"),
    [
        ("timestamp", None, "mysql.TIMESTAMP()"),
        ("timestamp(3)", None, "mysql.TIMESTAMP(fsp=3)"),
        ("datetime(6)", None, "mysql.DATETIME(fsp=6)"),
        ("integer unsigned", None, "mysql.INTEGER(unsigned=True)"),
        ("integer unsigned zerofill", None, "mysql.INTEGER(unsigned=True, zerofill=True)"),
        ("numeric(10,2) unsigned", None, "mysql.DECIMAL(precision=10, scale=2, unsigned=True)"),
        ("double unsigned", None, "mysql.DOUBLE(unsigned=True)"),
        ("varchar(20)", "latin1_bin", "mysql.VARCHAR(length=20, collation='latin1_bin')"),
        ("varchar(20)", "latin1", "mysql.VARCHAR(length=20, charset='latin1')"),
        ("mediumtext", "utf8mb4_bin", "mysql.MEDIUMTEXT(collation='utf8mb4_bin')"),
        ("enum('a','it''s')", "utf8mb4_bin", "mysql.ENUM('a', \"it's\", collation='utf8mb4_bin')"),
        ("set('x','y')", None, "mysql.SET('x', 'y')"),
        ("boolean", None, "sa.Boolean()"),
        ("varchar(20)", None, "sa.String(length=20)"),
    ],
)  # fmt: skip
def test_exact_types(sql: str, collation: str | None, code: str) -> None:
    assert from_canonical(sql, "mysql", collation).code == code


@pytest.mark.parametrize(
    ("sql", "collation"),
    [
        ("timestamp(3)", None),
        ("integer unsigned zerofill", None),
        ("numeric(10,2) unsigned", None),
        ("varchar(20)", "latin1_swedish_ci"),
        ("mediumtext", "utf8mb4_bin"),
        ("enum('a','b')", "utf8mb4_bin"),
    ],
)
def test_written_type_compiles_back_to_the_same(sql: str, collation: str | None) -> None:
    """The written code, compiled for MySQL, is canonically the type (and collation) it came
    from: what ``MODIFY`` states is what the column already was."""
    code = from_canonical(sql, "mysql", collation).code
    type_ = eval(code, {"sa": sa, "mysql": mysql})  # noqa: S307 - our own generated code
    compiled = type_.compile(dialect=mysql.dialect())
    assert rules_for("mysql").canonical_type(compiled).sql == sql
    if collation is not None:
        assert f"COLLATE {collation}" in compiled


def test_postgresql_and_sqlite_collations_are_written_too() -> None:
    assert (
        from_canonical("varchar(50)", "postgresql", "C").code
        == "sa.String(length=50, collation='C')"
    )
    assert from_canonical("text", "sqlite", "nocase").code == "sa.Text(collation='nocase')"


@pytest.mark.parametrize(
    ("default", "written"),
    [
        ("uuid()", "(uuid())"),
        ("1 + 2", "(1 + 2)"),
        ("(a) + (b)", "((a) + (b))"),
        ("(uuid())", "(uuid())"),
        ("'x'", "'x'"),
        ("-1.5", "-1.5"),
        ("NULL", "NULL"),
        ("b'1'", "b'1'"),
        ("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"),
        ("current_timestamp(3) ON UPDATE current_timestamp(3)",
         "current_timestamp(3) ON UPDATE current_timestamp(3)"),
        ("concat('a', ')') ON UPDATE now()", "(concat('a', ')')) ON UPDATE now()"),
    ],
)  # fmt: skip
def test_expression_defaults_in_parentheses(default: str, written: str) -> None:
    assert script_default(default) == written


def test_charset_only_model_compares_by_charset() -> None:
    """A model naming only a charset wants that charset, whatever the collation; the database
    column's charset is known even when its collation is the table's (``collation`` None)."""
    rules = rules_for("mysql")
    text = ColumnType("varchar(20)")
    table_default = Column("c", text, collation=None, charset="utf8mb4")
    latin = Column("c", text, collation="latin1_swedish_ci", charset="latin1")
    wants_latin = Column("c", text, collation="latin1")
    wants_utf8 = Column("c", text, collation="utf8mb4")
    assert rules.collation_differs(table_default, wants_latin)
    assert not rules.collation_differs(latin, wants_latin)
    assert not rules.collation_differs(table_default, wants_utf8)
    assert rules.collation_differs(latin, wants_utf8)
    assert not rules.collation_differs(latin, Column("c", text))  # the model does not ask
