"""The helper SQLite rebuild scripts carry: which views and triggers it keeps, the code copied
into scripts, and which statements of a failed revision stayed (no database needed)."""

from __future__ import annotations

import ast
import contextlib
import re
from dataclasses import replace

import pytest
import sqlalchemy as sa

from schemadiff.backends.sqlite.rebuild import helper_source, sqlite_dependents
from schemadiff.chain.failure import kept_statements
from schemadiff.diff import CompareOptions, compute_diff
from schemadiff.render import script
from schemadiff.render.bodies import ScriptBodies, render_bodies
from schemadiff.snapshot import DbObject
from schemadiff.sources.metadata import inspect_metadata

ROWS = [
    ("view", "items_v", None, 'CREATE VIEW items_v AS SELECT * FROM "Items"'),
    ("view", "chain", None, "CREATE VIEW chain AS SELECT * FROM items_v"),
    ("view", "other", None, "CREATE VIEW other AS SELECT items_total FROM totals"),
    ("trigger", "t_on", "ITEMS", "CREATE TRIGGER t_on AFTER INSERT ON ITEMS BEGIN SELECT 1; END"),
    ("trigger", "t_writes", "audit", "CREATE TRIGGER t_writes AFTER INSERT ON audit BEGIN "
     "DELETE FROM [items]; END"),
    ("trigger", "t_view", "chain", "CREATE TRIGGER t_view INSTEAD OF INSERT ON chain BEGIN "
     "SELECT 1; END"),
    ("trigger", "t_else", "audit", "CREATE TRIGGER t_else AFTER INSERT ON audit BEGIN "
     "SELECT 'items_x'; END"),
]  # fmt: skip


def test_dependents_follow_views_of_views_and_triggers_that_read_them() -> None:
    kept = [(kind, name) for kind, name, _ in sqlite_dependents("items", ROWS)]
    assert kept == [
        ("view", "items_v"),
        ("view", "chain"),
        ("trigger", "t_on"),
        ("trigger", "t_writes"),
        ("trigger", "t_view"),
    ]
    assert sqlite_dependents("totals", ROWS) == [("view", "other", ROWS[2][3])]


def test_helper_source_is_plain_python_without_annotations() -> None:
    text = helper_source()
    tree = ast.parse(text)
    names = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)]
    assert "keep_triggers_and_views" in names and "sqlite_dependents" in names
    for node in ast.walk(tree):
        assert not isinstance(node, ast.AnnAssign)
        if isinstance(node, ast.arg):
            assert node.annotation is None
        if isinstance(node, ast.FunctionDef):
            assert node.returns is None
    # the copy selects what the original selects
    scope: dict[str, object] = {"contextlib": contextlib, "re": re}
    exec(compile(tree, "<helper>", "exec"), scope)  # noqa: S102 - our own code
    assert scope["sqlite_dependents"]("items", ROWS) == sqlite_dependents("items", ROWS)  # type: ignore[operator]


def _bodies(with_objects: bool) -> ScriptBodies:
    dialect = sa.create_engine("sqlite://").dialect
    before, after = sa.MetaData(), sa.MetaData()
    sa.Table(
        "items", before, sa.Column("id", sa.Integer, primary_key=True), sa.Column("n", sa.Text)
    )
    sa.Table("items", after, sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("n", sa.Text, nullable=False))  # fmt: skip
    db = inspect_metadata(before, dialect, "main")
    if with_objects:
        db = replace(
            db,
            uncompared=(
                DbObject("trigger", "t_on", None, "items", ROWS[3][3]),
                DbObject("view", "items_v", None, None, ROWS[0][3]),
                DbObject("view", "other", None, None, ROWS[2][3]),
            ),
        )
    models = inspect_metadata(after, dialect, "main")
    result = compute_diff(db, models, CompareOptions(metadata=after, use_entry_points=False))
    return render_bodies(result, db, models)


@pytest.mark.parametrize("with_objects", [False, True])
def test_rebuild_is_wrapped_and_laid_out_like_black(
    with_objects: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    bodies = _bodies(with_objects)
    header = script.RevisionHeader("m", "abc", None, "2024-01-01 00:00:00")
    monkeypatch.setattr(script, "BLACK_BODY_LIMIT", 10**9)
    by_black = script.render_script(header, bodies.upgrade, bodies.downgrade)
    monkeypatch.setattr(script, "BLACK_BODY_LIMIT", -1)
    assert script.render_script(header, bodies.upgrade, bodies.downgrade) == by_black
    assert by_black.count("    with keep_triggers_and_views(") == 2  # upgrade and downgrade
    assert by_black.count("def keep_triggers_and_views(") == 1
    assert ("'CREATE VIEW items_v AS" in by_black) is with_objects
    assert "other" not in by_black  # a view that does not read items is not listed
    ast.parse(by_black)


def test_kept_statements() -> None:
    ran = ["CREATE TABLE a (x)", "INSERT INTO a VALUES (1)", "DROP TABLE b", "COMMIT", "DROP c"]
    # autocommitted, then a transaction opened by the INSERT, committed, then one more open
    assert kept_statements(ran, [False, True, True, False, True]) == (
        True,
        True,
        True,
        True,
        False,
    )
    assert kept_statements(["BEGIN", "DROP x", "ROLLBACK"], [True, True, False]) == (
        False,
        False,
        False,
    )
    assert kept_statements(["DROP x"], [None]) is None
