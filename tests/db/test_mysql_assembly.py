"""MySQL/MariaDB assembly shortcuts keep their results: columns and index elements converted once
per distinct catalog row (a MariaDB JSON column's row equals a plain ``longtext`` one's, only the
table's checks tell them apart), rows grouped by table even when the catalog interleaves ``T1``
and ``t1``, hand-written rows equal to positional ones, bytes from the driver decoded, and the
model-side hooks that skip work when a construct has no ``mysql_*`` options."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Engine

from schemadiff.backends.mysql.queries import (
    CHECK_FIELDS,
    COLUMN_FIELDS,
    STATISTICS_FIELDS,
    TABLE_FIELDS,
    CatalogRows,
    Query,
    Server,
    _Reader,
    server_info,
)
from schemadiff.backends.mysql.reflect import _Assembler
from schemadiff.backends.mysql.rules import MysqlRules
from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import Snapshot, Table
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata

RULES = rules_for("mysql")
MARIADB = Server("10.11.6-MariaDB", "app", True, (10, 11, 6))


def _dump(value: Any) -> Any:
    """Every field, hints (``compare=False``) included."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _dump(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return [_dump(v) for v in value]
    return value


def _table(name: str, collation: str = "utf8mb4_general_ci") -> dict[str, Any]:
    return {"table_schema": "app", "table_name": name, "table_collation": collation,
            "table_comment": ""}  # fmt: skip


def _column(table: str, name: str, column_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "table_schema": "app", "table_name": table, "column_name": name,
        "column_default": extra.get("default"), "is_nullable": "YES", "column_type": column_type,
        "collation_name": extra.get("collation"), "extra": "", "column_comment": "",
        "generation_expression": None,
    }  # fmt: skip


def _check(table: str, name: str, clause: str) -> dict[str, Any]:
    return {"table_schema": "app", "table_name": table, "constraint_name": name,
            "check_clause": clause}  # fmt: skip


def _element(table: str, index: str, column: str, sub_part: int | None) -> dict[str, Any]:
    return {"table_schema": "app", "table_name": table, "index_name": index, "non_unique": 1,
            "seq_in_index": 1, "column_name": column, "collation": "A", "sub_part": sub_part,
            "index_type": "BTREE"}  # fmt: skip


def _assemble(**rows: Any) -> dict[str, Table]:
    catalog = CatalogRows(
        tables=rows.get("tables", []),
        columns=rows.get("columns", []),
        statistics=rows.get("statistics", []),
        foreign_keys=rows.get("foreign_keys", []),
        checks=rows.get("checks", []),
    )
    assert isinstance(RULES, MysqlRules)
    return {t.name: t for t in _Assembler(MARIADB, RULES, catalog).tables()}


def test_json_and_plain_longtext_with_the_same_row() -> None:
    """The same column row is JSON in the table with the check and longtext elsewhere, whichever
    table comes first; the absorbed check leaves only its own table."""
    names = ["plain1", "json1", "plain2", "json2"]
    payload = {"collation": "utf8mb4_bin"}
    tables = _assemble(
        tables=[_table(n) for n in names],
        columns=[_column(n, "payload", "longtext", **payload) for n in names],
        checks=[_check(n, "payload", "json_valid(`payload`)") for n in names if "json" in n],
    )
    for name, table in tables.items():
        column = table.columns[0]
        expected = ("json", None) if "json" in name else ("longtext", "utf8mb4_bin")
        assert (column.type.sql, column.collation) == expected
        assert table.check_constraints == ()


def test_same_column_row_under_different_table_collations() -> None:
    tables = _assemble(
        tables=[_table("a", "utf8mb4_bin"), _table("b"), _table("c", "utf8mb4_bin")],
        columns=[_column(t, "s", "varchar(10)", collation="utf8mb4_bin") for t in "abc"],
    )
    assert [tables[t].columns[0].collation for t in "abc"] == [None, "utf8mb4_bin", None]


def test_rows_of_tables_differing_in_case_are_grouped_apart() -> None:
    """Under the catalog's case-insensitive ordering the rows of ``T1`` and ``t1`` interleave."""
    columns = [
        _column("T1", "a", "int(11)"),
        _column("t1", "x", "varchar(5)"),
        _column("T1", "b", "bigint(20)", default="7"),
        _column("t1", "y", "text"),
    ]
    tables = _assemble(tables=[_table("T1"), _table("t1")], columns=columns)
    assert [(c.name, c.type.sql) for c in tables["T1"].columns] == [
        ("a", "integer"),
        ("b", "bigint"),
    ]
    assert tables["T1"].columns[1].server_default == "7"
    assert [(c.name, c.type.sql) for c in tables["t1"].columns] == [
        ("x", "varchar(5)"),
        ("y", "text"),
    ]


def test_index_elements_with_the_same_row_in_several_tables() -> None:
    statistics = [
        _element("a", "ix_a", "name", 5),
        _element("b", "ix_b", "name", None),
        _element("c", "ix_c", "name", 5),
    ]
    tables = _assemble(
        tables=[_table(t) for t in "abc"],
        columns=[_column(t, "name", "varchar(20)") for t in "abc"],
        statistics=statistics,
    )
    assert [tables[t].indexes[0].elements[0].length for t in "abc"] == [5, None, 5]
    assert [tables[t].indexes[0].name for t in "abc"] == ["ix_a", "ix_b", "ix_c"]


def test_hand_written_rows_equal_positional_ones() -> None:
    """``CatalogRows.positional`` puts rows given by name in the statement's field order."""
    rows = {
        "tables": [_table("t")],
        "columns": [_column("t", "id", "int(11)"), _column("t", "p", "longtext")],
        "statistics": [_element("t", "ix_t", "id", None)],
        "checks": [_check("t", "ck", "`id` > 0"), _check("t", "p", "json_valid(`p`)")],
    }
    order = {"tables": TABLE_FIELDS, "columns": COLUMN_FIELDS, "statistics": STATISTICS_FIELDS,
             "checks": CHECK_FIELDS}  # fmt: skip
    positional = {
        kind: [tuple(row.get(f) for f in order[kind]) for row in kind_rows]
        for kind, kind_rows in rows.items()
    }
    assert _dump(_assemble(**rows)["t"]) == _dump(_assemble(**positional)["t"])


# --- model side ---------------------------------------------------------------------------------


def _index_models() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "t", metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50)),
        sa.Column("notes", sa.Text),
        sa.Index("ix_t_name", "name"),
        sa.Index("ix_t_notes", "notes", mysql_length=20),
        sa.Index("ix_t_both", "name", "notes", mysql_length={"notes": 10}),
        sa.Index("ix_t_ft", "name", mysql_prefix="FULLTEXT"),
        sa.Index("ix_t_text", sa.text("name")),
        mysql_collate="utf8mb4_bin",
    )  # fmt: skip
    return metadata


def test_model_indexes_with_and_without_mysql_options() -> None:
    table = inspect_metadata(_index_models(), mysql.dialect()).tables[0]
    shapes = {
        ix.name: [(e.expr, e.is_expression, e.length) for e in ix.elements] + [ix.using]
        for ix in table.indexes
    }
    assert shapes == {
        "ix_t_name": [("name", False, None), None],
        "ix_t_notes": [("notes", False, 20), None],
        "ix_t_both": [("name", False, None), ("notes", False, 10), None],
        "ix_t_ft": [("name", False, None), "fulltext"],
        "ix_t_text": [("name", False, None), None],
    }


def test_model_snapshot_is_the_same_once_the_mysql_defaults_are_built() -> None:
    """SQLAlchemy builds a construct's ``mysql`` option defaults when something first asks for
    them (DDL compilation does): the hooks give the same snapshot before and after."""
    metadata = _index_models()
    before = inspect_metadata(metadata, mysql.dialect())
    table = metadata.tables["t"]
    for construct in [table, *table.indexes]:
        construct.dialect_options["mysql"].get("length")
    assert _dump(inspect_metadata(metadata, mysql.dialect())) == _dump(before)


# --- on the server ------------------------------------------------------------------------------


@pytest.fixture
def my(backend_url: Callable[[str], str]) -> Iterator[Engine]:
    engine = sa.create_engine(backend_url("mysql"))
    yield engine
    engine.dispose()


@pytest.mark.db
@pytest.mark.parametrize("packed", [False, True])
def test_bytes_from_the_driver_are_decoded(my: Engine, packed: bool) -> None:
    query = Query(
        TABLE_FIELDS[:4],
        "FROM DUAL WHERE 'q' NOT IN :schemas",
        columns=("CAST('app' AS BINARY)", "'résumé'", "NULL", "CAST('x' AS BINARY)"),
    )
    with my.connect() as conn:
        rows = _Reader(conn, server_info(conn), ["a"], packed).rows(query)
    assert [tuple(r) for r in rows] == [("app", "résumé", None, "x")]
    assert [type(v) for v in rows[0]] == [str, str, type(None), str]


@pytest.mark.db
def test_json_and_plain_longtext_on_the_server(my: Engine) -> None:
    json_column = "payload longtext COLLATE utf8mb4_bin"
    ddl = [
        f"CREATE TABLE a1 (id int PRIMARY KEY, {json_column}, "
        "CONSTRAINT payload CHECK (json_valid(payload)))",
        f"CREATE TABLE a2 (id int PRIMARY KEY, {json_column})",
        "CREATE TABLE a3 (id int PRIMARY KEY, payload json)",
        f"CREATE TABLE a4 (id int PRIMARY KEY, {json_column})",
    ]
    with my.begin() as conn:
        if not getattr(conn.dialect, "is_mariadb", False):
            pytest.skip("MariaDB's JSON is longtext with a check")
        for statement in ddl:
            conn.execute(sa.text(statement))
    snapshot: Snapshot = inspect_database(my)
    types = {t.name: (t.columns[1].type.sql, t.check_constraints) for t in snapshot.tables}
    assert types == {
        "a1": ("json", ()),
        "a2": ("longtext", ()),
        "a3": ("json", ()),
        "a4": ("longtext", ()),
    }
