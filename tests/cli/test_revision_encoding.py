"""A revision file with a PEP 263 coding line (``# -*- coding: latin-1 -*-``) is read as Python
reads it, by every command: ``history``, ``heads``, ``show``, ``lint`` and ``upgrade``
(which must insert the right text). Real command line, real databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import run_process

MESSAGE = "café crème für Ærø"
VALUE = "été à Noël, ½ °C"

REVISION = f'''# -*- coding: latin-1 -*-
"""{MESSAGE}

Revision ID: lat1
Revises:
Create Date: 2024-01-01 00:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "lat1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    notes = op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("body", sa.String(100)),
    )
    op.bulk_insert(notes, [{{"id": 1, "body": "{VALUE}"}}])


def downgrade():
    op.drop_table("notes")
'''


def _project(tmp_path: Path, url: str) -> Path:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "lat1_cafe.py").write_bytes(REVISION.encode("latin-1"))
    (tmp_path / "schemadiff.toml").write_text(f'url = "{url}"\nscript_location = "migrations"\n')
    return tmp_path


def test_listing_and_lint_read_the_declared_encoding(tmp_path: Path) -> None:
    project = _project(tmp_path, "sqlite:///app.db")
    history = run_process(project, "history")
    assert history.code == 0, history
    assert f"<base> -> lat1 (head), {MESSAGE}" in history.stdout
    heads = run_process(project, "heads")
    assert heads.code == 0, heads
    assert heads.stdout.startswith("lat1 (head)")
    show = run_process(project, "show", "lat1")
    assert show.code == 0, show
    assert MESSAGE in show.stdout
    lint = run_process(project, "lint", "--dialect", "postgresql")
    assert lint.code == 0, lint
    assert lint.stdout == "no findings in 1 revision\n"


@pytest.mark.db
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_upgrade_inserts_the_text_as_written(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    project = _project(tmp_path, url)
    result = run_process(project, "upgrade")
    assert result.code == 0, result
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT body FROM notes")).scalar_one() == VALUE
    finally:
        engine.dispose()
    current = run_process(project, "current")
    assert current.code == 0, current
    assert "lat1" in current.stdout


def test_verify_reads_what_the_revision_touches(tmp_path: Path) -> None:
    from schemadiff.verify.touches import touches

    project = _project(tmp_path, "sqlite:///app.db")
    found = touches(project / "migrations" / "versions" / "lat1_cafe.py")
    assert "notes" in {t.table for t in found}
