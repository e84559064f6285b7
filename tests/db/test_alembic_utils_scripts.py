"""A project that uses alembic_utils (issue 17), as its users meet schemadiff: env.py registers
its entities (views, a materialized view, functions, a trigger, a policy, an extension) with
alembic_utils' ``register_entities``; ``schemadiff revision --autogenerate`` writes alembic_utils'
operations; PLAIN ``alembic upgrade head`` applies the script (offline ``--sql`` too), the
database then equals one built from the entities and our diff is empty; alembic_utils' own
autogenerate finds nothing left to do; ``alembic downgrade base`` brings v1 back, rows kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.kit.cli import run_alembic, run_process
from tests.kit.dbs import engine_fixture
from tests.kit.independent import describe

pytest.importorskip("alembic_utils")

pytestmark = pytest.mark.db

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("active", sa.Boolean),
    sa.Column("updated_at", sa.DateTime),
)
orders = sa.Table(
    "orders", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("owner", sa.Text),
)
"""

ENTITIES = """\
from alembic_utils.pg_extension import PGExtension
from alembic_utils.pg_function import PGFunction
from alembic_utils.pg_materialized_view import PGMaterializedView
from alembic_utils.pg_policy import PGPolicy
from alembic_utils.pg_trigger import PGTrigger
from alembic_utils.pg_view import PGView

ENTITIES = [
    PGExtension(schema="public", signature="pg_trgm"),
    PGFunction(
        schema="public",
        signature="touch_updated_at()",
        definition="RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN NEW.updated_at := now(); RETURN NEW; END $$",
    ),
    PGFunction(
        schema="public",
        signature="add_one(x integer DEFAULT 1)",
        definition="RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT x + 1 $$",
    ),
    # a new view, one whose query changes (same columns), one whose columns change, one that
    # reads it (dropped and created again around it), a materialized view whose query changes
    PGView(schema="public", signature="active_users",
           definition="SELECT id, name FROM users WHERE active"),
    PGView(schema="public", signature="user_names",
           definition="SELECT upper(name) AS name FROM users"),
    PGView(schema="public", signature="order_keys", definition="SELECT owner FROM orders"),
    PGView(schema="public", signature="order_count",
           definition="SELECT count(*) AS n FROM order_keys"),
    PGMaterializedView(schema="public", signature="user_count",
                       definition="SELECT count(*) AS n FROM users", with_data=True),
    PGTrigger(
        schema="public",
        signature="users_touch",
        on_entity="public.users",
        definition="BEFORE UPDATE ON public.users FOR EACH ROW "
        "EXECUTE FUNCTION public.touch_updated_at()",
    ),
    PGPolicy(
        schema="public",
        signature="own_orders",
        on_entity="public.orders",
        definition="AS PERMISSIVE FOR SELECT TO public USING (owner = current_user)",
    ),
]
"""

#: v1, by hand: the tables, objects no entity declares, older versions of declared ones
V1 = """
CREATE TABLE users (id serial PRIMARY KEY, name text, active boolean, updated_at timestamp);
CREATE TABLE orders (id serial PRIMARY KEY, owner text);
INSERT INTO users (name, active) VALUES ('ann', true);
INSERT INTO orders (owner) VALUES ('ann');
CREATE EXTENSION citext;
CREATE VIEW user_names AS SELECT name FROM users;
CREATE VIEW order_keys AS SELECT id FROM orders;
CREATE VIEW order_count AS SELECT count(*) AS n FROM order_keys;
CREATE VIEW old_report AS SELECT id FROM orders WHERE owner <> 'at :noon';
CREATE MATERIALIZED VIEW user_count AS SELECT count(*) + 1 AS n FROM users;
CREATE FUNCTION add_one(x integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT x + 2 $$;
CREATE FUNCTION old_fn(a integer, b text DEFAULT 'x') RETURNS text LANGUAGE sql
    AS $$ SELECT b || a $$;
CREATE FUNCTION old_trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE PROCEDURE old_proc() LANGUAGE sql AS $$ SELECT 1 $$;
CREATE TRIGGER orders_old AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION old_trg();
ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY old_policy ON orders FOR DELETE USING (owner = 'root');
"""

#: env.py's addition: the project registers its entities with alembic_utils, as its docs say
REGISTER = """
from alembic_utils.replaceable_entity import register_entities

from app_entities import ENTITIES
from models import metadata

register_entities(ENTITIES)
target_metadata = metadata
"""


engine_for = engine_fixture("postgresql")


def _reference(engine: Engine) -> dict[str, Any]:
    """The database the declarations describe: the tables, then each entity's own CREATE."""
    import importlib.util

    spec = importlib.util.spec_from_loader("sd_au_entities", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(ENTITIES, module.__dict__)  # noqa: S102 - the test's own entities
    namespace: dict[str, Any] = {}
    exec(MODELS, namespace)  # noqa: S102
    with engine.begin() as conn:
        namespace["metadata"].create_all(conn)
        for entity in module.ENTITIES:
            conn.execute(entity.to_sql_statement_create())
    with engine.connect() as conn:
        return describe(conn, [None])


def _project(folder: Path, engine: Engine) -> Path:
    folder.mkdir()
    (folder / "models.py").write_text(MODELS)
    (folder / "app_entities.py").write_text(ENTITIES)
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models:metadata"\nscript_location = "migrations"\n'
    )
    init = run_process(folder, "init", "migrations")
    assert init.code == 0, init
    env_py = folder / "migrations" / "env.py"
    text = env_py.read_text()
    assert "target_metadata = None\n" in text
    env_py.write_text(text.replace("target_metadata = None\n", REGISTER, 1))
    return folder


def _alembic(folder: Path, engine: Engine, *args: str) -> str:
    url = engine.url.render_as_string(hide_password=False)
    result = run_alembic(folder, *args, env={"SCHEMADIFF_URL": url})
    assert result.code == 0, result
    return result.stdout


def _body(text: str, function: str) -> list[str]:
    """The statements of ``function`` in a script (comments and blank lines dropped)."""
    body = text.split(f"def {function}() -> None:\n", 1)[1].split("\n\n\ndef ", 1)[0]
    return [ln.strip() for ln in body.splitlines() if ln.strip() and not ln.strip().startswith("#")]


def test_alembic_utils_project_round_trip(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    want_v2 = _reference(engine_for(1))
    assert "<views>" in want_v2 and "<triggers>" in want_v2 and "<policies>" in want_v2
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql(V1)
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    folder = _project(tmp_path / "project", engine)

    made = run_process(folder, "revision", "--autogenerate", "-m", "entities", "--rev-id", "0001")
    assert made.code == 0, made
    [path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = path.read_text()
    for line in (
        "from alembic_utils.pg_view import PGView",
        "from alembic_utils.pg_materialized_view import PGMaterializedView",
        "from alembic_utils.pg_function import PGFunction",
        "from alembic_utils.pg_trigger import PGTrigger",
        "from alembic_utils.pg_policy import PGPolicy",
        "from alembic_utils.pg_extension import PGExtension",
    ):
        assert line in script
    up = "\n".join(_body(script, "upgrade"))
    for needle in (
        'op.create_entity(PGExtension(schema="public", signature="pg_trgm"))',
        'op.drop_entity(PGExtension(schema="public", signature="citext"))',
        'op.replace_entity(\nPGView(\nschema="public",\nsignature="user_names",',
        'op.replace_entity(\nPGView(\nschema="public",\nsignature="order_keys",',
        "op.replace_entity(\nPGMaterializedView(",
        'op.create_entity(\nPGView(\nschema="public",\nsignature="active_users",',
        'op.replace_entity(\nPGFunction(\nschema="public",\nsignature="add_one(x integer',
        'op.drop_entity(\nPGFunction(\nschema="public",\nsignature="old_fn(a integer, b text',
        'op.drop_entity(\nPGView(\nschema="public",\nsignature="old_report",',
        "op.drop_entity(\nPGTrigger(",
        "op.drop_entity(\nPGPolicy(",
        "op.create_entity(\nPGTrigger(",
        "op.create_entity(\nPGPolicy(",
    ):
        assert needle in up, (needle, script)
    assert 'op.execute("DROP PROCEDURE old_proc()")' in up
    # the view reading a replaced one: dropped and created again around it, plain SQL
    assert script.count("not alembic_utils: dropped and created again around") == 4, script
    assert "not alembic_utils: alembic_utils' PGExtension cannot ask for a version" in script

    offline = _alembic(folder, engine, "upgrade", "head", "--sql")
    assert 'CREATE VIEW "public"."active_users" AS SELECT id, name FROM users WHERE active;' in (
        offline
    )
    assert 'DROP FUNCTION "public"."old_fn"(a integer, b text)' in offline
    assert 'CREATE OR REPLACE FUNCTION "public"."add_one"(x integer DEFAULT 1)' in offline
    assert 'CREATE OR REPLACE VIEW "public"."user_names"' in offline  # the DO block
    assert 'DROP VIEW "public"."old_report"' in offline
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state  # --sql changes nothing

    _alembic(folder, engine, "upgrade", "head")
    with engine.connect() as conn:
        got = describe(conn, [None])
    assert {k: v for k, v in got.items() if v != want_v2.get(k)} == {
        k: v for k, v in want_v2.items() if v != got.get(k)
    }, script
    again = run_process(folder, "diff")
    assert again.code == 0, (again, script)
    assert "not compared: view" not in again.stdout

    # alembic_utils' own autogenerate (its comparator is registered by importing it) agrees
    _alembic(folder, engine, "revision", "--autogenerate", "-m", "check", "--rev-id", "0002")
    [check] = (folder / "migrations" / "versions").glob("0002_*.py")
    check_text = check.read_text()
    assert _body(check_text, "upgrade") == ["pass"], check_text
    assert not re.search(r"_entity\(", check_text), check_text
    check.unlink()

    _alembic(folder, engine, "downgrade", "base")
    with engine.connect() as conn:
        back = describe(conn, [None])
        assert back == v1_state, script
        assert conn.exec_driver_sql("SELECT name FROM users").scalar() == "ann"
