"""A view's query as compared text, and the relations it reads.

Servers keep a view's SQL in their own spelling (PostgreSQL's ``pg_get_viewdef`` qualifies every
column, MariaDB qualifies with the database name); the canonical form removes what it safely can
(quoting, parentheses, layout, a trailing semicolon). Whatever it cannot decide is left to the
server (see ``DialectRules.settle_views``).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, cast

from schemadiff.canonical.memo import MEMO
from schemadiff.canonical.sqlexpr import canonical_sql

TableKey = tuple[str | None, str]
#: a parsed query's relations (``(schema or "", name)``) and unknown functions' names
Named = tuple[frozenset[tuple[str, str]], tuple[str, ...]]


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


#: what each parsed query names: its relations, as ``(schema or "", name)`` (CTEs left out), and
#: the functions sqlglot does not know (see :func:`view_calls`); kept by :func:`_canonical_view`
#: for :func:`view_reads` and :func:`view_calls`: one parse of a view's text serves all three
#: (parsing is most of the cost of a view the memo has not seen). None: sqlglot cannot parse it.
_NAMED: dict[tuple[str, str], Named | None] = {}
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
    _remember_named((dialect, body), _named(tree))
    # the tree is ours alone (its relations are read above): rewritten in place, not copied
    tree = canonicalize_tree(tree.transform(_own_name_alias, copy=False), dialect)
    try:
        return tree.sql(dialect="postgres", copy=False, normalize_functions="upper")  # ours
    except (sqlglot.errors.SqlglotError, ValueError):  # pragma: no cover - sqlglot's own tree
        return _fallback(body)


def _own_name_alias(node: Any) -> Any:
    from sqlglot import exp

    if isinstance(node, exp.Alias) and isinstance(node.this, exp.Column):
        if node.alias == node.this.name:
            return node.this
    return node


def _remember_named(key: tuple[str, str], named: Named | None) -> None:
    if len(_NAMED) >= _NAMED_LIMIT:
        _NAMED.clear()
    _NAMED[key] = named


def _named(tree: Any) -> Named:
    from sqlglot import exp

    calls = {str(node.name).lower() for node in tree.find_all(exp.Anonymous)}
    return _named_relations(tree), tuple(sorted(calls))


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
    named = _named_of(view_body(text), dialect)
    if named is None:
        return None
    found = {
        (None if schema == default_schema else schema or None, name) for schema, name in named[0]
    }
    return tuple(sorted(found, key=lambda k: (k[0] or "", k[1])))


def view_calls(text: str, dialect: str) -> tuple[str, ...] | None:
    """The names (lower case, sorted) of the functions the query calls that sqlglot does not
    know (user-defined ones among them), or None when sqlglot cannot parse it. Remembered
    between runs like :func:`view_reads`. A query calling none of them depends only on the
    relations it reads (see :func:`schemadiff.sources.views.rewrite_dependencies`)."""
    body = view_body(text)
    key = ("view-calls", dialect, body)
    found = MEMO.get(key)
    if found is None:
        named = _named_of(body, dialect)
        calls = None if named is None else named[1]
        MEMO.put(key, json.dumps(calls))
        return calls
    stored = json.loads(found)
    return None if stored is None else tuple(stored)


def _named_of(body: str, dialect: str) -> Named | None:
    named = _NAMED.get((dialect, body), _UNSEEN)  # parsed already for its canonical form?
    if named is _UNSEEN:
        named = _parse_named(body, dialect)
        _remember_named((dialect, body), named)
    return cast("Named | None", named)


def _parse_named(body: str, dialect: str) -> Named | None:
    import sqlglot

    from schemadiff.canonical.sqltree import SQLGLOT_DIALECTS

    try:
        tree = sqlglot.parse_one(body, read=SQLGLOT_DIALECTS.get(dialect, dialect))
    except sqlglot.errors.SqlglotError:
        return None
    if tree is None:
        return None
    return _named(tree)
