"""Several targets at once: ``check --db A --db B ...`` and ``--all-environments``; a summary
table; exit 1 if one drifted, 2 if one could not be reached (named, password masked)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.cli.commands.check import _progress
from tests.kit.check import MODELS, execute, unique_module
from tests.kit.cli import run_cli

UNREACHABLE = "postgresql+psycopg://app:s3cret@127.0.0.1:1/prod"
MASKED = "postgresql+psycopg://app:***@127.0.0.1:1/prod"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Models, a clean database (clean.db) and one without users.phone (drifted.db)."""
    for var in ("SCHEMADIFF_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    module = unique_module(tmp_path, MODELS)
    create = "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, "
    execute(f"sqlite:///{tmp_path / 'clean.db'}", create + "email VARCHAR(100), phone VARCHAR(20))")
    execute(f"sqlite:///{tmp_path / 'drifted.db'}", create + "email VARCHAR(100))")
    (tmp_path / "schemadiff.toml").write_text(
        f'metadata = "{module}:Base.metadata"\n'
        '[environments.staging]\nurl = "sqlite:///clean.db"\n'
        '[environments.prod]\nurl = "sqlite:///drifted.db"\n'
    )
    return tmp_path


def dbs(*urls: str) -> list[str]:
    return [arg for url in urls for arg in ("--db", url)]


def test_one_clean_one_drifted_one_unreachable(folder: Path) -> None:
    result = run_cli(
        ["check", *dbs("sqlite:///clean.db", "sqlite:///drifted.db", UNREACHABLE)], folder
    )
    assert result.code == 2, result
    assert "s3cret" not in result.out + result.err
    assert result.err.startswith(f"error: target #3 ({MASKED}): cannot connect to {MASKED}")
    assert len(result.err.splitlines()) == 1  # no progress display: stderr is not a terminal
    out = result.out
    assert "OK: sqlite:///clean.db matches the models" in out
    assert "DRIFT: sqlite:///drifted.db differs from the models: 1 change" in out
    assert f"ERROR: {MASKED}: cannot connect" in out
    table = out[out.index("schemadiff check") :]
    rows = {line.split("│")[1].strip(): line for line in table.splitlines() if "│" in line}
    assert [v.split("│")[3].strip() for k, v in rows.items() if k.startswith("#")] == [
        "ok",
        "drift",
        "error",
    ]
    assert MASKED in rows["#3"] and rows["#2"].split("│")[4].strip() == "1"


def test_exit_codes(folder: Path) -> None:
    clean, drifted = "sqlite:///clean.db", "sqlite:///drifted.db"
    assert run_cli(["check", *dbs(clean, clean)], folder).code == 0
    assert run_cli(["check", *dbs(clean, drifted)], folder).code == 1
    assert run_cli(["check", *dbs(drifted, UNREACHABLE)], folder).code == 2


def test_all_environments(folder: Path) -> None:
    result = run_cli(["check", "--all-environments", "--format", "json"], folder)
    assert result.code == 1, result
    report = json.loads(result.out)
    assert report["format"] == "schemadiff.check/1"
    assert [(t["target"], t["verdict"], t["changes"]) for t in report["targets"]] == [
        ("prod", "drift", 1),
        ("staging", "ok", 0),
    ]
    assert report["summary"] == {"targets": 2, "drifted": 1, "errors": 0}
    prod = report["targets"][0]["report"]
    assert prod["format"] == "schemadiff.diff/1" and prod["database"] == "sqlite:///drifted.db"
    with (folder / "schemadiff.toml").open("a") as f:
        f.write(f'[environments.broken]\nurl = "{UNREACHABLE}"\n')
    broken = run_cli(["check", "--all-environments", "--format", "markdown"], folder)
    assert broken.code == 2
    assert "s3cret" not in broken.out + broken.err
    assert "| broken | `" + MASKED + "` | ⚠️ error | - | - |" in broken.out
    assert broken.out.startswith("### ⚠️ schemadiff check: 3 targets, 1 drifted, 1 failed")
    github = run_cli(["check", "--all-environments", "--format", "github"], folder)
    assert "::error title=schemadiff::[broken] " + MASKED + " could not be checked" in github.out
    assert ",title=schemadiff::[prod] add column users.phone varchar(20)\n" in github.out


@pytest.mark.parametrize("var", ["SCHEMADIFF_URL", "DATABASE_URL"])
def test_all_environments_check_their_own_urls_despite_the_variables(
    folder: Path, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    """A stray URL variable must not make every environment check the same database."""
    monkeypatch.setenv(var, "sqlite:///clean.db")
    result = run_cli(["check", "--all-environments", "--format", "json"], folder)
    assert result.code == 1, result
    report = json.loads(result.out)
    databases = [(t["target"], t["report"]["database"]) for t in report["targets"]]
    assert databases == [("prod", "sqlite:///drifted.db"), ("staging", "sqlite:///clean.db")]


def test_all_environments_usage_errors(folder: Path) -> None:
    both = run_cli(["check", "--all-environments", "--db", "sqlite:///clean.db"], folder)
    assert (both.code, both.err) == (
        2,
        "error: --all-environments checks the configured URLs; drop --db\n",
    )
    named = run_cli(["-n", "prod", "check", "--all-environments"], folder)
    assert named.code == 2 and "drop -n/--name" in named.err
    (folder / "schemadiff.toml").write_text('metadata = "x:y"\n')
    none = run_cli(["check", "--all-environments"], folder)
    assert none.code == 2 and "no environments configured" in none.err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr("sys.stderr", pipe)
    with _progress(2) as advance:
        advance("prod")
        advance("staging")
    assert pipe.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with _progress(2) as advance:
        advance("prod")
        advance("staging")
    assert "checking" in terminal.getvalue()


def test_sqlalchemy_is_only_imported_when_checking() -> None:
    """Registering ``check`` keeps ``schemadiff --help`` light."""
    import schemadiff.cli.commands.check as module

    assert "sqlalchemy" not in vars(module) and sa is not None
