"""A project made by ``alembic init`` and edited as real projects are (target_metadata imported in
env.py as a list of two MetaData, ``version_table='my_versions'``, an ``include_object`` that
leaves a table out, an Alembic-signature ``compare_type`` hook), with no schemadiff configuration:
``diff``, ``check`` and ``revision --autogenerate`` run its env.py and honour what it configures;
the script applies with plain ``alembic upgrade head`` and ``alembic check`` is clean after it.
Reading through env.py never writes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import table_names
from tests.kit.cli import run_process

pytestmark = pytest.mark.db

ALEMBIC = str(Path(sys.executable).with_name("alembic"))

MODELS = """\
import sqlalchemy as sa

meta_a = sa.MetaData()
meta_b = sa.MetaData()
sa.Table(
    "users", meta_a,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String({length}), nullable=False),{extra}
)
sa.Table(
    "audit", meta_b,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(20), server_default={default}),
)
"""

HOOKS = """
from models import meta_a, meta_b
import sqlalchemy as sa

target_metadata = [meta_a, meta_b]


def include_object(object, name, type_, reflected, compare_to):
    return not (type_ == "table" and name == "legacy")


def compare_type(context, inspected_column, metadata_column, inspected_type, metadata_type):
    assert isinstance(inspected_column, sa.Column) and isinstance(metadata_column, sa.Column)
    if isinstance(inspected_type, sa.String) and isinstance(metadata_type, sa.String):
        return False  # length changes are not migrated in this project
    return None


def compare_server_default(
    context, inspected_column, metadata_column, inspected_default, metadata_default,
    rendered_metadata_default,
):
    assert isinstance(inspected_column, sa.Column) and isinstance(metadata_column, sa.Column)
    assert inspected_default is None or isinstance(inspected_default, str)
    assert metadata_default is None or isinstance(metadata_default, sa.DefaultClause)
    assert rendered_metadata_default is None or isinstance(rendered_metadata_default, str)
    if metadata_column.name == "note":
        return False  # this project never migrates the note's default
    return None


OPTIONS = dict(
    version_table="my_versions",
    include_object=include_object,
    compare_type=compare_type,
    compare_server_default=compare_server_default,
    render_as_batch=True,
)
"""


def alembic(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    return subprocess.run(
        [ALEMBIC, *args], cwd=project, env=env, capture_output=True, text=True, timeout=120
    )


def make_project(root: Path, url: str, before_configure: str = "") -> Path:
    """``alembic init migrations``, then the edits: models, hooks, configure() options."""
    assert alembic(root, "init", "migrations").returncode == 0
    ini = root / "alembic.ini"
    text = ini.read_text()
    assert "sqlalchemy.url = driver://user:pass@localhost/dbname" in text
    ini.write_text(text.replace("driver://user:pass@localhost/dbname", url.replace("%", "%%")))
    (root / "models.py").write_text(MODELS.format(length=50, default=None, extra=""))
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text()
    assert text.count("target_metadata = None") == 1
    text = text.replace("target_metadata = None", HOOKS)
    text = text.replace(
        "target_metadata=target_metadata,", "target_metadata=target_metadata, **OPTIONS,"
    )
    online = "            connection=connection, target_metadata=target_metadata\n"
    assert online in text
    text = text.replace(
        online, "            connection=connection, target_metadata=target_metadata, **OPTIONS\n"
    )
    if before_configure:
        text = text.replace(
            "    with connectable.connect() as connection:\n",
            f"    with connectable.connect() as connection:\n        {before_configure}\n",
        )
    env_py.write_text(text)
    return root


def create_legacy(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
    engine.dispose()


def schemadiff(project: Path, *args: str) -> tuple[int, str, str]:
    result = run_process(project, *args)
    return result.code, result.out, result.err


def test_alembic_project_through_env_py(tmp_path: Path, db_url: str) -> None:
    project = make_project(tmp_path, db_url)
    create_legacy(db_url)

    code, out, err = schemadiff(project, "diff")
    assert code == 1, err
    assert err == ""  # no Alembic INFO lines from env.py's logging setup
    assert "users" in out and "audit" in out  # both MetaData of the list
    assert "legacy" not in out  # include_object leaves it out

    code, out, err = schemadiff(project, "check")
    assert code == 1, out + err

    code, out, err = schemadiff(project, "revision", "--autogenerate", "-m", "first")
    assert code == 0, err
    (script,) = (project / "migrations" / "versions").glob("*first*.py")
    body = script.read_text()
    assert '"users",' in body and '"audit",' in body
    assert "legacy" not in body
    # nothing was written while reading: no version table of either name yet
    assert not {"my_versions", "alembic_version"} & table_names(db_url)

    done = alembic(project, "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert "my_versions" in table_names(db_url)
    assert "alembic_version" not in table_names(db_url)
    checked = alembic(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # at head, through env.py's version table: nothing to do, and my_versions is not a "table
    # to drop" (it is the version table env.py names)
    code, out, err = schemadiff(project, "diff")
    assert code == 0, out + err
    code, out, err = schemadiff(project, "check")
    assert code == 0, out + err

    # the Alembic-signature hooks say a String length change and the note's default are no
    # change
    (project / "models.py").write_text(MODELS.format(length=80, default="'x'", extra=""))
    code, out, err = schemadiff(project, "diff")
    assert code == 0, out + err
    code, out, err = schemadiff(project, "revision", "--autogenerate", "-m", "second")
    assert code == 0 and "No changes detected" in out, out + err

    # render_as_batch=True from env.py: a new column is added in a batch block
    extra = '\n    sa.Column("email", sa.String(100)),'
    (project / "models.py").write_text(MODELS.format(length=80, default="'x'", extra=extra))
    code, out, err = schemadiff(project, "revision", "--autogenerate", "-m", "third")
    assert code == 0, out + err
    (script,) = (project / "migrations" / "versions").glob("*third*.py")
    assert "batch_alter_table" in script.read_text()
    done = alembic(project, "upgrade", "head")
    assert done.returncode == 0, done.stderr
    checked = alembic(project, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_env_py_that_writes_is_refused(tmp_path: Path, db_url: str) -> None:
    statement = 'connection.execute(sa.text("CREATE TABLE sneaky (id INTEGER)"))'
    project = make_project(tmp_path, db_url, before_configure=statement)
    code, out, err = schemadiff(project, "diff")
    assert code == 2, out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "env.py" in lines[0] and "read-only" in lines[0], err
    assert "Traceback" not in err
    assert "sneaky" not in table_names(db_url)


ENGINE_FROM_ENV = """
import os
from sqlalchemy import create_engine


def engine_from_config(*args, **kwargs):
    # the project's own engine: its URL is known to env.py only
    return create_engine(os.environ["MY_APP_DB"])
"""


def test_env_py_with_its_own_engine(tmp_path: Path, db_url: str) -> None:
    """env.py makes the engine from a variable only it reads (alembic.ini keeps the placeholder
    URL): ``diff`` and ``snapshot`` read through env.py's connection."""
    project = make_project(tmp_path, "driver://user:pass@localhost/dbname")
    env_py = project / "migrations" / "env.py"
    text = env_py.read_text()
    env_py.write_text(text.replace("from sqlalchemy import engine_from_config\n", ENGINE_FROM_ENV))
    create_legacy(db_url)
    env = {"MY_APP_DB": db_url}

    result = run_process(project, "snapshot", "-o", "-", env=env)
    assert result.code == 0, result.err
    assert '"legacy"' in result.out
    result = run_process(project, "diff", env=env)
    assert result.code == 1, result.err
    assert "users" in result.out and "legacy" not in result.out


SCHEMA_MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="extra")
"""

SCHEMA_HOOKS = """
from models import metadata as target_metadata


def include_name(name, type_, parent_names):
    return not (type_ == "schema" and name == "other")


OPTIONS = dict(
    version_table="my_versions",
    version_table_schema="extra",
    include_schemas=True,
    include_name=include_name,
)
"""


def test_schemas_through_env_py(tmp_path: Path, backend_url: Callable[[str], str]) -> None:
    """PostgreSQL: ``version_table_schema`` and ``include_schemas`` (every schema but those
    ``include_name`` leaves out) from env.py."""
    url = backend_url("postgresql")
    project = make_project(tmp_path, url)
    (project / "models.py").write_text(SCHEMA_MODELS)
    env_py = project / "migrations" / "env.py"
    env_py.write_text(env_py.read_text().replace(HOOKS, SCHEMA_HOOKS))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in (
            "CREATE SCHEMA extra",
            "CREATE SCHEMA other",
            "CREATE SCHEMA side",
            "CREATE TABLE other.o1 (id INTEGER PRIMARY KEY)",
        ):
            conn.execute(sa.text(statement))
    try:
        code, out, err = schemadiff(project, "revision", "--autogenerate", "-m", "first")
        assert code == 0, out + err
        done = alembic(project, "upgrade", "head")
        assert done.returncode == 0, done.stderr
        checked = alembic(project, "check")
        assert checked.returncode == 0, checked.stdout + checked.stderr
        # extra.my_versions is the version table, other.o1 is left out by include_name
        code, out, err = schemadiff(project, "diff")
        assert code == 0, out + err
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE side.s1 (id INTEGER PRIMARY KEY)"))
        code, out, err = schemadiff(project, "diff")
        assert code == 1 and "s1" in out and "o1" not in out, out + err
    finally:
        with engine.begin() as conn:
            for name in ("extra", "other", "side"):
                conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {name} CASCADE"))
        engine.dispose()


PREFIX_MODELS = """\
import sqlalchemy as sa


class Money(sa.types.TypeDecorator):
    impl = sa.Integer
    cache_ok = True


meta_a = sa.MetaData()
meta_b = sa.MetaData()
sa.Table(
    "prices", meta_a,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("amount", Money()),
)
"""


def test_user_module_prefix_from_env_py(tmp_path: Path, backend_url: Callable[[str], str]) -> None:
    project = make_project(tmp_path, backend_url("sqlite"))
    (project / "models.py").write_text(PREFIX_MODELS)
    env_py = project / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "OPTIONS = dict(", 'OPTIONS = dict(\n    user_module_prefix="models.",'
        )
    )
    code, out, err = schemadiff(project, "revision", "--autogenerate", "-m", "prices")
    assert code == 0, out + err
    (script,) = (project / "migrations" / "versions").glob("*prices*.py")
    body = script.read_text()
    assert "models.Money()" in body and "import Money" not in body
