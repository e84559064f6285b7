"""PostgreSQL domains (issue 17) on a real server: a database built by hand from the
declarations diffs clean (the server's spelling settled), a migration from v1 to v2 converges
on the hand-built v2 reference (compared by the independent inspector) and its downgrade brings
v1 back; models declaring none leave the database's alone; statements do not grow with them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.domains import DDL, models
from schemadiff.objects import DOMAINS_KEY, Domain
from schemadiff.sources import inspect_database
from tests.kit.cli import cli_ok as cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


engine_for = engine_fixture("postgresql")


def build(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        for statement in DDL[version]:
            conn.exec_driver_sql(statement.replace("%", "%%"))
        models(version).create_all(conn)


@pytest.mark.parametrize("version", [1, 2])
def test_a_database_built_from_the_declarations_diffs_clean(
    version: int, engine_for: Callable[[int], Engine]
) -> None:
    engine = engine_for(0)
    build(engine, version)
    result = diff(engine, models(version))
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_convergence_upgrade_offline_and_downgrade(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    assert "<domains>" in want_v2
    engine = engine_for(0)
    build(engine, 1)
    with engine.connect() as conn:
        v1_state = describe(conn, [None])

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_domains.py").write_text(
        "from fixtures.domains import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_domains:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "domains", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "CREATE DOMAIN email AS text CONSTRAINT email_check CHECK" in script, script
    assert "ALTER DOMAIN positive_int SET NOT NULL" in script, script
    assert "DROP DOMAIN old_code" in script, script

    offline = cli(folder, "upgrade", "head", "--sql")
    assert "ALTER DOMAIN positive_int SET DEFAULT 1;" in offline, offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert [op.describe() for op in diff(engine, models(2)).ops] == [], script

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script


def test_models_without_domains_leave_the_database_alone(
    engine_for: Callable[[int], Engine],
) -> None:
    engine = engine_for(0)
    build(engine, 1)
    metadata = models(1)
    metadata.info.pop(DOMAINS_KEY)
    result = diff(engine, metadata)
    assert result.ops == ()
    [listed] = [n for n in result.notices if n.objects]
    assert "2 domains" in listed.message


def test_a_new_base_type_recreates_the_domain(engine_for: Callable[[int], Engine]) -> None:
    engine = engine_for(0)
    build(engine, 1)
    metadata = models(1)
    Domain(metadata, "positive_int", "bigint", check="VALUE > 0")
    [op] = diff(engine, metadata).ops
    assert op.describe() == "alter domain positive_int (type integer -> bigint)"


def test_statement_count_does_not_grow_with_domains(engine_for: Callable[[int], Engine]) -> None:
    engine = engine_for(0)
    counts = []
    counts_made = [0]
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    for n in (1, 5):
        with engine.begin() as conn:
            for i in range(n):
                if i >= counts_made[0]:
                    conn.exec_driver_sql(f"CREATE DOMAIN d{i} AS integer CHECK (VALUE > {i})")
        counts_made[0] = n
        metadata = sa.MetaData()
        for i in range(n):
            Domain(metadata, f"d{i}", "integer", check=f"VALUE > {i}")
        statements.clear()
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert diff(engine, metadata).ops == ()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]
    with engine.connect() as conn:
        assert len(inspect_database(conn).domains) == 5
