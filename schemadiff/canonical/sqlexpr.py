"""Canonical SQL text for expressions, so that equal expressions compare equal across sources.

Check constraints, server defaults, index expressions, partial-index predicates and computed
columns come back from catalogs in each backend's own spelling (``((age >= 0))``,
`` `age` >= 0 ``, ``(status = ANY (ARRAY['a'::text]))``). We parse the text with sqlglot in the
source dialect and canonicalize the tree: redundant parentheses go, identifiers are unquoted and
lower-cased where the backend folds them, casts that catalogs add to literals and column references
are unwrapped, ``x = ANY (ARRAY[...])`` reads as ``x IN (...)``, and function spellings are unified
(``now()`` and ``current_timestamp()`` are ``CURRENT_TIMESTAMP``). What sqlglot cannot parse falls
back to whitespace- and case-folded text, which is still exact for identical spellings.
"""

from __future__ import annotations

from functools import lru_cache

from schemadiff.canonical.memo import MEMO


@lru_cache(maxsize=65536)
def canonical_sql(text: str, dialect: str) -> str:
    """Return the canonical form of the SQL expression ``text`` written in ``dialect``.

    Remembered between runs (:mod:`schemadiff.canonical.memo`): sqlglot is imported and the text
    parsed only for expressions no earlier run has seen.
    """
    text = text.strip()
    if not text:
        return text
    key = ("sql", dialect, text)
    found = MEMO.get(key)
    if found is None:
        from schemadiff.canonical.sqltree import parse_canonical

        found = parse_canonical(text, dialect)
        MEMO.put(key, found)
    return found


@lru_cache(maxsize=65536)
def canonical_index_sql(text: str, dialect: str) -> str:
    """Like :func:`canonical_sql`, for an index element: its outer casts are kept (an index
    over ``CAST(x AS TEXT)`` is not an index over ``x``)."""
    text = text.strip()
    if not text:
        return text
    key = ("index", dialect, text)
    found = MEMO.get(key)
    if found is None:
        from schemadiff.canonical.sqltree import parse_canonical

        found = parse_canonical(text, dialect, index=True)
        MEMO.put(key, found)
    return found


def literal_string(value: str) -> str:
    """Canonical form of a string literal (the way server defaults given as strings compare)."""
    return "'" + value.replace("'", "''") + "'"
