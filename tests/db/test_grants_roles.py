"""Table grants and roles (issue 17, PostgreSQL) on a real server, through the commands a user
runs: databases built by hand diff clean (``ALL`` expanded by the server included), a migration
from v1 to v2 converges on the hand-built v2 reference (compared by an independent catalog
query: ``information_schema``), runs offline and under plain ``alembic upgrade``, and its
downgrade brings v1 back, dropping the role it created.

Roles belong to the whole server: every role here is named ``sd_grant_<fresh hex>_...`` and
dropped at the end of its test, whatever happened (two runs on one server never collide).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from fixtures.grants import ddl, models, role_names
from schemadiff.diff.engine import compute_diff
from schemadiff.objects import Grant, Role, View, grants_from_declext, roles_from_declext
from schemadiff.sources import inspect_database
from schemadiff.sources.metadata import inspect_metadata
from tests.db.test_convergence_alembic import alembic
from tests.kit.cli import cli_ok as cli
from tests.kit.false_positives import settled_diff as diff
from tests.kit.independent import describe

pytestmark = pytest.mark.db


@pytest.fixture
def tag() -> str:
    return secrets.token_hex(4)


@pytest.fixture
def engine_for(backend_url: Callable[..., str], tag: str) -> Iterator[Callable[..., Engine]]:
    """Engines on this module's databases; at the end every role of this test's ``tag`` is
    stripped of its privileges in each of them and dropped, even when the test failed."""
    made: list[Engine] = []

    def get(slot: int = 0) -> Engine:
        engine = sa.create_engine(backend_url("postgresql", slot))
        made.append(engine)
        return engine

    yield get
    try:
        for engine in made:
            with engine.begin() as conn:
                roles = _tagged_roles(conn, tag)
                if roles:
                    conn.exec_driver_sql(f"DROP OWNED BY {', '.join(roles)}")
        if made:
            with made[0].begin() as conn:
                for role in _tagged_roles(conn, tag):
                    conn.exec_driver_sql(f"DROP ROLE {role}")
    finally:
        for engine in made:
            engine.dispose()


def _tagged_roles(conn: Connection, tag: str) -> list[str]:
    return list(
        conn.execute(
            sa.text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p ORDER BY 1"),
            {"p": f"sd\\_grant\\_{tag}\\_%"},
        ).scalars()
    )


def access(conn: Connection, tag: str) -> dict[str, Any]:
    """Privileges and roles of this test's roles, read from ``information_schema`` and
    ``pg_roles`` (not the catalog query schemadiff uses)."""
    like = {"p": f"sd\\_grant\\_{tag}\\_%"}
    tables = conn.execute(
        sa.text(
            "SELECT table_name, grantee, privilege_type, is_grantable "
            "FROM information_schema.role_table_grants WHERE grantee LIKE :p ORDER BY 1, 2, 3"
        ),
        like,
    ).all()
    columns = conn.execute(
        sa.text(
            "SELECT table_name, column_name, grantee, privilege_type, is_grantable "
            "FROM information_schema.role_column_grants WHERE grantee LIKE :p "
            "ORDER BY 1, 2, 3, 4"
        ),
        like,
    ).all()
    roles = conn.execute(
        sa.text(
            "SELECT r.rolname, r.rolcanlogin, r.rolcreatedb, r.rolsuper, r.rolinherit, "
            "array(SELECT b.rolname::text FROM pg_auth_members m JOIN pg_roles b "
            "ON b.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) "
            "FROM pg_roles r WHERE r.rolname LIKE :p ORDER BY 1"
        ),
        like,
    ).all()
    return {
        "tables": [tuple(r) for r in tables],
        "columns": [tuple(r) for r in columns],
        "roles": [tuple(r) for r in roles],
    }


def build(engine: Engine, version: int, tag: str) -> None:
    """``create_all`` of the version's tables, then its view, roles and grants by hand."""
    with engine.begin() as conn:
        models(version, tag).create_all(conn)
        for statement in ddl(version, tag):
            conn.exec_driver_sql(statement)


@pytest.mark.parametrize("version", [1, 2])
def test_grants_and_roles_written_by_hand_diff_clean(
    version: int, engine_for: Callable[..., Engine], tag: str
) -> None:
    engine = engine_for()
    build(engine, version, tag)
    result = diff(engine, models(version, tag))
    assert [op.describe() for op in result.ops] == []
    assert [n.message for n in result.notices if n.level in ("not_compared", "warning")] == []


def test_convergence_upgrade_offline_alembic_and_downgrade(
    engine_for: Callable[..., Engine], tag: str, tmp_path: Path
) -> None:
    r = role_names(tag)
    engine = engine_for()
    build(engine, 1, tag)
    with engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO orders (id, owner, status) VALUES (1, 'x', 'open')")
    with engine.connect() as conn:
        v1_access, v1_tables = access(conn, tag), describe(conn, [None])
    assert [row[0] for row in v1_access["roles"]] == [r["app"], r["reader"]]

    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "models_grants.py").write_text(
        f"from fixtures.grants import models\n\nmetadata = models(2, {tag!r})\n"
    )
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models_grants:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    cli(folder, "revision", "--autogenerate", "-m", "access", "--rev-id", "0001")
    [script_path] = (folder / "migrations" / "versions").glob("0001_*.py")
    script = script_path.read_text()
    assert "# they go with table scratch" in script  # scratch's privileges go with it

    offline = cli(folder, "upgrade", "head", "--sql")
    statements = [line for line in offline.splitlines() if line.strip()]
    create_role = (
        f"CREATE ROLE {r['clerk']} WITH NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT"
    )
    assert create_role in offline
    assert f"GRANT {r['reader']} TO {r['clerk']};" in statements
    assert f"GRANT UPDATE (note) ON TABLE orders TO {r['reader']};" in statements
    assert f"REVOKE GRANT OPTION FOR SELECT ON TABLE orders FROM {r['reader']};" in statements
    # roles first, grants after the tables they name, revokes before what they name is dropped
    assert offline.index(create_role) < offline.index("CREATE TABLE tenants")
    assert offline.index("CREATE TABLE tenants") < offline.index(
        f"GRANT SELECT ON TABLE tenants TO {r['clerk']}"
    )
    assert offline.index(f"REVOKE UPDATE ON TABLE orders FROM {r['app']}") < offline.index(
        "DROP TABLE scratch"
    )

    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        got_v2 = access(conn, tag)
        got_tables = describe(conn, [None])
    # the reference: v2 built by hand in a second database (the roles are the server's: they
    # exist already, the reference brings them to v2 too)
    reference = engine_for(1)
    build(reference, 2, tag)
    with reference.connect() as conn:
        want_v2 = access(conn, tag)
        want_tables = describe(conn, [None])
    assert got_v2 == want_v2, script
    assert got_tables == want_tables
    # ALL on tenants as the server expands it, grant option gone, the new column there
    assert (("tenants", r["app"], "TRUNCATE", "NO")) in got_v2["tables"]
    assert ("orders", r["reader"], "SELECT", "NO") in got_v2["tables"]
    assert ("orders", "note", r["reader"], "UPDATE", "NO") in got_v2["columns"]
    assert [role[0] for role in got_v2["roles"]] == [r["app"], r["clerk"], r["reader"]]
    assert got_v2["roles"][0][1:] == (True, True, False, True, [])
    assert got_v2["roles"][1][5] == [r["reader"]] and got_v2["roles"][2][5] == [r["app"]]
    assert [op.describe() for op in diff(engine, models(2, tag)).ops] == [], script

    # roles are the server's: while the reference database holds privileges of the created
    # role, the downgrade keeps it (with a notice); once nothing depends on it, it is dropped
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        kept = access(conn, tag)
        assert kept["tables"] == v1_access["tables"] and kept["columns"] == v1_access["columns"]
        assert [role[0] for role in kept["roles"]] == [r["app"], r["clerk"], r["reader"]]
        assert describe(conn, [None]) == v1_tables
        assert conn.exec_driver_sql("SELECT owner FROM orders").scalar() == "x"
    with reference.begin() as conn:
        conn.exec_driver_sql(f"DROP OWNED BY {r['clerk']}")

    # the same script under plain alembic, offline and online: CREATE ROLE skipped (the role
    # exists), and the downgrade now drops it
    plain_offline = alembic(folder, url, "upgrade", "head", "--sql")
    assert create_role in plain_offline
    assert f"GRANT SELECT (id, status) ON TABLE orders TO {r['clerk']}" in plain_offline
    alembic(folder, url, "upgrade", "head")
    with engine.connect() as conn:
        assert access(conn, tag) == got_v2
    alembic(folder, url, "downgrade", "base")
    with engine.connect() as conn:
        assert access(conn, tag) == v1_access, script
        assert describe(conn, [None]) == v1_tables
        assert conn.exec_driver_sql("SELECT owner FROM orders").scalar() == "x"


def test_only_the_privileges_of_named_roles_are_compared(
    engine_for: Callable[..., Engine], tag: str
) -> None:
    """A role no grant names keeps its privileges; the owner's are never listed; a grant to
    the owner is not compared; undeclared roles of the server are not listed."""
    engine = engine_for()
    other, app = f"sd_grant_{tag}_other", f"sd_grant_{tag}_app"
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id integer, a text)")
        conn.exec_driver_sql(f"CREATE ROLE {other}")
        conn.exec_driver_sql(f"CREATE ROLE {app}")
        conn.exec_driver_sql(f"GRANT SELECT, DELETE ON t TO {other}")
        conn.exec_driver_sql(f"GRANT SELECT, DELETE ON t TO {app}")
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    Grant(metadata, ["SELECT", "UPDATE"], on="t", to=app, columns=["a"])
    Grant(metadata, "ALL", on="t", to="postgres")
    Grant(metadata, "SELECT", on="nowhere", to=app)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == [
        f"revoke SELECT, DELETE on t from {app}",
        f"grant SELECT, UPDATE on t(a) to {app}",
    ]
    assert sorted(n.message for n in result.notices if n.level == "not_compared") == [
        f"grant of SELECT on nowhere to {app}: the models declare no table or view of that name",
        "privileges of postgres on t: it owns it, and an owner holds every privilege on what "
        "it owns",
    ]

    bare = sa.MetaData()
    sa.Table("t", bare, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    result = diff(engine, bare)
    assert result.ops == ()
    [notice] = [n for n in result.notices if n.objects]
    assert notice.message == "2 grants"
    assert {o.describe() for o in notice.objects} == {
        f"grant on t to {app}",
        f"grant on t to {other}",
    }


def test_a_table_level_revoke_keeps_the_declared_column_privileges(
    engine_for: Callable[..., Engine], tag: str, tmp_path: Path
) -> None:
    """PostgreSQL's ``REVOKE SELECT ON t`` takes ``SELECT (a)`` with it: the column's is
    granted again, in the upgrade and in the downgrade."""
    engine = engine_for()
    app = f"sd_grant_{tag}_app"
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id integer, a text)")
        conn.exec_driver_sql(f"CREATE ROLE {app}")
        conn.exec_driver_sql(f"GRANT SELECT ON t TO {app}")
        conn.exec_driver_sql(f"GRANT SELECT (a) ON t TO {app}")
    with engine.connect() as conn:
        before = access(conn, tag)
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    Grant(metadata, "SELECT", on="t", to=app, columns=["a"])
    ops = diff(engine, metadata).ops
    assert [op.describe() for op in ops] == [
        f"revoke SELECT on t from {app}",
        f"grant SELECT on t(a) to {app} again",
    ]
    folder = _project(tmp_path, engine, "from tests.db.test_grants_roles import one_column", tag)
    cli(folder, "revision", "--autogenerate", "-m", "c", "--rev-id", "0001")
    cli(folder, "upgrade", "head")
    assert [op.describe() for op in diff(engine, metadata).ops] == []
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert access(conn, tag) == before


def one_column(tag: str) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    Grant(metadata, "SELECT", on="t", to=f"sd_grant_{tag}_app", columns=["a"])
    return metadata


def _project(tmp_path: Path, engine: Engine, imports: str, tag: str) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    name = imports.rsplit(" ", 1)[-1]
    module = f"models_{name}_{tag}"  # a fresh module each (the commands run in this process)
    (folder / f"{module}.py").write_text(f"{imports}\n\nmetadata = {name}({tag!r})\n")
    url = engine.url.render_as_string(hide_password=False)
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    cli(folder, "init", "migrations")
    return folder


def changed_view(tag: str) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    View(metadata, "v", "SELECT id FROM t WHERE id > 0")
    Grant(metadata, ["SELECT", "INSERT"], on="v", to=f"sd_grant_{tag}_app")
    return metadata


def test_a_view_made_again_gets_its_privileges_back(
    engine_for: Callable[..., Engine], tag: str, tmp_path: Path
) -> None:
    """A view whose query changes is dropped and created again, which takes its privileges:
    the declared ones come back, and so do those of roles no grant names (left alone)."""
    engine = engine_for()
    app, other = f"sd_grant_{tag}_app", f"sd_grant_{tag}_other"
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (id integer, a text)")
        conn.exec_driver_sql("CREATE VIEW v AS SELECT id, a FROM t")
        conn.exec_driver_sql(f"CREATE ROLE {app}")
        conn.exec_driver_sql(f"CREATE ROLE {other}")
        conn.exec_driver_sql(f"GRANT SELECT ON v TO {app}, {other}")
        conn.exec_driver_sql(f"GRANT UPDATE ON v TO {app}")
        conn.exec_driver_sql(f"GRANT SELECT (a) ON v TO {other} WITH GRANT OPTION")
    with engine.connect() as conn:
        before = access(conn, tag)
    assert ("v", "a", other, "SELECT", "YES") in before["columns"]
    metadata = changed_view(tag)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == [
        f"revoke UPDATE on v from {app} (with v)",
        "replace view v (its query changed)",
        f"grant INSERT on v to {app}",
        f"grant SELECT on v to {app} again",
        f"grant SELECT on v to {other} again",
    ]
    assert [n.message for n in result.notices if n.level == "warning"] == [
        f"view v is made again: SELECT on v(a) to {other} is lost with it (a column privilege "
        "of a role no grant names is not granted again; declare it with Grant to keep it)"
    ]
    folder = _project(tmp_path, engine, "from tests.db.test_grants_roles import changed_view", tag)
    cli(folder, "revision", "--autogenerate", "-m", "v", "--rev-id", "0001")
    cli(folder, "upgrade", "head")
    with engine.connect() as conn:
        after = access(conn, tag)
    assert ("v", other, "SELECT", "NO") in after["tables"]
    assert ("v", app, "INSERT", "NO") in after["tables"]
    assert [op.describe() for op in diff(engine, metadata).ops] == []
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        back = access(conn, tag)
    # all back but other's column privilege (warned)
    assert (back["tables"], back["roles"]) == (before["tables"], before["roles"])
    assert [c for c in back["columns"] if c[2] == app] == [
        c for c in before["columns"] if c[2] == app
    ]
    assert ("v", "a", other, "SELECT", "YES") not in back["columns"]


def renamed_table(tag: str) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "articles",
        metadata,
        sa.Column("id", sa.Integer),
        sa.Column("title", sa.Text, info={"renamed_from": "name"}),
        info={"renamed_from": "posts"},
    )
    Grant(metadata, "SELECT", on="articles", to=f"sd_grant_{tag}_app", columns=["title"])
    return metadata


def test_privileges_on_a_renamed_table_in_both_directions(
    engine_for: Callable[..., Engine], tag: str, tmp_path: Path
) -> None:
    """The privileges follow the renamed table and column; the downgrade grants back what the
    upgrade revoked before it undoes the renames."""
    engine = engine_for()
    app = f"sd_grant_{tag}_app"
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE posts (id integer, name text)")
        conn.exec_driver_sql(f"CREATE ROLE {app}")
        conn.exec_driver_sql(f"GRANT SELECT, UPDATE ON posts TO {app}")
        conn.exec_driver_sql(f"GRANT SELECT (name), INSERT (name) ON posts TO {app}")
    with engine.connect() as conn:
        before = access(conn, tag)
    folder = _project(tmp_path, engine, "from tests.db.test_grants_roles import renamed_table", tag)
    cli(folder, "revision", "--autogenerate", "-m", "r", "--rev-id", "0001")
    cli(folder, "upgrade", "head")
    assert [op.describe() for op in diff(engine, renamed_table(tag)).ops] == []
    cli(folder, "downgrade", "base")
    with engine.connect() as conn:
        assert access(conn, tag) == before


def test_statement_count_does_not_grow_with_grants(
    engine_for: Callable[..., Engine], tag: str
) -> None:
    engine = engine_for()

    def statements() -> list[str]:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            inspect_database(engine, [])
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        return seen

    build(engine, 1, tag)
    few = statements()
    assert len([s for s in few if "aclexplode" in s]) == 1
    assert len([s for s in few if "pg_auth_members" in s]) == 1
    with engine.begin() as conn:
        for i in range(20):
            role = f"sd_grant_{tag}_r{i}"
            conn.exec_driver_sql(f"CREATE ROLE {role}")
            conn.exec_driver_sql(f"CREATE TABLE t{i} (id integer, a text)")
            conn.exec_driver_sql(f"GRANT SELECT, INSERT ON t{i} TO {role}")
            conn.exec_driver_sql(f"GRANT UPDATE (a) ON t{i} TO {role}")
    assert len(statements()) == len(few)


def test_declarative_extensions_roles_and_grants(
    engine_for: Callable[..., Engine], tag: str
) -> None:
    """sqlalchemy-declarative-extensions' declarations convert to ours; default grants and
    grants on other objects are listed as not compared, never dropped silently."""
    pg = pytest.importorskip("sqlalchemy_declarative_extensions.dialects.postgresql")
    declext = pytest.importorskip("sqlalchemy_declarative_extensions")
    app, reader = f"sd_grant_{tag}_app", f"sd_grant_{tag}_reader"
    metadata = sa.MetaData()
    sa.Table("t", metadata, sa.Column("id", sa.Integer), sa.Column("a", sa.Text))
    roles = declext.Roles().are(
        pg.Role(app, login=True, connection_limit=3), declext.Role(reader, in_roles=[app])
    )
    grants = declext.Grants().are(
        pg.Grant.new("select", "insert", to=app).on_tables("public.t"),
        pg.Grant.new("select", to=reader, grant_option=True).on_tables("t"),
        pg.Grant.new("usage", to=app).on_sequences("s"),
        pg.DefaultGrant.on_tables_in_schema("public").grant("select", to=reader),
    )
    made_roles = roles_from_declext(metadata, roles)
    made_grants = grants_from_declext(metadata, grants)
    assert [(r.name, r.login, r.in_roles) for r in made_roles] == [
        (app, True, ()),
        (reader, False, (app,)),
    ]
    assert [
        (g.schema, g.table, g.privileges, g.roles, g.with_grant_option) for g in made_grants
    ] == [
        ("public", "t", ("INSERT", "SELECT"), (app,), False),
        (None, "t", ("SELECT",), (reader,), True),
    ]
    engine = engine_for()
    with engine.begin() as conn:
        metadata.create_all(conn)
    result = diff(engine, metadata)
    assert [op.describe() for op in result.ops] == [
        f"create role {app}",
        f"create role {reader}",
        f"alter role {reader}: member of {app}",
        f"grant INSERT, SELECT on t to {app}".replace("INSERT, SELECT", "SELECT, INSERT"),
        f"grant SELECT on t to {reader} with grant option",
    ]
    assert sorted(n.message for n in result.notices if n.level == "not_compared") == [
        "default privileges (sqlalchemy-declarative-extensions DefaultGrant on tables in "
        f"public to {reader})",
        f"grants on sequences (to {app}: only grants on tables and views are compared)",
        f"role {app}: connection_limit (only login, superuser, createdb, createrole, inherit "
        "and memberships are compared)",
    ]


def test_roles_and_grants_elsewhere_are_listed_as_not_compared(
    backend_url: Callable[..., str],
) -> None:
    for backend in ("sqlite", "mysql"):
        engine = sa.create_engine(backend_url(backend))
        try:
            metadata = sa.MetaData()
            sa.Table("t", metadata, sa.Column("id", sa.Integer))
            Grant(metadata, "SELECT", on="t", to="app")
            Role(metadata, "app")
            with engine.begin() as conn:
                metadata.create_all(conn)
            db = inspect_database(engine, [])
            with engine.connect() as conn:
                models_ = inspect_metadata(metadata, conn.dialect, db.default_schema)
            result = compute_diff(db, models_)
            assert result.ops == ()
            notes = sorted(n.message for n in result.notices if n.level == "not_compared")
            assert [n for n in notes if "(Grant" in n or "(Role)" in n] == [
                "grants on tables and views (Grant, PGGrantTable): the "
                f"{db.dialect} backend does not report them, so they were not compared",
                f"roles (Role): the {db.dialect} backend does not report them, so they were "
                "not compared",
            ]
        finally:
            engine.dispose()
