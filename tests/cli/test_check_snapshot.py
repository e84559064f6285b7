"""Snapshots through the command line on every backend: ``snapshot -o FILE`` loads back equal to
a live reflection, and ``check --db A --against B`` compares databases and snapshots."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from fixtures.kitchen_sink import build, create
from schemadiff.snapshot.io import load
from schemadiff.sources import inspect_database
from tests.kit.check import execute
from tests.kit.cli import run_cli

BACKENDS = ["sqlite", "postgresql", "mysql"]


@pytest.fixture
def sink(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> tuple[str, str]:
    backend = request.param
    url = backend_url(backend)
    engine = sa.create_engine(url)
    try:
        create(build(backend), engine)
    finally:
        engine.dispose()
    return backend, url


@pytest.mark.parametrize("sink", BACKENDS, indirect=True)
def test_snapshot_round_trip_equals_live_reflection(sink: tuple[str, str], tmp_path: Path) -> None:
    _, url = sink
    result = run_cli(["snapshot", "--db", url, "-o", "snap.json"], tmp_path)
    assert result.code == 0, result
    saved = load(tmp_path / "snap.json")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            live = inspect_database(conn, list(saved.schemas))
    finally:
        engine.dispose()
    assert len(saved.tables) >= 3
    assert saved == live


@pytest.mark.parametrize("sink", BACKENDS, indirect=True)
def test_check_against_a_snapshot_and_a_database(
    sink: tuple[str, str], backend_url: Callable[..., str], tmp_path: Path
) -> None:
    backend, url = sink
    assert run_cli(["snapshot", "--db", url, "-o", "before.json"], tmp_path).code == 0
    same = run_cli(["check", "--db", url, "--against", "before.json"], tmp_path)
    assert same.code == 0, same
    assert same.out.startswith(f"OK: {_masked(url)} matches before.json")

    execute(url, "ALTER TABLE users ADD COLUMN nickname VARCHAR(20)")
    drifted = run_cli(
        ["check", "--db", url, "--against", "before.json", "--format", "json"], tmp_path
    )
    assert drifted.code == 1, drifted
    report = json.loads(drifted.out)
    # the kitchen sink's view over users is made again around the column change (README, Views)
    # (on PostgreSQL its grant to PUBLIC goes with it and is granted again: Grants and roles)
    again = [("grant_privileges", "active_users", "public")] if backend == "postgresql" else []
    assert [(c["op"], c["table"], c["name"]) for c in report["changes"]] == [
        ("drop_view", None, "active_users"),
        ("drop_column", "users", "nickname"),
        ("create_view", None, "active_users"),
        *again,
    ]
    assert report["against"] == "before.json"
    assert report["drift"]["note"] == "--against compares two databases (the chain is not used)"
    # the other way round: the snapshot is behind the database
    reverse = run_cli(
        ["check", "--db", "before.json", "--against", url, "--format", "json"], tmp_path
    )
    assert [c["op"] for c in json.loads(reverse.out)["changes"]] == [
        "drop_view",
        "add_column",
        "create_view",
        *(op for op, _, _ in again),
    ]
    # two live databases
    other = backend_url(backend, 1)
    engine = sa.create_engine(other)
    try:
        create(build(backend), engine)
    finally:
        engine.dispose()
    live = run_cli(["check", "--db", other, "--against", url], tmp_path)
    changes = f"{3 + len(again)} changes"  # the column, its view (and its grant)
    assert live.code == 1 and changes in live.out.splitlines()[0]


@pytest.mark.parametrize("sink", ["sqlite"], indirect=True)
def test_against_needs_the_same_kind_of_database(sink: tuple[str, str], tmp_path: Path) -> None:
    _, url = sink
    assert run_cli(["snapshot", "--db", url, "-o", "lite.json"], tmp_path).code == 0
    data = json.loads((tmp_path / "lite.json").read_text())
    data["dialect"] = "postgresql"
    (tmp_path / "pg.json").write_text(json.dumps(data))
    result = run_cli(["check", "--db", url, "--against", "pg.json"], tmp_path)
    assert result.code == 2
    assert "cannot compare a sqlite database with a postgresql one" in result.err


def _masked(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


@pytest.mark.parametrize("sink", ["postgresql"], indirect=True)
def test_against_does_not_want_the_servers_roles(sink: tuple[str, str], tmp_path: Path) -> None:
    """Roles are the server's: a role made after the snapshot (by anyone, for any database) is
    no difference between the snapshot and the database (it was proposed as CREATE ROLE)."""
    import uuid

    _, url = sink
    assert run_cli(["snapshot", "--db", url, "-o", "before.json"], tmp_path).code == 0
    role = f"sd_check_{uuid.uuid4().hex[:10]}"
    execute(url, f"CREATE ROLE {role}")
    try:
        reverse = run_cli(["check", "--db", "before.json", "--against", url], tmp_path)
        assert reverse.code == 0, reverse
    finally:
        execute(url, f"DROP ROLE {role}")
