"""sqlalchemy-declarative-extensions' declarations read as ours, part by part, without a
database (tests/db/test_declarative_extensions.py runs them against real ones)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import mysql as mysql_dialect
from sqlalchemy.dialects import postgresql as pg_dialect

pytest.importorskip("sqlalchemy_declarative_extensions")

from sqlalchemy_declarative_extensions import (  # noqa: E402
    Function,
    Procedure,
    Schemas,
    Triggers,
    View,
    Views,
    declare_database,
    register_sqlalchemy_events,
    register_view,
)
from sqlalchemy_declarative_extensions.dialects import mysql, postgresql  # noqa: E402

from schemadiff.objects import (  # noqa: E402
    DECLEXT_CONVERTERS,
    MaterializedView,
    attach_declarative_extensions,
    declared_functions,
    declared_triggers,
    declared_views,
)
from schemadiff.objects import View as OurView  # noqa: E402
from schemadiff.objects.declarative_extensions import declext_notes, left_alone  # noqa: E402
from schemadiff.settings.config import Settings  # noqa: E402
from schemadiff.settings.loading import merge_metadata  # noqa: E402
from schemadiff.snapshot.model import LeftAlone  # noqa: E402
from schemadiff.sources.metadata import inspect_metadata  # noqa: E402


def _metadata() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True))
    return metadata


def test_postgresql_functions_by_their_parts() -> None:
    metadata = _metadata()
    param = postgresql.FunctionParam
    declare_database(
        metadata,
        functions=[
            postgresql.Function(
                "pairs",
                "SELECT a, a * 2",
                parameters=[param.input("a", "integer", 1), param.table("x", "int"), "b text"],
                volatility=postgresql.FunctionVolatility.stable,
                security=postgresql.FunctionSecurity.definer,
                strict=True,
                schema="app",
            ),
            postgresql.Function(
                "rows_of",
                "SELECT 1, 'a'",
                returns=postgresql.FunctionReturn(table=[("n", "int"), "label text"]),
            ),
            postgresql.Function("nothing", "SELECT"),
        ],
        procedures=[
            postgresql.Procedure("p", "SELECT 1", security=postgresql.ProcedureSecurity.definer)
        ],
    )
    attach_declarative_extensions(metadata)
    found = {f.name: f for f in declared_functions(metadata)}
    pairs = found["pairs"]
    assert (pairs.args, pairs.returns, pairs.volatility) == (
        "a integer DEFAULT 1, b text",
        "TABLE(x int)",
        "stable",
    )
    assert (pairs.security_definer, pairs.strict, pairs.schema) == (True, True, "app")
    assert found["rows_of"].returns == "TABLE(n int, label text)"
    assert found["nothing"].returns == "void"
    assert (found["p"].kind, found["p"].security_definer) == ("procedure", True)


def test_mysql_routines_and_the_dialect_neutral_ones() -> None:
    metadata = _metadata()
    declare_database(
        metadata,
        functions=[
            mysql.Function(
                "f", "RETURN a;", parameters=["a INT"], returns="INT", deterministic=True
            ),
            Function("g", "RETURN 1", returns="INT"),  # neither PostgreSQL's nor MySQL's
        ],
        procedures=[
            mysql.Procedure("p", "SELECT 1;"),
            mysql.Procedure("q", "SELECT 2", security=mysql.ProcedureSecurity.invoker),
            Procedure("r", "SELECT 3"),
        ],
    )
    snapshot = inspect_metadata(metadata, mysql_dialect.dialect())
    found = {f.name: f for f in snapshot.functions}
    assert (found["f"].raw_body, found["f"].volatility, found["f"].args) == (
        "RETURN a",
        "immutable",
        "a integer",  # the compared form of INT (int(11) in the catalog) on MySQL
    )
    # MySQL's default is SQL SECURITY DEFINER: the library's MySQL classes and its neutral
    # ones read on MySQL say so
    assert {n: f.security_definer for n, f in found.items()} == {
        "f": True,
        "g": True,
        "p": True,
        "q": False,
        "r": True,
    }
    # the neutral ones read for PostgreSQL run as the invoker
    attach_declarative_extensions(metadata)
    assert [f.security_definer for f in declared_functions(metadata) if f.name in "gr"] == [
        False,
        False,
    ]


def test_triggers_by_their_parts() -> None:
    metadata = _metadata()
    declare_database(
        metadata,
        triggers=Triggers(ignore=["audit_*"]).are(
            postgresql.Trigger.after("insert", "delete", on="app.orders", execute="log", name="t1")
            .for_each_row()
            .when("NEW.id > 0")
            .with_arguments("a", "b")
            .referencing_new_table_as("fresh"),
            postgresql.Trigger.instead_of("update", on="v", execute="f", name="t2"),
        ),
    )
    attach_declarative_extensions(metadata)
    t1, t2 = declared_triggers(metadata)
    assert (t1.schema, t1.table) == ("app", "orders")
    assert t1.definition == (
        "AFTER INSERT OR DELETE ON orders REFERENCING NEW TABLE AS fresh FOR EACH ROW "
        "WHEN (NEW.id > 0) EXECUTE FUNCTION log('a', 'b')"
    )
    assert t2.definition == "INSTEAD OF UPDATE ON v FOR EACH STATEMENT EXECUTE FUNCTION f()"
    assert left_alone(metadata) == (LeftAlone("trigger", ignore=("audit_*",)),)

    other = _metadata()
    declare_database(
        other,
        triggers=[
            mysql.Trigger.before("update", on="orders", execute="SET NEW.id = 1", name="m1"),
            mysql.Trigger.after("insert", on="orders", execute="SET @x = 1", name="m2").follows(
                "m1"
            ),
        ],
    )
    attach_declarative_extensions(other)
    assert [t.definition for t in declared_triggers(other)] == [
        "BEFORE UPDATE ON orders FOR EACH ROW SET NEW.id = 1",
        "AFTER INSERT ON orders FOR EACH ROW SET @x = 1",
    ]
    assert declext_notes(other) == (
        "sqlalchemy-declarative-extensions order of trigger m2 (FOLLOWS / PRECEDES)",
    )


def test_views_in_every_form() -> None:
    metadata = _metadata()
    declare_database(
        metadata,
        views=Views(ignore_unspecified=True, ignore=["tmp_*"]).are(
            View("plain", "SELECT id FROM orders;", schema="app"),
            postgresql.View("stale", "SELECT 1 AS one", materialized={"with_data": False}),
            postgresql.View(
                "fresh",
                "SELECT id FROM orders",
                materialized=True,
                constraints=[postgresql.ViewIndex(["id"], unique=True)],
            ),
        ),
    )

    class Declared:
        __tablename__ = "decorated"
        __table_args__ = {"schema": "app"}
        __view__ = sa.select(sa.literal(1).label("one"))

    from sqlalchemy_declarative_extensions.view.base import DeclarativeView

    register_view(metadata, DeclarativeView(Declared, False))
    attach_declarative_extensions(metadata)
    views = {v.name: v for v in declared_views(metadata)}
    assert set(views) == {"plain", "stale", "fresh", "decorated"}
    assert (views["plain"].schema, views["decorated"].schema) == ("app", "app")
    assert isinstance(views["stale"], MaterializedView) and not views["stale"].with_data
    assert isinstance(views["fresh"], MaterializedView) and views["fresh"].with_data
    assert not isinstance(views["plain"], MaterializedView)
    assert left_alone(metadata) == (LeftAlone("view", ignore=("tmp_*",), unspecified=True),)
    assert declext_notes(metadata) == (
        "sqlalchemy-declarative-extensions indexes of materialized view fresh (those the "
        "database has are kept when it is created again)",
    )


def test_alembic_utils_views_inside_the_library_collection() -> None:
    pg_view = pytest.importorskip("alembic_utils.pg_view")
    metadata = _metadata()
    entity = pg_view.PGView(schema="public", signature="au_view", definition="SELECT 1 AS one")
    declare_database(metadata, views=[entity])
    attach_declarative_extensions(metadata)
    [found] = declared_views(metadata)
    assert (found.schema, found.name) == ("public", "au_view")


def test_converting_again_replaces_and_ours_win() -> None:
    metadata = _metadata()
    OurView(metadata, "mine", "SELECT 1 AS one")
    declare_database(metadata, views=[View("mine", "SELECT 2 AS two"), View("v", "SELECT 3")])
    attach_declarative_extensions(metadata)
    attach_declarative_extensions(metadata)
    assert [(v.name, v.definition) for v in declared_views(metadata)] == [
        ("mine", "SELECT 1 AS one"),
        ("v", "SELECT 3"),
    ]
    declare_database(metadata, views=[View("w", "SELECT 4")])  # the declarations changed
    attach_declarative_extensions(metadata)
    assert [v.name for v in declared_views(metadata)] == ["mine", "w"]


def test_kinds_not_compared_and_the_listeners_of_what_is() -> None:
    metadata = _metadata()
    declare_database(
        metadata,
        views=[View("v", "SELECT 1 AS one")],
        roles=["reader"],
        grants=[],
        rows=[],
        schemas=Schemas().are("reporting"),
    )
    register_sqlalchemy_events(metadata, views=True, schemas=True, roles=True)
    snapshot = inspect_metadata(metadata, pg_dialect.dialect(), "public")
    assert "reporting" in snapshot.schemas
    notes = [n for n in snapshot.not_compared if "sqlalchemy" in n]
    # the roles' listener builds a declared role (compared): no listener is opaque DDL
    assert [n for n in notes if "event.listen" in n] == []
    assert notes == ["sqlalchemy-declarative-extensions rows (declare_database(rows=...))"]
    assert [r.name for r in snapshot.roles] == ["reader"]
    assert set(DECLEXT_CONVERTERS) == {
        "schemas",
        "roles",
        "grants",
        "views",
        "procedures",
        "functions",
        "triggers",
        "databases",
        "rows",
    }


def test_several_metadata_and_the_schemas_to_reflect() -> None:
    from schemadiff.pipeline import wanted_schemas

    first, second = _metadata(), sa.MetaData()
    declare_database(first, views=Views(ignore_unspecified=True).are(View("a", "SELECT 1")))
    declare_database(
        second,
        schemas=["reporting"],
        functions=[postgresql.Function("f", "SELECT 1", returns="int", schema="calc")],
    )
    merged = merge_metadata([("first", first), ("second", second)])
    assert [v.name for v in declared_views(merged)] == ["a"]
    assert [f.name for f in declared_functions(merged)] == ["f"]
    assert left_alone(merged) == (LeftAlone("view", unspecified=True),)
    assert wanted_schemas(Settings(), second, "public") == ["calc", "reporting"]


def test_left_alone_rules() -> None:
    rule = LeftAlone("view", ignore=("legacy_*", "app.tmp"))
    assert rule.leaves("legacy_x", None, "public")
    assert rule.leaves("tmp", "app", "public")
    assert not rule.leaves("tmp", None, "public")
    included = LeftAlone("function", include=("public.keep_*",))
    assert not included.leaves("keep_me", None, "public")
    assert included.leaves("other", None, "public")
    assert LeftAlone("trigger", unspecified=True).leaves("any", "s", None)


def test_roles_and_grants_declared_with_declare_database_are_ours() -> None:
    """declare_database's roles and grants reach the models' snapshot as our Role and Grant
    declarations (converted once: a second read replaces them)."""
    from sqlalchemy_declarative_extensions import Grants, Roles
    from sqlalchemy_declarative_extensions.dialects import postgresql as pg

    metadata = _metadata()
    sa.Table("t", metadata, sa.Column("id", sa.Integer, primary_key=True))
    declare_database(
        metadata,
        roles=Roles().are("sd_reader"),
        grants=Grants().are(pg.Grant.new("select", to="sd_reader").on_tables("t")),
    )
    for _ in range(2):
        snapshot = inspect_metadata(metadata, pg_dialect.dialect(), "public")
        assert [r.name for r in snapshot.roles] == ["sd_reader"]
        assert [(p.table, p.role, p.privilege) for p in snapshot.privileges] == [
            ("t", "sd_reader", "SELECT")
        ]
