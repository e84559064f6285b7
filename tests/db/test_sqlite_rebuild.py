"""SQLite changes that its ALTER TABLE cannot make, run the way a user runs them.

``ADD COLUMN`` refuses a non-constant default (``CURRENT_TIMESTAMP``, an expression in
parentheses) and a ``STORED`` generated column; an unnamed check constraint has no name to drop it
by. Each goes through ``revision --autogenerate`` -> ``upgrade head`` (online, with rows) and
``upgrade --sql`` (offline), then the database must diff clean against the models, and
``downgrade base`` must bring back the first version.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from tests.kit.cli import Result, run_cli

V1_PRODUCTS = (
    "CREATE TABLE products (id INTEGER PRIMARY KEY, price INTEGER, qty INTEGER,"
    " code VARCHAR(10), CHECK (price >= 0), CHECK (qty < 1000), CHECK (length(code) <= 10),"
    " CONSTRAINT ck_qty_old CHECK (qty >= 0))"
)


def _project(tmp_path: Path, models: str, v1_sql: list[str]) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    # a module name of its own: the in-process CLI keeps imported modules
    module = "models_" + re.sub(r"\W", "_", tmp_path.name)
    (folder / f"{module}.py").write_text("import sqlalchemy as sa\n\n" + models)
    (folder / "schemadiff.toml").write_text(
        f'url = "sqlite:///app.db"\nmetadata = "{module}:metadata"\n'
        'script_location = "migrations"\n'
    )
    conn = sqlite3.connect(folder / "app.db")
    for statement in v1_sql:
        conn.execute(statement)
    conn.commit()
    conn.close()
    assert _cli(folder, "init", "migrations").code == 0
    return folder


def _cli(folder: Path, *args: str) -> Result:
    return run_cli(list(args), folder)


def _schema(folder: Path) -> list[str]:
    conn = sqlite3.connect(folder / "app.db")
    try:
        rows = conn.execute(
            "SELECT sql FROM sqlite_master WHERE name != 'alembic_version' AND sql IS NOT NULL"
            " ORDER BY name"
        )
        return [r[0] for r in rows]
    finally:
        conn.close()


def _rows(folder: Path, query: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(folder / "app.db")
    try:
        return list(conn.execute(query))
    finally:
        conn.close()


def _columns(folder: Path, table: str) -> list[str]:
    return [str(r[1]) for r in _rows(folder, f"PRAGMA table_info({table})")]


def _round_trip(folder: Path) -> str:
    """autogenerate, offline SQL, upgrade, clean diff; returns the script text."""
    made = _cli(folder, "revision", "--autogenerate", "-m", "change", "--rev-id", "0001")
    assert made.code == 0, made
    script = next((folder / "migrations" / "versions").glob("0001_*.py")).read_text()
    offline = _cli(folder, "upgrade", "head", "--sql")
    assert offline.code == 0, (offline, script)
    up = _cli(folder, "upgrade", "head")
    assert up.code == 0, (up, script)
    after = _cli(folder, "diff")
    assert after.code == 0, (after.out, script)
    return script


# --- ADD COLUMN that SQLite refuses -------------------------------------------------------------

ADD_MODELS = """
metadata = sa.MetaData()
sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),
    sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
    sa.Column("score", sa.Integer, server_default=sa.text("(1 + 2)")),
    sa.Column("code", sa.String(10), unique=True),
)
sa.Table(
    "lines",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("double_id", sa.Integer, sa.Computed("id * 2", persisted=True)),
)
sa.Table(
    "tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("label", sa.String(20), server_default="x"),
)
"""


def test_add_column_sqlite_cannot_alter_rebuilds_the_table(tmp_path: Path) -> None:
    folder = _project(
        tmp_path,
        ADD_MODELS,
        [
            "CREATE TABLE users (id INTEGER NOT NULL, name VARCHAR(50), PRIMARY KEY (id))",
            "INSERT INTO users VALUES (1, 'ada'), (2, 'bob')",
            "CREATE TABLE tags (id INTEGER NOT NULL, PRIMARY KEY (id))",
            "CREATE TABLE lines (id INTEGER NOT NULL, PRIMARY KEY (id))",
            "INSERT INTO lines VALUES (1), (2)",
        ],
    )
    script = _round_trip(folder)
    # a plain ADD COLUMN stays for the column SQLite can add in place
    flat = re.sub(r"\s+", "", script)
    assert 'op.add_column("tags",sa.Column("level"' in flat
    assert 'op.add_column("tags",sa.Column("label"' in flat
    assert 'recreate="always"' in script
    assert _rows(folder, "SELECT id, name, score FROM users ORDER BY id") == [
        (1, "ada", 3),
        (2, "bob", 3),
    ]
    assert _rows(folder, "SELECT id, double_id FROM lines ORDER BY id") == [(1, 2), (2, 4)]
    assert all(r[0] is not None for r in _rows(folder, "SELECT created_at FROM users"))
    down = _cli(folder, "downgrade", "base")
    assert down.code == 0, (down, script)
    assert _rows(folder, "SELECT id, name FROM users ORDER BY id") == [(1, "ada"), (2, "bob")]
    assert _columns(folder, "users") == ["id", "name"]
    assert _columns(folder, "tags") == ["id"]
    assert _columns(folder, "lines") == ["id"]


def test_not_null_column_without_default_on_a_table_with_rows_fails_clearly(
    tmp_path: Path,
) -> None:
    folder = _project(
        tmp_path,
        """
metadata = sa.MetaData()
sa.Table(
    "tags",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("level", sa.Integer, nullable=False),
)
""",
        [
            "CREATE TABLE tags (id INTEGER NOT NULL, PRIMARY KEY (id))",
            "INSERT INTO tags VALUES (1)",
        ],
    )
    made = _cli(folder, "revision", "--autogenerate", "-m", "level", "--rev-id", "0001")
    assert made.code == 0, made
    assert "NOT NULL without a default" in made.out + made.err
    script = next((folder / "migrations" / "versions").glob("0001_*.py")).read_text()
    assert "WARNING: NOT NULL column without a default" in script
    up = _cli(folder, "upgrade", "head")
    assert up.code == 2
    assert "NOT NULL" in up.err and "Traceback" not in up.err
    # it fails as a whole, as on other backends (a failed rebuild would leave its copy behind)
    assert _rows(folder, "SELECT id FROM tags") == [(1,)]
    assert [r[0] for r in _rows(folder, "SELECT name FROM sqlite_master")] == [
        "tags",
        "alembic_version",
        "sqlite_autoindex_alembic_version_1",
    ]
    assert _columns(folder, "tags") == ["id"]


def test_offline_sql_rebuilds_for_add_column_with_non_constant_default(tmp_path: Path) -> None:
    folder = _project(
        tmp_path,
        """
metadata = sa.MetaData()
sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", sa.DateTime, server_default=sa.func.now()),
)
""",
        ["CREATE TABLE users (id INTEGER NOT NULL, PRIMARY KEY (id))"],
    )
    made = _cli(folder, "revision", "--autogenerate", "-m", "ts", "--rev-id", "0001")
    assert made.code == 0, made
    offline = _cli(folder, "upgrade", "head", "--sql")
    assert offline.code == 0, offline
    assert "ALTER TABLE users ADD COLUMN" not in offline.out
    assert "CREATE TABLE _alembic_tmp_users" in offline.out
    # the offline SQL runs as it is
    conn = sqlite3.connect(folder / "app.db")
    conn.executescript(offline.out)
    conn.close()
    assert "DEFAULT CURRENT_TIMESTAMP" in _schema(folder)[0]


# --- unnamed check constraints ---------------------------------------------------------------

CHECK_MODELS = """
metadata = sa.MetaData()
sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("price", sa.Integer),
    sa.Column("qty", sa.Integer),
    sa.Column("code", sa.String(10)),
    sa.CheckConstraint("price > 0"),
    sa.CheckConstraint("length(code) <= 10", name="ck_code_len"),
    sa.CheckConstraint("qty >= 0", name="ck_qty_new"),
)
"""


def test_unnamed_checks_dropped_changed_and_named(tmp_path: Path) -> None:
    folder = _project(
        tmp_path, CHECK_MODELS, [V1_PRODUCTS, "INSERT INTO products VALUES (1, 5, 3, 'abc')"]
    )
    diff = _cli(folder, "diff")
    assert diff.code == 1
    # the check that gains a name, and the named check that changes its name, are changes
    assert "ck_code_len" in diff.out and "ck_qty_new" in diff.out, diff.out
    script = _round_trip(folder)
    ddl = _schema(folder)[0]
    assert "price >= 0" not in ddl and "qty < 1000" not in ddl and "ck_qty_old" not in ddl
    assert "CONSTRAINT ck_code_len CHECK" in ddl and "CONSTRAINT ck_qty_new CHECK" in ddl
    assert "price > 0" in ddl, script
    assert _rows(folder, "SELECT * FROM products") == [(1, 5, 3, "abc")]
    down = _cli(folder, "downgrade", "base")
    assert down.code == 0, (down, script)
    ddl = _schema(folder)[0]
    for text in ("price >= 0", "qty < 1000", "length(code) <= 10", "ck_qty_old"):
        assert text in ddl, (text, ddl)
    assert "ck_code_len" not in ddl and "ck_qty_new" not in ddl
    assert _rows(folder, "SELECT * FROM products") == [(1, 5, 3, "abc")]


@pytest.mark.parametrize("named", [False, True])
def test_unnamed_check_can_be_dropped(tmp_path: Path, named: bool) -> None:
    """Two unnamed checks with the same expression as a third kept one: only the right one goes."""
    keep = 'sa.CheckConstraint("qty < 1000", name="ck_keep")' if named else ""
    folder = _project(
        tmp_path,
        f"""
metadata = sa.MetaData()
sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("qty", sa.Integer),
    {keep}
)
""",
        [
            "CREATE TABLE products (id INTEGER PRIMARY KEY, qty INTEGER, CHECK (qty >= 0)"
            + (", CONSTRAINT ck_keep CHECK (qty < 1000))" if named else ")"),
            "INSERT INTO products VALUES (1, 3)",
        ],
    )
    _round_trip(folder)
    ddl = _schema(folder)[0]
    assert "qty >= 0" not in ddl
    assert ("ck_keep" in ddl) is named
    assert _rows(folder, "SELECT * FROM products") == [(1, 3)]


def test_downgrade_adds_back_an_unnamed_unique_constraint(tmp_path: Path) -> None:
    """The downgrade re-creates what the upgrade dropped; batch mode adds constraints by name
    only, so the unnamed one comes back under a name (it was ``create_unique_constraint(None)``,
    which Alembic refuses)."""
    folder = _project(
        tmp_path,
        """
metadata = sa.MetaData()
sa.Table(
    "products",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(10)),
)
""",
        [
            "CREATE TABLE products (id INTEGER PRIMARY KEY, code VARCHAR(10), UNIQUE (code))",
            "INSERT INTO products VALUES (1, 'a')",
        ],
    )
    _round_trip(folder)
    assert "UNIQUE" not in _schema(folder)[0]
    down = _cli(folder, "downgrade", "base")
    assert down.code == 0, down
    assert "UNIQUE (code)" in _schema(folder)[0]
    assert _rows(folder, "SELECT * FROM products") == [(1, "a")]
