"""Several databases through a project's env.py: a project made by ``alembic init -t multidb``
and one made by ``schemadiff init -t multidb``, each database with its own MetaData in env.py's
``target_metadata`` dict. ``diff``, ``check`` and ``snapshot`` cover every database (a section
each), ``revision --autogenerate`` writes ONE revision with a section per database that plain
``alembic upgrade head`` applies, after which both ``schemadiff check`` and ``alembic check`` are
clean; downgrade works. Reading never writes (no version table appears)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit.chain import table_names, version_rows
from tests.kit.cli import Result, run_alembic, run_process

NAMES = ("engine1", "engine2")

MODELS = """\
import sqlalchemy as sa

m1 = sa.MetaData()
m2 = sa.MetaData()
sa.Table(
    "users", m1,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
)
sa.Table(
    "audit", m2,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(20)),{extra}
)
"""

TARGETS = 'from models import m1, m2\ntarget_metadata = {"engine1": m1, "engine2": m2}'


def _ok(result: Result) -> Result:
    assert result.code == 0, result.out + result.err
    return result


def _section(script: str, function: str) -> str:
    """The body of ``def function(...)`` in a revision file."""
    found = re.search(rf"^def {function}\(.*?(?=^def |\Z)", script, re.M | re.S)
    assert found, f"no {function}() in\n{script}"
    return found.group(0)


def alembic_project(root: Path, urls: dict[str, str]) -> dict[str, str]:
    """``alembic init -t multidb``, the URLs in alembic.ini's [engine1]/[engine2], the models'
    MetaData in env.py; returns the environment the commands run with (none needed)."""
    _ok(run_alembic(root, "init", "-t", "multidb", "migrations"))
    ini = root / "alembic.ini"
    text = ini.read_text()
    for name, placeholder in zip(NAMES, ("dbname", "dbname2"), strict=True):
        line = f"sqlalchemy.url = driver://user:pass@localhost/{placeholder}\n"
        assert line in text, text
        text = text.replace(line, f"sqlalchemy.url = {urls[name].replace('%', '%%')}\n")
    ini.write_text(text)
    env_py = root / "migrations" / "env.py"
    assert env_py.read_text().count("target_metadata = {}") == 1
    env_py.write_text(env_py.read_text().replace("target_metadata = {}", TARGETS))
    (root / "models.py").write_text(MODELS.format(extra=""))
    return {}


def schemadiff_project(root: Path, urls: dict[str, str]) -> dict[str, str]:
    """``schemadiff init -t multidb``: the URLs come from ENGINE1_URL / ENGINE2_URL; env.py
    also passes ``template_args``, which the project's script.py.mako prints."""
    _ok(run_process(root, "init", "-t", "multidb", "migrations"))
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text()
    assert text.count("target_metadata = {}") == 1
    text = text.replace("target_metadata = {}", TARGETS)
    configure = "                target_metadata=target_metadata.get(name),\n            )"
    assert configure in text
    text = text.replace(
        configure,
        "                target_metadata=target_metadata.get(name),\n"
        '                template_args={"owner": "team-a"},\n            )',
    )
    env_py.write_text(text)
    mako = root / "migrations" / "script.py.mako"
    mako.write_text(
        mako.read_text().replace(
            "# revision identifiers",
            '# owner: ${context.get("owner", "nobody")}\n\n# revision identifiers',
        )
    )
    (root / "models.py").write_text(MODELS.format(extra=""))
    return {"ENGINE1_URL": urls["engine1"], "ENGINE2_URL": urls["engine2"]}


PAIRS = {"sqlite": ("sqlite", "sqlite"), "pg+mariadb": ("postgresql", "mysql")}
MAKERS = {"alembic": alembic_project, "schemadiff": schemadiff_project}


@pytest.mark.parametrize(
    ("maker", "pair"),
    [
        ("alembic", "sqlite"),
        ("schemadiff", "sqlite"),
        pytest.param("alembic", "pg+mariadb", marks=pytest.mark.db),
    ],
)
def test_multidb_project(
    tmp_path: Path, backend_url: Callable[..., str], maker: str, pair: str
) -> None:
    backends = PAIRS[pair]
    urls = {
        name: backend_url(b, i) for i, (name, b) in enumerate(zip(NAMES, backends, strict=True))
    }
    env = MAKERS[maker](tmp_path, urls)

    def schemadiff(*args: str) -> Result:
        return run_process(tmp_path, *args, env=env)

    # diff: a section per database, each with its own models
    diff = schemadiff("diff")
    assert diff.code == 1, diff.out + diff.err
    assert diff.err == ""  # no "Migrating database ..." INFO lines from env.py's logging
    first, second = diff.out.split("== engine2 ==")
    assert first.startswith("== engine1 ==") and "users" in first and "audit" not in first
    assert "audit" in second and "users" not in second
    data = json.loads(_ok_or_1(schemadiff("diff", "--format", "json")).out)
    assert data["format"] == "schemadiff.diff/1" and data["summary"]["changes"] == 2
    assert [d["name"] for d in data["databases"]] == list(NAMES)
    assert [c["database"] for c in data["changes"]] == list(NAMES)
    assert data["databases"][1]["report"]["changes"][0]["table"] == "audit"
    check = schemadiff("check", "--format", "json")
    assert check.code == 1, check.out + check.err
    targets = json.loads(check.out)["targets"]
    assert [(t["target"], t["verdict"]) for t in targets] == [(n, "drift") for n in NAMES]
    # reading wrote nothing: no version table in either database
    for url in urls.values():
        assert "alembic_version" not in table_names(url)

    # one revision, a section per database
    made = _ok(schemadiff("revision", "--autogenerate", "-m", "first", "--rev-id", "r1"))
    assert "database engine1:" in made.out and "database engine2:" in made.out
    (script,) = (tmp_path / "migrations" / "versions").glob("*.py")
    text = script.read_text()
    assert '"users"' in _section(text, "upgrade_engine1") and "audit" not in _section(
        text, "upgrade_engine1"
    )
    assert '"audit"' in _section(text, "upgrade_engine2")
    assert 'op.drop_table("audit")' in _section(text, "downgrade_engine2")
    if maker == "schemadiff":
        assert "# owner: team-a" in text  # env.py's template_args reach the template
    compile(text, str(script), "exec")

    # a database behind head: refused, naming it
    again = schemadiff("revision", "--autogenerate", "-m", "early")
    assert again.code == 2 and "database engine1" in again.err, again.out + again.err

    _ok(run_alembic(tmp_path, "upgrade", "head", env=env))
    for name, url in urls.items():
        assert version_rows(url) == ["r1"]
        assert ("users" in table_names(url)) == (name == "engine1")
    _ok(schemadiff("check"))
    _ok(run_alembic(tmp_path, "check", env=env))
    assert _ok(schemadiff("diff")).out.count("no differences") == 2
    nothing = _ok(schemadiff("revision", "--autogenerate", "-m", "none"))
    assert "No changes detected" in nothing.out
    assert len(list((tmp_path / "migrations" / "versions").glob("*.py"))) == 1

    # a change in one database only: the other's sections stay "pass"
    (tmp_path / "models.py").write_text(MODELS.format(extra='\n    sa.Column("at", sa.Integer),'))
    _ok(schemadiff("revision", "--autogenerate", "-m", "second", "--rev-id", "r2"))
    (script,) = (tmp_path / "migrations" / "versions").glob("r2_*.py")
    text = script.read_text()
    assert re.search(r"def upgrade_engine1\(\)[^:]*:\n(    \"\"\".*\"\"\"\n)?    pass\n", text)
    assert "add_column" in _section(text, "upgrade_engine2") or "batch_op.add_column" in text
    _ok(run_alembic(tmp_path, "upgrade", "head", env=env))
    _ok(schemadiff("check"))
    _ok(run_alembic(tmp_path, "check", env=env))

    # downgrade through env.py (schemadiff) and with alembic
    down = _ok(schemadiff("downgrade", "-1"))
    assert "of engine1" in down.out and "of engine2" in down.out, down.out
    assert all(version_rows(url) == ["r1"] for url in urls.values())
    _ok(run_alembic(tmp_path, "downgrade", "base", env=env))
    for url in urls.values():
        assert version_rows(url) == [] and not {"users", "audit"} & table_names(url)

    # a plain revision renders the project's template too (Alembic's reads config's databases)
    _ok(schemadiff("revision", "-m", "empty", "--rev-id", "r3"))
    (script,) = (tmp_path / "migrations" / "versions").glob("r3_*.py")
    assert "    pass\n" in _section(script.read_text(), "downgrade_engine2")


def _ok_or_1(result: Result) -> Result:
    assert result.code in (0, 1), result.out + result.err
    return result


def test_database_without_target_metadata_is_not_compared(
    tmp_path: Path, backend_url: Callable[..., str]
) -> None:
    """engine2 has no MetaData in target_metadata: said so, not reported as tables to drop; its
    sections of a new revision stay ``pass``; snapshot writes a file per database."""
    urls = {name: backend_url("sqlite", i) for i, name in enumerate(NAMES)}
    env = schemadiff_project(tmp_path, urls)
    env_py = tmp_path / "migrations" / "env.py"
    env_py.write_text(env_py.read_text().replace('"engine2": m2', ""))
    # engine2 holds a table no model describes: not a change, since it is not compared
    import sqlalchemy as sa

    engine = sa.create_engine(urls["engine2"])
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE kept (id INTEGER PRIMARY KEY)"))
    engine.dispose()

    diff = run_process(tmp_path, "diff", env=env)
    assert diff.code == 1, diff.out + diff.err
    assert "not compared: no target_metadata for engine2" in diff.out
    assert "kept" not in diff.out
    data = json.loads(run_process(tmp_path, "diff", "--format", "json", env=env).out)
    assert data["databases"][1] == {
        "name": "engine2",
        "database": urls["engine2"],
        "compared": False,
        "note": "no target_metadata for engine2",
        "report": None,
    }
    check = run_process(tmp_path, "check", env=env)
    assert check.code == 1 and "NOT COMPARED" in check.out, check.out + check.err
    sql = run_process(tmp_path, "diff", "--format", "sql", env=env)
    assert sql.code == 1, sql.err
    assert sql.out.startswith("-- database engine1\n") and "CREATE TABLE users" in sql.out
    assert "-- database engine2: not compared (no target_metadata for engine2)" in sql.out
    python = run_process(tmp_path, "diff", "--format", "python", env=env)
    assert python.code == 1, python.err
    compile(python.out, "diff.py", "exec")
    assert '"users"' in _section(python.out, "upgrade_engine1")
    assert "    pass\n" in _section(python.out, "upgrade_engine2")

    made = _ok(run_process(tmp_path, "revision", "--autogenerate", "-m", "one", env=env))
    assert "not compared: no target_metadata for engine2" in made.out
    (script,) = (tmp_path / "migrations" / "versions").glob("*.py")
    assert "    pass\n" in _section(script.read_text(), "upgrade_engine2")
    _ok(run_process(tmp_path, "upgrade", "head", env=env))
    check = run_process(tmp_path, "check", env=env)
    assert check.code == 0, check.out + check.err

    snap = _ok(run_process(tmp_path, "snapshot", "-o", "schema.json", env=env))
    assert "wrote schema.engine1.json" in snap.out and "wrote schema.engine2.json" in snap.out
    assert '"kept"' in (tmp_path / "schema.engine2.json").read_text()
    refused = run_process(tmp_path, "snapshot", "-o", "-", env=env)
    assert refused.code == 2 and "several databases" in refused.err


SINGLE_MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table("things", metadata, sa.Column("id", sa.Integer, primary_key=True))
"""


def test_single_database_env_py_passes_template_args(
    tmp_path: Path, backend_url: Callable[..., str]
) -> None:
    """``alembic init`` (generic): env.py's ``template_args`` reach the project's template, and
    ``config`` is there too, as with ``alembic revision --autogenerate``."""
    _ok(run_alembic(tmp_path, "init", "migrations"))
    ini = tmp_path / "alembic.ini"
    url = backend_url("sqlite")
    ini.write_text(ini.read_text().replace("driver://user:pass@localhost/dbname", url))
    (tmp_path / "models.py").write_text(SINGLE_MODELS)
    env_py = tmp_path / "migrations" / "env.py"
    text = env_py.read_text().replace(
        "target_metadata = None", "from models import metadata as target_metadata"
    )
    online = "            connection=connection, target_metadata=target_metadata\n"
    assert online in text
    env_py.write_text(text.replace(online, online[:-1] + ', template_args={"owner": "ops"}\n'))
    mako = tmp_path / "migrations" / "script.py.mako"
    mako.write_text(
        mako.read_text().replace(
            "# revision identifiers",
            "# owner: ${owner}, script: ${config.get_main_option('script_location')}\n\n"
            "# revision identifiers",
        )
    )
    _ok(run_process(tmp_path, "revision", "--autogenerate", "-m", "things", "--rev-id", "r1"))
    text = next((tmp_path / "migrations" / "versions").glob("r1_*.py")).read_text()
    assert "# owner: ops, script: " in text and '"things"' in text
    _ok(run_alembic(tmp_path, "upgrade", "head"))
    _ok(run_alembic(tmp_path, "check"))


def test_multidb_env_py_that_writes_is_refused(
    tmp_path: Path, backend_url: Callable[..., str]
) -> None:
    """The read lets a multidb env.py run to its end, still read-only: a write of env.py's own
    (here in the second database's round) fails in one line, and nothing reached either
    database (no table, no version table)."""
    urls = {name: backend_url("sqlite", i) for i, name in enumerate(NAMES)}
    env = schemadiff_project(tmp_path, urls)
    env_py = tmp_path / "migrations" / "env.py"
    text = env_py.read_text()
    log = '            logger.info("Migrating database %s", name)\n'
    assert log in text
    sneaky = '            if name == "engine2":\n'
    sneaky += '                connection.exec_driver_sql("CREATE TABLE sneaky (id INTEGER)")\n'
    env_py.write_text(text.replace(log, log + sneaky))
    diff = run_process(tmp_path, "diff", env=env)
    assert diff.code == 2, diff.out + diff.err
    assert len(diff.err.strip().splitlines()) == 1 and "read-only" in diff.err, diff.err
    for url in urls.values():
        assert not {"sneaky", "alembic_version"} & table_names(url)
