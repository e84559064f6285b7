"""Row-level security policies and ENABLE / FORCE ROW LEVEL SECURITY (issue 17, PostgreSQL) on a
real database, through the commands a user runs: a database built by hand in other spellings
diffs clean, a migration from v1 to v2 converges on the hand-built v2 reference (compared by the
independent inspector), runs offline, and its downgrade brings v1 back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.policies import ddl, models
from schemadiff.diff.engine import compute_diff
from schemadiff.objects import Policy, RowLevelSecurity, register_entities
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.cli import cli_ok as cli
from tests.kit.dbs import engine_fixture
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


engine_for = engine_fixture("postgresql")


def build(engine: Engine, version: int) -> None:
    """``create_all`` of the version's tables, then its row-level security by hand."""
    with engine.begin() as conn:
        models(version).create_all(conn)
        for statement in ddl(version):
            conn.exec_driver_sql(statement)


@pytest.mark.parametrize("version", [1, 2])
def test_policies_written_by_hand_in_other_spellings_diff_clean(
    version: int, engine_for: Callable[..., Engine]
) -> None:
    engine = engine_for()
    build(engine, version)
    result = diff(engine, models(version))
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level == "not_compared"] == []


def test_convergence_upgrade_offline_and_downgrade(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    reference = engine_for(1)
    build(reference, 2)
    with reference.connect() as conn:
        want_v2 = describe(conn, [None])
    assert "<policies>" in want_v2 and "<row security>" in want_v2
    engine = engine_for()
    build(engine, 1)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO orders (id, owner, status) VALUES (1, 'x', 'new')")
    with engine.connect() as conn:
        v1_state = describe(conn, [None])

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_policies.py").write_text(
        "from fixtures.policies import models\n\nmetadata = models(2)\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_policies:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "rls", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "policy scratch_all goes with table scratch" in script
    assert "DROP POLICY scratch_all" not in script

    offline = cli(folder, "upgrade", "head", "--sql")
    assert "ALTER TABLE notes ENABLE ROW LEVEL SECURITY" in offline
    assert "ALTER TABLE orders FORCE ROW LEVEL SECURITY" in offline
    # the policy reading a column goes before the column
    assert offline.index("DROP POLICY by_tenant ON orders") < offline.index(
        "ALTER TABLE orders DROP COLUMN tenant"
    )
    assert "CREATE POLICY tenant_rows ON tenants AS PERMISSIVE FOR SELECT TO PUBLIC" in offline

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        got_v2 = describe(conn, [None])
    assert {k: v for k, v in got_v2.items() if v != want_v2.get(k)} == {
        k: v for k, v in want_v2.items() if v != got_v2.get(k)
    }
    assert [op.describe() for op in diff(engine, models(2)).ops] == [], script

    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        got = describe(conn, [None])
        assert got["<policies>"] == v1_state["<policies>"], script
        assert got["<row security>"] == v1_state["<row security>"], script
        assert conn.exec_driver_sql("SELECT owner FROM orders").scalar() == "x"


def test_changes_drop_and_create_with_their_reverse(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, 1)
    metadata = models(1)
    Policy(metadata, "own_rows", "orders", using="owner = session_user")
    Policy(metadata, "read_notes", "notes", command="SELECT", roles=("public",), using="true")
    RowLevelSecurity(metadata, "orders", force=True)
    result = diff(engine, metadata)
    ops = [op.describe() for op in result.ops]
    assert ops == [
        "drop policy read_notes on notes",
        "drop policy own_rows on orders",
        "row-level security on orders: enabled -> enabled and forced",
        "create policy read_notes on notes",
        "create policy own_rows on orders",
    ]
    assert [op.reverse().describe() for op in result.ops][2] == (
        "row-level security on orders: enabled and forced -> enabled"
    )


def test_models_that_declare_none_leave_them_alone(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()
    build(engine, 1)
    bare = sa.MetaData()
    for table in models(1).tables.values():
        table.to_metadata(bare)
    result = diff(engine, bare)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "4 policies, row-level security on 2 tables"


def test_expressions_are_settled_by_the_server_or_not_compared(
    engine_for: Callable[..., Engine],
) -> None:
    """The server rewrites ``SIMILAR TO`` as ``~ similar_to_escape(...)``: the declared
    expression is compared in the server's own rewrite of it (a rolled-back probe). Without
    the server to ask (the models built apart), the differing spelling is listed as not
    compared, never taken as equal."""
    engine = engine_for()
    build(engine, 2)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP POLICY tenant_rows ON tenants")
        conn.exec_driver_sql(
            "CREATE POLICY tenant_rows ON tenants FOR SELECT USING (name SIMILAR TO 'a%%')"
        )
    metadata = models(2)
    Policy(metadata, "tenant_rows", "tenants", command="SELECT", using="name similar to 'a%'")
    settled = diff(engine, metadata)
    assert (settled.ops, [n for n in settled.notices if n.level == "not_compared"]) == ((), [])

    db = inspect_database(engine, [])
    apart = compute_diff(db, inspect_metadata(metadata, engine.dialect, db.default_schema))
    assert apart.ops == ()
    assert [n.message for n in apart.notices if n.level == "not_compared"] == [
        "policy tenant_rows on tenants: its USING / WITH CHECK expressions could not be "
        "compared with the server's own spelling of them"
    ]

    Policy(metadata, "tenant_rows", "tenants", command="SELECT", using="name similar to 'b%'")
    assert [op.describe() for op in diff(engine, metadata).ops] == [
        "drop policy tenant_rows on tenants",
        "create policy tenant_rows on tenants",
    ]
    with engine.connect() as conn:  # the probes were rolled back
        assert "<policies>" in describe(conn, [None])
        found = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_class WHERE relname LIKE 'schemadiff_probe_%%'"
        ).scalar()
        assert found == 0


def test_statement_count_does_not_grow_with_policies(engine_for: Callable[..., Engine]) -> None:
    engine = engine_for()

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

    build(engine, 1)
    few = statements()
    with engine.begin() as conn:
        for i in range(20):
            conn.exec_driver_sql(f"CREATE TABLE t{i} (id integer)")
            conn.exec_driver_sql(f"ALTER TABLE t{i} ENABLE ROW LEVEL SECURITY")
            conn.exec_driver_sql(f"CREATE POLICY p{i} ON t{i} USING (id > {i})")
    assert statements() == few


def test_alembic_utils_policy_entities_convert() -> None:
    PGPolicy = pytest.importorskip("alembic_utils.pg_policy").PGPolicy
    metadata = sa.MetaData()
    [made] = register_entities(
        metadata,
        [
            PGPolicy(
                schema="public",
                signature="own_rows",
                on_entity="public.orders",
                definition='as restrictive\nfor UPDATE\nto app, "Reader"\n'
                "using (owner = (select 'a(b)'))\nwith check (true)",
            )
        ],
    )
    assert isinstance(made, Policy)
    assert (made.schema, made.table, made.command, made.permissive) == (
        "public",
        "orders",
        "UPDATE",
        False,
    )
    assert made.roles == ("app", '"Reader"')
    assert (made.using, made.with_check) == ("owner = (select 'a(b)')", "true")


def test_a_policy_is_dropped_and_made_again_around_a_type_change_it_reads(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    """PostgreSQL refuses to change the type of a column a policy uses: the policy goes
    first and comes back after, in the upgrade and in the downgrade."""
    engine = engine_for()
    build(engine, 2)
    with engine.connect() as conn:
        before = describe(conn, [None])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_policy_types.py").write_text(
        "import sqlalchemy as sa\n\nfrom fixtures.policies import models\n\n"
        "metadata = models(2)\nmetadata.tables['orders'].c.status.type = sa.Text()\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_policy_types:metadata"\n'
        'script_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    out = cli(folder, "revision", "--autogenerate", "-m", "types", "--rev-id", "0001")
    assert "drop policy own_rows on orders" in out
    assert "create policy own_rows on orders" in out
    assert "drop policy read_notes" not in out  # reads no changed column
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        assert (
            conn.exec_driver_sql(
                "SELECT data_type FROM information_schema.columns WHERE column_name = 'status'"
            ).scalar()
            == "text"
        )
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == before


def test_a_policy_on_a_renamed_table_is_dropped_after_the_rename(
    engine_for: Callable[..., Engine], tmp_path: Path
) -> None:
    engine = engine_for()
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE accounts (id integer PRIMARY KEY, owner text)")
        conn.exec_driver_sql("ALTER TABLE accounts ENABLE ROW LEVEL SECURITY")
        conn.exec_driver_sql("CREATE POLICY mine ON accounts USING (owner = current_user)")
    with engine.connect() as conn:
        before = describe(conn, [None])
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_renamed.py").write_text(
        "import sqlalchemy as sa\n\nfrom schemadiff.objects import Policy, RowLevelSecurity\n\n"
        "metadata = sa.MetaData()\n"
        "sa.Table('ledgers', metadata, sa.Column('id', sa.Integer, primary_key=True),\n"
        "         sa.Column('owner', sa.Text))\n"
        "RowLevelSecurity(metadata, 'ledgers')\n"
        "Policy(metadata, 'mine', 'ledgers', using='owner = session_user')\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_renamed:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(
        folder,
        "revision",
        "--autogenerate",
        "-m",
        "rename",
        "--rev-id",
        "0001",
        "--rename-table",
        "accounts=ledgers",
    )
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        [(table, using)] = conn.exec_driver_sql(
            "SELECT polrelid::regclass::text, pg_get_expr(polqual, polrelid) FROM pg_policy"
        ).all()
    assert (table, using) == ("ledgers", "(owner = SESSION_USER)")
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert describe(conn, [None]) == before
