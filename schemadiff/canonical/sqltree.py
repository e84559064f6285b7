"""The sqlglot side of :mod:`schemadiff.canonical.sqlexpr`: parse an expression in its source
dialect and rewrite the tree into one canonical spelling (see that module for what "canonical"
means).

Kept apart so that a run whose expressions are all in the persistent memo
(:mod:`schemadiff.canonical.memo`) never imports sqlglot (about 50-90 ms).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

#: schemadiff dialect name -> sqlglot dialect name
SQLGLOT_DIALECTS = {
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
}

_WS = re.compile(r"\s+")


def _warm_up() -> None:
    """Load every dialect this module reads and writes, and build the generator's dispatch,
    once, while the import lock holds other threads off. sqlglot loads both lazily, and two
    threads doing it at once (the database and the models are read in parallel) could leave the
    generator without its handler for some expressions: ``CURRENT_TIMESTAMP`` came out as
    ``CURRENT_TIMESTAMP()`` about one run in ten, a false difference."""
    for read in sorted(set(SQLGLOT_DIALECTS.values())):
        sqlglot.parse_one("CURRENT_TIMESTAMP", read=read).sql(
            dialect="postgres", normalize_functions="upper"
        )


def parse_canonical(text: str, dialect: str, *, index: bool = False) -> str:
    """The canonical form of the (stripped, non-empty) SQL expression ``text`` in ``dialect``;
    ``index``: an index element (see :func:`canonicalize_tree`)."""
    read = SQLGLOT_DIALECTS.get(dialect, dialect)
    try:
        tree = sqlglot.parse_one(text, read=read)
    except (SqlglotError, ValueError, RecursionError):
        return _fallback(text)
    if tree is None:
        return _fallback(text)
    tree = canonicalize_tree(tree, dialect, index=index)  # type: ignore[arg-type]
    try:
        return tree.sql(dialect="postgres", copy=False, normalize_functions="upper")  # ours
    except (SqlglotError, ValueError):  # pragma: no cover - sqlglot could not print its own tree
        return _fallback(text)


def canonicalize_tree(tree: exp.Expression, dialect: str, *, index: bool = False) -> exp.Expression:
    """Apply the canonicalizing rewrites to a parsed expression tree.

    ``index``: the tree is an index element. Its outer casts are what is indexed
    (``CAST(x AS TEXT)`` is not the column ``x``, ``z::text::integer`` not ``z::integer``):
    they are kept, while the casts catalogs add inside (``lower((x)::text)``) still go. A
    quoted number cast to a number type is that number (PostgreSQL shows ``-1`` as
    ``'-1'::integer``).
    """
    casts: list[exp.Expression] = []
    if index:
        tree = tree.transform(_quoted_number, copy=True)
        tree, casts = _outer_casts(tree)
    tree = _rewrite_all(tree, dialect)
    for to in reversed(casts):
        tree = exp.Cast(this=tree, to=to)
    return tree


def _outer_casts(tree: exp.Expression) -> tuple[exp.Expression, list[exp.Expression]]:
    """The operand under the element's outer casts, and their target types (outermost first)."""
    casts = []
    node = _unparen(tree)
    while isinstance(node, (exp.Cast, exp.TryCast)):
        casts.append(node.args["to"].copy())
        node = _unparen(node.this)
    return node, casts


def _unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


def _quoted_number(node: exp.Expression) -> exp.Expression:
    """``'-1'::integer`` -> ``-1`` (see :func:`_number_cast`)."""
    if isinstance(node, exp.Cast):
        return _number_cast(node) or node
    return node


def _rewrite_all(tree: exp.Expression, dialect: str) -> exp.Expression:
    """Rewrite passes until one leaves the printed tree as it was (at most 8: rewrites can
    expose new rewrites, a paren around a cast around a column), then parenthesize.

    A pass that replaced no node left the tree as it was, so it ends the loop without printing
    it; only a pass that replaced something prints the tree before and after it. The first pass
    works on a copy (the caller's tree stays as it was, and is there to print); later ones
    change that copy in place, the print after one pass being the print before the next.
    Printing and copying were most of the cost of a view's canonical form: this stops at the
    same pass, with the same tree, as printing before and after every pass of a copy did."""
    fold_case = dialect != "postgresql_exact"
    before: str | None = None
    replaced = False

    def rewrite(node: exp.Expression) -> exp.Expression:
        nonlocal replaced
        out = _rewrite(node, fold_case)
        if out is not node:
            replaced = True
        return out

    for done in range(8):  # after the first pass, ``before`` is the print of ``tree``
        replaced = False
        after = tree.transform(rewrite, copy=not done)
        if not replaced:
            tree = after
            break
        if before is None:  # the first pass: ``tree`` is the caller's, unchanged
            before = tree.sql()
        printed = after.sql()
        tree = after
        if printed == before:
            break
        before = printed
    return _parenthesize(tree, copy=False)  # ``tree`` is a copy made above: ours to change


#: the arguments of an identifier that is written as it is canonical
_PLAIN = frozenset({"this", "quoted"})

_OPERATORS = (exp.Binary, exp.Not, exp.Neg, exp.Is, exp.In, exp.Between, exp.Like, exp.ILike)


def _parenthesize(tree: exp.Expression, *, copy: bool = True) -> exp.Expression:
    """Put explicit parentheses around every operator nested in another operator.

    After all source parentheses are stripped, this gives one unambiguous spelling per tree:
    ``(a + b) * c`` and ``a + (b * c)`` stay different, ``((x))`` and ``x`` become the same.
    ``copy`` False: ``tree`` is changed in place (the caller's own copy).
    """

    def visit(node: exp.Expression) -> None:
        for child in list(node.iter_expressions()):
            visit(child)
            if isinstance(child, _OPERATORS) and isinstance(node, _OPERATORS):
                paren = exp.Paren()
                child.replace(paren)
                paren.set("this", child)

    root = tree.copy() if copy else tree
    visit(root)
    return root


def _rewrite(node: exp.Expression, fold_case: bool) -> exp.Expression:
    if isinstance(node, exp.Paren):
        return node.this
    if isinstance(node, (exp.Cast, exp.TryCast)):
        number = _number_cast(node)
        if number is not None:
            return number
        if _is_unwrappable(node.this):
            return node.this
    if isinstance(node, exp.Literal) and not node.is_string and "e" in str(node.this).lower():
        return _plain_number(node)
    if isinstance(node, exp.Between) and not node.args.get("symmetric"):
        return _between(node)
    if isinstance(node, exp.Not):
        inner = _unparen(node.this)
        if isinstance(inner, exp.Between) and not inner.args.get("symmetric"):
            return _not_between(inner)
    if isinstance(node, exp.Identifier):
        name = node.this
        folded = name.lower() if fold_case else name
        if folded == name and not node.args.get("quoted") and node.args.keys() <= _PLAIN:
            return node  # already so: no new node (a pass that replaces nothing ends the loop)
        return exp.Identifier(this=folded, quoted=False)
    if isinstance(node, exp.EQ) and isinstance(node.expression, exp.Any):
        return _any_to_in(node) or node
    if isinstance(node, exp.NEQ) and _is_all(node.expression):
        arg = node.expression
        inner = arg.expressions[0] if isinstance(arg, exp.Anonymous) else arg.this
        in_expr = _any_to_in(exp.EQ(this=node.this, expression=exp.Any(this=inner)))
        return exp.Not(this=in_expr) if in_expr is not None else node
    if isinstance(node, exp.Anonymous) and str(node.this).lower() in ("now", "current_timestamp"):
        if not node.expressions:
            return exp.CurrentTimestamp()
    return node


def _plain_number(node: exp.Literal) -> exp.Expression:
    """``1e3`` is the number 1000 (PostgreSQL stores and shows it so)."""
    try:
        return exp.Literal.number(format(Decimal(str(node.this)), "f"))
    except InvalidOperation:
        return node


def _between(node: exp.Between) -> exp.Expression:
    """``x BETWEEN a AND b`` is ``x >= a AND x <= b`` (PostgreSQL stores it so)."""
    this, low, high = node.this, node.args["low"], node.args["high"]
    return exp.And(
        this=exp.GTE(this=this.copy(), expression=low.copy()),
        expression=exp.LTE(this=this.copy(), expression=high.copy()),
    )


def _not_between(node: exp.Between) -> exp.Expression:
    """``x NOT BETWEEN a AND b`` is ``x < a OR x > b``."""
    this, low, high = node.this, node.args["low"], node.args["high"]
    return exp.Or(
        this=exp.LT(this=this.copy(), expression=low.copy()),
        expression=exp.GT(this=this.copy(), expression=high.copy()),
    )


_NUMBER = re.compile(r"^\s*([+-]?)\s*((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*$")


def _number_cast(node: exp.Cast) -> exp.Expression | None:
    """``'-1'::integer`` (how PostgreSQL shows the literal ``-1`` in a check or default) is the
    number -1, spelled the way the parser reads ``-1``: a number cast to a number type is that
    number, whatever the spelling."""
    inner = node.this
    if not (isinstance(inner, exp.Literal) and inner.is_string):
        return None
    if not node.to.is_type(*exp.DataType.NUMERIC_TYPES):
        return None
    match = _NUMBER.match(inner.this)
    if match is None:
        return None
    sign, digits = match.groups()
    number = exp.Literal.number(digits)
    return exp.Neg(this=number) if sign == "-" else number


def _is_all(node: exp.Expression) -> bool:
    if isinstance(node, exp.All):
        return True
    return (
        isinstance(node, exp.Anonymous)
        and str(node.this).upper() == "ALL"
        and len(node.expressions) == 1
    )


def _is_unwrappable(inner: exp.Expression) -> bool:
    """Casts catalogs add around literals, columns and arrays of literals (never semantic)."""
    inner = _unparen(inner)
    if isinstance(inner, (exp.Literal, exp.Column, exp.Null, exp.Boolean)):
        return True
    if isinstance(inner, (exp.Cast, exp.TryCast)):
        return _is_unwrappable(inner.this)
    if isinstance(inner, exp.Array):
        return all(_is_unwrappable(e) for e in inner.expressions)
    return False


def _any_to_in(node: exp.EQ) -> exp.Expression | None:
    """``x = ANY (ARRAY[a, b])`` -> ``x IN (a, b)``."""
    target = node.expression.this
    while isinstance(target, (exp.Paren, exp.Cast)):
        target = target.this
    if not isinstance(target, exp.Array):
        return None
    items = [_strip_casts(e) for e in target.expressions]
    return exp.In(this=node.this, expressions=items)


def _strip_casts(node: exp.Expression) -> exp.Expression:
    while isinstance(node, (exp.Cast, exp.TryCast, exp.Paren)):
        node = node.this
    return node


def _fallback(text: str) -> str:
    return _WS.sub(" ", text).strip().lower()


_warm_up()
