"""The models' views: those declared with :mod:`schemadiff.objects`, for one backend."""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.base import DialectRules
from schemadiff.backends.registry import rules_for
from schemadiff.canonical.memo import MEMO, Key
from schemadiff.canonical.views import canonical_view_sql, view_body, view_calls, view_reads
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
    rewrite stay unsettled: the comparator lists them as not compared.

    The server's answers are remembered between runs (:mod:`schemadiff.canonical.memo`), keyed
    by everything they depend on (:func:`rewrite_dependencies`): a run whose models and database
    did not change since the last asks nothing (about 1 ms per view on either server)."""
    stored = db.view_map()
    pending = [
        v
        for v in models.views
        if not v.settled
        and (old := stored.get(v.key)) is not None
        and old.definition != v.definition
    ]
    parsed: set[TableKey] = set()
    if pending:
        models, parsed = _settle(conn, db, models, pending)
    return _with_syntax_errors(conn, db, models, parsed)


def _settle(
    conn: Connection, db: Snapshot, models: Snapshot, pending: list[View]
) -> tuple[Snapshot, set[TableKey]]:
    """``models`` with ``pending`` settled where the server (or the memo) answered, and the
    keys of those it answered (so parsed: no syntax check needed)."""
    rules = rules_for(db.dialect)
    answers: dict[TableKey, str | None] = {}
    keys: dict[TableKey, Key] = {}
    try:
        context = rules.view_rewrite_context(conn)
    except sa.exc.SQLAlchemyError:
        context = None
    if context is not None:
        relations = _Relations(db)
        for view in pending:
            depends = rewrite_dependencies(view, relations, rules.name)
            if depends is None:
                continue
            key = _rewrite_key(rules.name, context, depends)
            found = MEMO.get(key)
            if found is not None:
                answers[view.key] = found
            else:
                keys[view.key] = key
    asked = [v for v in pending if v.key not in answers]
    if asked:
        try:
            for view_key, answer in rules.settle_views(conn, asked).items():
                answers[view_key] = answer
                if answer is not None and view_key in keys:
                    MEMO.put(keys[view_key], answer)  # refusals are asked again
        except sa.exc.SQLAlchemyError:
            pass  # no scratch rights, no second connection: these views stay unsettled
    if not answers:
        return models, set()
    settled = tuple(
        _settled(v, answers, rules.name) if v.key in answers else v for v in models.views
    )
    parsed = {key for key, answer in answers.items() if answer is not None}
    return replace(models, views=settled), parsed


#: views over views followed this deep at most (deeper: not remembered)
_DEPTH = 16


class _Relations:
    """The database snapshot's relations described for :func:`rewrite_dependencies` (each
    described once per run)."""

    def __init__(self, db: Snapshot) -> None:
        self.tables = db.table_map()
        self.views = db.view_map()
        self._described: dict[TableKey, str | None] = {}

    def describe(self, key: TableKey, depth: int = 0) -> str | None:
        """A table's columns (name, type, nullability, collation, character set); a view's
        stored query and the description of what it reads; None when not known here."""
        if key in self._described:
            return self._described[key]
        self._described[key] = None  # a cycle of views describes as unknown
        found = self._describe(key, depth)
        self._described[key] = found
        return found

    def _describe(self, key: TableKey, depth: int) -> str | None:
        if key[1].lower().startswith("pg_"):
            return None  # a catalog's name: the server may find its own relation first
        table = self.tables.get(key)
        if table is not None:
            columns = [
                [c.name, c.type.sql, c.nullable, c.collation, c.charset] for c in table.columns
            ]
            return _json(["table", key[0] or "", key[1], columns])
        view = self.views.get(key)
        if view is None or view.reads is None or depth >= _DEPTH:
            return None
        reads = self.read(view.reads, depth + 1)
        if reads is None:
            return None
        kind = "materialized view" if view.materialized else "view"
        return _json([kind, key[0] or "", key[1], view.raw, reads])

    def read(self, reads: tuple[TableKey, ...], depth: int = 0) -> list[str] | None:
        out = []
        for key in sorted(set(reads), key=lambda k: (k[0] or "", k[1])):
            described = self.describe(key, depth)
            if described is None:
                return None
            out.append(described)
        return out


def rewrite_dependencies(view: View, relations: _Relations, dialect: str) -> str | None:
    """What the server's rewrite of the models' ``view`` depends on besides the server's
    context (``DialectRules.view_rewrite_context``), as text: the declared query, and each
    relation it reads as the database snapshot has it (a table's columns: names, types,
    nullability, collations; a view's stored query and, in turn, what that reads), since the
    server resolves the query's names against them (``SELECT *`` lists the columns of the
    moment, a column's type decides the casts the server writes). None when that cannot be
    known, and the server is asked every time: a query sqlglot cannot parse, one that calls a
    function sqlglot does not know (a user's function: its definition is not in the snapshot),
    one that reads a relation missing from the snapshot (another schema, a catalog's table), or
    views over views deeper than ``_DEPTH``."""
    if view.reads is None:
        return None
    calls = view_calls(view.raw, dialect)
    if calls is None or calls:
        return None
    reads = relations.read(view.reads)
    return None if reads is None else _json([view.raw, reads])


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _rewrite_key(dialect: str, context: str, depends: str) -> Key:
    digest = hashlib.sha256(f"{context}\0{depends}".encode()).hexdigest()
    return ("view-rewrite", dialect, digest)


def _with_syntax_errors(
    conn: Connection, db: Snapshot, models: Snapshot, parsed: set[TableKey]
) -> Snapshot:
    """``models`` with ``View.refused`` set on each view the migration would create (new, or
    whose query changes) that the server cannot even parse: the migration would fail. Those in
    ``parsed`` (the server just rewrote them, or did so before) are not asked again."""
    stored = db.view_map()
    wanted = [
        v
        for v in models.views
        if v.key not in parsed
        and ((old := stored.get(v.key)) is None or old.definition != v.definition)
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
