"""A view's query as compared text, and the relations it reads.

Servers keep a view's SQL in their own spelling (PostgreSQL's ``pg_get_viewdef`` qualifies every
column, MariaDB qualifies with the database name); the canonical form removes what it safely can
(quoting, parentheses, layout, a trailing semicolon). Whatever it cannot decide is left to the
server (see ``DialectRules.settle_views``).
"""

from __future__ import annotations

import json
from functools import lru_cache

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
        found = canonical_sql(_without_own_name_aliases(body, dialect), dialect)
        MEMO.put(key, found)
    return found


def _without_own_name_aliases(body: str, dialect: str) -> str:
    import sqlglot
    from sqlglot import exp

    from schemadiff.canonical.sqltree import SQLGLOT_DIALECTS

    read = SQLGLOT_DIALECTS.get(dialect, dialect)
    try:
        tree = sqlglot.parse_one(body, read=read)
    except sqlglot.errors.SqlglotError:
        return body
    if tree is None:
        return body

    def strip(node: exp.Expression) -> exp.Expression:
        if (
            isinstance(node, exp.Alias)
            and isinstance(node.this, exp.Column)
            and node.alias == node.this.name
        ):
            return node.this
        return node

    return tree.transform(strip).sql(dialect=read)


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
    import sqlglot
    from sqlglot import exp

    from schemadiff.canonical.sqltree import SQLGLOT_DIALECTS

    try:
        tree = sqlglot.parse_one(view_body(text), read=SQLGLOT_DIALECTS.get(dialect, dialect))
    except sqlglot.errors.SqlglotError:
        return None
    if tree is None:
        return None
    ctes = {c.alias_or_name.lower() for c in tree.find_all(exp.CTE)}
    found: set[TableKey] = set()
    for table in tree.find_all(exp.Table):
        if not table.name or (not table.db and table.name.lower() in ctes):
            continue
        schema = table.db or None
        found.add((None if schema == default_schema else schema, table.name))
    return tuple(sorted(found, key=lambda k: (k[0] or "", k[1])))
