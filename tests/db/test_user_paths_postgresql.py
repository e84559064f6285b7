"""Defects found by using schemadiff the way a user does (PostgreSQL): a project made with
``schemadiff init``, an env.py of the project's own, the real commands. Each test is the
regression test of one defect.

Roles belong to the whole server: every role here is named ``sd_qapg_<fresh hex>_...`` and is
stripped of its privileges and dropped at the end, even when the test failed.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.kit.cli import run_alembic, run_process

pytestmark = pytest.mark.db


@pytest.fixture
def tag() -> str:
    return "sd_qapg_" + secrets.token_hex(4)


@pytest.fixture
def engine_for(backend_url: Callable[..., str], tag: str) -> Iterator[Callable[..., Engine]]:
    made: list[Engine] = []

    def get(slot: int = 0) -> Engine:
        engine = sa.create_engine(backend_url("postgresql", slot))
        made.append(engine)
        return engine

    yield get
    try:
        for engine in made:
            with engine.begin() as conn:
                roles = _tagged_roles(conn, tag)
                if roles:
                    conn.exec_driver_sql(f"DROP OWNED BY {', '.join(roles)}")
        if made:
            with made[0].begin() as conn:
                for role in _tagged_roles(conn, tag):
                    conn.exec_driver_sql(f"DROP ROLE {role}")
    finally:
        for engine in made:
            engine.dispose()


def _tagged_roles(conn: sa.Connection, tag: str) -> list[str]:
    rows = conn.execute(
        sa.text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p ORDER BY 1"),
        {"p": tag + "%"},
    )
    return [r[0] for r in rows]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _init(folder: Path, engine: Engine, models: str, env_addition: str) -> Path:
    """A project as the tutorial makes it: ``schemadiff init``, env.py edited by hand."""
    folder.mkdir()
    (folder / "models.py").write_text(models)
    init = run_process(folder, "init", "migrations")
    assert init.code == 0, init
    env_py = folder / "migrations" / "env.py"
    text = env_py.read_text()
    assert "target_metadata = None\n" in text
    env_py.write_text(text.replace("target_metadata = None\n", env_addition, 1))
    return folder


GRANT_MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
accounts = sa.Table(
    "accounts", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.Text),
)
"""

GRANT_ENV = """
from alembic_utils.pg_grant_table import PGGrantTable
from alembic_utils.pg_view import PGView
from alembic_utils.replaceable_entity import register_entities

from models import metadata

register_entities([
    PGView(schema="public", signature="emails", definition="SELECT id, email FROM accounts"),
    PGGrantTable(schema="public", table="emails", role="{role}", grant="SELECT",
                 columns=["id", "email"], with_grant_option=False),
])
target_metadata = metadata
"""


def test_pg_grant_table_registered_in_env_py(
    engine_for: Callable[..., Engine], tag: str, tmp_path: Path
) -> None:
    """alembic_utils' ``register_entities`` in env.py with a ``PGGrantTable`` among the
    entities: every command failed with ``AttributeError: 'Grant' object has no attribute
    'name'`` (the grant was taken for a view when the entities' scripts were prepared)."""
    pytest.importorskip("alembic_utils")
    engine = engine_for()
    role = f"{tag}_reader"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role}")
    folder = _init(tmp_path / "p", engine, GRANT_MODELS, GRANT_ENV.replace("{role}", role))
    env = {"SCHEMADIFF_URL": _url(engine)}

    diff = run_process(folder, "diff", env=env)
    assert diff.code == 1, diff
    assert f"~ grant SELECT on emails(email, id) to {role}" in diff.out, diff
    made = run_process(folder, "revision", "--autogenerate", "-m", "one", env=env)
    assert made.code == 0, made
    [script] = (folder / "migrations" / "versions").glob("*_one.py")
    text = script.read_text()
    assert "op.create_entity(" in text and "GRANT SELECT" in text, text

    up = run_alembic(folder, "upgrade", "head", env=env)
    assert up.code == 0, up
    with engine.connect() as conn:
        got = conn.exec_driver_sql(
            "SELECT column_name FROM information_schema.column_privileges "
            f"WHERE grantee = '{role}' AND table_name = 'emails' ORDER BY 1"
        )
        assert [r[0] for r in got] == ["email", "id"]
    again = run_process(folder, "diff", env=env)
    assert again.code == 0, (again, text)

    down = run_alembic(folder, "downgrade", "base", env=env)
    assert down.code == 0, down
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT to_regclass('emails')").scalar() is None


ITEMS_V2 = """\
import sqlalchemy as sa

metadata = sa.MetaData()
items = sa.Table(
    "items", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("price", sa.BigInteger),
    sa.Column("note", sa.String(20)),
)
"""


def test_undeclared_view_over_a_retyped_column_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """Models that declare no view leave the database's views alone; a view made by hand (in a
    migration of the project's own) that reads a column whose type the models change made
    ``diff`` and ``revision --autogenerate`` print nothing about it, and the migration written
    failed at ``upgrade`` ("cannot alter type of a column used by a view or rule"). Now both
    warn, naming the view and the column, and say what to do."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE items (id serial PRIMARY KEY, price integer, note varchar(10));"
            "CREATE VIEW priced AS SELECT id, price FROM items;"
            "CREATE MATERIALIZED VIEW noted AS SELECT id, note FROM items;"
            "CREATE VIEW ids AS SELECT id FROM items"
        )
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(ITEMS_V2)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert (
        "warning: view priced (not compared: the models declare no view) reads items.price, "
        "whose type changes" in out
    ), out
    assert (
        "materialized view noted (not compared: the models declare no view) reads items.note"
        in (out)
    ), out
    assert "view ids" not in out, out  # it reads no changed column
    assert "declare the view" in out, out


CODES_V2 = """\
import sqlalchemy as sa
from schemadiff.objects import Function

metadata = sa.MetaData()
Function(metadata, "next_code", "SELECT prefix || '1'", args="prefix text DEFAULT 'C'",
         returns="text")
users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.Text, server_default=sa.text("next_code()")),
)
"""


def test_dropped_function_still_called_by_a_kept_default_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A function called from a column default gets a new signature (an argument added): the
    old one is dropped and the new one created, the default's text stays ``next_code()``. The
    migration failed at upgrade ("cannot drop function next_code() because other objects
    depend on it") and ``diff`` said nothing; now it warns, naming the column."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE FUNCTION next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'C1' $$;"
            "CREATE TABLE users (id serial PRIMARY KEY, code text DEFAULT next_code())"
        )
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(CODES_V2)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert "- drop function next_code()" in out, out
    assert "warning: function next_code() is dropped, but column code of users calls it" in out, out


COLONS = """\
import sqlalchemy as sa
from schemadiff.objects import Domain, Function, Policy, RowLevelSecurity, Trigger

metadata = sa.MetaData()
notes = sa.Table(
    "notes", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text),
    sa.Column("tag", sa.Text, server_default="a :e"),
    sa.Column("kind", sa.Enum("x :f", "z", name="note_kind")),
)
Function(metadata, "plain_notes", "SELECT count(*)::int FROM notes WHERE body <> ':a'",
         returns="int")
Function(metadata, "stamp", "BEGIN NEW.body := NEW.body || ' :x'; RETURN NEW; END;",
         returns="trigger", language="plpgsql")
Trigger(metadata, "notes_stamp", "notes",
        "BEFORE INSERT FOR EACH ROW WHEN (NEW.body <> ':b') EXECUTE FUNCTION stamp()")
RowLevelSecurity(metadata, "notes")
Policy(metadata, "no_tags", "notes", command="SELECT", using="body <> ':c'")
Domain(metadata, "label", "text", check="VALUE <> ':d'")
"""


def test_colon_words_in_bodies_survive_upgrade_and_sql(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A ``:word`` in a function body, a trigger's condition, a policy's expression, a
    domain's check, an enum's value or a server default: ``op.execute`` takes a string as
    ``sa.text()``, which read it as a bind parameter, so ``upgrade`` failed ("A value is
    required for bind parameter 'a'") and ``upgrade --sql`` printed ``':a'`` as ``'NULL'``:
    a different function, silently. Views escaped it already; now every ``op.execute`` and
    ``sa.text()`` does."""
    engine = engine_for()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(COLONS)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    assert run_process(folder, "init", "migrations").code == 0
    made = run_process(folder, "revision", "--autogenerate", "-m", "one")
    assert made.code == 0, made

    offline = run_process(folder, "upgrade", "--sql", "head")
    assert offline.code == 0, offline
    for text in ("<> ':a'", "' :x'", "<> ':b'", "<> ':c'", "<> ':d'", "'a :e'", "'x :f'"):
        assert text in offline.out, (text, offline.out)
    assert "'NULL'" not in offline.out, offline.out

    up = run_alembic(folder, "upgrade", "head")
    assert up.code == 0, up
    with engine.connect() as conn:
        body = conn.exec_driver_sql("SELECT prosrc FROM pg_proc WHERE proname = 'plain_notes'")
        assert body.scalar() == "SELECT count(*)::int FROM notes WHERE body <> ':a'"
    again = run_process(folder, "diff")
    assert again.code == 0, again
    down = run_alembic(folder, "downgrade", "base")
    assert down.code == 0, down


GHOSTS = """\
import sqlalchemy as sa
from schemadiff.objects import Function, Policy, RowLevelSecurity, Trigger

metadata = sa.MetaData()
notes = sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True))
Function(metadata, "stamp", "BEGIN RETURN NEW; END;", returns="trigger", language="plpgsql")
Trigger(metadata, "notes_stamp", "notes", "BEFORE INSERT FOR EACH ROW EXECUTE FUNCTION stamp()")
Trigger(metadata, "ghost_stamp", "ghosts", "BEFORE INSERT FOR EACH ROW EXECUTE FUNCTION stamp()")
RowLevelSecurity(metadata, "notes")
RowLevelSecurity(metadata, "ghosts")
Policy(metadata, "ghost_rows", "ghosts", command="SELECT", using="true")
"""


def test_trigger_and_policy_on_a_table_nobody_declares_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A trigger or a policy declared on a table the models do not have (a typo, a table
    renamed in the models): ``diff`` proposed ``CREATE TRIGGER`` / ``CREATE POLICY`` on it and
    the migration failed at upgrade; row-level security on it was dropped without a word. A
    partition of such a table was a warning already; now these are too, and not created."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id serial PRIMARY KEY)")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(GHOSTS)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert "create trigger notes_stamp on notes" in out, out
    assert "ghost_stamp" in out and "create trigger ghost_stamp" not in out, out
    assert "create policy ghost_rows" not in out, out
    assert (
        "warning: trigger ghost_stamp on ghosts: the models declare no table or view ghosts; "
        "not created" in out
    ), out
    assert (
        "warning: policy ghost_rows on ghosts: the models declare no table ghosts; not created"
        in out
    ), out
    assert (
        "warning: row-level security on ghosts: the models declare no table ghosts; not set" in out
    ), out


TYPO = """\
import sqlalchemy as sa
from schemadiff.objects import View

metadata = sa.MetaData()
notes = sa.Table("notes", metadata, sa.Column("id", sa.Integer, primary_key=True))
fresh = sa.Table("fresh", metadata, sa.Column("id", sa.Integer, primary_key=True))
View(metadata, "bad_view", "SELEC id FROM notes")
View(metadata, "fresh_ids", "SELECT id FROM fresh")   # its table is new: refused, but no typo
View(metadata, "note_ids", "SELECT id FROM notes")
"""


def test_a_typo_in_a_declared_view_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A syntax error in a declared view's query: ``diff`` and ``revision --autogenerate``
    proposed ``CREATE VIEW`` without a word, and the migration failed at upgrade. The server
    is asked (a temporary view in a transaction rolled back): a syntax error is a warning that
    quotes it; a query refused only because it reads a table the migration creates is not."""
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE notes (id serial PRIMARY KEY)")
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(TYPO)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert (
        'warning: view bad_view: the server refuses its query: syntax error at or near "SELEC"'
        in out
    ), out
    assert "fresh_ids:" not in out and "note_ids:" not in out, out
    assert "+ create view note_ids" in out, out


BAD_BODIES = """\
import sqlalchemy as sa
from schemadiff.objects import Function

metadata = sa.MetaData()
fresh = sa.Table("fresh", metadata, sa.Column("id", sa.Integer, primary_key=True))
Function(metadata, "bad_plpgsql", "BEGIN RETURN 1 END;", returns="int", language="plpgsql")
Function(metadata, "bad_sql", "SELEC 1", returns="int")
Function(metadata, "fresh_count", "SELECT count(*)::int FROM fresh", returns="int")
Function(metadata, "good", "SELECT 1", returns="int")
"""


def test_a_syntax_error_in_a_declared_function_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A function body with a syntax error (PL/pgSQL or SQL): ``diff`` proposed ``CREATE
    FUNCTION`` without a word and the migration failed at upgrade. Now a warning quotes the
    server's error; a body that reads a table the migration creates is no error."""
    engine = engine_for()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(BAD_BODIES)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert (
        "warning: function bad_plpgsql(): the server refuses it: syntax error at end of input"
        in out
    ), out
    assert (
        'warning: function bad_sql(): the server refuses it: syntax error at or near "SELEC"' in out
    ), out
    assert "fresh_count():" not in out and "good():" not in out, out


BAD_EXPRESSIONS = """\
import sqlalchemy as sa
from schemadiff.objects import Domain, Partition, Policy, RowLevelSecurity

metadata = sa.MetaData()
orders = sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
                  sa.Column("owner", sa.Text))
events = sa.Table(
    "events", metadata,
    sa.Column("id", sa.Integer, nullable=False),
    sa.Column("at", sa.Date, nullable=False),
    postgresql_partition_by="RANGE (at)",
)
RowLevelSecurity(metadata, "orders")
Policy(metadata, "bad_pol", "orders", command="SELECT", using="owner = = 'x'")
Policy(metadata, "good_pol", "orders", command="SELECT", using="owner = current_user")
Partition(metadata, "events_2027_01", "events", "FOR VALUES FRM ('2027-01-01') TO ('2027-02-01')")
Partition(metadata, "events_2027_02", "events", "FOR VALUES FROM ('2027-02-01') TO ('2027-03-01')")
Domain(metadata, "bad_dom", "integer", check="VALUE >> > 0")
Domain(metadata, "good_dom", "integer", check="VALUE > 0")
"""


def test_a_syntax_error_in_a_policy_partition_or_domain_is_a_warning(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A typo in a policy's USING, a partition's bounds or a domain's check: ``diff``
    proposed them without a word and the migration failed at upgrade. Now a warning quotes the
    server's error."""
    engine = engine_for()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models.py").write_text(BAD_EXPRESSIONS)
    (folder / "schemadiff.toml").write_text(
        f'url = "{_url(engine)}"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    out = diff.out + diff.err
    assert (
        'warning: policy bad_pol on orders: the server refuses it: syntax error at or near "="'
        in out
    ), out
    assert (
        "warning: partition events_2027_01 of events: the server refuses it: syntax error at or "
        'near "FRM"' in out
    ), out
    assert 'warning: domain bad_dom: the server refuses it: syntax error at or near ">"' in out, out
    assert "good_pol on orders:" not in out and "events_2027_02 of events:" not in out, out
    assert "good_dom:" not in out, out


def test_undeclared_view_over_a_retyped_column_is_no_warning_on_sqlite(tmp_path: Path) -> None:
    """SQLite rebuilds the table and the view keeps working: no warning there."""
    import sqlite3

    folder = tmp_path / "p"
    folder.mkdir()
    with sqlite3.connect(folder / "t.db") as conn:
        conn.executescript(
            "CREATE TABLE items (id integer PRIMARY KEY, price integer, note varchar(10));"
            "CREATE VIEW priced AS SELECT id, price FROM items;"
        )
    (folder / "models.py").write_text(ITEMS_V2)
    (folder / "schemadiff.toml").write_text(
        'url = "sqlite:///t.db"\nmetadata = "models:metadata"\n'
    )
    diff = run_process(folder, "diff")
    assert diff.code == 1, diff
    assert "alter column items.price" in diff.out, diff
    assert "warning: view priced" not in diff.out + diff.err, diff
