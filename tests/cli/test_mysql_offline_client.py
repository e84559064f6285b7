"""Offline SQL fed to the ``mysql`` command-line client, as users apply it.

A trigger or routine whose body holds ``;`` (``BEGIN ...; ...; END``) was written as one line
ending in ``;``: the client cut it at the body's first ``;`` and failed with a syntax error. It is
written between ``DELIMITER`` lines now, by ``upgrade --sql`` (a ``schemadiff init`` project and a
plain Alembic env.py), ``diff --format sql``, and plain ``alembic upgrade --sql`` (the script
carries a helper that writes the ``DELIMITER`` lines itself).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.backends.mysql.delimiters import delimited
from tests.kit.cli import run_alembic, run_cli

MODELS = """
import sqlalchemy as sa
from schemadiff.objects import Function, Procedure, Trigger

metadata = sa.MetaData()
sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("status", sa.String(20)))
sa.Table("audit", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("note", sa.String(200)))
Trigger(metadata, "orders_audit", "orders",
        "AFTER UPDATE FOR EACH ROW BEGIN "
        "INSERT INTO audit (note) VALUES (CONCAT(OLD.status, ' -> ', NEW.status)); "
        "INSERT INTO audit (note) VALUES ('done:ok'); END")
Procedure(metadata, "count_orders", "BEGIN SELECT COUNT(*) INTO n FROM orders; END",
          args="OUT n INT")
Function(metadata, "twice", "RETURN a * 2", args="a INT", returns="INT", volatility="immutable")
"""


def _mysql_client(url: str, sql: str) -> subprocess.CompletedProcess[str]:
    parsed = sa.engine.make_url(url)
    args = ["mysql", "-h", parsed.host or "127.0.0.1", "-P", str(parsed.port or 3306)]
    args += ["-u", parsed.username or "root"]
    if parsed.password:
        args.append(f"-p{parsed.password}")
    args.append(str(parsed.database))
    return subprocess.run(args, input=sql, capture_output=True, text=True, timeout=60)


def _works(url: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO orders (id, status) VALUES (1, 'open')")
            conn.exec_driver_sql("UPDATE orders SET status = 'closed'")
            notes = conn.exec_driver_sql("SELECT note FROM audit ORDER BY id").scalars().all()
            conn.exec_driver_sql("CALL count_orders(@n)")
            n = conn.exec_driver_sql("SELECT @n").scalar()
        assert notes == ["open -> closed", "done:ok"]
        assert n == 1
    finally:
        engine.dispose()


def _alembic_project(folder: Path, url: str) -> None:
    """``alembic init`` in ``folder``, its URL set and its env.py given the models."""
    from alembic import command
    from alembic.config import Config

    config = Config(str(folder / "alembic.ini"))
    config.set_main_option("script_location", str(folder / "migrations"))
    command.init(config, str(folder / "migrations"))
    ini = (folder / "alembic.ini").read_text()
    (folder / "alembic.ini").write_text(ini.replace("driver://user:pass@localhost/dbname", url))
    env = folder / "migrations" / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None",
            "from models_client import metadata\ntarget_metadata = metadata",
        )
    )


needs_client = pytest.mark.skipif(shutil.which("mysql") is None, reason="no mysql client")


@pytest.mark.db
@needs_client
@pytest.mark.parametrize("project_kind", ["schemadiff", "alembic"])
def test_upgrade_sql_runs_in_the_mysql_client(
    backend_url: Callable[..., str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    project_kind: str,
) -> None:
    url = backend_url("mysql")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_client.py").write_text(MODELS)
    monkeypatch.syspath_prepend(str(folder))
    if project_kind == "schemadiff":
        (folder / "schemadiff.toml").write_text(
            f'url = "{url}"\nmetadata = "models_client:metadata"\nscript_location = "migrations"\n'
        )
        assert run_cli(["init", "migrations"], folder).code == 0
    else:
        _alembic_project(folder, url)
    made = run_cli(["revision", "--autogenerate", "-m", "all", "--rev-id", "r1"], folder)
    assert made.code == 0, made
    out = run_cli(["upgrade", "--sql"], folder)
    assert out.code == 0, out
    assert "DELIMITER //" in out.out
    assert out.out.count("DELIMITER //") == 2, out.out  # trigger, procedure; once each
    if project_kind == "alembic":  # the same script offline under plain alembic
        plain = run_alembic(folder, "upgrade", "head", "--sql")
        assert plain.code == 0, plain.err
        assert plain.out.count("DELIMITER //") == 2, plain.out
    ran = _mysql_client(url, out.out)
    assert ran.returncode == 0, ran.stderr
    _works(url)
    assert "no differences" in run_cli(["diff"], folder).out


@pytest.mark.db
@needs_client
def test_plain_alembic_upgrade_sql_runs_in_the_mysql_client(
    backend_url: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What plain ``alembic upgrade --sql`` writes for a script of ours, fed to the client."""
    url = backend_url("mysql")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_client.py").write_text(MODELS)
    monkeypatch.syspath_prepend(str(folder))
    _alembic_project(folder, url)
    made = run_cli(["revision", "--autogenerate", "-m", "all", "--rev-id", "r1"], folder)
    assert made.code == 0, made
    plain = run_alembic(folder, "upgrade", "head", "--sql")
    assert plain.code == 0, plain.err
    ran = _mysql_client(url, plain.out)
    assert ran.returncode == 0, ran.stderr
    _works(url)
    assert "no differences" in run_cli(["diff"], folder).out


@pytest.mark.db
@needs_client
def test_diff_format_sql_runs_in_the_mysql_client(
    backend_url: Callable[..., str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = backend_url("mysql")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_client.py").write_text(MODELS)
    monkeypatch.syspath_prepend(str(folder))
    (folder / "schemadiff.toml").write_text(f'url = "{url}"\nmetadata = "models_client:metadata"\n')
    out = run_cli(["diff", "--format", "sql"], folder)
    assert out.code == 1, out
    ran = _mysql_client(url, out.out)
    assert ran.returncode == 0, ran.stderr
    _works(url)


def test_only_compound_bodies_are_delimited() -> None:
    plain = "CREATE TRIGGER t BEFORE UPDATE ON x FOR EACH ROW SET NEW.a = 1;\n\n"
    assert delimited(plain) == plain
    assert delimited("INSERT INTO t VALUES ('a;b');\n\n") == "INSERT INTO t VALUES ('a;b');\n\n"
    body = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT '//'; END;\n\n"
    assert delimited(body) == (
        "DELIMITER $$\nCREATE PROCEDURE p() BEGIN SELECT 1; SELECT '//'; END$$\nDELIMITER ;\n\n"
    )
