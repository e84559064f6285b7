"""sqlalchemy-declarative-extensions' declarations (issue 17) on real databases: a database the
library builds itself (its ``register_sqlalchemy_events`` listeners inside ``create_all``) diffs
clean; a project whose models use ``declare_database`` migrates from v1 to v2 with the real
commands, converging on the library-built v2 (compared by the independent inspector), and its
downgrade brings v1 back with its rows; the library's ``ignore_unspecified`` / ``ignore`` leave
the database's other objects alone; a project's own env.py (with the library's Alembic events) is
read too (tests/unit/test_declext_optional.py: without the library)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

pytest.importorskip("sqlalchemy_declarative_extensions")

from sqlalchemy_declarative_extensions import (  # noqa: E402
    Functions,
    Views,
    declare_database,
    register_sqlalchemy_events,
)
from sqlalchemy_declarative_extensions import View as DeclView  # noqa: E402
from sqlalchemy_declarative_extensions.dialects import postgresql as pg  # noqa: E402

from fixtures.declarative_extensions import build, models  # noqa: E402
from schemadiff.objects import declared_functions, declared_triggers, declared_views  # noqa: E402
from tests.kit.cli import cli_ok as cli  # noqa: E402
from tests.kit.cli import run_cli, run_process  # noqa: E402
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff  # noqa: E402
from tests.kit.independent import describe  # noqa: E402

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.db),
    pytest.param("mysql", id="mysql", marks=pytest.mark.db),
]


engine_for = engine_fixture()


def library_changes(conn: sa.Connection, metadata: sa.MetaData) -> list[tuple[str, str]]:
    """What sqlalchemy-declarative-extensions' own comparison (its Alembic autogenerate
    hooks) would change: views everywhere, routines and triggers where it reads them."""
    from sqlalchemy_declarative_extensions.function.compare import compare_functions
    from sqlalchemy_declarative_extensions.procedure.compare import compare_procedures
    from sqlalchemy_declarative_extensions.trigger.compare import compare_triggers
    from sqlalchemy_declarative_extensions.view.compare import compare_views

    found: list[Any] = list(compare_views(conn, Views.extract(metadata)))
    if conn.dialect.name != "sqlite":
        info = metadata.info
        found += compare_functions(conn, info["functions"])
        found += compare_procedures(conn, info["procedures"])
        found += compare_triggers(conn, info["triggers"])
    named = []
    for op in found:
        obj = next(v for k, v in vars(op).items() if not k.startswith("from_"))
        named.append((type(op).__name__, obj.name))
    return sorted(named)


def built(engine: Engine, backend: str, version: int) -> None:
    with engine.begin() as conn:
        build(conn, backend, version)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("version", [1, 2])
def test_a_database_the_library_built_diffs_clean(
    backend: str, version: int, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for(backend)
    built(engine, backend, version)
    metadata = models(backend, version)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == [
        n.message
        for n in result.notices
        if n.level == "not_compared" and "table options" in n.message
    ]
    assert [n for n in result.notices if n.objects] == []
    # every declaration was read as ours
    assert len(declared_views(metadata)) == (3 if (backend, version) == ("postgresql", 2) else 2)
    if backend != "sqlite":  # functions and procedures: PostgreSQL 4, MySQL 3
        assert len(declared_functions(metadata)) == (4 if backend == "postgresql" else 3)
        assert len(declared_triggers(metadata)) == 2


@pytest.mark.parametrize("backend", BACKENDS)
def test_convergence_with_the_commands_and_downgrade(
    backend: str, engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    reference = engine_for(backend, 1)
    built(reference, backend, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    engine = engine_for(backend)
    built(engine, backend, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO orders (id, status) VALUES (1, 'open')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    assert "<views>" in v1_state

    folder = tmp_path / "project"
    folder.mkdir()
    module = f"models_declext_{backend}"  # in-process runs keep imported modules by name
    (folder / f"{module}.py").write_text(
        "from fixtures.declarative_extensions import models\n\n"
        f"metadata = models({backend!r}, 2)  # declare_database(metadata, views=..., ...)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    before = run_cli(["diff"], folder)
    assert before.code == 1 and "+ create view closed_orders" in before.out, before
    cli(folder, "revision", "--autogenerate", "-m", "declext", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "CREATE VIEW closed_orders" in script, script
    if backend == "postgresql":
        assert "CREATE OR REPLACE FUNCTION touch_updated_at()" in script, script
        assert "DROP FUNCTION old_answer()" in script, script
        assert "CREATE MATERIALIZED VIEW order_count" in script, script
    if backend != "sqlite":
        assert "CREATE TRIGGER orders_touch" in script, script

    offline = cli(folder, "upgrade", "head", "--sql")
    assert "CREATE VIEW closed_orders" in offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert [op.describe() for op in diff(engine, models(backend, 2)).ops] == [], script
    after = run_cli(["diff"], folder)
    assert after.code == 0, after
    # the library's own comparison sees the same here as on the database it built itself
    # (it has false differences of its own: a view's text, a trigger's rewritten condition;
    # on MariaDB it does not even agree with itself on the database it built)
    if backend != "mysql":
        with engine.connect() as conn, reference.connect() as ref:
            ours, its_own = (
                library_changes(conn, models(backend, 2)),
                library_changes(ref, models(backend, 2)),
            )
        assert ours == its_own, script

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
        assert conn.exec_driver_sql("SELECT status FROM orders").scalar() == "open"


def _pg_extra(engine: Engine) -> None:
    """Objects the models do not declare, made by hand."""
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE VIEW legacy_report AS SELECT 1 AS one")
        conn.exec_driver_sql(
            "CREATE FUNCTION legacy_fn() RETURNS integer LANGUAGE sql AS 'SELECT 1'"
        )
        conn.exec_driver_sql(
            "CREATE FUNCTION other_fn() RETURNS integer LANGUAGE sql AS 'SELECT 2'"
        )


def _models_with(views: Views, functions: Functions) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    declare_database(metadata, views=views, functions=functions)
    return metadata


@pytest.mark.db
def test_ignore_unspecified_and_ignore_leave_the_database_objects_alone(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for("postgresql")
    view = DeclView("mine", "SELECT id FROM t")
    function = pg.Function("my_fn", "SELECT 3", returns="integer")
    strict = _models_with(Views().are(view), Functions().are(function))
    with engine.begin() as conn:
        strict.create_all(conn)
    _pg_extra(engine)

    # the library's default: undeclared objects of a declared kind are dropped
    ops = [op.describe() for op in diff(engine, strict).ops]
    assert "drop view legacy_report" in ops
    assert "drop function legacy_fn()" in ops
    assert "drop function other_fn()" in ops

    # ignore_unspecified: none of them is dropped, all are listed as not compared
    lenient = _models_with(
        Views(ignore_unspecified=True).are(view),
        Functions(ignore_unspecified=True).are(function),
    )
    result = diff(engine, lenient)
    assert sorted(op.describe() for op in result.ops) == [
        "create function my_fn()",
        "create view mine",
    ]
    [listed] = [n for n in result.notices if n.objects]
    assert {o.describe() for o in listed.objects} >= {
        "view legacy_report",
        "function legacy_fn()",
        "function other_fn()",
    }

    # ignore globs: the matching ones are left alone, the others still dropped
    globbed = _models_with(
        Views(ignore=["legacy_*"]).are(view), Functions(ignore=["public.legacy_*"]).are(function)
    )
    ops = [op.describe() for op in diff(engine, globbed).ops]
    assert "drop view legacy_report" not in ops
    assert "drop function legacy_fn()" not in ops
    assert "drop function other_fn()" in ops

    # include (functions): those no glob includes are left alone
    included = _models_with(Views().are(view), Functions(include=["my_*"]).are(function))
    ops = [op.describe() for op in diff(engine, included).ops]
    assert "drop function other_fn()" not in ops and "drop function legacy_fn()" not in ops
    assert "drop view legacy_report" in ops


@pytest.mark.db
def test_kinds_not_compared_are_listed_one_line_each(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for("postgresql")
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    declare_database(
        metadata,
        rows=[],
        functions=[pg.Function("two", "RETURN 2", returns="integer")],  # SQL-standard body
    )
    with engine.begin() as conn:
        metadata.create_all(conn)
        conn.exec_driver_sql("CREATE FUNCTION two() RETURNS integer LANGUAGE sql RETURN 2")
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == []  # two() is not dropped
    notes = sorted(n.message for n in result.notices if n.level == "not_compared" and not n.objects)
    assert notes == [
        "sqlalchemy-declarative-extensions function two (a SQL-standard body)",
        "sqlalchemy-declarative-extensions rows (declare_database(rows=...))",
    ]


def _declared(count: int, native: bool) -> sa.MetaData:
    """``count`` views, functions and triggers, declared with the library or with ours."""
    from schemadiff import objects

    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    fn = "BEGIN RETURN NEW; END;"
    if native:
        for i in range(count):
            objects.View(metadata, f"v{i}", f"SELECT id, {i} AS n FROM t")
            objects.Function(metadata, f"f{i}", fn, returns="trigger", language="plpgsql")
            objects.Trigger(
                metadata, f"tr{i}", "t", f"BEFORE INSERT FOR EACH ROW EXECUTE FUNCTION f{i}()"
            )
        return metadata
    declare_database(
        metadata,
        views=[DeclView(f"v{i}", f"SELECT id, {i} AS n FROM t") for i in range(count)],
        functions=[
            pg.Function(f"f{i}", fn, returns="trigger", language="plpgsql") for i in range(count)
        ],
        triggers=[
            pg.Trigger.before("insert", on="t", execute=f"f{i}", name=f"tr{i}").for_each_row()
            for i in range(count)
        ],
    )
    register_sqlalchemy_events(metadata, views=True, functions=True, triggers=True)
    return metadata


@pytest.mark.db
def test_the_declarations_cost_no_statement_of_their_own(
    engine_for: Callable[..., Engine],
) -> None:
    """As many statements as the same objects declared with schemadiff.objects (the catalog
    read once per kind; views the server spells its own way settled the same way)."""

    def statements(engine: Engine, metadata: sa.MetaData) -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            assert diff(engine, metadata).ops == ()
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    engine = engine_for("postgresql")
    library = _declared(20, native=False)
    with engine.begin() as conn:
        library.create_all(conn)
    native = _declared(20, native=True)
    statements(engine, library)  # the server's rewrites of the views, remembered from here on
    assert statements(engine, library) == statements(engine, native)


ENV_MODELS = """\
import sqlalchemy as sa
from sqlalchemy_declarative_extensions import Views, View, declare_database
from sqlalchemy_declarative_extensions.dialects.postgresql import Function, Trigger

metadata = sa.MetaData()
orders = sa.Table(
    "orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("status", sa.String(20)), sa.Column("updated_at", sa.DateTime),
)
declare_database(
    metadata,
    views=Views(ignore=["legacy_*"]).are(
        View("open_orders", sa.select(orders.c.id).where(orders.c.status == "open")),
    ),
    functions=[Function("touch", "BEGIN NEW.updated_at = now(); RETURN NEW; END;",
                        returns="trigger", language="plpgsql")],
    triggers=[Trigger.before("insert", "update", on="orders", execute="touch",
                             name="orders_touch").for_each_row()],
)
"""


@pytest.mark.db
def test_a_project_env_py_with_the_library_alembic_events(
    backend_url: Callable[..., str], tmp_path: Path
) -> None:
    """``alembic init`` project whose env.py imports the models and calls the library's
    ``register_alembic_events``: schemadiff reads the declarations through env.py, plain
    ``alembic upgrade`` applies the script, and a view the library ignores is kept."""
    url = backend_url("postgresql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE VIEW legacy_report AS SELECT 1 AS one")
    alembic_bin = str(Path(sys.executable).with_name("alembic"))
    env = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}

    def alembic(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [alembic_bin, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )

    assert alembic("init", "migrations").returncode == 0
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        ini.read_text().replace("driver://user:pass@localhost/dbname", url.replace("%", "%%"))
    )
    (tmp_path / "models.py").write_text(ENV_MODELS)
    env_py = tmp_path / "migrations" / "env.py"
    env_py.write_text(
        env_py.read_text().replace(
            "target_metadata = None",
            "import sys, os\nsys.path.insert(0, os.getcwd())\n"
            "from models import metadata as target_metadata\n"
            "from sqlalchemy_declarative_extensions import register_alembic_events\n"
            "register_alembic_events(views=True, functions=True, triggers=True)\n",
        )
    )
    done = run_process(tmp_path, "revision", "--autogenerate", "-m", "declext")
    assert done.code == 0, done.err
    [script] = (tmp_path / "migrations" / "versions").glob("*declext*.py")
    body = script.read_text()
    assert "CREATE VIEW open_orders" in body and "CREATE FUNCTION touch()" in body, body
    assert "CREATE TRIGGER orders_touch" in body and "legacy_report" not in body, body
    upgraded = alembic("upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    done = run_process(tmp_path, "diff")
    assert done.code == 0, done.out + done.err
    assert "not compared: 1 view" in done.out
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT one FROM legacy_report").scalar() == 1
    engine.dispose()
