"""PostgreSQL extensions (issue 17) on a real server, through the commands a user runs: a
database built by hand from the declarations diffs clean, a migration from v1 to v2 (an
extension added and a column of its type, another dropped) converges on the hand-built v2
reference (compared by the independent inspector), and its downgrade brings v1 back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.extensions import DDL, models
from schemadiff.objects import Extension, register_entities
from tests.kit.cli import cli_ok as cli
from tests.kit.cli import run_cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


engine_for = engine_fixture("postgresql")


def build(engine: Engine, version: int, metadata: sa.MetaData | None = None) -> None:
    """The version's extensions by hand, then ``create_all``."""
    with engine.begin() as conn:
        for statement in DDL[version]:
            conn.exec_driver_sql(statement)
        (metadata or models(version)).create_all(conn)


@pytest.mark.parametrize("version", [1, 2])
def test_a_database_built_from_the_declarations_diffs_clean(
    version: int, engine_for: Callable[[int], Engine]
) -> None:
    engine = engine_for(0)
    build(engine, version)
    result = diff(engine, models(version))
    assert [op.describe() for op in result.ops] == []
    assert [n for n in result.notices if n.objects] == []  # nothing listed as not compared


def test_convergence_upgrade_offline_and_downgrade(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    assert "<extensions>" in want_v2
    engine = engine_for(0)
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO docs (id, title) VALUES (1, 'kept')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_extensions.py").write_text(
        "from fixtures.extensions import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_extensions:metadata"\nscript_location = "migrations"\n'
    )
    report = run_cli(["diff"], folder).out
    assert "drop extension pg_trgm" in report and "destructive" in report, report
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "extensions", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    # the extension before the column of its type, the other one dropped after everything
    create, column, drop = (
        script.index(s)
        for s in ("CREATE EXTENSION IF NOT EXISTS hstore", '"tags"', "DROP EXTENSION pg_trgm")
    )
    assert create < column < drop, script

    offline = cli(folder, "upgrade", "head", "--sql")
    assert "CREATE EXTENSION IF NOT EXISTS hstore;" in offline, offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert [op.describe() for op in diff(engine, models(2)).ops] == [], script

    lint = run_cli(["lint"], folder)
    assert "SD107" in lint.out, lint

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
        assert conn.exec_driver_sql("SELECT title FROM docs").scalar() == "kept"


def test_schema_and_pinned_version_are_compared(engine_for: Callable[[int], Engine]) -> None:
    engine = engine_for(0)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA ext")
        conn.exec_driver_sql("CREATE EXTENSION hstore VERSION '1.7'")
    metadata = sa.MetaData()
    Extension(metadata, "hstore")
    assert [op.describe() for op in diff(engine, metadata).ops] == []  # version not pinned
    Extension(metadata, "hstore", schema="ext", version="1.8")
    # the commands reflect the schema an extension names (it exists: not created again)
    result = diff(engine, metadata, ["ext"])
    assert [op.describe() for op in result.ops] == [
        "alter extension hstore (schema public -> ext, version 1.7 -> 1.8)"
    ]
    Extension(metadata, "citext")
    result = diff(engine, metadata, ["ext"])
    assert [op.kind for op in result.ops] == ["create_extension", "alter_extension"]


def test_models_without_extensions_leave_the_database_alone(
    engine_for: Callable[[int], Engine],
) -> None:
    engine = engine_for(0)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE EXTENSION pg_trgm")
    result = diff(engine, sa.MetaData())
    assert result.ops == ()
    [listed] = [n for n in result.notices if n.objects]
    assert "1 extension" in listed.message
    assert [(o.kind, o.name) for o in listed.objects] == [("extension", "pg_trgm")]


def test_alembic_utils_pg_extension_converts(engine_for: Callable[[int], Engine]) -> None:
    from alembic_utils.pg_extension import PGExtension

    engine = engine_for(0)
    build(engine, 2)
    metadata = models(2)
    metadata.info.pop("schemadiff.extensions")
    [made] = register_entities(metadata, [PGExtension(schema="public", signature="hstore")])
    assert (made.name, made.schema, made.version) == ("hstore", "public", None)
    assert [op.describe() for op in diff(engine, metadata).ops] == []


def test_statement_count_does_not_grow_with_extensions(
    engine_for: Callable[[int], Engine],
) -> None:
    engine = engine_for(0)
    counts = []
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    for names in (["hstore"], ["hstore", "pg_trgm", "citext"]):
        with engine.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS "{name}"')
        statements.clear()
        metadata = sa.MetaData()
        for name in names:
            Extension(metadata, name)
        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert diff(engine, metadata).ops == ()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        counts.append(len(statements))
    assert counts[0] == counts[1]
