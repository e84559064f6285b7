"""Policies whose roles are ``CURRENT_USER`` / ``SESSION_USER`` / ``CURRENT_ROLE`` (issue 17),
on PostgreSQL: the server stores the role each names (``pg_policy.polroles`` holds OIDs), so a
declared keyword compares as the connected role; a database built by hand diffs clean, the
migration keeps the keyword, and converges both ways through the commands a user runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schemadiff.diff.engine import compute_diff
from schemadiff.objects import Policy, RowLevelSecurity
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import cli_ok as cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


def models(version: int) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "notes",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("author", sa.Text),
    )
    RowLevelSecurity(metadata, "notes")
    Policy(metadata, "everyone_reads", "notes", command="SELECT", using="true")
    if version == 2:
        Policy(metadata, "mine", "notes", roles="CURRENT_USER", using="author = current_user")
        Policy(
            metadata,
            "session",
            "notes",
            command="INSERT",
            roles=["session_user"],
            with_check="true",
        )
        Policy(metadata, "role", "notes", command="DELETE", roles=["current_role"], using="true")
        Policy(
            metadata,
            "all_of_them",
            "notes",
            command="UPDATE",
            roles=["PUBLIC", "current_user"],
            using="true",
        )
    return metadata


DDL = {
    1: [
        "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY everyone_reads ON notes FOR SELECT USING (true)",
    ],
    2: [
        "ALTER TABLE notes ENABLE ROW LEVEL SECURITY",
        "CREATE POLICY everyone_reads ON notes FOR SELECT USING (true)",
        "CREATE POLICY mine ON notes TO current_user USING (author = CURRENT_USER)",
        "CREATE POLICY session ON notes FOR INSERT TO SESSION_USER WITH CHECK (true)",
        "CREATE POLICY role ON notes FOR DELETE TO CURRENT_ROLE USING (true)",
        "CREATE POLICY all_of_them ON notes FOR UPDATE TO public USING (true)",
    ],
}


engine_for = engine_fixture("postgresql")


def build(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        models(version).create_all(conn)
        for statement in DDL[version]:
            conn.exec_driver_sql(statement)


def test_the_server_stores_the_role_not_the_keyword(engine_for: Callable[[int], Engine]) -> None:
    engine = engine_for(0)
    build(engine, 2)
    with engine.connect() as conn:
        rows = dict(
            conn.exec_driver_sql(
                "SELECT policyname::text, roles::text[] FROM pg_policies WHERE tablename = 'notes'"
            ).all()
        )
        me = conn.exec_driver_sql("SELECT current_user::text").scalar()
    assert rows["mine"] == rows["session"] == rows["role"] == [me]
    assert rows["all_of_them"] == ["public"]


def test_a_database_built_by_hand_diffs_clean(engine_for: Callable[[int], Engine]) -> None:
    engine = engine_for(0)
    build(engine, 2)
    result = diff(engine, models(2))
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_without_a_server_to_ask_the_keyword_is_not_compared(
    engine_for: Callable[[int], Engine],
) -> None:
    engine = engine_for(0)
    build(engine, 2)
    with engine.connect() as conn:
        db = inspect_database(conn)
        wanted = inspect_metadata(models(2), conn.dialect, db.default_schema)
    result = compute_diff(db, wanted)
    assert [op.describe() for op in result.ops] == []
    notes = sorted(n.message for n in result.notices if n.level == "not_compared")
    assert len(notes) == 3 and all("not compared" in m for m in notes), notes
    assert "SESSION_USER" in " ".join(notes)


def test_convergence_keeps_the_keyword(engine_for: Callable[[int], Engine], tmp_path: Path) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    engine = engine_for(0)
    build(engine, 1)
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_policy_roles.py").write_text(
        "from tests.db.test_policy_roles import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_policy_roles:metadata"\n'
        'script_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "roles", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    # the migration says what the models say: whoever runs it
    assert "TO CURRENT_USER" in script and "TO SESSION_USER" in script, script
    assert "TO CURRENT_ROLE" in script and "TO PUBLIC USING" in script, script
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert [op.describe() for op in diff(engine, models(2)).ops] == [], script
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
