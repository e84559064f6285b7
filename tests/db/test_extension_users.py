"""Extensions and the columns, defaults, indexes and functions that use them, in one migration
(issue 17), on PostgreSQL through the commands a user runs: the extensions (and the schema one
is installed into) come first, their users after; the downgrade drops the users, then the
extensions, then the schema (:mod:`fixtures.extension_users`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.extension_users import DDL_AFTER, DDL_BEFORE, EXTENSION_SCHEMA, models
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.result import DiffResult
from schemadiff.objects import Extension
from schemadiff.sources import inspect_both
from tests.kit.cli import cli_ok as cli
from tests.kit.cli import run_cli
from tests.kit.independent import describe

pytestmark = pytest.mark.db

SCHEMAS: list[str | None] = [None, EXTENSION_SCHEMA]


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
            for name in ("pgcrypto", "pg_trgm", "hstore", "citext"):
                conn.exec_driver_sql(f"DROP EXTENSION IF EXISTS {name} CASCADE")
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {EXTENSION_SCHEMA} CASCADE")
        engine.dispose()


def build(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        for statement in DDL_BEFORE[version]:
            conn.exec_driver_sql(statement)
        models(version).create_all(conn)
        for statement in DDL_AFTER[version]:
            conn.exec_driver_sql(statement)


def settled(engine: Engine, metadata: sa.MetaData, schemas: list[str]) -> DiffResult:
    with engine.connect() as conn:
        db, wanted = inspect_both(conn, schemas, metadata)
    return compute_diff(db, wanted)


@pytest.mark.parametrize("schemas", [[], [EXTENSION_SCHEMA]], ids=["alone", "covered"])
def test_a_database_built_from_the_declarations_diffs_clean(
    schemas: list[str], engine_for: Callable[[int], Engine]
) -> None:
    engine = engine_for(0)
    build(engine, 2)
    # the extension's schema compared or not, its objects are the extension's: no drift
    result = settled(engine, models(2), schemas)
    assert [op.describe() for op in result.ops] == []
    assert [n for n in result.notices if n.objects] == []


def test_convergence_upgrade_offline_and_downgrade(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, SCHEMAS)
    assert "<extensions>" in want_v2
    engine = engine_for(0)
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO docs (id, title) VALUES (1, 'kept')")
    with engine.connect() as conn:
        v1_state = describe(conn, SCHEMAS)

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_extension_users.py").write_text(
        "from fixtures.extension_users import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_extension_users:metadata"\n'
        'script_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "extensions", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    upgrade, downgrade = script.split("def downgrade")
    at, back = upgrade.index, downgrade.index
    schema = at(f'CreateSchema("{EXTENSION_SCHEMA}")')
    assert schema < at("CREATE EXTENSION IF NOT EXISTS pgcrypto"), script
    assert schema < at("CREATE EXTENSION IF NOT EXISTS pg_trgm"), script
    for name in ("citext", "hstore", "pg_trgm", "pgcrypto"):
        assert at(f"CREATE EXTENSION IF NOT EXISTS {name}") < at('"people"'), script
        assert back('drop_table("people")') < back(f"DROP EXTENSION {name}"), script
    assert at("CREATE EXTENSION IF NOT EXISTS citext") < at("CREATE FUNCTION norm_email("), script
    assert back("DROP FUNCTION norm_email(") < back("DROP EXTENSION citext"), script
    assert back("DROP EXTENSION pgcrypto") < back(f'DropSchema("{EXTENSION_SCHEMA}")'), script

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, SCHEMAS) == want_v2, script
    assert [op.describe() for op in settled(engine, models(2), []).ops] == [], script
    report = run_cli(["diff"], folder)
    assert report.code == 0, report
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO people (id, email, name) VALUES (1, 'A@b.c', 'x')")
        assert conn.exec_driver_sql(
            "SELECT email = 'a@B.C', length(salt) > 0 FROM people"
        ).one() == (True, True)

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, SCHEMAS) == v1_state, script
        assert conn.exec_driver_sql("SELECT title FROM docs").scalar() == "kept"
        assert (
            conn.exec_driver_sql(
                f"SELECT count(*) FROM pg_namespace WHERE nspname = '{EXTENSION_SCHEMA}'"
            ).scalar()
            == 0
        )


def test_an_existing_extension_schema_is_not_created_again(
    engine_for: Callable[[int], Engine],
) -> None:
    engine = engine_for(0)
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {EXTENSION_SCHEMA}")
    metadata = models(1)
    Extension(metadata, "pgcrypto", schema=EXTENSION_SCHEMA)
    result = settled(engine, metadata, [EXTENSION_SCHEMA])
    assert [op.describe() for op in result.ops] == [
        f"create extension pgcrypto in schema {EXTENSION_SCHEMA}"
    ]
    missing = settled(engine_for(1), metadata, [EXTENSION_SCHEMA])
    assert [op.describe() for op in missing.ops][:2] == [
        f"create schema {EXTENSION_SCHEMA}",
        f"create extension pgcrypto in schema {EXTENSION_SCHEMA}",
    ]


def test_what_else_lives_in_the_extension_schema_is_left_alone(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    """Named only by an extension, the schema is not the models' (Supabase keeps its own helper
    functions in ``extensions``): its other objects are neither compared nor listed. Listed in
    ``schemas``, it is compared like any other."""
    engine = engine_for(0)
    build(engine, 2)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE TABLE {EXTENSION_SCHEMA}.stray (id integer)")
        conn.exec_driver_sql(
            f"CREATE FUNCTION {EXTENSION_SCHEMA}.helper() RETURNS int LANGUAGE sql AS 'SELECT 1'"
        )
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_extension_schema.py").write_text(
        "from fixtures.extension_users import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    config = f'url = "{url}"\nmetadata = "models_extension_schema:metadata"\n'
    (folder / "schemadiff.toml").write_text(config)
    report = run_cli(["diff"], folder)
    assert report.code == 0 and "stray" not in report.out and "helper" not in report.out, report
    (folder / "schemadiff.toml").write_text(config + f'schemas = ["{EXTENSION_SCHEMA}"]\n')
    report = run_cli(["diff"], folder)
    assert report.code == 1, report
    assert f"drop table {EXTENSION_SCHEMA}.stray" in report.out, report
    assert f"drop function {EXTENSION_SCHEMA}.helper()" in report.out, report
