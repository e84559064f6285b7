"""Several MetaData in ``metadata`` (a list in the config, or comma-separated on the command
line): one comparison with the tables of all; a table in two of them is one clear error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.kit.cli import run_process

APP = """
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
"""

AUDIT = """
import sqlalchemy as sa
metadata = sa.MetaData(naming_convention={"ix": "audit_ix_%(column_0_label)s"})
log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, index=True),
)
"""

CLASH = """
import sqlalchemy as sa
metadata = sa.MetaData()
users = sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True))
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    sqlite3.connect(tmp_path / "app.db").close()
    for name, source in {"app_models": APP, "audit_models": AUDIT, "clash": CLASH}.items():
        (tmp_path / f"{name}.py").write_text(source)
    return tmp_path


def _config(project: Path, metadata: str) -> None:
    (project / "pyproject.toml").write_text(
        f'[tool.schemadiff]\nurl = "sqlite:///app.db"\nmetadata = {metadata}\n'
    )


def test_a_list_of_metadata_is_compared_as_one(project: Path) -> None:
    _config(project, '["app_models:Base.metadata", "audit_models:metadata"]')
    result = run_process(project, "diff")
    assert result.code == 1, result.err
    assert "create table users" in result.out and "create table audit_log" in result.out
    assert "audit_ix_audit_log_user_id" in run_process(project, "diff", "--format", "sql").out


def test_comma_separated_on_the_command_line(project: Path) -> None:
    _config(project, '"app_models:Base"')
    result = run_process(project, "diff", "--metadata", "app_models:Base, audit_models:metadata")
    assert result.code == 1, result.err
    assert "create table users" in result.out and "create table audit_log" in result.out


def test_a_table_in_two_metadata_is_one_clear_error(project: Path) -> None:
    _config(project, '["app_models:Base.metadata", "clash:metadata"]')
    result = run_process(project, "diff")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "error: table 'users' is in two of the models' MetaData ('app_models:Base.metadata' and "
        "'clash:metadata'); a table must belong to one of them: fix the metadata setting or "
        "rename one table\n"
    )


def test_a_list_with_a_bad_reference_names_it(project: Path) -> None:
    _config(project, '["app_models:Base.metadata", "audit_models"]')
    result = run_process(project, "diff")
    assert result.code == 2
    assert "must look like 'module:attribute'" in result.err and "'audit_models'" in result.err
    assert len(result.err.splitlines()) == 1
