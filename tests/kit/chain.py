"""Helpers for the revision-chain tests: hand-written revision files and an in-process CLI."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

REV_TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: {date}

"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


def write_rev(
    versions: Path,
    rev: str,
    down: str | tuple[str, ...] | None = None,
    *,
    labels: tuple[str, ...] | None = None,
    depends: str | tuple[str, ...] | None = None,
    message: str | None = None,
    upgrade: str = "pass",
    downgrade: str = "pass",
    date: str = "2024-01-01 00:00:00",
) -> Path:
    """A revision file like Alembic's; ``upgrade``/``downgrade`` are function bodies."""
    versions.mkdir(parents=True, exist_ok=True)
    down_text = ", ".join(down) if isinstance(down, tuple) else (down or "")
    text = REV_TEMPLATE.format(
        message=message or f"revision {rev}",
        rev=rev,
        down=down,
        down_text=down_text,
        labels=labels,
        depends=depends,
        date=date,
        upgrade=_indent(upgrade),
        downgrade=_indent(downgrade),
    )
    path = versions / f"{rev}_rev.py"
    path.write_text(text, encoding="utf-8")
    return path


def table_ops(table: str) -> tuple[str, str]:
    """Bodies creating / dropping a one-column table, to see which scripts ran."""
    up = f"op.create_table({table!r}, sa.Column('id', sa.Integer, primary_key=True))"
    return up, f"op.drop_table({table!r})"


def _indent(body: str) -> str:
    return "\n".join("    " + line for line in body.splitlines())


def version_rows(url: str, table: str = "alembic_version") -> list[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            if not sa.inspect(conn).has_table(table):
                return []
            return sorted(r[0] for r in conn.execute(sa.text(f"SELECT version_num FROM {table}")))
    finally:
        engine.dispose()


def table_names(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()
