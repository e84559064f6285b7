"""Declarations the server will refuse are said at generation time, not found halfway through
an upgrade (MariaDB and SQLite cannot roll back the DDL that ran before): a view query that
cannot be parsed (``SELEC``), a view reading a table nobody has (``FROM ordres``), a trigger on
a table that neither the models nor the database have. Each is a warning line of ``diff``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit.cli import run_cli

MODELS = """
import sqlalchemy as sa
from schemadiff.objects import Trigger, View

metadata = sa.MetaData()
sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("n", sa.Integer))
View(metadata, "good", "SELECT id FROM orders")
View(metadata, "over_good", "SELECT id FROM good")
View(metadata, "typo_view", "SELEC id FROM orders")
View(metadata, "lost_view", "SELECT id FROM ordres")
View(metadata, "sys_view", "SELECT 1 AS one FROM {system}")
View(metadata, "checked", "SELECT id, n FROM orders WHERE n > 0 WITH CASCADED CHECK OPTION")
Trigger(metadata, "ghost_trg", "ghost", "{trigger}")
Trigger(metadata, "fine_trg", "orders", "{trigger}")
"""
TRIGGERS = {
    "sqlite": "AFTER INSERT BEGIN SELECT 1; END",
    "mysql": "BEFORE INSERT FOR EACH ROW SET NEW.n = 1",
}


@pytest.mark.db
@pytest.mark.parametrize("backend", ["sqlite", "mysql"])
def test_refused_declarations_are_warned(
    backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    folder = tmp_path / "p"
    folder.mkdir()
    system = {"sqlite": "sqlite_master", "mysql": "dual"}[backend]
    (folder / "models_doubt.py").write_text(MODELS.format(trigger=TRIGGERS[backend], system=system))
    (folder / "schemadiff.toml").write_text(f'url = "{url}"\nmetadata = "models_doubt:metadata"\n')
    result = run_cli(["diff"], folder)
    assert result.code == 1, result
    warnings = [line for line in result.out.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: trigger ghost_trg on ghost: the models declare no table or view ghost; not "
        "created",
        "warning: view lost_view reads ordres, which neither the models nor the database have; "
        "the server will refuse the view",
        "warning: view typo_view: schemadiff could not parse its query; check it for a typo "
        "before running the migration (the server refuses what it cannot read)",
    ], result.out
    assert (
        "not compared: view checked: WITH CHECK OPTION is not compared (the query is; a "
        "database view's own check option is not read)"
    ) in result.out


DROPPED = """
import sqlalchemy as sa
from schemadiff.objects import View

metadata = sa.MetaData()
sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("n", sa.Integer))
View(metadata, "top_v", "SELECT id FROM base_v")
"""


@pytest.mark.db
@pytest.mark.parametrize("backend", ["sqlite", "mysql"])
def test_a_view_over_a_view_the_migration_drops_is_warned(
    backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    """The models drop ``base_v`` but keep ``top_v``, which reads it: the script would drop
    both and fail creating ``top_v`` again."""
    import sqlalchemy as sa

    url = backend_url(backend)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE orders (id INTEGER PRIMARY KEY, n INTEGER)")
        conn.exec_driver_sql("CREATE VIEW base_v AS SELECT id, n FROM orders")
        conn.exec_driver_sql("CREATE VIEW top_v AS SELECT id FROM base_v")
    engine.dispose()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_dropped.py").write_text(DROPPED)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_dropped:metadata"\n'
    )
    result = run_cli(["diff"], folder)
    assert result.code == 1, result
    assert (
        "warning: view top_v reads base_v, which this migration drops; the server will refuse "
        "the view"
    ) in result.out, result.out
    assert "- drop view base_v" in result.out
