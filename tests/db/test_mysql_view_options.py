"""MySQL / MariaDB views made with options schemadiff neither compares nor writes (``SQL
SECURITY INVOKER``, ``WITH CHECK OPTION``) diffed clean without a word, and a view created again
(around a column change, or in a downgrade) silently lost them. They are read with the views'
own statement and listed as "not compared", naming the views."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import run_cli

MODELS = """
import sqlalchemy as sa
from schemadiff.objects import View

metadata = sa.MetaData()
sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("n", sa.Integer))
View(metadata, "plain", "SELECT id FROM orders")
View(metadata, "invoker", "SELECT id FROM orders")
View(metadata, "checked", "SELECT id, n FROM orders WHERE n > 0")
"""


@pytest.mark.db
def test_view_options_are_listed_as_not_compared(
    backend_url: Callable[..., str], tmp_path: Path
) -> None:
    url = backend_url("mysql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE orders (id INT PRIMARY KEY, n INT)")
        conn.exec_driver_sql("CREATE VIEW plain AS SELECT id FROM orders")
        conn.exec_driver_sql("CREATE SQL SECURITY INVOKER VIEW invoker AS SELECT id FROM orders")
        conn.exec_driver_sql(
            "CREATE VIEW checked AS SELECT id, n FROM orders WHERE n > 0 WITH CHECK OPTION"
        )
    engine.dispose()
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_vopts.py").write_text(MODELS)
    (folder / "schemadiff.toml").write_text(f'url = "{url}"\nmetadata = "models_vopts:metadata"\n')
    result = run_cli(["diff"], folder)
    assert result.code == 0, result
    assert (
        "not compared: view options of checked (WITH CASCADED CHECK OPTION); invoker (SQL "
        "SECURITY INVOKER) (neither compared nor kept when a view is created again)"
    ) in result.out, result.out
