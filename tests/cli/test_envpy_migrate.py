"""``upgrade``, ``downgrade``, ``stamp``, ``current`` and ``--sql`` of an existing Alembic project
run through its own env.py (issue 16, section 2): the version table, tenant loops, ``-x``,
``--tag`` and ``transaction_per_migration`` set there behave as under ``alembic``, while
schemadiff keeps its migration lock and its one-line failures. Every project here is made by the
installed ``alembic init`` and edited the way real projects are; commands run as real processes."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import write_rev
from tests.kit.cli import ROOT, Result, run_alembic, run_process

pytestmark = pytest.mark.db

BACKENDS = ("sqlite", "postgresql", "mysql")

#: what a real project adds to both configure() calls of Alembic's generated env.py
CONFIGURE_EXTRA = "target_metadata=target_metadata, **EXTRA"

CREATE_ACCT = (
    "op.create_table('acct', sa.Column('id', sa.Integer, primary_key=True), "
    "sa.Column('balance', sa.Integer, nullable=False))\n"
    "op.execute('INSERT INTO acct (id, balance) VALUES (1, 0)')"
)


def alembic_project(root: Path, url: str, extra: str = "{}") -> Path:
    """``alembic init migrations`` with ``sqlalchemy.url`` set and ``EXTRA`` (a dict
    expression) passed to both of env.py's ``context.configure()`` calls."""
    root.mkdir(parents=True, exist_ok=True)
    made = run_alembic(root, "init", "migrations")
    assert made.code == 0, made.err
    ini = root / "alembic.ini"
    text = ini.read_text()
    ini.write_text(re.sub(r"(?m)^sqlalchemy\.url = .*$", f"sqlalchemy.url = {url}", text))
    env_py = root / "migrations" / "env.py"
    source = env_py.read_text()
    assert source.count("target_metadata=target_metadata") == 2
    source = source.replace("target_metadata=target_metadata", CONFIGURE_EXTRA)
    source = source.replace(
        "target_metadata = None\n", f"target_metadata = None\nEXTRA = {extra}\n"
    )
    env_py.write_text(source)
    return root


def replace_online(project: Path, body: str) -> None:
    """Swap env.py's ``run_migrations_online`` for the project's own."""
    env_py = project / "migrations" / "env.py"
    source = env_py.read_text()
    start = source.index("def run_migrations_online")
    end = source.index("if context.is_offline_mode()")
    env_py.write_text(source[:start] + body + "\n\n" + source[end:])


def versions(project: Path) -> Path:
    return project / "migrations" / "versions"


def two_revisions(
    project: Path, r2_upgrade: str = "op.execute('UPDATE acct SET balance = 10')"
) -> None:
    write_rev(versions(project), "r1", upgrade=CREATE_ACCT, downgrade="op.drop_table('acct')")
    write_rev(
        versions(project),
        "r2",
        "r1",
        upgrade=r2_upgrade,
        downgrade="op.execute('UPDATE acct SET balance = 0')",
    )


def schemadiff(project: Path, *args: str) -> Result:
    return run_process(project, *args)


def scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql)).scalar()
    finally:
        engine.dispose()


def table_names(url: str, schema: str | None = None) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names(schema=schema))
    finally:
        engine.dispose()


def last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


# --- version_table from env.py -----------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_version_table_set_in_env_py_is_used(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    schema = None
    extra = "{'version_table': 'my_versions'}"
    if backend == "postgresql":  # and the schema Alembic keeps it in
        schema = "meta"
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text("CREATE SCHEMA meta"))
        extra = "{'version_table': 'my_versions', 'version_table_schema': 'meta'}"
    project = alembic_project(tmp_path / "p", url, extra)
    two_revisions(project)

    first = schemadiff(project, "upgrade", "head")
    assert first.code == 0, first.err
    assert "Running upgrade  -> r1" in first.out
    assert "the database is now at r2" in first.out
    second = schemadiff(project, "upgrade", "head")
    assert second.code == 0, second.err
    assert "nothing to do: the database is at r2" in second.out
    assert "Running upgrade" not in second.out

    assert scalar(url, "SELECT balance FROM acct") == 10  # r2 ran once, r1 not again
    assert "alembic_version" not in table_names(url) | table_names(url, schema)
    assert "my_versions" in table_names(url, schema)
    ours = schemadiff(project, "current")
    theirs = run_alembic(project, "current")
    assert ours.code == 0 and theirs.code == 0, (ours.err, theirs.err)
    assert last_line(ours.out) == last_line(theirs.out) == "r2 (head)"

    down = schemadiff(project, "downgrade", "r1")
    assert down.code == 0, down.err
    assert last_line(run_alembic(project, "current").out) == "r1"
    ranged = schemadiff(project, "history", "-r", "current:")
    assert ranged.code == 0, ranged.err
    assert ranged.out.split() == run_alembic(project, "history", "-r", "current:").out.split()
    stamped = schemadiff(project, "stamp", "r2")
    assert stamped.code == 0, stamped.err
    assert "stamped: r1 -> r2" in stamped.out
    assert last_line(run_alembic(project, "current").out) == "r2 (head)"
    assert scalar(url, "SELECT balance FROM acct") == 0  # stamp ran no script


# --- -x, --tag, -c -------------------------------------------------------------------------------

RECORD_ARGS = """
import json as _json
from pathlib import Path as _Path

_seen = {"x": context.get_x_argument(as_dictionary=True), "tag": context.get_tag_argument()}
_Path(context.config.config_file_name).with_name("seen.json").write_text(_json.dumps(_seen))
"""


def test_x_tag_and_c_reach_env_py(tmp_path: Path, backend_url: Callable[[str], str]) -> None:
    url = backend_url("sqlite")
    project = alembic_project(tmp_path / "p", url)
    (project / "alembic.ini").rename(project / "other.ini")
    env_py = project / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "target_metadata = None\n", "target_metadata = None\n" + RECORD_ARGS
        )
    )
    two_revisions(project)
    result = schemadiff(
        project,
        "-c",
        "other.ini",
        "-x",
        "tenant=a",
        "-x",
        "mode=fast",
        "upgrade",
        "r1",
        "--tag",
        "t1",
    )
    assert result.code == 0, result.err
    seen = json.loads((project / "seen.json").read_text())
    assert seen == {"x": {"tenant": "a", "mode": "fast"}, "tag": "t1"}
    assert last_line(run_alembic(project, "-c", "other.ini", "current").out) == "r1"


# --- a tenant loop -------------------------------------------------------------------------------

SQLITE_TENANTS = '''
def run_migrations_online() -> None:
    """One SQLite file per tenant; -x tenant=NAME picks one."""
    import pathlib
    from sqlalchemy import create_engine

    here = pathlib.Path(config.config_file_name).parent
    chosen = context.get_x_argument(as_dictionary=True).get("tenant")
    for tenant in [chosen] if chosen else ["a", "b"]:
        engine = create_engine(f"sqlite:///{here / ('tenant_' + tenant + '.db')}")
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
        engine.dispose()
'''

PG_TENANTS = '''
def run_migrations_online() -> None:
    """One schema per tenant (Alembic's cookbook); -x tenant=NAME picks one."""
    from sqlalchemy import text

    chosen = context.get_x_argument(as_dictionary=True).get("tenant")
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        for tenant in [chosen] if chosen else ["a", "b"]:
            connection.execute(text(f"SET search_path TO tenant_{tenant}"))
            connection.commit()
            connection.dialect.default_schema_name = f"tenant_{tenant}"
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                version_table_schema=f"tenant_{tenant}",
            )
            with context.begin_transaction():
                context.run_migrations()
'''


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_tenant_loop_in_env_py(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    project = alembic_project(tmp_path / "p", url)
    replace_online(project, SQLITE_TENANTS if backend == "sqlite" else PG_TENANTS)
    two_revisions(project)

    def tenant_url(name: str) -> tuple[str, str | None]:
        if backend == "sqlite":
            return f"sqlite:///{project / f'tenant_{name}.db'}", None
        return url, f"tenant_{name}"

    if backend == "postgresql":
        with sa.create_engine(url).begin() as conn:
            conn.execute(sa.text("CREATE SCHEMA tenant_a"))
            conn.execute(sa.text("CREATE SCHEMA tenant_b"))

    only_a = schemadiff(project, "-x", "tenant=a", "upgrade", "r1")
    assert only_a.code == 0, only_a.err
    both = schemadiff(project, "upgrade", "head")
    assert both.code == 0, both.err
    assert both.out.count("Running upgrade r1 -> r2") == 2
    assert both.out.count("Running upgrade  -> r1") == 1  # tenant a had it already
    for name in ("a", "b"):
        where, schema = tenant_url(name)
        qualified = f"{schema}.acct" if schema else "acct"
        assert scalar(where, f"SELECT balance FROM {qualified}") == 10
        table = f"{schema}.alembic_version" if schema else "alembic_version"
        assert scalar(where, f"SELECT version_num FROM {table}") == "r2"
    current = schemadiff(project, "current")
    assert current.code == 0, current.err
    assert current.out.count("r2 (head)") == 2
    again = schemadiff(project, "upgrade", "head")
    assert again.out.count("nothing to do") == 2, again.out


# --- transactions and failures -------------------------------------------------------------------

FAILING = "op.execute('UPDATE acct SET balance = 10')\nop.execute('SELECT * FROM no_such_table')"


@pytest.mark.parametrize("per_migration", [True, False])
def test_failing_revision_on_postgresql_is_one_line_and_rolled_back(
    tmp_path: Path, backend_url: Callable[[str], str], per_migration: bool
) -> None:
    url = backend_url("postgresql")
    extra = "{'transaction_per_migration': True}" if per_migration else "{}"
    project = alembic_project(tmp_path / "p", url, extra)
    two_revisions(project, FAILING)
    result = schemadiff(project, "upgrade", "head")
    assert result.code == 2, result.out
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.err, result.err
    assert errors[0].startswith(
        "error: upgrade of revision r2 (r2_rev.py) failed at statement 'SELECT * FROM "
        "no_such_table': "
    )
    if per_migration:  # r1 committed on its own, r2 rolled back whole
        assert (
            "the revision was rolled back; the version table alembic_version stays at r1"
            in errors[0]
        )
        assert last_line(run_alembic(project, "current").out) == "r1"
        assert scalar(url, "SELECT balance FROM acct") == 0
    else:  # env.py's one transaction: nothing of this run stays
        assert "all of this run was rolled back" in errors[0]
        assert "acct" not in table_names(url)
        assert run_alembic(project, "current").out.strip() == ""


def test_failing_revision_on_mariadb_names_what_stays(
    tmp_path: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("mysql")
    project = alembic_project(tmp_path / "p", url, "{'version_table': 'my_versions'}")
    two_revisions(project, FAILING)
    result = schemadiff(project, "upgrade", "head")
    assert result.code == 2, result.out
    errors = [line for line in result.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.err
    assert errors[0].startswith("error: upgrade of revision r2 (r2_rev.py) failed at statement ")
    assert "cannot roll back DDL" in errors[0]
    assert "1 statement of it already ran (1) UPDATE acct SET balance = 10)" in errors[0]
    assert "the version table my_versions says r1" in errors[0]
    assert last_line(run_alembic(project, "current").out) == "r1"


SLEEPING_R2 = """\
import os, pathlib
op.execute("CREATE TABLE t_made (id INT)")
pathlib.Path(os.environ['LOCK_TEST_DIR'], 'started-' + os.environ['LOCK_TEST_NAME']).touch()
op.execute("SELECT SLEEP(20)")
op.execute("UPDATE acct SET balance = balance + 10")"""


def test_ctrl_c_on_mariadb_through_env_py_lists_what_ran(
    tmp_path: Path, backend_url: Callable[[str], str]
) -> None:
    """Ctrl-C inside a revision on MariaDB (no DDL rollback) through a project's own env.py:
    the line lists the statements of the revision that ran and the one that was running, as
    the built-in runner's does (it said only "statements of it that already ran stay")."""
    url = backend_url("mysql")
    project = alembic_project(tmp_path / "p", url, "{'version_table': 'my_versions'}")
    two_revisions(project, SLEEPING_R2)
    assert schemadiff(project, "upgrade", "r1").code == 0
    first = _start(project, "first")
    _wait(lambda: (project / "started-first").exists() or first.poll() is not None, "r2")
    time.sleep(0.5)  # SLEEP(20) is sent
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: interrupted during the upgrade of revision r2 (r2_rev.py): 1 statement of it "
        "already ran (1) CREATE TABLE t_made (id INT)) (this database cannot roll back DDL); it "
        "was interrupted while running 2) SELECT SLEEP(20) (the server may still finish it: "
        "check); the version table said r1 before it; run 'schemadiff current' to see where the "
        "database is"
    ]
    assert "t_made" in table_names(url)
    assert scalar(url, "SELECT version_num FROM my_versions") == "r1"


# --- offline --sql -------------------------------------------------------------------------------


def _sql(text: str) -> list[str]:
    """The statements, comments and blank lines dropped, whitespace collapsed."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("--")]
    return [" ".join(s.split()) for s in " ".join(lines).split(";") if s.strip()]


@pytest.mark.parametrize("backend", BACKENDS)
def test_offline_sql_matches_alembic(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    project = alembic_project(tmp_path / "p", url, "{'version_table': 'my_versions'}")
    two_revisions(project)
    for args in (["upgrade", "head", "--sql"], ["downgrade", "r2:base", "--sql"]):
        ours = schemadiff(project, *args)
        theirs = run_alembic(project, *args)
        assert ours.code == 0 and theirs.code == 0, (ours.err, theirs.err)
        assert _sql(ours.out) == _sql(theirs.out)
        assert "my_versions" in ours.out
    assert "my_versions" not in table_names(url)  # nothing ran


# --- two runners at once -------------------------------------------------------------------------

SLOW_R2 = """\
import os, pathlib, time
pathlib.Path(os.environ['LOCK_TEST_DIR'], 'started-' + os.environ['LOCK_TEST_NAME']).touch()
deadline = time.monotonic() + 20
while not pathlib.Path(os.environ['LOCK_TEST_DIR'], 'go').exists() and time.monotonic() < deadline:
    time.sleep(0.05)
op.execute("UPDATE acct SET balance = balance + 10")"""


def _start(project: Path, name: str, *extra: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMADIFF_URL")}
    env |= {
        "LOCK_TEST_DIR": str(project),
        "LOCK_TEST_NAME": name,
        "PYTHONUNBUFFERED": "1",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "schemadiff", "upgrade", "head", *extra],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_upgrades_through_env_py_apply_a_revision_once(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    project = alembic_project(tmp_path / "p", url, "{'version_table': 'my_versions'}")
    two_revisions(project, SLOW_R2)
    assert schemadiff(project, "upgrade", "r1").code == 0
    first = _start(project, "first")
    _wait(lambda: (project / "started-first").exists() or first.poll() is not None, "r2")
    assert first.poll() is None, first.communicate()
    second = _start(project, "second")
    assert second.stdout is not None
    line = second.stdout.readline()
    assert line.startswith("waiting for another upgrade, downgrade or stamp on this database")
    (project / "go").touch()
    out1, err1 = first.communicate(timeout=60)
    out2, err2 = second.communicate(timeout=60)
    assert first.returncode == 0, err1
    assert second.returncode == 0, err2
    assert not (project / "started-second").exists()
    assert "the database moved from r1 to r2 while this upgrade waited" in out2
    assert "nothing to do: the database is at r2" in out2
    assert scalar(url, "SELECT balance FROM acct") == 10
    assert scalar(url, "SELECT version_num FROM my_versions") == "r2"


def test_ctrl_c_during_a_revision_through_env_py(
    tmp_path: Path, backend_url: Callable[[str], str]
) -> None:
    """Ctrl-C inside a revision: one line naming it and what may stay, exit 130, and the lock
    released (the next upgrade runs at once)."""
    url = backend_url("sqlite")
    project = alembic_project(tmp_path / "p", url, "{'version_table': 'my_versions'}")
    two_revisions(project, SLOW_R2)
    assert schemadiff(project, "upgrade", "r1").code == 0
    first = _start(project, "first")
    _wait(lambda: (project / "started-first").exists() or first.poll() is not None, "r2")
    first.send_signal(signal.SIGINT)
    _, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: interrupted during the upgrade of revision r2 (r2_rev.py): no statement of it "
        "had completed (this database cannot roll back DDL); the version table said r1 before "
        "it; run 'schemadiff current' to see where the database is"
    ]
    (project / "go").touch()
    again = _start(project, "again", "--lock-timeout", "0")
    _, err2 = again.communicate(timeout=60)
    assert again.returncode == 0, err2
    assert scalar(url, "SELECT balance FROM acct") == 10
