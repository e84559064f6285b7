"""Bad input on the command line: one ``error:`` line, exit 2, no traceback, never a password.

Each case runs ``python -m schemadiff`` in a throw-away project folder, the way a user would.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.kit.cli import Result, run_process

PASSWORD = "S3cret-Pw_7q"  # appears in URLs below; must never be printed

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))


some_number = 42
"""

BROKEN = "import sqlalchemy\nraise RuntimeError('models are broken')\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with models.py, a broken module and a small SQLite database."""
    (tmp_path / "models.py").write_text(MODELS)
    (tmp_path / "broken.py").write_text(BROKEN)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50))")
    engine.dispose()
    return tmp_path


@dataclass(frozen=True)
class Case:
    """One bad input: arguments, files to write first, what the message must mention."""

    args: tuple[str, ...]
    expect: str
    files: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)


UNREACHABLE = f"postgresql+psycopg://app:{PASSWORD}@127.0.0.1:1/app"
META = ("--metadata", "models:Base.metadata")

CASES = {
    "unreachable database": Case(("diff", "--db", UNREACHABLE, *META), "not reachable"),
    "unreachable from env var": Case(
        ("check", *META), "not reachable", env={"DATABASE_URL": UNREACHABLE}
    ),
    "unreachable mysql": Case(
        ("diff", "--db", f"mysql+pymysql://app:{PASSWORD}@127.0.0.1:1/app", *META),
        "not reachable",
    ),
    "unknown driver": Case(
        ("diff", "--db", f"nosuchdb://app:{PASSWORD}@localhost/app", *META),
        "unknown database backend 'nosuchdb'",
    ),
    "driver not installed": Case(
        # psycopg2 is not in the test extras (pg8000 is: tests/test_connect_drivers.py)
        ("diff", "--db", f"postgresql+psycopg2://app:{PASSWORD}@localhost/app", *META),
        "pip install psycopg2-binary, or use postgresql+psycopg:// with pip install "
        "'schemadiff-sqlalchemy[postgresql]'",
    ),
    "unparsable url": Case(("diff", "--db", "not a url", *META), "cannot parse database URL"),
    "missing sqlite file": Case(
        ("diff", "--db", "sqlite:///nope.db", *META), "SQLite database file 'nope.db' does not"
    ),
    "no database given": Case(("diff", *META), "no database given"),
    "no models given": Case(("diff", "--db", "sqlite:///app.db"), "no models given"),
    "module not importable": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "nosuchmodule:Base.metadata"),
        "cannot import module 'nosuchmodule'",
    ),
    "module raises on import": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "broken:Base.metadata"),
        "importing module 'broken' failed: RuntimeError: models are broken",
    ),
    "attribute missing": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "models:Nope.metadata"),
        "module 'models' has no attribute 'Nope'",
    ),
    "nested attribute missing": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "models:Base.meta"),
        "'models:Base' has no attribute 'meta'",
    ),
    "not a metadata": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "models:some_number"),
        "'models:some_number' is a int, not a SQLAlchemy MetaData",
    ),
    "metadata without colon": Case(
        ("diff", "--db", "sqlite:///app.db", "--metadata", "models.Base"),
        "must look like 'module:attribute'",
    ),
    "hook not importable": Case(
        ("diff", "--db", "sqlite:///app.db", *META),
        "include_object 'nohooks:include': cannot import module 'nohooks'",
        files={"schemadiff.toml": 'include_object = "nohooks:include"\n'},
    ),
    "malformed toml": Case(
        ("diff",),
        "pyproject.toml is not valid TOML",
        files={"pyproject.toml": f'[tool.schemadiff]\nurl = "postgresql://a:{PASSWORD}@h/db\n'},
    ),
    "unknown environment": Case(
        ("-n", "prod", "diff"),
        "unknown environment 'prod' (known in schemadiff.toml: dev, staging)",
        files={
            "schemadiff.toml": f'url = "postgresql+psycopg://a:{PASSWORD}@h/db"\n'
            "[environments.dev]\n[environments.staging]\n"
        },
    ),
    "unknown format": Case(
        ("diff", "--db", UNREACHABLE, "--format", "yaml"),
        "unknown --format 'yaml'; use one of: text, json",
    ),
    "unknown format on check": Case(
        ("check", "--format", "xml"), "unknown --format 'xml'; use one of: text, json"
    ),
    "bad rename hint": Case(
        ("diff", "--db", "sqlite:///app.db", *META, "--rename-column", "users.a"),
        "--rename-column 'users.a' must look like TABLE.OLD=NEW",
    ),
    "snapshot file not found": Case(
        ("diff", "--db", "missing.json", *META), "snapshot file 'missing.json' not found"
    ),
    "not a snapshot file": Case(
        ("diff", "--db", "bad.json", *META),
        "not a schemadiff snapshot",
        files={"bad.json": '{"hello": 1}'},
    ),
    # a usage error of the command line itself, not "unexpected ... (please report it)"
    "unknown option": Case(
        ("diff", "--frobnicate"), "error: No such option: --frobnicate (Possible options: --format)"
    ),
    "unknown command": Case(
        ("frobnicate",), "error: No such command 'frobnicate'. (see 'schemadiff --help')"
    ),
    "extra argument": Case(("downgrade", "-1", "--bogus"), "error: Got unexpected extra argument"),
}


def assert_one_error_line(result: Result, expect: str) -> None:
    assert result.code == 2, result
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), result.stderr
    assert expect in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert PASSWORD not in result.stdout + result.stderr


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_clear_line(project: Path, name: str) -> None:
    case = CASES[name]
    for file, text in case.files.items():
        (project / file).write_text(text)
    assert_one_error_line(run_process(project, *case.args, env=case.env), case.expect)


@pytest.mark.parametrize(
    "name", ["unreachable database", "module not importable", "unknown driver"]
)
def test_debug_shows_the_traceback_but_still_no_password(project: Path, name: str) -> None:
    case = CASES[name]
    result = run_process(project, "--debug", *case.args, env=case.env)
    assert result.code == 2
    assert "Traceback (most recent call last)" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: ")
    assert PASSWORD not in result.stdout + result.stderr


def test_debug_is_accepted_after_the_command(project: Path) -> None:
    result = run_process(project, *CASES["unreachable database"].args, "--debug")
    assert result.code == 2
    assert "Traceback" in result.stderr


def test_unknown_config_key_is_only_a_warning(project: Path) -> None:
    (project / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nmetadata = "models:Base.metadata"\nexclude_table = ["x"]\n'
    )
    result = run_process(project, "check")
    assert result.code in (0, 1), result
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert "unknown key 'exclude_table'" in warnings[0]
    assert "did you mean 'exclude_tables'" in warnings[0]
    assert "error:" not in result.stderr


@pytest.fixture
def mysql_user(backend_url: Callable[[str], str]) -> Iterator[str]:
    """A MariaDB user with a known password (dropped afterwards); yields a URL with a wrong one."""
    url = make_url(backend_url("mysql"))
    user = f"sd_cli_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE USER '{user}'@'%%' IDENTIFIED BY 'right-{PASSWORD}'")
        conn.exec_driver_sql(f"CREATE USER '{user}'@'localhost' IDENTIFIED BY 'right-{PASSWORD}'")
    try:
        yield url.set(username=user, password=PASSWORD).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'%%'")
            conn.exec_driver_sql(f"DROP USER IF EXISTS '{user}'@'localhost'")
        admin.dispose()


@pytest.mark.db
def test_wrong_password_mariadb(project: Path, mysql_user: str) -> None:
    result = run_process(project, "diff", "--db", mysql_user, *META)
    assert_one_error_line(result, "login refused for user 'sd_cli_")
    assert "check the user name and password" in result.stderr
    assert ":***@" in result.stderr


@pytest.mark.db
def test_unknown_database_postgresql(project: Path, backend_url: Callable[[str], str]) -> None:
    url = make_url(backend_url("postgresql")).set(database="sd_no_such_db", password=PASSWORD)
    result = run_process(project, "check", "--db", url.render_as_string(hide_password=False), *META)
    assert_one_error_line(result, "the database does not exist")


@pytest.mark.db
def test_unknown_database_mariadb(project: Path, backend_url: Callable[[str], str]) -> None:
    url = make_url(backend_url("mysql")).set(database="sd_no_such_db")
    result = run_process(project, "check", "--db", url.render_as_string(hide_password=False), *META)
    assert_one_error_line(result, "the database does not exist")
