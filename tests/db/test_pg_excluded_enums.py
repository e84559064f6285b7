"""Excluding a table whose columns use a PostgreSQL enum never proposes dropping (or creating)
that enum (issue 13, section 3): the type is in use, PostgreSQL would refuse the drop."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata

pytestmark = pytest.mark.db


def _skip_legacy_by_object(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    return not (type_ == "table" and name == "legacy")


def _skip_legacy_by_name(name: str | None, type_: str, parents: Any) -> bool:
    return not (type_ == "table" and name == "legacy")


def _skip_mood_column(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
    return not (type_ == "column" and name == "mood")


FILTERS = {
    "exclude_tables": {"exclude_tables": ("legacy",)},
    "include_object": {"include_object": _skip_legacy_by_object},
    "include_name": {"include_name": _skip_legacy_by_name},
}


def _diff(url: str, models: sa.MetaData, **options: Any) -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            db = inspect_database(conn, [])
            snap = inspect_metadata(models, conn.dialect, db.default_schema)
        opts = CompareOptions(metadata=models, use_entry_points=False, **options)
        return [op.describe() for op in compute_diff(db, snap, opts).ops]
    finally:
        engine.dispose()


def _database(url: str) -> None:
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    sa.Table(
        "legacy",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("happy", "sad", name="mood")),
    )
    engine = sa.create_engine(url)
    try:
        m.create_all(engine)
    finally:
        engine.dispose()


def _users_only() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("users", m, sa.Column("id", sa.Integer, primary_key=True))
    return m


@pytest.mark.parametrize("how", sorted(FILTERS))
def test_enum_of_an_excluded_database_table_is_not_dropped(
    how: str, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("postgresql")
    _database(url)
    assert _diff(url, _users_only()) == ["drop table legacy", "drop enum type mood"]
    assert _diff(url, _users_only(), **FILTERS[how]) == []


def test_enum_of_an_excluded_model_table_is_not_created(backend_url: Callable[[str], str]) -> None:
    url = backend_url("postgresql")
    m = _users_only()
    sa.Table(
        "legacy",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("happy", "sad", name="mood")),
    )
    engine = sa.create_engine(url)
    try:
        m.tables["users"].create(engine)
    finally:
        engine.dispose()
    assert _diff(url, m, exclude_tables=("legacy",)) == []


def test_enum_of_an_excluded_column_is_not_dropped(backend_url: Callable[[str], str]) -> None:
    url = backend_url("postgresql")
    _database(url)
    m = _users_only()
    sa.Table("legacy", m, sa.Column("id", sa.Integer, primary_key=True))
    assert _diff(url, m, include_object=_skip_mood_column) == []


def test_enum_still_used_by_a_kept_table_is_compared(backend_url: Callable[[str], str]) -> None:
    url = backend_url("postgresql")
    _database(url)
    m = _users_only()
    sa.Table(
        "other",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("mood", sa.Enum("happy", "sad", "meh", name="mood")),
    )
    ops = _diff(url, m, exclude_tables=("legacy",))
    assert "create table other (2 columns)" in ops, ops
    assert not any("drop enum" in o for o in ops), ops
    assert any("mood" in o and "meh" in o for o in ops), ops
