"""Rendering a migration uses the models' snapshot ``compare`` built, every schema of it: a
compared table may use an enum type of a schema the comparison does not cover."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa

from tests.kit.cli import run_cli

MODELS = """
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData()
status = postgresql.ENUM("new", "done", name="status", schema="kinds", create_type=False)
sa.Table("items", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("status", status))
sa.Table("other", metadata, sa.Column("id", sa.Integer, primary_key=True), schema="kinds")
"""


def test_enum_of_an_uncovered_schema_is_rendered(
    backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url("postgresql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA kinds")
        conn.exec_driver_sql("CREATE TYPE kinds.status AS ENUM ('new', 'done')")
        conn.exec_driver_sql("CREATE TABLE items (id serial PRIMARY KEY)")
    engine.dispose()
    (tmp_path / "enum_elsewhere_models.py").write_text(MODELS)
    args = ["diff", "--db", url, "--metadata", "enum_elsewhere_models:metadata"]
    result = run_cli([*args, "--schema", "public", "--format", "python"], tmp_path)
    assert result.code == 1, result.err
    assert '"new", "done", name="status", schema="kinds"' in result.out
    assert "other" not in result.out  # kinds.other is not compared (not covered)
