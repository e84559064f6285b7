"""Functions that defaults, CHECK constraints, generated columns, expression indexes and
triggers call (issue 17), on PostgreSQL through the commands a user runs: the migration creates
them before the tables that call them and drops them after, both ways
(:mod:`fixtures.function_calls`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.function_calls import DDL_AFTER, DDL_BEFORE, models
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.result import DiffResult
from schemadiff.sources import inspect_both
from tests.kit.cli import cli_ok as cli
from tests.kit.independent import describe

pytestmark = pytest.mark.db

SCHEMAS: list[str | None] = [None, "app"]


@pytest.fixture
def engine_for(backend_url: Callable[..., str]) -> Iterator[Callable[[int], Engine]]:
    made: list[Engine] = []

    def get(slot: int = 0) -> Engine:
        engine = sa.create_engine(backend_url("postgresql", slot))
        made.append(engine)
        return engine

    yield get
    for engine in made:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS app CASCADE")
        engine.dispose()


def build(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        for statement in DDL_BEFORE[version]:
            conn.exec_driver_sql(statement)
        models(version).create_all(conn)
        for statement in DDL_AFTER[version]:
            conn.exec_driver_sql(statement)


def settled(engine: Engine, metadata: sa.MetaData) -> DiffResult:
    with engine.connect() as conn:
        db, wanted = inspect_both(conn, ["app"], metadata)
    return compute_diff(db, wanted)


@pytest.mark.parametrize("version", [1, 2])
def test_a_database_built_from_the_declarations_diffs_clean(
    version: int, engine_for: Callable[[int], Engine]
) -> None:
    engine = engine_for(0)
    build(engine, version)
    result = settled(engine, models(version))
    assert [op.describe() for op in result.ops] == []
    assert [n for n in result.notices if n.objects] == []


def test_convergence_upgrade_offline_and_downgrade(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, SCHEMAS)
    engine = engine_for(0)
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO items (id, name) VALUES (1, 'kept')")
        conn.exec_driver_sql("INSERT INTO old_stuff (id) VALUES (1)")
    with engine.connect() as conn:
        v1_state = describe(conn, SCHEMAS)
        assert conn.exec_driver_sql("SELECT status, legacy FROM items").one() == ("new", "L")

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_function_calls.py").write_text(
        "from fixtures.function_calls import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_function_calls:metadata"\n'
        'script_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "calls", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    upgrade, downgrade = script.split("def downgrade")
    at = upgrade.index
    # called functions (and what their SQL bodies call) before the tables and columns
    assert at("CREATE FUNCTION code_prefix()") < at("CREATE FUNCTION next_code()"), script
    assert at("CREATE FUNCTION next_code()") < at('"tickets"'), script
    assert at("CREATE FUNCTION app.twice(") < at('"tickets"'), script
    assert at("CREATE FUNCTION norm_code(") < at('"tickets"'), script
    # a function that reads a table after it; dropped callers before their functions
    assert at('"tickets"') < at("CREATE FUNCTION ticket_count()"), script
    assert at('drop_table("old_stuff")') < at("DROP FUNCTION legacy_code()"), script
    assert at('drop_table("old_stuff")') < at("DROP FUNCTION old_touch()"), script
    assert at('drop_column("items", "legacy")') < at("DROP FUNCTION legacy_stamp()"), script
    # bodies that read what comes later: created before it, unchecked
    assert at("check_function_bodies = off") < at("CREATE FUNCTION next_ticket_no()"), script
    assert at("CREATE FUNCTION next_ticket_no()") < at('"tickets"'), script
    assert at("CREATE FUNCTION open_count()") < at("CREATE VIEW open_tickets"), script
    assert upgrade.count("check_function_bodies = off") == 2, script
    # domains: their functions before them, dropped after them
    assert at("CREATE FUNCTION is_positive(") < at("CREATE DOMAIN positive_int"), script
    assert at("DROP DOMAIN short_text") < at("DROP FUNCTION is_short("), script
    # a changed body replaces the function where it stands: it exists for the new default
    assert at("CREATE OR REPLACE FUNCTION label()") > at('"label"'), script
    # the downgrade: the functions back before the table, the column and the default
    back = downgrade.index
    assert back("CREATE FUNCTION legacy_code()") < back('"old_stuff"'), script
    assert back("CREATE FUNCTION legacy_stamp()") < back('"legacy"'), script
    assert back("CREATE FUNCTION default_status()") < back(
        'server_default=sa.text("default_status()")'
    ), script
    assert back('drop_table("tickets")') < back("DROP FUNCTION next_code()"), script
    assert back("CREATE FUNCTION is_short(") < back("CREATE DOMAIN short_text"), script
    assert back("DROP DOMAIN positive_int") < back("DROP FUNCTION is_positive("), script

    offline = cli(folder, "upgrade", "head", "--sql")
    assert "CREATE FUNCTION next_code()" in offline, offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, SCHEMAS) == want_v2, script
    assert [op.describe() for op in settled(engine, models(2)).ops] == [], script
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO tickets (id, n) VALUES (1, 4)")
        conn.exec_driver_sql("INSERT INTO tickets (id, n) VALUES (2, 5)")
        assert conn.exec_driver_sql("SELECT code, n2, no FROM tickets WHERE id = 2").one() == (
            "TK-x",
            10,
            2,
        )
        assert conn.exec_driver_sql("SELECT open_count()").scalar() == 2

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, SCHEMAS) == v1_state, script
        assert conn.exec_driver_sql("SELECT name FROM items").scalar() == "kept"
