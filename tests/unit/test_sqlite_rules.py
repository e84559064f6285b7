"""SQLite's rules for type storage, unenforced sizes and what ``ADD COLUMN`` can add in place."""

from __future__ import annotations

import pytest

from schemadiff.backends.sqlite.rules import SqliteRules, type_affinity
from schemadiff.snapshot.model import Column, ColumnType, Computed

RULES = SqliteRules()


@pytest.mark.parametrize(
    ("declared", "affinity"),
    [
        ("INTEGER", "integer"),
        ("BIGINT", "integer"),
        ("VARCHAR(40)", "text"),
        ("CLOB", "text"),
        ("BLOB", "blob"),
        ("", "blob"),
        ("FLOAT", "real"),
        ("DOUBLE PRECISION", "real"),
        ("REAL", "real"),
        ("NUMERIC(10, 2)", "numeric"),
        ("DATETIME", "numeric"),
        ("BOOLEAN", "numeric"),
        ("CHARINT", "integer"),  # the rules apply in order: INT wins
    ],
)
def test_affinity(declared: str, affinity: str) -> None:
    assert type_affinity(declared) == affinity
    assert RULES.canonical_type(declared).storage == affinity


@pytest.mark.parametrize(
    ("old", "new", "info"),
    [
        ("VARCHAR(100)", "VARCHAR(40)", True),
        ("TEXT", "VARCHAR(40)", True),
        ("NUMERIC(12, 2)", "NUMERIC(10, 2)", True),
        ("VARCHAR(40)", "VARCHAR(100)", False),  # wider: applied
        ("VARCHAR(40)", "TEXT", False),
        ("BIGINT", "INTEGER", False),  # the rowid alias depends on the spelling
        ("DOUBLE", "FLOAT", False),
        ("TEXT", "INTEGER", False),  # another storage class
        ("NUMERIC(10, 2)", "NUMERIC(10, 4)", False),  # neither is narrower
    ],
)
def test_unenforced_type_change(old: str, new: str, info: bool) -> None:
    reason = RULES.unenforced_type_change(RULES.canonical_type(old), RULES.canonical_type(new))
    assert (reason is not None) is info


def _col(**kw: object) -> Column:
    return Column("c", ColumnType("integer"), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("column", "in_place"),
    [
        (_col(), True),
        (_col(server_default="0"), True),
        (_col(server_default="-1.5"), True),
        (_col(server_default="'it''s'"), True),
        (_col(server_default="NULL"), True),
        (_col(server_default="TRUE"), True),
        (_col(server_default="X'00ff'"), True),
        (_col(nullable=False), True),  # fails whole on rows, as elsewhere
        (_col(server_default="CURRENT_TIMESTAMP"), False),
        (_col(server_default="(1 + 2)"), False),
        (_col(server_default="lower('x')", raw_default="(lower('x'))"), False),
        (_col(computed=Computed("id * 2", persisted=True)), False),
        (_col(computed=Computed("id * 2")), True),
        (_col(autoincrement=True, nullable=False), False),
    ],
)
def test_adds_column_in_place(column: Column, in_place: bool) -> None:
    assert RULES.adds_column_in_place(column) is in_place
