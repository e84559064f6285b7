"""Functions, procedures and triggers (issue 17) on real databases, through the commands a user
runs: a database built by hand from the same declarations diffs clean (whatever spelling the
server keeps), a migration from v1 to v2 converges on the hand-built v2 reference (compared by
the independent inspector), runs offline, and its downgrade brings v1 back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.routines import ddl, models
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.objects import TRIGGERS_KEY, Function, Trigger, declared_triggers
from schemadiff.ops.base import Phase
from schemadiff.sources import inspect_both, inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import cli_ok as cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.db),
    pytest.param("mysql", id="mysql", marks=pytest.mark.db),
]


engine_for = engine_fixture()


def build(engine: Engine, backend: str, version: int) -> None:
    """``create_all`` of the version's tables, then its functions and triggers by hand."""
    with engine.begin() as conn:
        models(backend, version).create_all(conn)
        for statement in ddl(backend, version):
            conn.exec_driver_sql(statement)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("version", [1, 2])
def test_a_database_built_from_the_declarations_diffs_clean(
    backend: str, version: int, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for(backend)
    build(engine, backend, version)
    result = diff(engine, models(backend, version))
    assert [op.describe() for op in result.ops] == []
    notes = [n.message for n in result.notices if n.level == "not_compared"]
    assert [m for m in notes if "trigger" in m or "function" in m] == []
    assert [n for n in result.notices if n.objects] == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_convergence_upgrade_offline_and_downgrade(
    backend: str, engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    reference = engine_for(backend, 1)
    build(reference, backend, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    engine = engine_for(backend)
    build(engine, backend, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO orders (id, status) VALUES (1, 'new')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])
    assert "<triggers>" in v1_state

    folder = tmp_path / "project"
    folder.mkdir()
    module = f"models_routines_{backend}"  # in-process runs keep imported modules by name
    (folder / f"{module}.py").write_text(
        f"from fixtures.routines import models\n\nmetadata = models({backend!r}, 2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "routines", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    # a trigger that goes with its table is not dropped on its own
    assert "DROP TRIGGER scratch" not in script
    assert "goes with table scratch" in script

    offline = cli(folder, "upgrade", "head", "--sql")
    if backend == "postgresql":
        assert "CREATE OR REPLACE FUNCTION touch_updated_at()" in offline, offline
        assert "DROP FUNCTION old_answer()" in offline
    assert "CREATE TRIGGER orders_touch" in offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None]) == want_v2, script
    assert [op.describe() for op in diff(engine, models(backend, 2)).ops] == [], script

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == v1_state, script
        assert conn.exec_driver_sql("SELECT status FROM orders").scalar() == "new"


@pytest.mark.db
def test_changes_are_compared_part_by_part(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for("postgresql")
    build(engine, "postgresql", 1)
    metadata = models("postgresql", 1)
    # volatility, security and a new overload: in place, and a new function
    Function(
        metadata,
        "add_numbers",
        "SELECT a + b",
        args="a numeric, b numeric",
        returns="numeric",
        volatility="immutable",
    )
    Function(metadata, "old_answer", "SELECT 41", returns="integer", security_definer=True)
    Function(
        metadata,
        "touch_updated_at",
        "BEGIN NEW.updated_at = now(); RETURN NEW; END;",
        returns="trigger",
        language="plpgsql",
        volatility="stable",
    )
    # a result type or a kind cannot change in place: dropped and created again
    Function(
        metadata,
        "log_note",
        "INSERT INTO audit (note) VALUES (note)",
        args="note text",
        returns="void",
    )
    ops = [op.describe() for op in diff(engine, metadata).ops]
    assert ops == [
        "drop procedure log_note(note text)",
        "create function add_numbers(a numeric, b numeric)",
        "create function log_note(note text)",
        "replace function old_answer() (security definer)",
        "replace function touch_updated_at() (volatility)",
    ]


@pytest.mark.db
def test_models_that_declare_none_leave_them_alone(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for("postgresql")
    build(engine, "postgresql", 1)
    bare = sa.MetaData()
    for table in models("postgresql", 1).tables.values():
        table.to_metadata(bare)
    result = diff(engine, bare)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message.startswith("3 functions, 1 procedure, 2 triggers")


def test_sqlite_does_not_compare_functions(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for("sqlite")
    metadata = models("sqlite", 1)
    Function(metadata, "f", "SELECT 1", returns="integer")
    build(engine, "sqlite", 1)
    result = diff(engine, metadata)
    assert result.ops == ()
    assert [n.message for n in result.notices if n.level == "not_compared"] == [
        "functions and procedures: the sqlite backend does not report them, so they were not "
        "compared"
    ]


@pytest.mark.db
def test_statement_count_does_not_grow_with_functions_and_triggers(
    engine_for: Callable[..., Engine],
) -> None:
    engine = engine_for("postgresql")

    def statements() -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            inspect_database(engine, [])
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return len(seen)

    build(engine, "postgresql", 1)
    few = statements()
    with engine.begin() as conn:
        for i in range(30):
            conn.exec_driver_sql(
                f"CREATE FUNCTION f{i}(x integer) RETURNS integer LANGUAGE sql AS 'SELECT x'"
            )
            conn.exec_driver_sql(
                f"CREATE TRIGGER t{i} AFTER INSERT ON audit EXECUTE FUNCTION touch_updated_at()"
            )
    assert statements() == few


@pytest.mark.db
def test_a_when_condition_is_settled_by_the_server_or_not_compared(
    engine_for: Callable[..., Engine],
) -> None:
    """PostgreSQL rewrites a trigger's WHEN condition: the declared one is compared with the
    server's own rewrite of it (a rolled-back probe). Without the server to ask (a snapshot
    built apart), a differing spelling is listed as not compared, never taken as equal."""
    engine = engine_for("postgresql")
    build(engine, "postgresql", 2)
    metadata = models("postgresql", 2)
    Trigger(
        metadata,
        "orders_touch",
        "orders",
        "BEFORE UPDATE OR INSERT FOR EACH ROW "
        "WHEN (NOT (NEW.status IN ('closed'))) EXECUTE FUNCTION touch_updated_at()",
    )
    settled = diff(engine, metadata)
    assert [op.describe() for op in settled.ops] == [
        "drop trigger orders_touch on orders",
        "create trigger orders_touch on orders",
    ]
    with engine.connect() as conn:
        db = inspect_database(conn, [])
        wanted = inspect_metadata(metadata, conn.dialect, db.default_schema)
    unsettled = compute_diff(db, wanted)
    assert unsettled.ops == ()
    assert [n.message for n in unsettled.notices if n.level == "not_compared"] == [
        "trigger orders_touch on orders: its WHEN condition could not be compared with the "
        "server's own spelling of it"
    ]
    # the same condition in another spelling is the same trigger once settled
    Trigger(
        metadata,
        "orders_touch",
        "orders",
        "BEFORE INSERT OR UPDATE FOR EACH ROW "
        "WHEN ((new.status)::text IS DISTINCT FROM ('closed')) EXECUTE FUNCTION touch_updated_at()",
    )
    assert diff(engine, metadata).ops == ()


@pytest.mark.parametrize("changed", [False, True], ids=["same", "changed"])
def test_sqlite_rebuild_keeps_declared_triggers(
    changed: bool, engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """A batch rebuild of a table drops its triggers with it: the script keeps them (online
    and in ``--sql``), from the triggers schemadiff compares; one the migration changes is
    created once, by its own op."""
    engine = engine_for("sqlite")
    build(engine, "sqlite", 2)
    folder = tmp_path / "project"
    folder.mkdir()
    module = f"models_rebuild_{changed}"  # in-process runs keep imported modules by name
    (folder / f"{module}.py").write_text(
        "import sqlalchemy as sa\n"
        "from fixtures.routines import models\n\n"
        "metadata = models('sqlite', 2)\n"
        "metadata.tables['orders'].c.status.type = sa.String(50)\n"
        "metadata.tables['orders'].c.status.nullable = False\n"
        + (
            "from schemadiff.objects import Trigger\n"
            "Trigger(metadata, 'orders_log', 'orders', 'AFTER DELETE ON orders "
            "BEGIN INSERT INTO audit (note) VALUES (OLD.id); END')\n"
            if changed
            else ""
        )
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    with engine.connect() as conn:
        before = describe(conn, [None])["<triggers>"]
    after = before
    if changed:
        after = [
            (
                t,
                n,
                "CREATE TRIGGER orders_log AFTER DELETE ON orders BEGIN INSERT INTO audit "
                "(note) VALUES (OLD.id); END",
            )
            if n == "orders_log"
            else (t, n, sql)
            for t, n, sql in before
        ]
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "rebuild", "--rev-id", "0001")
    offline = cli(folder, "upgrade", "head", "--sql")
    assert offline.count("CREATE TRIGGER orders_") == 2, offline
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert describe(conn, [None])["<triggers>"] == after
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None])["<triggers>"] == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_renamed_table_keeps_its_triggers(
    backend: str, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for(backend)
    build(engine, backend, 2)
    metadata = models(backend, 2)
    orders = metadata.tables["orders"]
    metadata.remove(orders)
    renamed = orders.to_metadata(metadata, name="purchases")
    renamed.info["renamed_from"] = "orders"
    for trigger in declared_triggers(metadata):
        trigger.table = "purchases"
    metadata.info[TRIGGERS_KEY] = {
        (t.schema, t.table, t.name): t for t in declared_triggers(metadata)
    }
    with engine.connect() as conn:
        db, wanted = inspect_both(conn, [], metadata)
    options = CompareOptions(rename_tables=((None, "orders", "purchases"),))
    result = compute_diff(db, wanted, options)
    assert [op.describe() for op in result.ops] == ["rename table orders to purchases"]


@pytest.mark.db
def test_signatures_the_server_spells_its_own_way(engine_for: Callable[..., Engine]) -> None:
    """Types our canonical names cannot know (a domain, written qualified) are settled by the
    server (the function made again in a rolled-back transaction): no change."""
    engine = engine_for("postgresql")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE DOMAIN positive AS integer CHECK (VALUE > 0)")
        conn.exec_driver_sql(
            "CREATE FUNCTION double_it(x positive) RETURNS positive LANGUAGE sql "
            "AS 'SELECT (x * 2)::positive'"
        )
    metadata = sa.MetaData()
    Function(
        metadata,
        "double_it",
        "SELECT (x * 2)::positive",
        args="x public.positive",
        returns="public.positive",
    )
    assert diff(engine, metadata).ops == ()
    with engine.connect() as conn:  # without the server to ask: our own spelling
        db = inspect_database(conn, [])
        wanted = inspect_metadata(metadata, conn.dialect, db.default_schema)
    assert [op.describe() for op in compute_diff(db, wanted).ops] == [
        "drop function double_it(x positive)",
        "create function double_it(x public.positive)",
    ]


@pytest.mark.db
def test_a_function_in_its_own_schema(engine_for: Callable[..., Engine], tmp_path: Path) -> None:
    """A schema only a function names is reflected, created, and the diff is clean after."""
    engine = engine_for("postgresql")
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_util_schema.py").write_text(
        "import sqlalchemy as sa\n"
        "from schemadiff.objects import Function\n\n"
        "metadata = sa.MetaData()\n"
        "Function(metadata, 'answer', 'SELECT 42', returns='int', schema='util')\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_util_schema:metadata"\nscript_location = "m"\n'
    )
    cli(folder, "init", "m")
    cli(folder, "revision", "--autogenerate", "-m", "util", "--rev-id", "0001")
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT util.answer()").scalar() == 42
    assert "no differences" in cli(folder, "diff")
    cli(folder, "downgrade", "base")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_changed_trigger_on_a_renamed_table_is_dropped_after_the_rename(
    backend: str, engine_for: Callable[..., Engine]
) -> None:
    """The drop names the table by its new name: it must run after the rename (it used to run
    first and fail with 'relation purchases does not exist')."""
    engine = engine_for(backend)
    build(engine, backend, 2)
    metadata = models(backend, 2)
    orders = metadata.tables["orders"]
    metadata.remove(orders)
    renamed = orders.to_metadata(metadata, name="purchases")
    renamed.info["renamed_from"] = "orders"
    declared = declared_triggers(metadata)
    for trigger in declared:
        trigger.table = "purchases"
    if backend == "postgresql":  # (one without WHEN: see settle_triggers for those)
        changed = next(t for t in declared if t.name == "orders_audit")
        changed.definition = changed.definition.replace("AFTER DELETE", "AFTER DELETE OR INSERT")
    else:
        changed = next(t for t in declared if t.name == "orders_touch")
        changed.definition = changed.definition.replace("UPDATE", "INSERT OR UPDATE", 1)
    if backend == "mysql":  # one event per MySQL trigger
        changed.definition = changed.definition.replace("INSERT OR UPDATE", "INSERT", 1)
    metadata.info[TRIGGERS_KEY] = {(t.schema, t.table, t.name): t for t in declared}
    with engine.connect() as conn:
        db, wanted = inspect_both(conn, [], metadata)
    options = CompareOptions(rename_tables=((None, "orders", "purchases"),))
    found = compute_diff(db, wanted, options).ops
    ops = [op.describe() for op in found]
    rename = ops.index("rename table orders to purchases")
    drop = next(i for i, text in enumerate(ops) if text.startswith("drop trigger"))
    create = next(i for i, text in enumerate(ops) if text.startswith("create trigger"))
    assert rename < drop < create, ops
    # the downgrade creates the database's trigger (its statement names the old table) once the
    # rename is undone
    assert found[drop].reverse().run_phase > Phase.UNDO_RENAME_TABLE
