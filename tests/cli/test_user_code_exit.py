"""User code that calls ``sys.exit()`` (models module, hook, comparator, revision file, a
revision's upgrade()) is an error naming it (exit 2), never a verdict: ``sys.exit(0)`` in the
models must not make ``check`` pass against a database that lacks a table.

Each case runs the real command line in a subprocess, the way a user would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import table_names, version_rows, write_rev
from tests.kit.cli import one_error, run_process

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """models.py and an empty SQLite database (it lacks the models' table)."""
    (tmp_path / "models.py").write_text(MODELS)
    sa.create_engine(f"sqlite:///{tmp_path / 'app.db'}").dispose()
    (tmp_path / "app.db").touch()
    (tmp_path / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nmetadata = "models:Base.metadata"\n'
    )
    return tmp_path


@pytest.mark.parametrize("code", ["0", "", "3", "'bye'"])
@pytest.mark.parametrize("command", ["check", "diff"])
def test_models_module_exiting_is_an_error(project: Path, command: str, code: str) -> None:
    with (project / "models.py").open("a") as f:
        f.write(f"\nimport sys\nsys.exit({code})\n")
    line = one_error(
        run_process(project, command),
        "models module 'models' exited while being imported",
        str(project / "models.py"),
        "remove the sys.exit() call",
    )
    assert ("code 0" if code in ("0", "") else code) in line


def test_module_imported_by_the_models_exiting_is_an_error(project: Path) -> None:
    (project / "helper.py").write_text("raise SystemExit(0)\n")
    (project / "models.py").write_text("import helper\n" + MODELS)
    one_error(run_process(project, "check"), "models module 'models' exited while being imported")


def test_models_exit_under_main_guard_still_works(project: Path) -> None:
    """Only an exit that runs on import is refused: the guard the message suggests works."""
    with (project / "models.py").open("a") as f:
        f.write("\nif __name__ == '__main__':\n    import sys\n    sys.exit(0)\n")
    result = run_process(project, "check")
    assert result.code == 1, result  # the table is missing: drift, not an error
    assert "create table users" in result.stdout


@pytest.mark.parametrize(
    ("hooks", "expect"),
    [
        ("import sys\nsys.exit(0)\n", "include_object module 'hooks' exited while being imported"),
        (
            "import sys\ndef include(*args):\n    sys.exit(0)\n",
            "include_object 'hooks:include' exited while running",
        ),
    ],
    ids=["on import", "when called"],
)
def test_hook_exiting_is_an_error(project: Path, hooks: str, expect: str) -> None:
    (project / "hooks.py").write_text(hooks)
    with (project / "schemadiff.toml").open("a") as f:
        f.write('include_object = "hooks:include"\n')
    one_error(run_process(project, "check"), expect)


@pytest.mark.parametrize("generator", [False, True], ids=["function", "generator"])
def test_comparator_exiting_is_an_error(project: Path, generator: bool) -> None:
    body = "    yield from ()\n" if generator else ""
    (project / "plug.py").write_text(
        f"import sys\ndef compare(ctx, db, models):\n    sys.exit(0)\n{body}"
    )
    with (project / "schemadiff.toml").open("a") as f:
        f.write('comparators = ["plug:compare"]\n')
    one_error(run_process(project, "check"), "comparator", "plug:compare", "exited while running")


def _chain(project: Path, url: str, upgrade: str, head: str = "") -> Path:
    (project / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models:Base.metadata"\nscript_location = "migrations"\n'
    )
    versions = project / "migrations" / "versions"
    path = write_rev(versions, "a1", upgrade=upgrade, downgrade="pass")
    text = path.read_text()
    path.write_text(text.replace("from alembic import op\n", f"from alembic import op\n{head}"))
    return path


def test_revision_file_exiting_on_import_is_an_error(project: Path) -> None:
    path = _chain(project, "sqlite:///app.db", "pass", head="import sys\nsys.exit(0)\n")
    one_error(
        run_process(project, "upgrade"),
        f"revision file {path} exited while being imported",
        "code 0",
    )
    assert version_rows(f"sqlite:///{project / 'app.db'}") == []


@pytest.mark.db
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_upgrade_calling_sys_exit_fails_the_revision(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    upgrade = (
        "op.create_table('t1', sa.Column('id', sa.Integer, primary_key=True))\n"
        "import sys\nsys.exit(0)\n"
        "op.create_table('t2', sa.Column('id', sa.Integer, primary_key=True))"
    )
    _chain(project, url, upgrade)
    line = one_error(
        run_process(project, "upgrade"),
        "upgrade of revision a1 (a1_rev.py) failed",
        "upgrade() called sys.exit() (code 0)",
    )
    assert version_rows(url) == []
    if backend == "postgresql":
        assert "rolled back whole" in line
        assert "t1" not in table_names(url)
    else:
        assert "partly applied" in line
    assert "t2" not in table_names(url)
    offline = run_process(project, "upgrade", "--sql")
    one_error(offline, "upgrade of revision a1 (a1_rev.py) failed: upgrade() called sys.exit()")
