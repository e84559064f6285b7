"""The models' views: those declared with :mod:`schemadiff.objects`, for one backend."""

from __future__ import annotations

import sys
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.base import DialectRules
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.views import canonical_view_sql, view_body, view_reads
from schemadiff.objects.views import (
    MaterializedView,
    declared_views,
    register_entities,
    unsupported_entities,
)
from schemadiff.objects.views import View as ViewDeclaration
from schemadiff.snapshot.model import Snapshot, TableKey, View


def metadata_views(
    metadata: sa.MetaData, dialect: Dialect, rules: DialectRules, default_schema: str | None
) -> tuple[View, ...]:
    """Every declared view, sorted by key; the query compiled for ``dialect``. Settled where
    the backend keeps a view's text as written (its canonical form then compares as is)."""
    out = []
    declared = {(v.schema, v.name): v for v in registered_views()}
    declared.update({(v.schema, v.name): v for v in declared_views(metadata)})
    for decl in declared.values():
        raw = view_body(decl.sql(dialect))
        schema = None if decl.schema == default_schema else decl.schema
        out.append(
            View(
                name=decl.name,
                definition=canonical_view_sql(raw, rules.name),
                schema=schema,
                raw=raw,
                reads=view_reads(raw, rules.name, default_schema),
                settled=rules.view_text_verbatim,
                materialized=isinstance(decl, MaterializedView),
                with_data=getattr(decl, "with_data", True),
            )
        )
    return tuple(sorted(out, key=lambda v: (v.schema or "", v.name)))


#: the alembic_utils entity kinds compared (views here, functions and triggers in
#: :mod:`schemadiff.sources.routines`)
_VIEW_ENTITIES = frozenset({"PGView", "PGMaterializedView"})
COMPARED_ENTITIES = _VIEW_ENTITIES | {
    "PGFunction",
    "PGTrigger",
    "PGExtension",
    "PGPolicy",
    "PGGrantTable",
}


def registered_entities(kinds: frozenset[str]) -> list[Any]:
    """The entities of ``kinds`` given to alembic_utils' own ``register_entities`` (in env.py
    or a models module), converted to our declarations on a scratch MetaData, when the project
    has imported alembic_utils (we never import it)."""
    module = sys.modules.get("alembic_utils.replaceable_entity")
    registry = getattr(module, "registry", None)
    if registry is None:
        return []
    scratch = sa.MetaData()
    return register_entities(scratch, [e for e in registry.entities() if type(e).__name__ in kinds])


def registered_views() -> list[ViewDeclaration]:
    """The ``PGView`` / ``PGMaterializedView`` entities registered with alembic_utils."""
    return [v for v in registered_entities(_VIEW_ENTITIES) if isinstance(v, ViewDeclaration)]


def entity_notes(metadata: sa.MetaData) -> tuple[str, ...]:
    """A "not compared" note per kind of alembic_utils entity the project gave us (listed in
    the ``entities`` setting, or registered with alembic_utils) that we do not compare."""
    kinds = set(unsupported_entities(metadata))
    module = sys.modules.get("alembic_utils.replaceable_entity")
    registry = getattr(module, "registry", None)
    if registry is not None:
        kinds |= {type(e).__name__ for e in registry.entities()} - COMPARED_ENTITIES
    return tuple(
        f"alembic_utils {kind} entities (PGView, PGMaterializedView, PGFunction, PGTrigger, "
        "PGExtension, PGPolicy and PGGrantTable are compared)"
        for kind in sorted(kinds)
    )


def settle_views(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with the views whose canonical query differs from the database's replaced by
    the server's own rewrite of the declared text (asked on ``conn``'s server without changing
    anything; see ``DialectRules.settle_views``), marked settled. Those the server could not
    rewrite stay unsettled: the comparator lists them as not compared."""
    stored = db.view_map()
    pending = [
        v
        for v in models.views
        if not v.settled
        and (old := stored.get(v.key)) is not None
        and old.definition != v.definition
    ]
    if pending:
        models = _settle(conn, db, models, pending)
    return _with_syntax_errors(conn, db, models)


def _settle(conn: Connection, db: Snapshot, models: Snapshot, pending: list[View]) -> Snapshot:
    rules = rules_for(db.dialect)
    try:
        answers = rules.settle_views(conn, pending)
    except sa.exc.SQLAlchemyError:
        return models  # no scratch rights, no second connection: the views stay unsettled
    if not answers:
        return models
    views = tuple(_settled(v, answers, rules.name) if v.key in answers else v for v in models.views)
    return replace(models, views=views)


def _with_syntax_errors(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with ``View.refused`` set on each view the migration would create (new, or
    whose query changes) that the server cannot even parse: the migration would fail."""
    stored = db.view_map()
    wanted = [
        v
        for v in models.views
        if (old := stored.get(v.key)) is None or old.definition != v.definition
    ]
    if not wanted:
        return models
    try:
        errors = rules_for(db.dialect).view_syntax_errors(conn, wanted)
    except sa.exc.SQLAlchemyError:
        return models  # no second connection: nothing learnt
    if not errors:
        return models
    views = tuple(replace(v, refused=errors[v.key]) if v.key in errors else v for v in models.views)
    return replace(models, views=views)


def _differs(model: View, stored: View | None) -> bool:
    return stored is not None and stored.definition != model.definition


def _settled(view: View, answers: dict[TableKey, str | None], dialect: str) -> View:
    """A refused query is not the stored one (that one runs): it stays as declared, settled."""
    answer = answers[view.key]
    if answer is None:
        return replace(view, settled=True)
    return replace(view, definition=canonical_view_sql(answer, dialect), settled=True)
