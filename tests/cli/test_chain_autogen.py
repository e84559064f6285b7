"""``revision --autogenerate`` end to end on SQLite, reproducible revision files, and agreement
with plain ``alembic`` (scripts we write run under it; the version table reads the same)."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import table_names, version_rows, write_rev
from tests.kit.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
ALEMBIC = Path(sys.executable).parent / "alembic"
_counter = itertools.count()

MODELS_V1 = """
import sqlalchemy as sa
metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(50), nullable=False, unique=True),
    sa.Column("nickname", sa.String(20)),
)
posts = sa.Table(
    "posts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False),
    sa.Column("title", sa.String(100), nullable=False),
)
sa.Index("ix_posts_title", posts.c.title)
"""

MODELS_V2 = """
import sqlalchemy as sa
metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("phone", sa.String(20)),
)
posts = sa.Table(
    "posts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), nullable=False),
    sa.Column("title", sa.String(100), nullable=False),
    sa.Column("body", sa.Text, nullable=False, server_default=""),
)
tags = sa.Table("tags", metadata, sa.Column("name", sa.String(30), primary_key=True))
sa.Index("ix_posts_user", posts.c.user_id)
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SCHEMADIFF_URL", f"sqlite:///{tmp_path / 'app.db'}")
    (tmp_path / "app.db").touch()
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    return tmp_path


def models(project: Path, source: str) -> str:
    """Write a models module under a fresh name (imports are cached across tests)."""
    name = f"chain_models_{next(_counter)}_{os.getpid()}"
    (project / f"{name}.py").write_text(source)
    return f"{name}:metadata"


def autogen(project: Path, ref: str, message: str, *extra: str) -> tuple[int, str, str]:
    result = run_cli(
        ["revision", "--autogenerate", "-m", message, "--metadata", ref, *extra], project
    )
    return result.code, result.out, result.err


def drift(url: str, ref: str, version_table: str = "alembic_version") -> list[str]:
    """What still differs between the database and the models (our own pipeline)."""
    from schemadiff.pipeline import compare
    from schemadiff.settings.config import Settings

    result = compare(Settings(url=url, metadata=ref, version_table=version_table)).result
    return [op.describe() for op in result.ops]


def test_autogenerate_upgrade_downgrade(project: Path) -> None:
    url = f"sqlite:///{project / 'app.db'}"
    v1, v2 = models(project, MODELS_V1), models(project, MODELS_V2)
    code, out, err = autogen(project, v1, "first", "--rev-id", "aaa111")
    assert code == 0, err
    assert "create table users" in out and "wrote migrations/versions/aaa111_first.py" in out
    assert run_cli(["upgrade"], project).code == 0
    assert drift(url, v1) == []
    code, out, _ = autogen(project, v1, "nothing")
    assert (code, out.strip()) == (0, "No changes detected")
    assert len(list((project / "migrations" / "versions").glob("*.py"))) == 1
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO users (id, username, nickname) VALUES (1, 'ann', 'a')"))
        conn.execute(sa.text("INSERT INTO posts (id, user_id, title) VALUES (1, 1, 'hi')"))
    code, out, err = autogen(project, v2, "second", "--rev-id", "bbb222")
    assert code == 0, err
    assert "drop column users.nickname" in out
    text = (project / "migrations" / "versions" / "bbb222_second.py").read_text()
    assert "batch_alter_table" in text  # SQLite: render_as_batch "auto"
    assert run_cli(["upgrade"], project).code == 0
    assert drift(url, v2) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT username, phone FROM users")).all() == [("ann", None)]
        assert conn.execute(sa.text("SELECT title, body FROM posts")).all() == [("hi", "")]
    assert run_cli(["downgrade", "-1"], project).code == 0
    assert drift(url, v1) == []
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT username FROM users")).all() == [("ann",)]
    engine.dispose()
    assert run_cli(["upgrade"], project).code == 0
    code, out, _ = autogen(project, v2, "empty on purpose", "--allow-empty", "--rev-id", "ccc333")
    assert code == 0 and "ccc333_empty_on_purpose.py" in out


def test_autogenerate_needs_database_at_head(project: Path) -> None:
    ref = models(project, MODELS_V1)
    write_rev(project / "migrations" / "versions", "r1")
    code, _, err = autogen(project, ref, "x")
    assert code == 2
    assert "not up to date (it is at base; head r1 is not applied)" in err
    assert "upgrade" in err
    assert len(list((project / "migrations" / "versions").glob("*.py"))) == 1


def _subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def test_revision_output_is_byte_identical_across_hash_seeds(project: Path) -> None:
    (project / "models.py").write_text(MODELS_V2)
    outputs = []
    for seed in ("0", "1", "2"):
        copy = project.parent / f"seed{seed}"
        shutil.copytree(project, copy)
        env = _subprocess_env(
            PYTHONHASHSEED=seed,
            SOURCE_DATE_EPOCH="1700000000",
            SCHEMADIFF_URL=f"sqlite:///{copy / 'app.db'}",
        )
        args = ["revision", "--autogenerate", "-m", "all of it", "--rev-id", "feed01"]
        args += ["--metadata", "models:metadata"]
        done = subprocess.run(
            [sys.executable, "-m", "schemadiff", *args],
            cwd=copy,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        outputs.append((copy / "migrations" / "versions" / "feed01_all_of_it.py").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"Create Date: 2023-11-14 22:13:20" in outputs[0]


def _alembic(project: Path, *args: str, url: str | None = None) -> str:
    env = _subprocess_env(SCHEMADIFF_URL=url or f"sqlite:///{project / 'app.db'}")
    done = subprocess.run(
        [str(ALEMBIC), *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_generated_script_runs_under_plain_alembic(project: Path) -> None:
    """init's env.py lets ``alembic upgrade head`` run our scripts, custom version table too."""
    (project / "pyproject.toml").write_text('[tool.schemadiff]\nversion_table = "my_versions"\n')
    url = f"sqlite:///{project / 'app.db'}"
    ref = models(project, MODELS_V1)
    assert autogen(project, ref, "first", "--rev-id", "aaa111")[0] == 0
    _alembic(project, "upgrade", "head")
    assert {"users", "posts", "my_versions"} <= table_names(url)
    assert "alembic_version" not in table_names(url)
    assert version_rows(url, "my_versions") == ["aaa111"]
    assert run_cli(["current"], project).out == "aaa111 (head)\n"
    assert drift(url, ref, "my_versions") == []
    assert "CREATE TABLE users" in _alembic(project, "upgrade", "head", "--sql")
    _alembic(project, "downgrade", "base")
    assert not {"users", "posts"} & table_names(url)
    assert run_cli(["upgrade"], project).code == 0
    assert "aaa111 (head)" in _alembic(project, "current")


def test_version_rows_agree_with_alembic(project: Path) -> None:
    """Branches, a merge and a cross-branch dependency: our rows equal Alembic's after each."""
    folder = project / "migrations" / "versions"
    write_rev(folder, "a1", labels=("a",))
    write_rev(folder, "a2", "a1")
    write_rev(folder, "b1", None, labels=("b",))
    write_rev(folder, "b2", "b1", depends="a2")
    write_rev(folder, "b3", "b2")
    write_rev(folder, "c1", "a1", labels=("c",))
    write_rev(folder, "m1", ("a2", "c1"))
    ours, theirs = project / "ours.db", project / "theirs.db"
    ours.touch()
    steps = [
        ("upgrade", "a@head"),
        ("upgrade", "b@head"),
        ("upgrade", "c1"),
        ("downgrade", "a1"),
        ("upgrade", "heads"),
        ("downgrade", "c1"),
        ("stamp", "c1"),
        ("downgrade", "base"),
        ("stamp", "heads"),
    ]
    for command, target in steps:
        result = run_cli([command, target, "--db", f"sqlite:///{ours}"], project)
        assert result.code == 0, result.err
        _alembic(project, command, target, url=f"sqlite:///{theirs}")
        assert version_rows(f"sqlite:///{ours}") == version_rows(f"sqlite:///{theirs}"), (
            command,
            target,
        )


def test_existing_alembic_project_works_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project made by ``alembic init``: its alembic.ini, env.py and template are used as is."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    env = _subprocess_env()
    env.pop("SCHEMADIFF_URL", None)
    subprocess.run(
        [str(ALEMBIC), "init", "alembic"], cwd=tmp_path, env=env, check=True, capture_output=True
    )
    ini = tmp_path / "alembic.ini"
    url = f"sqlite:///{tmp_path / 'app.db'}"
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname", url))
    (tmp_path / "app.db").touch()
    theirs = subprocess.run(
        [str(ALEMBIC), "revision", "-m", "by alembic"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Generating" in theirs.stdout
    result = run_cli(["revision", "-m", "by schemadiff", "--rev-id", "bead01"], tmp_path)
    assert result.code == 0, result.err
    text = (tmp_path / "alembic" / "versions" / "bead01_by_schemadiff.py").read_text()
    assert '"""Upgrade schema."""' in text  # alembic's own script.py.mako was used
    assert run_cli(["upgrade"], tmp_path).code == 0
    done = subprocess.run(
        [str(ALEMBIC), "current"], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "bead01 (head)"
    assert (
        run_cli(["history"], tmp_path).out.splitlines()[0].endswith("bead01 (head), by schemadiff")
    )
