"""A view's query as compared text, and the relations it reads.

Servers keep a view's SQL in their own spelling (PostgreSQL's ``pg_get_viewdef`` qualifies every
column, MariaDB qualifies with the database name); the canonical form removes what it safely can
(quoting, parentheses, layout, a trailing semicolon). Whatever it cannot decide is left to the
server (see ``DialectRules.settle_views``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from schemadiff.canonical.memo import MEMO
from schemadiff.canonical.sqlexpr import canonical_sql

TableKey = tuple[str | None, str]


def view_body(text: str) -> str:
    """The query as a ``CREATE VIEW ... AS`` runs it: no surrounding blanks or semicolon."""
    return text.strip().rstrip(";").strip()


def canonical_view_sql(text: str, dialect: str) -> str:
    """The compared form of a view's query written in ``dialect``: canonical SQL, without the
    output aliases that repeat a column's own name (MariaDB writes ``users.id AS id`` for every
    column). Remembered between runs (:mod:`schemadiff.canonical.memo`)."""
    body = view_body(text)
    if not body:
        return body
    key = ("view-sql", dialect, body)
    found = MEMO.get(key)
    if found is None:
        found = _canonical_view(body, dialect)
        MEMO.put(key, found)
    return found


#: the relations each parsed query names, as ``(schema or "", name)`` (CTEs left out), kept by
#: :func:`_without_own_name_aliases` for :func:`view_reads`: one parse of a view's text serves
#: both (parsing is most of the cost of a view the memo has not seen)
_NAMED: dict[tuple[str, str], frozenset[tuple[str, str]] | None] = {}
_NAMED_LIMIT = 65536
_UNSEEN: Any = object()


def _canonical_view(body: str, dialect: str) -> str:
    """The canonical form of the query ``body``: parsed once, the own-name output aliases taken
    out of the tree, which is then canonicalized as :func:`canonical_sql` would the printed
    query (printing it and parsing that again gave the same form at twice the cost)."""
    import sqlglot

    from schemadiff.canonical.sqltree import SQLGLOT_DIALECTS, _fallback, canonicalize_tree

    read = SQLGLOT_DIALECTS.get(dialect, dialect)
    try:
        tree = sqlglot.parse_one(body, read=read)
    except sqlglot.errors.SqlglotError:
        _remember_named((dialect, body), None)
        return canonical_sql(body, dialect)
    if tree is None:
        _remember_named((dialect, body), None)
        return canonical_sql(body, dialect)
    _remember_named((dialect, body), _named_relations(tree))
    # the tree is ours alone (its relations are read above): rewritten in place, not copied
    tree = canonicalize_tree(tree.transform(_own_name_alias, copy=False), dialect)
    try:
        return tree.sql(dialect="postgres", normalize_functions="upper")
    except (sqlglot.errors.SqlglotError, ValueError):  # pragma: no cover - sqlglot's own tree
        return _fallback(body)


def _own_name_alias(node: Any) -> Any:
    from sqlglot import exp

    if isinstance(node, exp.Alias) and isinstance(node.this, exp.Column):
        if node.alias == node.this.name:
            return node.this
    return node


def _remember_named(key: tuple[str, str], named: frozenset[tuple[str, str]] | None) -> None:
    if len(_NAMED) >= _NAMED_LIMIT:
        _NAMED.clear()
    _NAMED[key] = named


def _named_relations(tree: Any) -> frozenset[tuple[str, str]]:
    from sqlglot import exp

    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    found: set[tuple[str, str]] = set()
    for table in tree.find_all(exp.Table):
        if not table.name or (not table.db and table.name.lower() in ctes):
            continue
        found.add((table.db or "", table.name))
    return frozenset(found)


@lru_cache(maxsize=4096)
def view_reads(text: str, dialect: str, default_schema: str | None) -> tuple[TableKey, ...] | None:
    """The relations the query names, keyed like tables (``default_schema`` is None), sorted;
    None when sqlglot cannot parse it (the caller then assumes it reads everything).

    Remembered between runs like canonical SQL (:mod:`schemadiff.canonical.memo`): parsing
    hundreds of views again on every run would cost more than reading them."""
    key = ("view-reads", f"{dialect}:{default_schema or ''}", view_body(text))
    found = MEMO.get(key)
    if found is None:
        reads = _parse_reads(text, dialect, default_schema)
        MEMO.put(key, json.dumps(reads))
        return reads
    stored = json.loads(found)
    return None if stored is None else tuple((s, n) for s, n in stored)


def _parse_reads(
    text: str, dialect: str, default_schema: str | None
) -> tuple[TableKey, ...] | None:
    body = view_body(text)
    named = _NAMED.get((dialect, body), _UNSEEN)  # parsed already for its canonical form?
    if named is _UNSEEN:
        named = _parse_named(body, dialect)
    if named is None:
        return None
    found = {(None if schema == default_schema else schema or None, name) for schema, name in named}
    return tuple(sorted(found, key=lambda k: (k[0] or "", k[1])))


def _parse_named(body: str, dialect: str) -> frozenset[tuple[str, str]] | None:
    import sqlglot

    from schemadiff.canonical.sqltree import SQLGLOT_DIALECTS

    try:
        tree = sqlglot.parse_one(body, read=SQLGLOT_DIALECTS.get(dialect, dialect))
    except sqlglot.errors.SqlglotError:
        return None
    if tree is None:
        return None
    return _named_relations(tree)
