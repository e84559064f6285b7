"""Names the backend will not keep, end to end with the command line on real servers.

PostgreSQL cuts identifiers over 63 bytes and runs the statement: models with such names must
converge (autogenerate, upgrade, ``check`` clean, downgrade), with one warning per name at
generation time. MariaDB refuses names over 64 characters: generation says so (and the script's
``upgrade()`` carries the warning), ``diff`` shows the table to create under its real name.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.kit.chain import table_names, version_rows
from tests.kit.cli import run_process

pytestmark = pytest.mark.db

LONG_TABLE = "customer_billing_address_history_entries_retained_for_reporting_usages"  # 70 bytes
LONG_COLUMN = "preferred_contact_channel_for_marketing_messages_and_newsletters"  # 64 bytes
UMLAUTS = "ä" * 40  # 40 characters, 80 bytes: SQLAlchemy's own 63-character check lets it pass
LONG_INDEX = "ix_" + "x" * 70

MODELS = f"""
import sqlalchemy as sa

metadata = sa.MetaData(naming_convention={{"fk": "fk_%(table_name)s_%(column_0_name)s"}})
parent = sa.Table(
    {LONG_TABLE!r}, metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column({LONG_COLUMN!r}, sa.String(20), index=True),
    sa.Column("mood", sa.Enum("a", "b", name="mood_" + "m" * 60)),
)
sa.Index({LONG_INDEX!r}, parent.c.mood)
parent.append_constraint(sa.CheckConstraint("length({LONG_COLUMN}) > 1", name="ck_long"))
sa.Index("ix_by_expression", sa.text("(length({LONG_COLUMN}) + 1)"), _table=parent)
child = sa.Table(
    {UMLAUTS!r}, metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column({UMLAUTS!r}, sa.Integer),
    sa.Column("parent_id", sa.ForeignKey(parent.c.id)),
)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    assert run_process(tmp_path, "init", "migrations").code == 0
    (tmp_path / "models.py").write_text(MODELS, encoding="utf-8")
    return tmp_path


def _script(project: Path) -> str:
    (path,) = (project / "migrations" / "versions").glob("*.py")
    return path.read_text(encoding="utf-8")


def test_postgresql_converges_on_names_it_cuts(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("postgresql")
    models = ("--db", url, "--metadata", "models:metadata")
    made = run_process(project, "revision", "--autogenerate", "-m", "long", *models)
    assert made.code == 0, made.stderr
    warned = [line for line in made.stdout.splitlines() if line.startswith("warning: ")]
    assert f'warning: table name "{LONG_TABLE}": 70 bytes, PostgreSQL keeps the first 63 ' in (
        made.stdout
    )
    assert f'column name "{UMLAUTS}": 80 bytes, PostgreSQL keeps the first 62 ' in made.stdout
    kinds = sorted(line.removeprefix("warning: ").split(" name ")[0] for line in warned)
    names = ["column", "column", "enum type", "foreign key", "index", "table", "table"]
    assert kinds == names, warned
    assert f"# warning: table name {LONG_TABLE!r}".replace("'", '"') in _script(project)

    upgraded = run_process(project, "upgrade", "--db", url)
    assert upgraded.code == 0, upgraded.stderr
    assert {LONG_TABLE[:63], "ä" * 31} <= table_names(url)

    checked = run_process(project, "check", *models)
    assert checked.code == 0, checked.stdout + checked.stderr
    assert "drop table" not in checked.stdout + checked.stderr
    diffed = run_process(project, "diff", *models, "--format", "json")
    report = json.loads(diffed.stdout)
    assert diffed.code == 0 and report["changes"] == []
    assert len([n for n in report["notices"] if n["level"] == "warning"]) == len(names)

    downgraded = run_process(project, "downgrade", "base", "--db", url)
    assert downgraded.code == 0, downgraded.stderr
    assert version_rows(url) == [] and not {LONG_TABLE[:63], "ä" * 31} & table_names(url)


def test_mariadb_warns_about_names_it_refuses(
    project: Path, backend_url: Callable[[str], str]
) -> None:
    url = backend_url("mysql")
    models = ("--db", url, "--metadata", "models:metadata")
    refused = f'table name "{LONG_TABLE}": 70 characters, more than 64; MariaDB/MySQL refuse it'
    made = run_process(project, "revision", "--autogenerate", "-m", "long", *models)
    assert made.code == 0, made.stderr
    assert f"warning: {refused}" in made.stdout
    assert f"# warning: {refused}" in _script(project)
    warned = [line for line in made.stdout.splitlines() if line.startswith("warning: ")]
    assert 'index name "ix_xxx' in made.stdout
    assert not [line for line in warned if UMLAUTS in line]  # 40 characters: accepted

    diffed = run_process(project, "diff", *models)
    assert diffed.code == 1
    assert f"+ create table {LONG_TABLE} (3 columns)" in diffed.stdout
    assert f"warning: {refused}" in diffed.stdout
