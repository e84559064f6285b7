"""Triggers on views (SQLite's ``INSTEAD OF``), as users write them: the trigger was created
before its view (the upgrade failed: "no such table: main.open_orders"), and a view dropped and
created again around a change to its table lost its triggers (dropping a view drops them). The
trigger is created after the views now, and created again with its view."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import run_cli

V1 = """
import sqlalchemy as sa
from schemadiff.objects import Trigger, View

metadata = sa.MetaData()
sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("status", sa.String(20)){extra})
View(metadata, "open_orders", "SELECT id, status FROM orders WHERE status = 'open'")
Trigger(metadata, "open_orders_ins", "open_orders",
        "INSTEAD OF INSERT BEGIN INSERT INTO orders (id, status) VALUES (NEW.id, 'open'); END")
"""


def _triggers(db: Path) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            return [r[0] for r in rows]
    finally:
        engine.dispose()


def _ok(folder: Path, *args: str) -> str:
    result = run_cli(list(args), folder)
    assert result.code == 0, (args, result)
    return result.out


def test_triggers_on_views_upgrade_and_downgrade(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    db = folder / "app.db"
    models = folder / "models_vtrig.py"
    models.write_text(V1.format(extra=""))
    monkeypatch.syspath_prepend(str(folder))
    (folder / "schemadiff.toml").write_text(
        f'url = "sqlite:///{db}"\nmetadata = "models_vtrig:metadata"\nscript_location = "m"\n'
    )
    _ok(folder, "init", "m")
    _ok(folder, "revision", "--autogenerate", "-m", "v1", "--rev-id", "r1")
    _ok(folder, "upgrade")
    assert _triggers(db) == ["open_orders_ins"]
    assert "no differences" in _ok(folder, "diff")

    # a column added to the view's table: the view is dropped and created again, the trigger too
    import importlib
    import sys

    models.write_text(V1.format(extra=', sa.Column("extra", sa.Integer)'))
    sys.modules.pop("models_vtrig", None)
    importlib.invalidate_caches()
    _ok(folder, "revision", "--autogenerate", "-m", "v2", "--rev-id", "r2")
    _ok(folder, "upgrade")
    assert _triggers(db) == ["open_orders_ins"]
    assert "no differences" in _ok(folder, "diff")
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO open_orders (id) VALUES (5)")
        assert conn.exec_driver_sql("SELECT status FROM orders WHERE id = 5").scalar() == "open"
    engine.dispose()

    _ok(folder, "downgrade", "-1")
    assert _triggers(db) == ["open_orders_ins"]
    _ok(folder, "downgrade", "-1")
    assert _triggers(db) == []
