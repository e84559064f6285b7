"""Helpers for the ``check`` tests: a small project (models + a two-revision chain) written into
a temporary folder, run through the in-process command line."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from tests.kit.chain import write_rev
from tests.kit.cli import Result, run_cli

_counter = itertools.count()

#: the models: users(id, name, email, phone); email comes from revision bbb222, phone from none
MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(100))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
"""

REV1_UP = (
    "op.create_table('users', sa.Column('id', sa.Integer, primary_key=True), "
    "sa.Column('name', sa.String(50), nullable=False))"
)
REV2_UP = "op.add_column('users', sa.Column('email', sa.String(100), nullable=True))"


def unique_module(folder: Path, source: str, stem: str = "check_models") -> str:
    """Write ``source`` as a module with a fresh name (imports are cached across tests)."""
    name = f"{stem}_{next(_counter)}_{os.getpid()}"
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    return name


def make_project(folder: Path, url: str, scratch_url: str | None = None) -> str:
    """Models, a chain (aaa111 creates users, bbb222 adds users.email) and schemadiff.toml."""
    module = unique_module(folder, MODELS)
    versions = folder / "migrations" / "versions"
    write_rev(versions, "aaa111", upgrade=REV1_UP, downgrade="op.drop_table('users')")
    write_rev(
        versions, "bbb222", "aaa111", upgrade=REV2_UP, downgrade="op.drop_column('users', 'email')"
    )
    lines = [
        f'url = "{url}"',
        f'metadata = "{module}:Base.metadata"',
        'script_location = "migrations"',
    ]
    if scratch_url:
        lines.append(f'scratch_url = "{scratch_url}"')
    (folder / "schemadiff.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return module


def check_json(folder: Path, *args: str) -> tuple[Result, dict[str, Any]]:
    result = run_cli(["check", "--format", "json", *args], folder)
    assert result.code in (0, 1), result
    return result, json.loads(result.out)


def labels(report: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(op, name) -> drift label."""
    return {(c["op"], c["name"]): c["label"] for c in report["drift"]["changes"]}


def execute(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
