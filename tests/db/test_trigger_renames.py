"""Triggers with a ``WHEN`` condition on a table the migration renames (issue 17), PostgreSQL:
the declared condition is settled by the server on the table's current name (the rewrite
depends on its columns, not its name), so an unchanged trigger is not listed as "not compared"
and a changed one is dropped after the rename and created again; through the commands a user
runs, both ways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.objects import Function, Trigger
from schemadiff.sources import inspect_both
from tests.kit.cli import cli_ok as cli
from tests.kit.cli import run_cli
from tests.kit.dbs import engine_fixture
from tests.kit.independent import describe

pytestmark = pytest.mark.db

TOUCH = "BEGIN NEW.updated_at = now(); RETURN NEW; END;"
#: the server rewrites these (``'1 day'::interval``, parentheses): only it can compare them
RECENT = "NEW.updated_at > now() - interval '1 day'"
CHANGED = "NEW.updated_at > now() - interval '2 days'"


def models(version: int, hint: bool = True) -> sa.MetaData:
    metadata = sa.MetaData()
    name = "orders" if version == 1 else "purchases"
    table = sa.Table(
        name,
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.Text),
        sa.Column("updated_at", sa.DateTime),
    )
    if version == 2 and hint:
        table.info["renamed_from"] = "orders"
    Function(metadata, "touch", TOUCH, returns="trigger", language="plpgsql")
    Trigger(
        metadata,
        "kept_touch",
        name,
        f"BEFORE UPDATE ON {name} FOR EACH ROW WHEN ({RECENT}) EXECUTE FUNCTION touch()",
    )
    when = RECENT if version == 1 else CHANGED
    Trigger(
        metadata,
        "changed_touch",
        name,
        f"BEFORE INSERT ON {name} FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION touch()",
    )
    return metadata


def ddl(version: int) -> list[str]:
    name = "orders" if version == 1 else "purchases"
    when = "(new.updated_at > (now() - '1 day'::interval))"
    changed = when if version == 1 else "(new.updated_at > (now() - '2 days'::interval))"
    return [
        f"CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $${TOUCH}$$",
        f"CREATE TRIGGER kept_touch BEFORE UPDATE ON {name} FOR EACH ROW WHEN {when} "
        "EXECUTE FUNCTION touch()",
        f"CREATE TRIGGER changed_touch BEFORE INSERT ON {name} FOR EACH ROW WHEN {changed} "
        "EXECUTE FUNCTION touch()",
    ]


engine_for = engine_fixture("postgresql")


def build(engine: Engine, version: int) -> None:
    with engine.begin() as conn:
        models(version).create_all(conn)
        for statement in ddl(version):
            conn.exec_driver_sql(statement)


@pytest.mark.parametrize("hint", [True, False], ids=["info-hint", "rename-option"])
def test_the_when_condition_is_settled_on_the_current_name(
    hint: bool, engine_for: Callable[[int], Engine]
) -> None:
    engine = engine_for(0)
    build(engine, 1)
    metadata = models(2, hint)
    with engine.connect() as conn:
        db, wanted = inspect_both(conn, [], metadata)
    options = CompareOptions(rename_tables=() if hint else ((None, "orders", "purchases"),))
    result = compute_diff(db, wanted, options)
    assert [op.describe() for op in result.ops] == [
        "rename table orders to purchases",
        "drop trigger changed_touch on purchases",
        "create trigger changed_touch on purchases",
    ]
    assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_convergence_upgrade_and_downgrade(
    engine_for: Callable[[int], Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    engine = engine_for(0)
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO orders (id, status) VALUES (1, 'kept')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_trigger_renames.py").write_text(
        "from tests.db.test_trigger_renames import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_trigger_renames:metadata"\n'
        'script_location = "migrations"\n'
    )
    report = run_cli(["diff"], folder)
    assert report.code == 1 and "not compared" not in report.out, report
    assert "rename table orders to purchases" in report.out, report
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "rename", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "kept_touch" not in script, script
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert "no differences" in cli(folder, "diff")
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
        assert conn.exec_driver_sql("SELECT status FROM orders").scalar() == "kept"
