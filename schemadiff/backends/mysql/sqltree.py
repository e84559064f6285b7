"""MySQL's canonical SQL with sqlglot (imported only when :mod:`schemadiff.canonical.memo` has not
seen a text before): the generic rewrites plus MySQL's own equivalences."""

from __future__ import annotations

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from schemadiff.canonical import sqltree  # noqa: F401 - its import warms sqlglot up (see sqltree._warm_up)
from schemadiff.canonical.sqlexpr import canonical_sql
from schemadiff.canonical.sqltree import canonicalize_tree


def parse_mysql_canonical(text: str, index: bool = False) -> str:
    """``index``: an index element, whose outer casts are kept (see
    :mod:`schemadiff.canonical.sqltree`)."""
    try:
        tree = sqlglot.parse_one(text, read="mysql")
    except (SqlglotError, ValueError, RecursionError):
        return canonical_sql(text, "mysql")
    if tree is None:  # pragma: no cover
        return canonical_sql(text, "mysql")
    tree = canonicalize_tree(tree.transform(_mysql_rewrite, copy=True), "mysql", index=index)
    try:
        return tree.sql(dialect="postgres", copy=False, normalize_functions="upper")  # ours
    except (SqlglotError, ValueError):  # pragma: no cover
        return canonical_sql(text, "mysql")


def _mysql_rewrite(node: exp.Expression) -> exp.Expression:
    if isinstance(node, exp.Introducer):  # _utf8mb4'a' -> 'a'
        return node.expression
    if isinstance(node, exp.Boolean):
        return exp.Literal.number(1 if node.this else 0)
    if isinstance(node, exp.Length):  # keep bytes (length/octet_length) apart from characters
        fn = "OCTET_LENGTH" if node.args.get("binary") else "CHAR_LENGTH"
        return exp.Anonymous(this=fn, expressions=[node.this])
    if isinstance(node, exp.Anonymous) and str(node.this).upper() == "OCTET_LENGTH":
        return exp.Anonymous(this="OCTET_LENGTH", expressions=node.expressions)
    if isinstance(node, exp.CurrentTimestamp) and node.this is not None:
        return exp.Anonymous(this="CURRENT_TIMESTAMP", expressions=[node.this])
    if isinstance(node, exp.Localtimestamp | exp.Localtime):  # MySQL synonyms of NOW()
        return exp.CurrentTimestamp()
    if isinstance(node, exp.Anonymous) and str(node.this).upper() == "NOW" and node.expressions:
        return exp.Anonymous(this="CURRENT_TIMESTAMP", expressions=node.expressions)
    if isinstance(node, exp.UtcTimestamp):
        return exp.Anonymous(this="UTC_TIMESTAMP", expressions=[])
    return node
