"""The cheaper canonicalization (:func:`schemadiff.canonical.sqltree.canonicalize_tree`: a rewrite
pass that replaces nothing ends the loop unprinted, a print is reused, parentheses are put in
place) gives exactly what the plain one gave (print the tree before and after every pass,
copy it to parenthesize), kept here as the reference, on a corpus: every expression and view
query the kitchen sinks' snapshots canonicalize, the benchmark's views in both spellings
(declared, and as PostgreSQL and MariaDB store them), and harder queries and expressions."""

from __future__ import annotations

from typing import Any

import pytest
import sqlglot
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlglot import exp

from fixtures import kitchen_sink
from schemadiff.backends.mysql import sqltree as mysql_sqltree
from schemadiff.canonical import sqlexpr, sqltree
from schemadiff.canonical import views as canonical_views
from schemadiff.canonical.memo import MEMO
from schemadiff.sources.metadata import inspect_metadata

DIALECTS = {
    "sqlite": sqlite.dialect(),
    "postgresql": postgresql.dialect(),
    "mysql": mysql.dialect(),
}


def reference(tree: exp.Expression, dialect: str, *, index: bool = False) -> exp.Expression:
    """``canonicalize_tree`` as it was: both prints every pass, a copy to parenthesize."""
    casts: list[exp.Expression] = []
    if index:
        tree = tree.transform(sqltree._quoted_number, copy=True)
        tree, casts = sqltree._outer_casts(tree)
    fold_case = dialect != "postgresql_exact"

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Identifier):  # always a new node, as before
            name = node.this
            return exp.Identifier(this=name.lower() if fold_case else name, quoted=False)
        return sqltree._rewrite(node, fold_case)

    for _ in range(8):
        before = tree.sql()
        tree = tree.transform(rewrite, copy=True)
        if tree.sql() == before:
            break

    def visit(node: exp.Expression) -> None:
        for child in list(node.iter_expressions()):
            visit(child)
            if isinstance(child, sqltree._OPERATORS) and isinstance(node, sqltree._OPERATORS):
                child.replace(exp.Paren(this=child.copy()))

    tree = tree.copy()
    visit(tree)
    for to in reversed(casts):
        tree = exp.Cast(this=tree, to=to)
    return tree


def _bench_views() -> list[tuple[str, str, bool]]:
    out = []
    for i in range(6):
        t, u = f"t{i:05d}", f"t{(i * 7 + 3):05d}"
        for sql in (
            f"SELECT id, name, qty FROM {t} WHERE qty > {i}",
            f"SELECT a.id, a.name, b.code FROM {t} a JOIN {u} b ON b.id = a.id WHERE a.qty < {i}",
            f"SELECT code, count(*) AS n, max(qty) AS top FROM {t} GROUP BY code",
        ):
            out += [(sql, "postgresql", False), (sql, "mysql", False)]
    out += [
        (
            " SELECT t00000.id,\n    t00000.name,\n    t00000.qty\n   FROM t00000\n"
            "  WHERE (t00000.qty > 0)",
            "postgresql",
            False,
        ),
        (
            " SELECT a.id,\n    a.name,\n    b.code\n   FROM (t00001 a\n"
            "     JOIN t00010 b ON ((b.id = a.id)))\n  WHERE (a.qty < 1)",
            "postgresql",
            False,
        ),
        (
            " SELECT t00002.code,\n    count(*) AS n,\n    max(t00002.qty) AS top\n"
            "   FROM t00002\n  GROUP BY t00002.code",
            "postgresql",
            False,
        ),
        (
            "select `t00000`.`id` AS `id`,`t00000`.`name` AS `name`,`t00000`.`qty` AS `qty`"
            " from `t00000` where `t00000`.`qty` > 0",
            "mysql",
            False,
        ),
        (
            "select `a`.`id` AS `id`,`a`.`name` AS `name`,`b`.`code` AS `code` from (`t00001`"
            " `a` join `t00010` `b` on(`b`.`id` = `a`.`id`)) where `a`.`qty` < 1",
            "mysql",
            False,
        ),
        (
            "select `t00002`.`code` AS `code`,count(0) AS `n`,max(`t00002`.`qty`) AS `top`"
            " from `t00002` group by `t00002`.`code`",
            "mysql",
            False,
        ),
    ]
    return out


HARDER = [
    "WITH recent AS (SELECT id FROM orders WHERE created > now() - interval '1 day')"
    " SELECT r.id FROM recent r",
    "SELECT id FROM a UNION ALL SELECT id FROM b ORDER BY 1",
    "SELECT id, row_number() OVER (PARTITION BY kind ORDER BY created DESC) AS n FROM events",
    "SELECT CAST(total AS numeric(10, 2)) AS t, total::text FROM orders",
    'SELECT "Mixed"."Case" FROM "Mixed" WHERE "Case" BETWEEN 1 AND 10',
    "SELECT id FROM t WHERE NOT (x BETWEEN 1 AND 2) AND y NOT BETWEEN 3 AND 4",
    "SELECT id FROM t WHERE status = ANY (ARRAY['a'::text, 'b'::text])",
    "SELECT id FROM t WHERE status <> ALL (ARRAY['a', 'b'])",
    "SELECT 1e3 AS big, -1.5e-2 AS small, '-1'::integer AS neg",
    "SELECT ((a + b)) * c, a + (b * c), (((x))) FROM t",
    "SELECT coalesce(a, b, 0), lower(name::text) FROM t WHERE (a IS NOT NULL) OR (b IS NULL)",
    "SELECT id FROM t WHERE name LIKE 'a%' AND name ILIKE 'B%' AND id IN (1, 2, 3)",
    "SELECT x FROM (SELECT id AS x FROM t) sub WHERE x > (SELECT avg(id) FROM t)",
    "((age >= 0))",
    "(price > (0)::numeric)",
    "CURRENT_TIMESTAMP",
    "now()",
    "(status)::text = ANY ((ARRAY['new'::character varying])::text[])",
    "lower((email)::text)",
    "CASE WHEN a > 0 THEN 'p' WHEN a < 0 THEN 'n' ELSE 'z' END",
    "NOT (a = 1 AND (b = 2 OR c = 3))",
    "-(a) + -1",
]


def _corpus(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, bool]]:
    """Every (text, dialect, index) the kitchen sinks' snapshots canonicalize, without memo."""
    seen: list[tuple[str, str, bool]] = []
    parse_canonical = sqltree.parse_canonical

    def spy(text: str, dialect: str, *, index: bool = False) -> str:
        seen.append((text, dialect, index))
        return parse_canonical(text, dialect, index=index)

    def spy_view(body: str, dialect: str) -> str:
        seen.append((body, dialect, False))
        return view(body, dialect)

    def spy_mysql(text: str, index: bool = False) -> str:
        seen.append((text, "mysql", index))
        return mysql_canonical(text, index)

    view = canonical_views._canonical_view
    mysql_canonical = mysql_sqltree.parse_mysql_canonical
    monkeypatch.setattr(mysql_sqltree, "parse_mysql_canonical", spy_mysql)
    monkeypatch.setattr(sqltree, "parse_canonical", spy)
    monkeypatch.setattr(canonical_views, "_canonical_view", spy_view)
    monkeypatch.setattr(MEMO, "get", lambda key: None)
    monkeypatch.setattr(MEMO, "put", lambda key, value: None)
    sqlexpr.canonical_sql.cache_clear()
    sqlexpr.canonical_index_sql.cache_clear()
    try:
        for backend, dialect in DIALECTS.items():
            inspect_metadata(kitchen_sink.build(backend), dialect, None)
    finally:
        sqlexpr.canonical_sql.cache_clear()
        sqlexpr.canonical_index_sql.cache_clear()
    return seen


def _read(dialect: str) -> str:
    return sqltree.SQLGLOT_DIALECTS.get(dialect, dialect)


def _printed(tree: Any) -> str:
    return str(tree.sql(dialect="postgres", normalize_functions="upper"))


def test_the_cheaper_canonical_form_is_the_plain_one(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(monkeypatch)
    assert len(corpus) > 40, corpus  # the kitchen sinks' expressions and views were seen
    corpus += _bench_views()
    corpus += [(t, d, False) for t in HARDER for d in ("postgresql", "mysql", "sqlite")]
    corpus += [(t, "postgresql", True) for t in HARDER[13:]]  # as index elements
    compared = 0
    for text, dialect, index in corpus:
        try:
            tree = sqlglot.parse_one(text, read=_read(dialect))
        except (sqlglot.errors.SqlglotError, ValueError):
            continue
        if tree is None:
            continue
        want = _printed(reference(tree.copy(), dialect, index=index))
        got = _printed(sqltree.canonicalize_tree(tree.copy(), dialect, index=index))
        assert got == want, (text, dialect, index)
        compared += 1
    assert compared > 150
