"""``diff``, ``check`` and ``snapshot`` end to end, run as a user would (``python -m schemadiff``).

The project folder is a copy of the bundled example app (fixtures/example_app): its models are at
version 2, ``make_db.py`` builds the database at version 1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import ROOT, run_process

EXAMPLE = ROOT / "fixtures" / "example_app"
CHANGE_KEYS = ["op", "schema", "table", "name", "destructive", "description", "detail"]


@pytest.fixture
def app(tmp_path: Path) -> Path:
    """A copy of the example app with example.db at version 1 (one step behind the models)."""
    folder = tmp_path / "app"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
    subprocess.run([sys.executable, "make_db.py"], cwd=folder, check=True, capture_output=True)
    return folder


def create_current(folder: Path, url: str) -> None:
    """Create the models' (version 2) schema at ``url`` (in a child process, like a user would)."""
    code = "import sys, sqlalchemy as sa, models\n"
    code += "models.Base.metadata.create_all(sa.create_engine(sys.argv[1]))\n"
    subprocess.run([sys.executable, "-c", code, url], cwd=folder, check=True)


def json_diff(folder: Path, *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    result = run_process(folder, "diff", "--format", "json", *args)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.stdout)


def test_example_app_shows_a_diff(app: Path) -> None:
    result = run_process(app, "diff")
    assert result.code == 1, result
    out = result.stdout
    assert "database  sqlite:///example.db" in out
    assert "+ add column users.phone" in out
    assert "alter column users.username" in out and "varchar(100)" in out
    assert "create index ix_posts_created_at" in out
    assert "! drop column users.nickname  (destructive)" in out
    assert out.rstrip().endswith("4 changes (1 destructive)")
    assert "\x1b[" not in out  # NO_COLOR and not a terminal
    assert result.stderr == ""


def test_json_report_follows_the_contract(app: Path) -> None:
    code, report = json_diff(app)
    assert code == 1
    assert list(report) == ["format", "dialect", "changes", "summary", "notices"]
    assert report["format"] == "schemadiff.diff/1"
    assert report["dialect"] == "sqlite"
    for change in report["changes"]:
        assert list(change) == CHANGE_KEYS
        assert isinstance(change["detail"], dict)
    found = {(c["op"], c["table"], c["name"]) for c in report["changes"]}
    assert found == {
        ("add_column", "users", "phone"),
        ("alter_column", "users", "username"),
        ("drop_column", "users", "nickname"),
        ("create_index", "posts", "ix_posts_created_at"),
    }
    assert report["summary"] == {"changes": 4, "destructive": 1}
    assert [c["destructive"] for c in report["changes"] if c["op"] == "drop_column"] == [True]
    assert isinstance(report["notices"], list)


def test_check_verdict_and_exit_codes(app: Path, tmp_path: Path) -> None:
    drift = run_process(app, "check")
    assert drift.code == 1
    assert drift.stdout.startswith("DRIFT: sqlite:///example.db differs from the models: 4 changes")
    current = tmp_path / "current.db"
    create_current(app, f"sqlite:///{current}")
    ok = run_process(app, "check", "--db", f"sqlite:///{current}")
    assert ok.code == 0, ok
    assert ok.stdout.startswith("OK: sqlite:///")
    same = run_process(app, "diff", "--db", f"sqlite:///{current}")
    assert same.code == 0
    assert "no differences" in same.stdout


def test_check_json_when_equal(app: Path, tmp_path: Path) -> None:
    create_current(app, f"sqlite:///{tmp_path / 'v2.db'}")
    result = run_process(
        app, "check", "--format", "json", "--db", f"sqlite:///{tmp_path / 'v2.db'}"
    )
    assert result.code == 0, result
    report = json.loads(result.stdout)
    assert report["changes"] == [] and report["summary"] == {"changes": 0, "destructive": 0}


def test_snapshot_file_is_usable_as_db(app: Path) -> None:
    result = run_process(app, "snapshot", "-o", "snap.json")
    assert result.code == 0, result
    assert "wrote snap.json (2 tables" in result.stdout
    data = json.loads((app / "snap.json").read_text())
    assert data["format"] == "schemadiff.snapshot/1"
    assert not list(app.glob("*.tmp")) and not list(app.glob(".*.tmp"))  # no temporary left
    code_live, live = json_diff(app)
    code_file, from_file = json_diff(app, "--db", "snap.json")
    assert code_live == code_file == 1
    assert from_file["changes"] == live["changes"]
    stdout = run_process(app, "snapshot", "-o", "-")
    assert stdout.code == 0
    assert json.loads(stdout.stdout) == data


def test_snapshot_to_an_unwritable_place(app: Path) -> None:
    result = run_process(app, "snapshot", "-o", "no/such/dir/snap.json")
    assert result.code == 2
    expected = "error: could not write no/such/dir/snap.json: No such file or directory"
    assert result.stderr.splitlines() == [expected]


def test_json_is_byte_identical_across_hash_seeds(app: Path) -> None:
    outputs = set()
    for seed in ("0", "1", "2"):
        result = run_process(app, "diff", "--format", "json", env={"PYTHONHASHSEED": seed})
        assert result.code == 1
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_exclude_table_flag(app: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'extra.db'}"
    create_current(app, url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE legacy_audit (id INTEGER PRIMARY KEY)")
    engine.dispose()
    code, report = json_diff(app, "--db", url)
    assert code == 1
    assert [(c["op"], c["table"]) for c in report["changes"]] == [("drop_table", "legacy_audit")]
    assert run_process(app, "check", "--db", url, "--exclude-table", "legacy_*").code == 0


def test_rename_hint_flags(app: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'renamed.db'}"
    create_current(app, url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE users RENAME COLUMN phone TO mobile")
    engine.dispose()
    _, plain = json_diff(app, "--db", url)
    assert {c["op"] for c in plain["changes"]} == {"add_column", "drop_column"}
    assert any("rename" in n["message"] for n in plain["notices"])
    _, hinted = json_diff(app, "--db", url, "--rename-column", "users.mobile=phone")
    assert [(c["op"], c["table"]) for c in hinted["changes"]] == [("rename_column", "users")]


def test_named_environment_and_config_flag(app: Path, tmp_path: Path) -> None:
    create_current(app, f"sqlite:///{tmp_path / 'v2.db'}")
    (tmp_path / "conf.toml").write_text(
        '[tool.schemadiff]\nurl = "sqlite:///example.db"\nmetadata = "models:Base.metadata"\n'
        f'[tool.schemadiff.environments.current]\nurl = "sqlite:///{tmp_path / "v2.db"}"\n'
    )
    conf = str(tmp_path / "conf.toml")
    assert run_process(app, "--config", conf, "check").code == 1
    assert run_process(app, "--config", conf, "-n", "current", "check").code == 0
    # environment variables beat the config file, flags beat environment variables
    env = {"SCHEMADIFF_URL": f"sqlite:///{tmp_path / 'v2.db'}"}
    assert run_process(app, "check", env=env).code == 0
    assert run_process(app, "check", "--db", "sqlite:///example.db", env=env).code == 1


def test_alembic_ini_url_is_used(app: Path) -> None:
    (app / "schemadiff.toml").write_text('metadata = "models:Base.metadata"\n')
    (app / "alembic.ini").write_text("[alembic]\nsqlalchemy.url = sqlite:///%(here)s/example.db\n")
    result = run_process(app, "check")
    assert result.code == 1, result


def test_version_help_and_import_are_cheap(app: Path) -> None:
    version = run_process(app, "--version")
    assert version.code == 0 and version.stdout.startswith("schemadiff ")
    probe = (
        "import sys; sys.argv = ['schemadiff', '--help']\n"
        "import schemadiff\n"
        "from schemadiff.cli.app import run\n"
        "code = run()\n"
        "heavy = [m for m in ('sqlalchemy', 'black', 'psycopg', 'pymysql') if m in sys.modules]\n"
        "print(code, heavy)\n"
        "print(schemadiff.compute_diff.__module__, schemadiff.load_snapshot.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=app, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-2:] == ["0 []", "schemadiff.diff.engine load"]


@pytest.mark.db
@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_diff_and_check_on_server_backends(
    app: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    create_current(app, url)
    ok = run_process(app, "check", "--db", url)
    assert ok.code == 0, ok
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE users DROP COLUMN phone"))
    engine.dispose()
    code, report = json_diff(app, "--db", url)
    assert code == 1
    assert report["dialect"] == ("postgresql" if backend == "postgresql" else "mysql")
    assert [(c["op"], c["name"]) for c in report["changes"]] == [("add_column", "phone")]
    assert run_process(app, "check", "--db", url).code == 1
    # a snapshot taken from the server compares the same, without a connection
    assert run_process(app, "snapshot", "--db", url, "-o", "server.json").code == 0
    assert json_diff(app, "--db", "server.json") == (code, report)


PLUGINS = (
    'comparators = ["audit_plugin:require_primary_keys", "audit_plugin:grant_new_tables"]\n'
    'compare_type = "audit_plugin:ignore_varchar_length"\n'
)


@pytest.fixture
def app_with_plugins(app: Path) -> Path:
    """The example app configured with the README's plugin example (fixtures/plugin_example)."""
    shutil.copy(ROOT / "fixtures" / "plugin_example" / "audit_plugin.py", app)
    with (app / "schemadiff.toml").open("a") as f:
        f.write(PLUGINS)
    return app


def test_readme_plugin_example_hook(app_with_plugins: Path) -> None:
    code, report = json_diff(app_with_plugins)
    assert code == 1
    ops = [(c["op"], c["name"]) for c in report["changes"]]
    # the compare_type hook hides the varchar(50) -> varchar(100) change; nothing is new
    assert ("alter_column", "username") not in ops
    assert sorted(ops) == [
        ("add_column", "phone"),
        ("create_index", "ix_posts_created_at"),
        ("drop_column", "nickname"),
    ]
    assert report["notices"] == []


def test_readme_plugin_example_comparators(app_with_plugins: Path) -> None:
    with (app_with_plugins / "models.py").open("a") as f:
        f.write('\naudit_log = sa.Table("audit_log", Base.metadata, sa.Column("msg", sa.Text))\n')
    sa.create_engine(f"sqlite:///{app_with_plugins / 'empty.db'}").connect().close()
    code, report = json_diff(app_with_plugins, "--db", "sqlite:///empty.db")
    assert code == 1
    ops = [(c["op"], c["table"]) for c in report["changes"]]
    assert ops[-3:] == [
        ("execute_sql", "audit_log"),
        ("execute_sql", "posts"),
        ("execute_sql", "users"),
    ]
    grant = report["changes"][-1]
    assert grant["description"] == "grant select on users to reporting"
    assert grant["detail"]["sql"] == "GRANT SELECT ON users TO reporting"
    warnings = [n["message"] for n in report["notices"] if n["level"] == "warning"]
    assert warnings == ["table audit_log has no primary key"]
    text = run_process(app_with_plugins, "diff", "--db", "sqlite:///empty.db")
    assert "~ grant select on users to reporting" in text.stdout
    assert "warning: table audit_log has no primary key" in text.stdout
