"""alembic_utils' view entities as a user meets them: listed in the ``entities`` setting, or
registered with alembic_utils' own ``register_entities`` in the models module."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import run_process

pytest.importorskip("alembic_utils")

MODELS = """\
import sqlalchemy as sa
metadata = sa.MetaData()
sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("name", sa.Text))
"""
ENTITIES = """\
from alembic_utils.pg_view import PGView
named = PGView(schema="main", signature="named", definition="SELECT name FROM users")
"""


def _project(tmp_path: Path, config: str, models: str = MODELS) -> Path:
    engine = sa.create_engine(f"sqlite:///{tmp_path}/app.db")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name TEXT)")
    engine.dispose()
    (tmp_path / "models.py").write_text(models)
    (tmp_path / "app_views.py").write_text(ENTITIES)
    (tmp_path / "schemadiff.toml").write_text(
        'url = "sqlite:///app.db"\nmetadata = "models:metadata"\n' + config
    )
    return tmp_path


def test_entities_setting(tmp_path: Path) -> None:
    folder = _project(tmp_path, 'entities = ["app_views:named"]\n')
    result = run_process(folder, "diff")
    assert result.code == 1, result
    assert "+ create view named" in result.stdout


def test_entities_registered_with_alembic_utils(tmp_path: Path) -> None:
    models = MODELS + (
        "from alembic_utils.replaceable_entity import register_entities\n"
        "from app_views import named\n"
        "register_entities([named])\n"
    )
    folder = _project(tmp_path, "", models)
    result = run_process(folder, "diff", "--format", "sql")
    assert result.code == 1, result
    assert "CREATE VIEW named AS SELECT name FROM users;" in result.stdout


def test_entities_setting_naming_something_else(tmp_path: Path) -> None:
    folder = _project(tmp_path, 'entities = ["models:metadata"]\n')
    result = run_process(folder, "diff")
    assert result.code == 2
    assert "names a MetaData, not an alembic_utils entity" in result.stderr
    assert "Traceback" not in result.stderr
