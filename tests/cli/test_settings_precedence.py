"""``-n ENV`` whose environment sets ``url`` uses that URL even when ``SCHEMADIFF_URL`` /
``DATABASE_URL`` is set, for every command; without ``-n`` (or when the environment has no
``url``) the variable still wins over the file's base ``url``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.kit.chain import table_names, version_rows, write_rev
from tests.kit.check import MODELS, unique_module
from tests.kit.cli import run_cli

USERS = "op.create_table('users', sa.Column('id', sa.Integer, primary_key=True))"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An environment 'staging' (staging.db) and a stray variable pointing at other.db."""
    module = unique_module(tmp_path, MODELS)
    write_rev(
        tmp_path / "m" / "versions", "aaa111", upgrade=USERS, downgrade="op.drop_table('users')"
    )
    (tmp_path / "schemadiff.toml").write_text(
        f'metadata = "{module}:Base.metadata"\nscript_location = "m"\nurl = "sqlite:///base.db"\n'
        '[environments.staging]\nurl = "sqlite:///staging.db"\n'
        '[environments.nourl]\nversion_table = "other_version"\n',
        encoding="utf-8",
    )
    for name in ("staging.db", "other.db", "base.db"):
        (tmp_path / name).touch()
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///other.db")
    return tmp_path


def test_upgrade_and_current_use_the_environments_url(project: Path) -> None:
    staging, other = f"sqlite:///{project / 'staging.db'}", f"sqlite:///{project / 'other.db'}"
    up = run_cli(["-n", "staging", "upgrade", "head"], project)
    assert up.code == 0, up
    assert version_rows(staging) == ["aaa111"] and "users" in table_names(staging)
    assert version_rows(other) == [] and table_names(other) == set()
    current = run_cli(["-n", "staging", "current", "--verbose"], project)
    assert current.code == 0, current
    assert "sqlite:///staging.db" in current.out and "aaa111" in current.out


def test_diff_and_check_use_the_environments_url(project: Path) -> None:
    run_cli(["-n", "staging", "upgrade", "head"], project)
    diff = run_cli(["-n", "staging", "diff", "--format", "json"], project)
    # staging.db has the users table (other.db is empty: it would say "add table users")
    assert '"op": "add_column"' in diff.out and '"add_table"' not in diff.out, diff
    check = run_cli(["-n", "staging", "check", "--no-classify"], project)
    assert "sqlite:///staging.db" in check.out and "other.db" not in check.out, check


def test_the_variable_still_wins_without_an_environment_url(project: Path) -> None:
    plain = run_cli(["current", "--verbose"], project)
    assert "sqlite:///other.db" in plain.out, plain
    nourl = run_cli(["-n", "nourl", "current", "--verbose"], project)
    assert "sqlite:///other.db" in nourl.out, nourl
