"""Grants and roles without a server: declarations, the snapshot file, renames, renderers."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

import schemadiff.render  # noqa: F401 - loads every renderer family
from schemadiff import ops as O
from schemadiff.objects import Grant, Role
from schemadiff.render.code import RenderContext
from schemadiff.render.registry import render_op
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.grants import (
    Privilege,
    RelationOwner,
    RoleState,
    expand_all,
)
from schemadiff.sources.grants import metadata_privileges, metadata_roles
from tests.kit.builders import col, diff, snap, table


def test_declarations_are_checked() -> None:
    metadata = sa.MetaData()
    with pytest.raises(ValueError, match="not a privilege on a column"):
        Grant(metadata, ["DELETE"], on="t", to="app", columns=["a"])
    with pytest.raises(ValueError, match="not a privilege on a table"):
        Grant(metadata, ["EXECUTE"], on="t", to="app")
    with pytest.raises(ValueError, match="reserved"):
        Role(metadata, "pg_monitor")
    with pytest.raises(ValueError, match="member of itself"):
        Role(metadata, "a", in_roles=["a"])
    orders = sa.Table("orders", metadata, sa.Column("id", sa.Integer), schema="sales")
    Grant(metadata, "all privileges", on=orders, to=["app", "PUBLIC"])
    Grant(metadata, ["select"], on="sales.orders", to="app", with_grant_option=True)
    Role(metadata, "app", login=True, in_roles="reader")
    privileges = metadata_privileges(metadata, "public")
    assert [(p.schema, p.table, p.role, p.privilege, p.grantable) for p in privileges] == [
        ("sales", "orders", "app", "ALL", False),
        ("sales", "orders", "app", "SELECT", True),
        ("sales", "orders", "public", "ALL", False),
    ]
    assert metadata_roles(metadata) == (RoleState("app", login=True, in_roles=("reader",)),)


def test_all_is_what_the_server_gives() -> None:
    declared = (
        Privilege("t", "app", "ALL"),
        Privilege("t", "app", "SELECT", grantable=True),
        Privilege("t", "app", "ALL", column="a"),
    )
    on_15 = expand_all(declared, "15.4")
    assert [(p.column, p.privilege, p.grantable) for p in on_15 if p.column is None] == [
        (None, "DELETE", False),
        (None, "INSERT", False),
        (None, "REFERENCES", False),
        (None, "SELECT", True),
        (None, "TRIGGER", False),
        (None, "TRUNCATE", False),
        (None, "UPDATE", False),
    ]
    assert [p.privilege for p in on_15 if p.column == "a"] == [
        "INSERT",
        "REFERENCES",
        "SELECT",
        "UPDATE",
    ]
    assert "MAINTAIN" in {p.privilege for p in expand_all(declared, "17.2")}


def test_snapshot_files_keep_them() -> None:
    snapshot = replace(
        snap(table("t", col("id"))),
        privileges=(Privilege("t", "app", "SELECT", column="id", grantable=True),),
        relation_owners=(RelationOwner("t", "postgres"),),
        roles=(RoleState("app", login=True, in_roles=("reader",), current=True),),
    )
    loaded = snapshot_io.loads(snapshot_io.dumps(snapshot))
    assert loaded == snapshot
    assert loaded.roles[0].in_roles == ("reader",)


def test_privileges_follow_a_renamed_table_and_column() -> None:
    db = replace(
        snap(table("posts", col("id"), col("title"))),
        privileges=(
            Privilege("posts", "app", "SELECT"),
            Privilege("posts", "app", "UPDATE", column="title"),
        ),
        relation_owners=(RelationOwner("posts", "postgres"),),
    )
    models = replace(
        snap(table("articles", col("id"), col("title"), renamed_from="posts")),
        privileges=(
            Privilege("articles", "app", "SELECT"),
            Privilege("articles", "app", "UPDATE", column="title"),
        ),
    )
    assert [op.kind for op in diff(db, models).ops] == ["rename_table"]


def _sql(op: O.Op) -> list[str]:
    return list(render_op(op, RenderContext("postgresql")).lines)


def test_rendered_statements() -> None:
    grant = O.GrantPrivileges("s", "Orders", "app", ("SELECT", "UPDATE"), ("Note", "id"), True)
    assert _sql(grant) == [
        """op.execute('GRANT SELECT ("Note", id), UPDATE ("Note", id) ON TABLE s."Orders" """
        """TO app """
        """WITH GRANT OPTION')"""
    ]
    assert (
        "REVOKE GRANT OPTION FOR SELECT ON TABLE t FROM PUBLIC"
        in _sql(O.RevokePrivileges(None, "t", "public", ("SELECT",), option_only=True))[0]
    )
    assert _sql(O.RevokePrivileges(None, "t", "app", ("SELECT",), with_table=True)) == [
        "# they go with table t"
    ]
    alter = O.AlterRole(
        RoleState("app", in_roles=("a",)), RoleState("app", login=True, in_roles=("b",))
    )
    assert [line.split("(", 1)[1] for line in _sql(alter)] == [
        "'ALTER ROLE app WITH LOGIN')",
        "'GRANT b TO app')",
        "'REVOKE a FROM app')",
    ]
    assert "DROP ROLE IF EXISTS app" in _sql(O.DropRole(RoleState("app")))[0]
    assert "IF NOT EXISTS" in _sql(O.CreateRole(RoleState("app")))[0]


def test_roles_the_server_lacks_are_warned_and_the_running_role_is_not_altered() -> None:
    db = snap(
        dialect="postgresql",
        roles=(RoleState("postgres", superuser=True, current=True), RoleState("app")),
    )
    models = snap(
        dialect="postgresql",
        roles=(RoleState("postgres"), RoleState("app", in_roles=("ghost", "pg_monitor"))),
    )
    result = diff(db, models)
    assert [op.describe() for op in result.ops] == ["alter role app: member of ghost, pg_monitor"]
    assert sorted((n.level, n.message) for n in result.notices) == [
        ("not_compared", "role postgres: the migrations run as this role, so it is never altered"),
        (
            "warning",
            "role app is to be a member of ghost: the server has no role ghost and the models "
            "do not declare it (Role): the migration will fail",
        ),
    ]
