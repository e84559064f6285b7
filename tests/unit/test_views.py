"""Views without a server: the comparator on hand-made snapshots, ops and their reverses, the
declaration API, snapshot files."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from schemadiff import ops as O
from schemadiff.canonical.views import canonical_view_sql, view_reads
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.objects import View as Declared
from schemadiff.objects import declared_views, register_entities
from schemadiff.render.code import RenderContext
from schemadiff.render.registry import render_op
from schemadiff.render.sql import render_sql
from schemadiff.snapshot import io as snapshot_io
from schemadiff.snapshot.model import Column, ColumnType, Snapshot, Table, View
from schemadiff.sources.metadata import inspect_metadata

OPTIONS = CompareOptions(use_entry_points=False)


def _users(length: int) -> Table:
    return Table("users", columns=(Column("name", ColumnType(f"varchar({length})")),))


def _view(
    name: str, sql: str, reads: tuple[tuple[str | None, str], ...], settled: bool = True
) -> View:
    return View(name, sql, raw=sql, reads=reads, settled=settled)


def _snap(*views: View, length: int = 10) -> Snapshot:
    return Snapshot("postgresql", "public", tables=(_users(length),), views=views)


def test_a_changed_query_the_server_did_not_settle_is_not_compared() -> None:
    db = _snap(_view("v", "SELECT users.name FROM users", ((None, "users"),)))
    models = _snap(_view("v", "SELECT name FROM users", ((None, "users"),), settled=False))
    result = compute_diff(db, models, OPTIONS)
    assert result.ops == ()
    assert any(n.message.startswith("view v: ") for n in result.notices)


def test_views_over_a_changed_column_are_dropped_first_and_created_last() -> None:
    inner = _view("inner_v", "SELECT name FROM users", ((None, "users"),))
    outer = _view("outer_v", "SELECT name FROM inner_v", ((None, "inner_v"),))
    other = _view("other_v", "SELECT 1", ())
    result = compute_diff(
        _snap(inner, outer, other), _snap(inner, outer, other, length=20), OPTIONS
    )
    assert [op.describe() for op in result.ops] == [
        "drop view outer_v (created again after the changes to what it reads)",
        "drop view inner_v (created again after the changes to what it reads)",
        "alter column users.name: type varchar(10) -> varchar(20)",
        "create view inner_v again (after the changes to what it reads)",
        "create view outer_v again (after the changes to what it reads)",
    ]
    # the downgrade (reversed ops) keeps the same shape
    back = compute_diff(_snap(inner, outer, other, length=20), _snap(inner, outer, other), OPTIONS)
    assert [type(op).__name__ for op in back.ops] == [
        "DropView", "DropView", "AlterColumn", "CreateView", "CreateView"
    ]  # fmt: skip


def test_drop_reverses_to_the_database_definition() -> None:
    old = _view("gone", "SELECT users.name FROM users", ((None, "users"),))
    keep = _view("kept", "SELECT 1", ())
    [op] = compute_diff(_snap(old, keep), _snap(keep), OPTIONS).ops
    assert isinstance(op, O.DropView) and not op.destructive
    assert op.reverse() == O.CreateView(old)
    changed = _view("kept", "SELECT 2", ())
    [replace] = compute_diff(_snap(keep), _snap(changed), OPTIONS).ops
    assert replace == O.ReplaceView(keep, changed)
    assert replace.reverse() == O.ReplaceView(changed, keep)


def test_unparsable_queries_are_assumed_to_read_every_table() -> None:
    odd = _view("odd", "SELECT ???", None)  # type: ignore[arg-type]
    result = compute_diff(_snap(odd), _snap(odd, length=20), OPTIONS)
    assert [op.kind for op in result.ops] == ["drop_view", "alter_column", "create_view"]


def test_declarations_live_in_the_metadata() -> None:
    metadata = sa.MetaData()
    users = sa.Table("users", metadata, sa.Column("id", sa.Integer))
    Declared(metadata, "a", sa.select(users.c.id).where(users.c.id > 5))
    Declared(metadata, "b", "SELECT 1", schema="app")
    assert [(v.schema, v.name) for v in declared_views(metadata)] == [(None, "a"), ("app", "b")]
    compiled = declared_views(metadata)[0].sql(sa.create_engine("sqlite://").dialect)
    assert "users.id > 5" in compiled  # bound values are written as literals
    with pytest.raises(TypeError, match="definition must be SQL text or a select"):
        Declared(metadata, "c", 42)  # type: ignore[arg-type]


def test_alembic_utils_views_are_registered() -> None:
    pg = pytest.importorskip("alembic_utils.pg_view")
    metadata = sa.MetaData()
    register_entities(
        metadata, [pg.PGView(schema="public", signature="v", definition="SELECT 1 AS one")]
    )
    [view] = declared_views(metadata)
    assert (view.schema, view.name, view.definition) == ("public", "v", "SELECT 1 AS one")


def test_snapshot_files_keep_views() -> None:
    view = _view("v", "SELECT 1", ((None, "users"),))
    loaded = snapshot_io.loads(snapshot_io.dumps(_snap(view)))
    assert loaded.views == (view,) and loaded.views[0].raw == "SELECT 1"
    assert loaded.views[0].reads == ((None, "users"),)


def test_alembic_utils_entities_convert_and_unknown_kinds_are_listed_as_not_compared() -> None:
    pytest.importorskip("alembic_utils")
    from alembic_utils.pg_extension import PGExtension
    from alembic_utils.pg_function import PGFunction
    from alembic_utils.pg_grant_table import PGGrantTable
    from alembic_utils.pg_policy import PGPolicy

    from schemadiff.objects import Extension, Function, Grant, Policy

    metadata = sa.MetaData()
    fn = PGFunction(
        schema="public", signature="f()", definition="RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql"
    )
    ext = PGExtension(schema="public", signature="hstore")
    policy = PGPolicy(
        schema="public",
        signature="own_rows",
        on_entity="public.t",
        definition="FOR SELECT USING (true)",
    )
    grant = PGGrantTable(schema="public", table="t", role="reader", grant="DELETE")

    class PGFuture:  # a kind of entity we do not know
        pass

    made = register_entities(metadata, [fn, ext, policy, grant, PGFuture()])
    assert [type(m) for m in made] == [Function, Extension, Policy, Grant]  # compared as ours
    snapshot = inspect_metadata(metadata, sa.create_engine("sqlite://").dialect, "main")
    notes = [n for n in snapshot.not_compared if n.startswith("alembic_utils")]
    assert notes == [
        "alembic_utils PGFuture entities (PGView, PGMaterializedView, PGFunction, PGTrigger, "
        "PGExtension, PGPolicy and PGGrantTable are compared)",
    ]


def test_canonical_queries_drop_what_servers_add() -> None:
    stored = "select `users`.`id` AS `id`,`users`.`name` AS `name` from `users`;"
    assert canonical_view_sql(stored, "mysql") == canonical_view_sql(
        "SELECT users.id, users.name\nFROM users", "mysql"
    )
    # an alias that renames the column is part of the view's meaning
    assert "AS idx" in canonical_view_sql("select `users`.`id` AS `idx` from `users`", "mysql")
    pg = " SELECT users.id,\n    users.name\n   FROM users\n  WHERE users.active;"
    assert canonical_view_sql(pg, "postgresql") == canonical_view_sql(
        "SELECT users.id, users.name \nFROM users \nWHERE users.active", "postgresql"
    )


def test_what_a_query_reads() -> None:
    assert view_reads("SELECT * FROM a JOIN app.b ON 1 = 1", "postgresql", "public") == (
        (None, "a"),
        ("app", "b"),
    )
    assert view_reads("WITH x AS (SELECT 1) SELECT * FROM x", "postgresql", "public") == ()
    assert view_reads("SELECT FROM FROM", "postgresql", "public") is None


@pytest.mark.parametrize("dialect", ["postgresql", "sqlite", "mysql"])
def test_rendered_ddl_keeps_colons_and_percent_signs(dialect: str) -> None:
    """``op.execute`` wraps the text in ``sa.text()``, which would read ``:b`` as a bound
    parameter: the script escapes it, and the offline SQL shows the query as declared."""
    query = "SELECT id FROM users WHERE note = 'a:b' AND id::text LIKE '1%'"
    if dialect != "postgresql":
        query = "SELECT id FROM users WHERE note = 'a:b' AND note LIKE '1%'"
    view = View("v", query, raw=query)
    code = render_op(O.CreateView(view), RenderContext(dialect))
    sql = render_sql(code, dialect)
    assert f"CREATE VIEW v AS {query};" in sql
