"""The tutorial path of a new SQLite project, with the installed ``schemadiff`` command from an
empty directory: ``init``, ``revision --autogenerate`` before the database file exists (an empty
database, and no file left behind), ``upgrade`` / ``downgrade`` / ``stamp`` create the file as
SQLite does, while ``diff`` / ``check`` / ``snapshot`` still refuse a missing file (a typo must not
look like an empty database). Revisions that import the application's own modules run, from the
project directory and from alembic.ini's ``prepend_sys_path``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.kit.chain import table_names, version_rows

SCHEMADIFF = Path(sys.executable).with_name("schemadiff")
MISSING = "error: SQLite database file 'app.db' does not exist (sqlite:///app.db); check the path"

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
"""


def run(where: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command (not ``python -m``, which would put the directory on sys.path)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    env.pop("PYTHONPATH", None)
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [str(SCHEMADIFF), *args], cwd=where, env=env, capture_output=True, text=True, timeout=120
    )


def ok(where: Path, *args: str) -> str:
    proc = run(where, *args)
    assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
    return proc.stdout


def revision_files(project: Path) -> list[Path]:
    return sorted((project / "migrations" / "versions").glob("*.py"))


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    if not SCHEMADIFF.exists():
        pytest.skip(f"no installed schemadiff command at {SCHEMADIFF}")
    project = tmp_path / "newproject"
    project.mkdir()
    return project


def _init(project: Path) -> None:
    ok(project, "init", "migrations")
    (project / "models.py").write_text(MODELS, encoding="utf-8")


def test_tutorial_with_schemadiff_toml(empty: Path) -> None:
    _init(empty)
    (empty / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nmetadata = "models:Base.metadata"\n'
        'script_location = "migrations"\n',
        encoding="utf-8",
    )
    _walk(empty)


def test_tutorial_with_alembic_ini(empty: Path) -> None:
    _init(empty)
    ini = empty / "alembic.ini"
    text = ini.read_text(encoding="utf-8")
    ini.write_text(
        text.replace("[alembic]\n", "[alembic]\nsqlalchemy.url = sqlite:///app.db\n", 1),
        encoding="utf-8",
    )
    _walk(empty, "--metadata", "models:Base.metadata")


def _walk(project: Path, *metadata: str) -> None:
    db = project / "app.db"
    url = f"sqlite:///{db}"
    # reading commands refuse the missing file, with the message they always had
    for args in (("diff", *metadata), ("check", *metadata), ("snapshot", "-o", "s.json")):
        proc = run(project, *args)
        assert proc.returncode == 2 and proc.stderr.startswith(MISSING), (args, proc.stderr)
    current = run(project, "current")
    assert current.returncode == 2 and current.stderr.startswith(MISSING), current.stderr
    assert not db.exists()
    out = ok(project, "revision", "--autogenerate", "-m", "init", *metadata)
    assert "create table users" in out, out
    assert not db.exists()  # compared with an empty database, no file left behind
    [script] = revision_files(project)
    assert "op.create_table(" in script.read_text(encoding="utf-8")
    assert "the database is now at" in ok(project, "upgrade", "head")
    assert {"users", "alembic_version"} <= table_names(url)
    assert version_rows(url) == [script.name.split("_")[0]]
    assert ok(project, "check", *metadata).startswith("OK")
    ok(project, "downgrade", "base")
    assert table_names(url) == {"alembic_version"}


def test_upgrade_downgrade_and_stamp_create_the_file(empty: Path) -> None:
    _init(empty)
    (empty / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nscript_location = "migrations"\n', encoding="utf-8"
    )
    ok(empty, "revision", "-m", "first")  # an empty one: needs no database
    assert not (empty / "app.db").exists()
    for args in (("upgrade", "head"), ("downgrade", "base"), ("stamp", "base")):
        (empty / "app.db").unlink(missing_ok=True)
        ok(empty, *args)
        assert (empty / "app.db").exists(), args
    # a folder that does not exist is still an error (SQLite does not create folders)
    proc = run(empty, "upgrade", "head", "--db", "sqlite:///nofolder/app.db")
    assert proc.returncode == 2 and "cannot open the SQLite file" in proc.stderr, proc.stderr


TYPES = """\
import sqlalchemy as sa


class Money(sa.types.TypeDecorator):
    impl = sa.Numeric(12, 2)
    cache_ok = True
"""

USES_TYPES = """\
from alembic import op
import sqlalchemy as sa
from {module} import Money

revision = "aaa111"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("prices", sa.Column("id", sa.Integer, primary_key=True), sa.Column("p", Money))


def downgrade():
    op.drop_table("prices")
"""


@pytest.mark.parametrize("where", ["project", "prepend_sys_path"])
def test_revisions_import_the_applications_own_types(empty: Path, where: str) -> None:
    _init(empty)
    package = empty / ("src" if where == "prepend_sys_path" else ".") / "myapp_types"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(TYPES, encoding="utf-8")
    versions = empty / "migrations" / "versions"
    (versions / "aaa111_prices.py").write_text(
        USES_TYPES.format(module="myapp_types"), encoding="utf-8"
    )
    ini = empty / "alembic.ini"
    text = ini.read_text(encoding="utf-8")
    assert "prepend_sys_path = .\n" in text
    if where == "prepend_sys_path":
        text = text.replace("prepend_sys_path = .\n", f"prepend_sys_path = .{os.pathsep}src\n")
    ini.write_text(
        text.replace("[alembic]\n", "[alembic]\nsqlalchemy.url = sqlite:///app.db\n", 1),
        encoding="utf-8",
    )
    ok(empty, "upgrade", "head")
    assert "prices" in table_names(f"sqlite:///{empty / 'app.db'}")
    assert "CREATE TABLE prices" in ok(empty, "upgrade", "--sql", "head")
    ok(empty, "downgrade", "base")
    assert "prices" not in table_names(f"sqlite:///{empty / 'app.db'}")


def test_the_import_path_is_restored_after_the_command(tmp_path: Path) -> None:
    """In-process runs (the pytest plugin, tests) get sys.path back as it was."""
    from schemadiff.chain.runner import importable
    from tests.kit.cli import cwd

    before = list(sys.path)
    with cwd(tmp_path), importable(["src"]):
        assert sys.path[:2] == [str((tmp_path / "src").resolve()), str(tmp_path.resolve())]
    assert sys.path == before
