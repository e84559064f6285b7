"""The models' views: those declared with :mod:`schemadiff.objects`, for one backend."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.base import DialectRules
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.views import canonical_view_sql, view_body, view_reads
from schemadiff.objects.views import declared_views
from schemadiff.snapshot.model import Snapshot, TableKey, View


def metadata_views(
    metadata: sa.MetaData, dialect: Dialect, rules: DialectRules, default_schema: str | None
) -> tuple[View, ...]:
    """Every declared view, sorted by key; the query compiled for ``dialect``. Settled where
    the backend keeps a view's text as written (its canonical form then compares as is)."""
    out = []
    for decl in declared_views(metadata):
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
            )
        )
    return tuple(sorted(out, key=lambda v: (v.schema or "", v.name)))


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
    if not pending:
        return models
    rules = rules_for(db.dialect)
    try:
        answers = rules.settle_views(conn, pending)
    except sa.exc.DBAPIError:
        return models  # no scratch rights, no second connection: the views stay unsettled
    if not answers:
        return models
    views = tuple(_settled(v, answers, rules.name) if v.key in answers else v for v in models.views)
    return replace(models, views=views)


def _differs(model: View, stored: View | None) -> bool:
    return stored is not None and stored.definition != model.definition


def _settled(view: View, answers: dict[TableKey, str | None], dialect: str) -> View:
    """A refused query is not the stored one (that one runs): it stays as declared, settled."""
    answer = answers[view.key]
    if answer is None:
        return replace(view, settled=True)
    return replace(view, definition=canonical_view_sql(answer, dialect), settled=True)
