"""SQLite declared types: what is a change, what is destructive, what is only information.

SQLite stores a value by the column's type affinity (INTEGER, TEXT, BLOB, REAL, NUMERIC), derived
from the declared type text, and enforces no declared size. So ``FLOAT``/``DOUBLE``/``REAL`` (all
REAL) store every value alike: a change between them rewrites the declared text and loses nothing.
A narrower declared size (``VARCHAR(100)`` -> ``VARCHAR(40)``) would change nothing but the text
and declare a size the values may exceed: it is reported as information, not a change to apply.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from tests.kit.cli import Result, run_cli

V1 = (
    "CREATE TABLE m (id INTEGER PRIMARY KEY, a REAL, b DOUBLE, c FLOAT, d DOUBLE PRECISION,"
    " g INT, h BIGINT, s VARCHAR(100), u TEXT, n NUMERIC(12, 2), w VARCHAR(50), x TEXT)"
)
MODELS = """
metadata = sa.MetaData()
sa.Table(
    "m",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("a", sa.Float),
    sa.Column("b", sa.Float),
    sa.Column("c", sa.Double),
    sa.Column("d", sa.REAL),
    sa.Column("g", sa.BigInteger),
    sa.Column("h", sa.Integer),
    sa.Column("s", sa.String(40)),
    sa.Column("u", sa.String(20)),
    sa.Column("n", sa.Numeric(10, 2)),
    sa.Column("w", sa.String(80)),
    sa.Column("x", sa.Integer),
)
"""


def _project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    module = "models_" + re.sub(r"\W", "_", tmp_path.name)
    (folder / f"{module}.py").write_text("import sqlalchemy as sa\n\n" + MODELS)
    (folder / "schemadiff.toml").write_text(
        f'url = "sqlite:///app.db"\nmetadata = "{module}:metadata"\n'
        'script_location = "migrations"\n'
    )
    conn = sqlite3.connect(folder / "app.db")
    conn.execute(V1)
    conn.execute(
        "INSERT INTO m VALUES (1, 1.5, 2.5, 3.5, 4.5, 7, 8, 'a long value well over forty"
        " characters, kept as it is', 'text', 12.25, 'w', '007')"
    )
    conn.commit()
    conn.close()
    return folder


def _cli(folder: Path, *args: str) -> Result:
    return run_cli(list(args), folder)


def test_same_storage_class_is_not_destructive(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = _cli(folder, "diff", "--format", "json")
    assert result.code == 1, result
    report = json.loads(result.out)
    changes = {c["name"]: c for c in report["changes"]}
    # spellings of one storage class: changes that keep every value
    for name in ("a", "b", "c", "d", "g", "h", "w"):
        assert changes[name]["op"] == "alter_column", name
        assert changes[name]["destructive"] is False, changes[name]["description"]
    # TEXT -> INTEGER affinity converts values ('007' becomes 7): destructive
    assert changes["x"]["destructive"] is True
    assert report["summary"]["destructive"] == 1


def test_narrower_declared_size_is_information(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    result = _cli(folder, "diff", "--format", "json")
    report = json.loads(result.out)
    names = {c["name"] for c in report["changes"]}
    assert not names & {"s", "u", "n"}, names
    infos = [n["message"] for n in report["notices"] if n["level"] == "info"]
    for column, old, new in (
        ("m.s", "varchar(100)", "varchar(40)"),
        ("m.u", "text", "varchar(20)"),
        ("m.n", "numeric(12,2)", "numeric(10,2)"),
    ):
        assert any(column in m and old in m and new in m for m in infos), (column, infos)
    text = _cli(folder, "diff")
    assert "varchar(100)" in text.out and "SQLite" in text.out, text.out


def test_autogenerate_applies_changes_and_leaves_declared_sizes(tmp_path: Path) -> None:
    folder = _project(tmp_path)
    assert _cli(folder, "init", "migrations").code == 0
    made = _cli(folder, "revision", "--autogenerate", "-m", "types", "--rev-id", "0001")
    assert made.code == 0, made
    script = next((folder / "migrations" / "versions").glob("0001_*.py")).read_text()
    assert "destructive" in script  # x: TEXT -> INTEGER
    flat = re.sub(r"\s+", "", script)
    assert 'alter_column("a"' in flat
    for name in ("s", "u", "n"):
        assert f'alter_column("{name}"' not in flat, name
    assert _cli(folder, "upgrade", "head").code == 0
    after = _cli(folder, "diff")
    assert after.code == 0, after.out
    assert "varchar(100)" in after.out  # the notice stays, as information
    conn = sqlite3.connect(folder / "app.db")
    ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'm'").fetchone()[0]
    row = conn.execute("SELECT a, b, c, d, g, h, s, n FROM m").fetchone()
    conn.close()
    assert "VARCHAR(100)" in ddl and "FLOAT" in ddl
    assert row == (1.5, 2.5, 3.5, 4.5, 7, 8, row[6], 12.25) and len(row[6]) > 40
    assert _cli(folder, "check").code == 0
