"""``init -t TEMPLATE`` for each of Alembic's template names: the environment it writes runs under
the installed ``alembic`` (online, offline, async on ``sqlite+aiosqlite``) and under
``schemadiff`` on the same project files and database (real processes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadiff.chain.env_template import MARK
from tests.kit.chain import table_names, table_ops, version_rows, write_rev
from tests.kit.cli import run_alembic, run_process

TEMPLATES = ("generic", "async", "pyproject", "pyproject_async")


def _urls(project: Path, template: str) -> tuple[str, str]:
    """(URL for the commands, URL the test reads back with) of one SQLite file: the async
    templates' env.py gets the aiosqlite driver, under alembic and schemadiff alike."""
    path = project / "app.db"
    given = f"sqlite+aiosqlite:///{path}" if "async" in template else f"sqlite:///{path}"
    return given, f"sqlite:///{path}"


def _init(tmp_path: Path, template: str) -> Path:
    result = run_process(tmp_path, "init", "-t", template, "migrations")
    assert result.code == 0, result.err
    up, down = table_ops("t")
    write_rev(tmp_path / "migrations" / "versions", "r1", upgrade=up, downgrade=down)
    return tmp_path


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_runs_under_alembic(tmp_path: Path, template: str) -> None:
    project = _init(tmp_path, template)
    env_py = (project / "migrations" / "env.py").read_text()
    assert env_py.startswith(f'"""{MARK}')
    assert ("create_async_engine" in env_py) == ("async" in template)
    pyproject = project / "pyproject.toml"
    assert pyproject.exists() == template.startswith("pyproject")
    alembic_url, url = _urls(project, template)
    env = {"DATABASE_URL": alembic_url}
    up = run_alembic(project, "upgrade", "head", env=env)
    assert up.code == 0, up.err
    assert version_rows(url) == ["r1"] and "t" in table_names(url)
    offline = run_alembic(project, "upgrade", "head", "--sql", env=env)
    assert offline.code == 0 and "CREATE TABLE t" in offline.out, offline.err
    down = run_alembic(project, "downgrade", "base", env=env)
    assert down.code == 0, down.err
    assert version_rows(url) == [] and "t" not in table_names(url)


@pytest.mark.parametrize(
    "template",
    [
        "generic",
        "async",
        "pyproject",
        "pyproject_async",
    ],
)
def test_template_runs_under_schemadiff_and_alembic_agrees(tmp_path: Path, template: str) -> None:
    project = _init(tmp_path, template)
    alembic_url, url = _urls(project, template)
    made = run_process(project, "revision", "-m", "second", "--rev-id", "r2")
    assert made.code == 0, made.err
    up = run_process(project, "upgrade", "head", env={"DATABASE_URL": alembic_url})
    assert up.code == 0, up.err
    assert version_rows(url) == ["r2"] and "t" in table_names(url)
    current = run_alembic(project, "current", env={"DATABASE_URL": alembic_url})
    assert current.code == 0 and current.out == "r2 (head)\n", current.err
    down = run_alembic(project, "downgrade", "base", env={"DATABASE_URL": alembic_url})
    assert down.code == 0, down.err
    assert run_process(project, "current", env={"DATABASE_URL": alembic_url}).out == ""


def test_pyproject_template_adds_its_section_once(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    result = run_process(tmp_path, "init", "-t", "pyproject", "migrations")
    assert result.code == 0, result.err
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "app"\n') and text.count("[tool.alembic]") == 1
    assert "script_location = '%(here)s/migrations'" in text
    again = run_process(tmp_path, "init", "-t", "pyproject", "other")
    assert again.code == 0, again.err
    assert "already has a [tool.alembic] section" in again.out
    assert (tmp_path / "pyproject.toml").read_text() == text


def test_unknown_template_is_one_line(tmp_path: Path) -> None:
    result = run_process(tmp_path, "init", "-t", "nope", "migrations")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert "no template 'nope'" in result.err and "generic" in result.err
    assert not (tmp_path / "migrations").exists() and not (tmp_path / "alembic.ini").exists()


def test_multidb_template_migrates_each_database_under_alembic(tmp_path: Path) -> None:
    assert run_process(tmp_path, "init", "-t", "multidb", "migrations").code == 0
    assert "databases = engine1, engine2" in (tmp_path / "alembic.ini").read_text()
    made = run_process(tmp_path, "revision", "-m", "one", "--rev-id", "r1")
    assert made.code == 0, made.err
    script = tmp_path / "migrations" / "versions" / "r1_one.py"
    text = script.read_text()
    assert "def upgrade(engine_name):" in text and "def downgrade_engine2():" in text
    for name in ("engine1", "engine2"):
        create, _ = table_ops(f"t_{name}")
        text = text.replace(
            f"def upgrade_{name}():\n    pass", f"def upgrade_{name}():\n    {create}"
        )
    script.write_text(text)
    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in ("engine1", "engine2")}
    env = {"ENGINE1_URL": urls["engine1"], "ENGINE2_URL": urls["engine2"]}
    up = run_alembic(tmp_path, "upgrade", "head", env=env)
    assert up.code == 0, up.err
    for name, url in urls.items():
        assert version_rows(url) == ["r1"]
        assert table_names(url) == {"alembic_version", f"t_{name}"}
    assert run_process(tmp_path, "heads").out == run_alembic(tmp_path, "heads").out == "r1 (head)\n"
    theirs = run_alembic(tmp_path, "revision", "-m", "two", "--rev-id", "r2")
    assert theirs.code == 0, theirs.err
    assert (
        "def upgrade_engine1():"
        in next((tmp_path / "migrations" / "versions").glob("r2_*")).read_text()
    )


def test_multidb_template_migrates_each_database_under_schemadiff(tmp_path: Path) -> None:
    """The multidb env.py is the project's own: schemadiff runs it, so each database is
    migrated as under alembic; without the URLs env.py's own message is the one line."""
    assert run_process(tmp_path, "init", "-t", "multidb", "migrations").code == 0
    assert run_process(tmp_path, "revision", "-m", "one", "--rev-id", "r1").code == 0
    missing = run_process(tmp_path, "upgrade", "head")
    assert missing.code == 2 and len(missing.err.splitlines()) == 1, missing.err
    assert "env.py stopped" in missing.err and "ENGINE1_URL" in missing.err, missing.err
    urls = {name: f"sqlite:///{tmp_path / name}.db" for name in ("engine1", "engine2")}
    env = {"ENGINE1_URL": urls["engine1"], "ENGINE2_URL": urls["engine2"]}
    up = run_process(tmp_path, "upgrade", "head", env=env)
    assert up.code == 0, up.err
    for url in urls.values():
        assert version_rows(url) == ["r1"]
    assert run_alembic(tmp_path, "current", env=env).code == 0
