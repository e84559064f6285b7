"""Views: ``op.execute`` with the exact DDL (Alembic has no view operations), so scripts run
under plain ``alembic upgrade`` and ``--sql`` alike."""

from __future__ import annotations

from collections.abc import Iterable

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.entities import Entities, entity_op, fallback, uses_entities, view_entity
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import DbObject, View


def view_name(view: View, dialect: str) -> str:
    rules = rules_for(dialect)
    name = rules.quote_identifier(view.name)
    return f"{rules.quote_identifier(view.schema)}.{name}" if view.schema else name


def create_view_sql(view: View, dialect: str) -> str:
    if not view.materialized:
        return f"CREATE VIEW {view_name(view, dialect)} AS {view.raw}"
    data = "" if view.with_data else " WITH NO DATA"
    return f"CREATE MATERIALIZED VIEW {view_name(view, dialect)} AS {view.raw}{data}"


def drop_view_sql(view: View, dialect: str) -> str:
    return f"DROP {view.kind.upper()} {view_name(view, dialect)}"


def _create(view: View, dialect: str) -> tuple[str, ...]:
    """The view, then the indexes the database had on it (a materialized view's)."""
    return (_execute(create_view_sql(view, dialect)), *(_execute(i) for i in view.indexes))


def _execute(sql: str) -> str:
    return execute_call(sql)


#: why a view dropped and created again around a change to what it reads stays ``op.execute``
_AROUND = "dropped and created again around a change to what it reads"


@renders(O.CreateView)
def _create_view(op: O.CreateView, ctx: RenderContext, target: str) -> Code:
    if ctx.entities is not None and uses_entities(ctx.entities, "view", op.view.key):
        if op.recreated:
            return fallback(_AROUND, _create(op.view, ctx.dialect))
        return _create_entity(ctx.entities, op.view)
    return Code(_create(op.view, ctx.dialect))


@renders(O.DropView)
def _drop_view(op: O.DropView, ctx: RenderContext, target: str) -> Code:
    drop = (_execute(drop_view_sql(op.view, ctx.dialect)),)
    if ctx.entities is not None and uses_entities(ctx.entities, "view", op.view.key):
        if op.recreated:
            return fallback(_AROUND, drop)
        return entity_op("drop", view_entity(ctx.entities, op.view))
    return Code(drop)


@renders(O.ReplaceView)
def _replace_view(op: O.ReplaceView, ctx: RenderContext, target: str) -> Code:
    entities = ctx.entities
    if entities is not None and uses_entities(entities, "view", op.new.key):
        if op.old.materialized != op.new.materialized:  # another class: drop, then create
            drop = entity_op("drop", view_entity(entities, op.old))
            return drop + _create_entity(entities, op.new)
        entity = view_entity(entities, op.new)
        if op.new.materialized or "$$" not in str(dict(entity.args)["definition"]):
            indexes = tuple(_execute(i) for i in op.new.indexes)
            return entity_op("replace", entity) + Code(indexes)
        why = "alembic_utils' PGView replaces inside a DO $$ block, and the query holds $$"
        return fallback(why, _replace(op, ctx.dialect))
    return Code(_replace(op, ctx.dialect))


def _replace(op: O.ReplaceView, dialect: str) -> tuple[str, ...]:
    return (_execute(drop_view_sql(op.old, dialect)), *_create(op.new, dialect))


def _create_entity(entities: Entities, view: View) -> Code:
    """``op.create_entity(...)``, then the indexes the database had on it (a materialized
    view's: alembic_utils does not know them)."""
    indexes = tuple(_execute(i) for i in view.indexes)
    return entity_op("create", view_entity(entities, view)) + Code(indexes)


def kept_views(views: Iterable[View], ops: Iterable[O.Op], dialect: str) -> tuple[DbObject, ...]:
    """The views no op of the script drops or replaces, as the objects a table rebuild keeps
    around itself (SQLite's batch mode; their ``CREATE VIEW`` for ``--sql``)."""
    handled = {(op.schema, op.name) for op in ops if isinstance(op, (O.DropView, O.ReplaceView))}
    return tuple(
        DbObject(v.kind, v.name, v.schema, None, create_view_sql(v, dialect))
        for v in views
        if v.key not in handled
    )
