"""A SQLite table rebuild keeps the table's triggers and the views that read it, and a failed
SQLite revision says truly what stayed.

Alembic's batch rebuild (copy, DROP TABLE, RENAME) drops the table's triggers, and the rename
fails while a view (or another table's trigger) reads the table. Each test runs the real CLI in a
subprocess on a SQLite file, then reads the database back.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.kit.chain import write_rev
from tests.kit.cli import ROOT, Result, run_process

ALEMBIC = Path(sys.executable).parent / "alembic"

V1 = [
    "CREATE TABLE items (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50), qty INTEGER,"
    " CHECK (qty >= 0))",
    "CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY, note VARCHAR(100))",
    "CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN"
    " INSERT INTO audit(note) VALUES ('ins ' || NEW.name); END",
    "CREATE TRIGGER items_au AFTER UPDATE OF qty ON items BEGIN"
    " INSERT INTO audit(note) VALUES ('upd ' || NEW.name); END",
    # another table's trigger that writes to items: the rename checks it too
    "CREATE TRIGGER audit_bump AFTER INSERT ON audit WHEN NEW.note = 'bump' BEGIN"
    " UPDATE items SET qty = qty + 1 WHERE id = 1; END",
    'CREATE VIEW items_v AS SELECT id, name FROM "items" WHERE qty > 0',
    "CREATE VIEW items_vv AS SELECT upper(name) AS shout FROM items_v",
    "CREATE VIEW notes AS SELECT note FROM audit",
    "INSERT INTO items (id, name, qty) VALUES (1, 'ada', 1), (2, 'bob', 0)",
    "DELETE FROM audit",
]

# name becomes NOT NULL and the unnamed CHECK goes: both need a rebuild
MODELS = """import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table(
    "items",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("qty", sa.Integer),
)
sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("note", sa.String(100)),
)
"""

OBJECTS = [
    ("trigger", "audit_bump"),
    ("trigger", "items_ai"),
    ("trigger", "items_au"),
    ("view", "items_v"),
    ("view", "items_vv"),
    ("view", "notes"),
]


def _project(tmp_path: Path, extra_sql: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models.py").write_text(MODELS)
    (folder / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nmetadata = "models:metadata"\nscript_location = "migrations"\n'
    )
    conn = sqlite3.connect(folder / "app.db")
    for statement in (*V1, *extra_sql):
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert _cli(folder, "init", "migrations").code == 0
    return folder


def _cli(folder: Path, *args: str) -> Result:
    return run_process(folder, *args)


def _query(folder: Path, sql: str, db: str = "app.db") -> list[tuple[object, ...]]:
    conn = sqlite3.connect(folder / db)
    try:
        return list(conn.execute(sql))
    finally:
        conn.close()


def _objects(folder: Path, db: str = "app.db") -> list[tuple[object, ...]]:
    return _query(
        folder,
        "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger') ORDER BY name",
        db,
    )


def _items_sql(folder: Path, db: str = "app.db") -> str:
    return str(_query(folder, "SELECT sql FROM sqlite_master WHERE name = 'items'", db)[0][0])


def _assert_dependents_work(folder: Path, db: str = "app.db") -> None:
    """Every trigger fires and every view selects (the rows change only in a copy)."""
    assert _objects(folder, db) == OBJECTS
    work = folder / "work.db"
    shutil.copy(folder / db, work)
    conn = sqlite3.connect(work)
    try:
        conn.execute("INSERT INTO items (id, name, qty) VALUES (3, 'cy', 5)")
        conn.execute("UPDATE items SET qty = 7 WHERE id = 2")
        conn.execute("INSERT INTO audit (note) VALUES ('bump')")
        notes = [r[0] for r in conn.execute("SELECT note FROM notes ORDER BY rowid")]
        assert notes == ["ins cy", "upd bob", "bump", "upd ada"]
        assert list(conn.execute("SELECT qty FROM items WHERE id = 1")) == [(2,)]
        assert list(conn.execute("SELECT shout FROM items_vv ORDER BY shout")) == [
            ("ADA",),
            ("BOB",),
            ("CY",),
        ]
    finally:
        conn.close()
        work.unlink()


def _autogenerate(folder: Path) -> str:
    made = _cli(folder, "revision", "--autogenerate", "-m", "rebuild", "--rev-id", "0001")
    assert made.code == 0, made
    return next((folder / "migrations" / "versions").glob("0001_*.py")).read_text()


def test_upgrade_and_downgrade_keep_triggers_and_views(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    script = _autogenerate(folder)
    assert "batch_alter_table" in script and "keep_triggers_and_views(" in script
    assert "import schemadiff" not in script and "from schemadiff" not in script

    up = _cli(folder, "upgrade", "head")
    assert up.code == 0, (up, script)
    ddl = _items_sql(folder)
    assert "name VARCHAR(50) NOT NULL" in ddl and "CHECK" not in ddl, ddl
    _assert_dependents_work(folder)
    assert _query(folder, "SELECT id, name, qty FROM items ORDER BY id") == [
        (1, "ada", 1),
        (2, "bob", 0),
    ]
    for command in ("diff", "check"):
        clean = _cli(folder, command)
        assert clean.code == 0, (command, clean)
        assert "not compared: 3 views, 3 triggers" in clean.stdout, clean

    down = _cli(folder, "downgrade", "base")
    assert down.code == 0, (down, script)
    ddl = _items_sql(folder)
    assert "CHECK (qty >= 0)" in ddl and "NOT NULL," not in ddl.split("name")[1], ddl
    _assert_dependents_work(folder)
    assert _query(folder, "SELECT count(*) FROM items") == [(2,)]


def test_plain_alembic_runs_the_same_script(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    _autogenerate(folder)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMADIFF_URL")}
    env.update({"PYTHONPATH": str(ROOT), "SCHEMADIFF_URL": "sqlite:///app.db"})
    for args in (("upgrade", "head"), ("downgrade", "base"), ("upgrade", "head")):
        done = subprocess.run(
            [str(ALEMBIC), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        _assert_dependents_work(folder)
    assert _query(folder, "SELECT version_num FROM alembic_version") == [("0001",)]
    assert "NOT NULL" in _items_sql(folder)


def test_offline_sql_recreates_what_the_table_had_when_written(tmp_path: Path) -> None:
    """``--sql`` cannot read sqlite_master: it drops and creates the triggers and views the
    database had when the revision was written, and that SQL runs as it is."""
    folder = _project(tmp_path)
    _autogenerate(folder)
    offline = _cli(folder, "upgrade", "head", "--sql")
    assert offline.code == 0, offline
    sql = offline.stdout
    assert 'DROP VIEW "items_vv";' in sql and "CREATE VIEW items_vv AS" in sql
    assert 'DROP TRIGGER "audit_bump";' in sql
    assert sql.index('DROP VIEW "items_v";') < sql.index("DROP TABLE items;")
    assert sql.index("CREATE TRIGGER items_ai") > sql.index("RENAME TO items;")
    assert "notes" not in sql  # a view that does not read items stays as it is
    shutil.copy(folder / "app.db", folder / "offline.db")
    conn = sqlite3.connect(folder / "offline.db")
    conn.executescript(sql)
    conn.close()
    assert "NOT NULL" in _items_sql(folder, "offline.db")
    _assert_dependents_work(folder, "offline.db")


def test_rebuild_that_fails_is_rolled_back_whole(tmp_path: Path) -> None:
    """A row that breaks the new NOT NULL fails the copy: the dropped triggers and views come
    back with the rollback, and the message says nothing stayed."""
    folder = _project(tmp_path, ("INSERT INTO items (id, name, qty) VALUES (9, NULL, 1)",))
    _autogenerate(folder)
    before = _schema(folder)
    up = _cli(folder, "upgrade", "head")
    assert up.code == 2, up
    [err] = up.stderr.splitlines()
    assert "NOT NULL constraint failed" in err, err
    assert "0001 was rolled back whole, so the database is unchanged and the version table" in err
    assert "partly" not in err and "stamp" not in err, err
    assert _schema(folder) == before  # no _alembic_tmp_items, every trigger and view back
    assert _query(folder, "SELECT count(*) FROM items") == [(3,)]
    assert _query(folder, "SELECT count(*) FROM alembic_version") == [(0,)]


def _schema(folder: Path) -> list[tuple[object, ...]]:
    """sqlite_master without the version table (the runner creates it before the revision)."""
    return _query(
        folder,
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name != 'alembic_version'"
        " ORDER BY name",
    )


def test_rebuild_that_breaks_a_view_fails_and_changes_nothing(tmp_path: Path) -> None:
    """Dropping a column a view reads: the view cannot be created again as it was, so the
    revision fails (as PostgreSQL refuses the DROP COLUMN) instead of leaving a broken view."""
    folder = _project(tmp_path)
    (folder / "models.py").write_text(MODELS.replace('    sa.Column("qty", sa.Integer),\n', ""))
    _autogenerate(folder)
    before = _schema(folder)
    up = _cli(folder, "upgrade", "head")
    assert up.code == 2, up
    [err] = up.stderr.splitlines()
    assert "the rebuild of table items breaks view items_v (no such column: qty)" in err, err
    assert "drop or change the view in this revision before the rebuild" in err
    assert "0001 was rolled back whole, so the database is unchanged" in err, err
    assert _schema(folder) == before
    _assert_dependents_work(folder)


# a revision written before schemadiff kept triggers and views: Alembic's rebuild alone
PLAIN_REBUILD = """with op.batch_alter_table("items", recreate="always") as batch_op:
    batch_op.alter_column("name", existing_type=sa.String(50), nullable=False)"""


def test_failed_plain_rebuild_says_what_stayed_and_what_was_rolled_back(tmp_path: Path) -> None:
    """pysqlite commits DDL that runs outside a transaction and opens one at the first row
    change: the temporary table's CREATE stays, the copy and the DROP TABLE are rolled back.
    The message says exactly that, and it is what the database holds afterwards."""
    folder = _project(tmp_path)
    write_rev(folder / "migrations" / "versions", "0001", upgrade=PLAIN_REBUILD)
    up = _cli(folder, "upgrade", "head")
    assert up.code == 2, up
    [err] = [line for line in up.stderr.splitlines() if line.startswith("error:")]
    # Alembic reflects the table first: its queries are statements too (they change nothing)
    assert "'ALTER TABLE _alembic_tmp_items RENAME TO items': error in trigger audit_bump: " in err
    assert re.search(
        r"part of it was committed as it ran, so 0001 is partly applied: kept \d+\) CREATE "
        r"TABLE _alembic_tmp_items \([^;]*\); rolled back with its transaction \d+\) INSERT "
        r"INTO _alembic_tmp_items \(id, name, qty\) SELECT items.id, items.name, items.qty "
        r"FROM items; \d+\) DROP TABLE items; failed \d+\) ALTER TABLE _alembic_tmp_items",
        err,
    ), err
    assert "the version table holds no revision (base; 0001 is not recorded)" in err, err
    # what the message says is what the database holds
    tables = _query(folder, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    assert tables == [("_alembic_tmp_items",), ("alembic_version",), ("audit",), ("items",)]
    assert _query(folder, "SELECT count(*) FROM items") == [(2,)]
    assert _query(folder, "SELECT count(*) FROM _alembic_tmp_items") == [(0,)]
    _assert_dependents_work(folder)
