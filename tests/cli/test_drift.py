"""Drift classification, produced for real: a database at an older revision (pending), a model
change without a revision (missing migration), hand-applied DDL (out-of-band); the chain is
replayed on a scratch database (a temporary SQLite file, or a database on the local server)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit import dbs
from tests.kit.check import MODELS, check_json, execute, labels, make_project, tables
from tests.kit.cli import run_cli

BACKENDS = ("sqlite", "postgresql", "mysql")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def project(
    tmp_path: Path, backend: str, backend_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, str]:
    """The check project on one backend; the database is at revision aaa111 (one behind)."""
    for var in ("SCHEMADIFF_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    url = backend_url(backend)
    scratch = None if backend == "sqlite" else dbs.find_server(backend).url
    make_project(tmp_path, url, scratch)
    assert run_cli(["upgrade", "aaa111"], tmp_path).code == 0
    return tmp_path, url


def test_each_kind_of_drift_is_labelled(project: tuple[Path, str], backend: str) -> None:
    folder, url = project
    execute(url, "CREATE INDEX ix_hand ON users (name)")
    result, report = check_json(folder)
    assert result.code == 1
    assert labels(report) == {
        ("drop_index", "ix_hand"): "out-of-band",
        ("add_column", "email"): "pending",
        ("add_column", "phone"): "missing migration",
    }
    drift = report["drift"]
    assert drift["classified"] is True and drift["note"] is None
    assert (drift["revision"], drift["heads"]) == (["aaa111"], ["bbb222"])
    assert drift["pending_revisions"] == ["bbb222"]
    assert drift["counts"] == {"out-of-band": 1, "pending": 1, "missing migration": 1}
    text = run_cli(["check"], folder)
    assert text.code == 1
    lines = text.out.splitlines()
    assert lines[0].startswith("DRIFT: ") and "3 changes" in lines[0]
    assert any("ix_hand" in line and line.endswith("[out-of-band]") for line in lines)
    assert any("users.email" in line and line.endswith("[pending]") for line in lines)
    assert any("users.phone" in line and line.endswith("[missing migration]") for line in lines)
    assert "drift: 1 out-of-band, 1 pending, 1 missing migration (database at aaa111, head " in (
        text.out
    )
    markdown = run_cli(["check", "--format", "markdown"], folder).out
    assert "| | Change | Drift |" in markdown
    assert "| ➕ | `add column users.phone varchar(20)` | missing migration |" in markdown
    github = run_cli(["check", "--format", "github"], folder).out
    email_line = MODELS.splitlines().index(
        "    email: Mapped[str | None] = mapped_column(sa.String(100))"
    )
    assert f",line={email_line + 1},title=schemadiff::add column users.email" in github
    assert "varchar(100) (pending)\n" in github
    # the check changed nothing and left no scratch database behind
    assert "alembic_version" in tables(url) and "ix_hand" not in tables(url)


def test_at_head_only_the_missing_migration_remains(project: tuple[Path, str]) -> None:
    folder, _ = project
    assert run_cli(["upgrade", "head"], folder).code == 0
    _, report = check_json(folder)
    assert labels(report) == {("add_column", "phone"): "missing migration"}
    assert report["drift"]["pending_revisions"] == []


@pytest.mark.parametrize("backend", ["sqlite"])
def test_hand_change_to_a_column_a_pending_revision_also_touches(
    project: tuple[Path, str],
) -> None:
    """Someone added users.email by hand (NOT NULL, unlike what revision bbb222 will add): the
    database differs from what aaa111 builds, so the change is out-of-band, and pending is listed
    as "also". (A wider VARCHAR alone is no change on SQLite: it enforces no declared size.)"""
    folder, url = project
    execute(url, "ALTER TABLE users ADD COLUMN email VARCHAR(100) NOT NULL DEFAULT ''")
    _, report = check_json(folder)
    change = next(c for c in report["drift"]["changes"] if c["name"] == "email")
    assert (change["op"], change["label"], change["also"]) == (
        "alter_column",
        "out-of-band",
        ["pending"],
    )


@pytest.mark.parametrize("backend", ["postgresql"])
def test_no_scratch_server_means_unclassified(project: tuple[Path, str]) -> None:
    folder, _ = project
    toml = folder / "schemadiff.toml"
    toml.write_text(
        "\n".join(line for line in toml.read_text().splitlines() if "scratch" not in line) + "\n"
    )
    _, report = check_json(folder)
    assert set(labels(report).values()) == {"unclassified"}
    assert report["drift"]["classified"] is False
    assert "no scratch server" in report["drift"]["note"]
    text = run_cli(["check"], folder)
    assert "drift not classified: no scratch server to replay the chain on" in text.out
    assert "[unclassified]" not in text.out  # one line says why, not every change


@pytest.mark.parametrize("backend", ["sqlite"])
def test_unclassified_without_chain_or_with_a_snapshot(project: tuple[Path, str]) -> None:
    folder, _ = project
    no_chain = run_cli(["--config", _without_chain(folder), "check", "--format", "json"], folder)
    assert no_chain.code == 1
    assert '"note": "no script_location configured' in no_chain.out
    assert run_cli(["snapshot", "-o", "snap.json"], folder).code == 0
    _, report = check_json(folder, "--db", "snap.json")
    assert report["drift"]["note"] == "the database's revision is unknown (it is a snapshot file)"
    skipped = run_cli(["check", "--no-classify", "--format", "json"], folder)
    assert '"classified": false' in skipped.out and '"note": null' in skipped.out


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_revision_missing_from_the_chain_is_reported_not_guessed(
    project: tuple[Path, str],
) -> None:
    folder, url = project
    execute(url, "UPDATE alembic_version SET version_num = 'zzz999'")
    _, report = check_json(folder)
    assert report["drift"]["classified"] is False
    assert "stamped with revision zzz999, which is not in the chain" in report["drift"]["note"]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_database_never_migrated_is_at_base(project: tuple[Path, str]) -> None:
    """No version table: the users table the database has, it got by hand (so a change to it is
    out-of-band); a column no revision builds is still a missing migration."""
    folder, url = project
    execute(url, "DROP TABLE alembic_version")
    _, report = check_json(folder)
    assert report["drift"]["revision"] == []
    assert labels(report) == {
        ("add_column", "email"): "out-of-band",
        ("add_column", "phone"): "missing migration",
    }
    assert "alembic_version" not in tables(url)  # reading it never creates it


def _without_chain(folder: Path) -> str:
    path = folder / "nochain.toml"
    text = (folder / "schemadiff.toml").read_text()
    path.write_text("\n".join(x for x in text.splitlines() if "script_location" not in x) + "\n")
    return str(path)
