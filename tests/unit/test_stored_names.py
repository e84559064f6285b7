"""Names the backend will not keep: PostgreSQL's byte-wise cut (as ``truncate_identifier`` does
it), MariaDB/MySQL's refusals, and the model snapshot built with the stored names."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from schemadiff.dialects import rules_for
from sqlalchemy.dialects import mysql, postgresql, sqlite

from schemadiff.backends.mysql.names import identifier_problem
from schemadiff.backends.postgresql.names import clip_identifier, truncation_warning
from schemadiff.sources.metadata import inspect_metadata


def test_ascii_names_are_cut_at_63_bytes() -> None:
    assert clip_identifier("t" * 63) == "t" * 63
    assert clip_identifier("t" * 70) == "t" * 63


def test_a_cut_never_splits_a_character() -> None:
    # 'ä' is 2 bytes: 63 bytes would end inside the 32nd one, so 31 are kept (62 bytes)
    assert clip_identifier("ä" * 40) == "ä" * 31
    # 'x' then 2-byte characters: 1 + 31 * 2 = 63 bytes fit exactly
    assert clip_identifier("x" + "ä" * 40) == "x" + "ä" * 31
    # 3-byte and 4-byte characters: the last whole one before the limit
    assert clip_identifier("€" * 30) == "€" * 21  # 63 bytes
    assert clip_identifier("ab" + "😀" * 20) == "ab" + "😀" * 15  # 62 bytes
    assert clip_identifier("ä" * 31) == "ä" * 31  # 62 bytes: kept whole


def test_the_limit_is_the_dialects() -> None:
    rules = rules_for("postgresql")
    assert rules.stored_identifier("t" * 70, postgresql.dialect()) == "t" * 63
    custom = postgresql.dialect(max_identifier_length=40)
    assert rules.stored_identifier("t" * 70, custom) == "t" * 40
    assert rules.stored_identifier("t" * 70) == "t" * 63  # offline: a standard build's 63


def test_postgresql_warning_says_what_is_kept() -> None:
    assert truncation_warning("table", "t" * 63) is None
    assert truncation_warning("column", "ä" * 40) == (
        f'column name "{"ä" * 40}": 80 bytes, PostgreSQL keeps the first 62 ("{"ä" * 31}"); '
        "rename it in the models"
    )


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("t" * 65, "65 characters, more than 64"),
        ("a😀", "characters outside U+0001..U+FFFF (U+1F600)"),
        ("trailing ", "it ends with a space"),
    ],
)
def test_mysql_refused_names(name: str, why: str) -> None:
    assert identifier_problem("table", name) == (
        f'table name "{name}": {why}; MariaDB/MySQL refuse it, so the upgrade will fail; '
        "rename it in the models"
    )


def test_mysql_accepts_64_characters_of_the_bmp() -> None:
    assert identifier_problem("table", "t" * 64) is None
    assert identifier_problem("column", "ä" * 64) is None  # characters, not bytes
    assert rules_for("mysql").stored_identifier("t" * 70) == "t" * 70  # refused, never cut


def _long_models() -> sa.MetaData:
    md = sa.MetaData()
    parent = sa.Table(
        "p" * 70,
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("c" * 66, sa.Integer),
        sa.Column("mood", sa.Enum("a", "b", name="e" * 70)),
        sa.Index("i" * 70, "c" * 66),  # SQLAlchemy itself raises IdentifierError on this name
        sa.UniqueConstraint("mood", name="u" * 70),
        sa.CheckConstraint(f"{'c' * 66} > 0", name="positive"),
        sa.Column("twice", sa.Integer, sa.Computed(f"{'c' * 66} * 2")),
        sa.Index(
            "by_expression",
            sa.text(f"({'c' * 66} + 1)"),
            postgresql_where=sa.text(f"{'c' * 66} > 1"),
        ),
    )
    sa.Table(
        "ö" * 35,
        md,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("parent_id", sa.ForeignKey(parent.c.id)),
    )
    return md


def test_postgresql_models_carry_the_stored_names_everywhere() -> None:
    snap = inspect_metadata(_long_models(), postgresql.dialect())
    tables = snap.table_map()
    parent = tables[(None, "p" * 63)]
    assert [c.name for c in parent.columns] == ["id", "c" * 63, "mood", "twice"]
    assert parent.columns[2].type.sql == f"enum({'e' * 63})"
    assert [e.name for e in snap.enums] == ["e" * 63]
    assert [(i.name, i.column_names, i.where) for i in parent.indexes] == [
        ("by_expression", (f"{'c' * 63} + 1",), f"{'c' * 63} > 1"),
        ("i" * 63, ("c" * 63,), None),
    ]
    # the server cuts the names an expression uses too
    assert [c.sqltext for c in parent.check_constraints] == [f"{'c' * 63} > 0"]
    assert parent.columns[3].computed is not None
    assert parent.columns[3].computed.sqltext == f"{'c' * 63} * 2"
    assert [u.name for u in parent.unique_constraints] == ["u" * 63]
    child = tables[(None, "ö" * 31)]
    assert [(f.referred_table, f.referred_columns) for f in child.foreign_keys] == [
        ("p" * 63, ("id",))
    ]
    kinds = sorted(w.message.split(" name ")[0] for w in snap.warnings)
    assert kinds == ["column", "enum type", "index", "table", "table", "unique constraint"]
    assert {w.table for w in snap.warnings} == {None, "p" * 63, "ö" * 31}


def test_mysql_models_keep_the_names_and_warn() -> None:
    snap = inspect_metadata(_long_models(), mysql.dialect())
    parent = snap.table_map()[(None, "p" * 70)]
    assert [ix.name for ix in parent.indexes] == ["by_expression", "i" * 70]
    kinds = sorted(w.message.split(" name ")[0] for w in snap.warnings)
    assert kinds == ["column", "index", "table", "unique constraint"]  # 'ö' * 35 is fine


def test_sqlite_keeps_every_name_without_a_warning() -> None:
    snap = inspect_metadata(_long_models(), sqlite.dialect())
    assert (None, "p" * 70) in snap.table_map()
    assert snap.warnings == ()


def test_short_names_leave_the_snapshot_as_built() -> None:
    md = sa.MetaData()
    sa.Table("users", md, sa.Column("id", sa.Integer, primary_key=True))
    snap = inspect_metadata(md, postgresql.dialect())
    assert snap.warnings == () and snap.tables[0].name == "users"
