"""The ``op.*`` calls of a revision's upgrade function(s), found by parsing the file (never
importing it): the one reader behind ``lint``'s rules and ``verify``'s table-clash check.

Calls on ``op`` and on the name bound by ``with op.batch_alter_table(...) as batch_op:`` are
collected in source order, their arguments bound to Alembic's parameter names (as AST nodes: the
callers read literals out of them and treat anything else as unknown). Each caller picks which
functions and which methods it reads (:func:`op_calls`); :func:`read_calls` is lint's view.
Suppression comments (``# schemadiff: ignore[SD102]``) are read with :mod:`tokenize`.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

#: Alembic's leading parameters per operation (``op.`` form; batch form drops the table)
SIGNATURES: dict[str, tuple[str, ...]] = {
    "create_table": ("table_name",),
    "drop_table": ("table_name",),
    "rename_table": ("old_table_name", "new_table_name"),
    "add_column": ("table_name", "column"),
    "drop_column": ("table_name", "column_name"),
    "alter_column": ("table_name", "column_name"),
    "create_index": ("index_name", "table_name", "columns"),
    "drop_index": ("index_name", "table_name"),
    "create_unique_constraint": ("constraint_name", "table_name", "columns"),
    "create_primary_key": ("constraint_name", "table_name", "columns"),
    "create_check_constraint": ("constraint_name", "table_name", "condition"),
    "create_exclude_constraint": ("constraint_name", "table_name"),
    "create_foreign_key": (
        "constraint_name",
        "source_table",
        "referent_table",
        "local_cols",
        "remote_cols",
    ),
    "drop_constraint": ("constraint_name", "table_name", "type_"),
    "create_table_comment": ("table_name", "comment"),
    "drop_table_comment": ("table_name",),
    "bulk_insert": ("table", "rows"),
    "execute": ("sqltext",),
    # alembic_utils' operations (``op.drop_entity(PGMaterializedView(...))``...)
    "drop_entity": ("target",),
    "replace_entity": ("target",),
}
#: the operations lint's rules read (:func:`read_calls` keeps only these)
LINT_METHODS = frozenset(
    {
        "create_table",
        "drop_table",
        "rename_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "create_unique_constraint",
        "create_foreign_key",
        "execute",
        "drop_entity",
        "replace_entity",
    }
)
_TABLE_PARAMS = ("table_name", "source_table")
_IGNORE = re.compile(r"#\s*schemadiff:\s*ignore(?:\[(?P<codes>[^\]]*)\])?", re.IGNORECASE)
ALL = "*"


@dataclass(frozen=True)
class BatchTarget:
    """The table a ``batch_alter_table`` block works on."""

    table: ast.expr | None
    schema: ast.expr | None


@dataclass(frozen=True)
class OpCall:
    """One ``op.<method>(...)`` (or ``batch_op.<method>(...)``) call in ``upgrade()``."""

    method: str
    #: arguments by Alembic parameter name (positional ones bound in order), as AST nodes
    kw: Mapping[str, ast.expr]
    #: positional arguments beyond the named ones (``create_table``'s columns)
    rest: tuple[ast.expr, ...]
    line: int
    end_line: int
    batch: BatchTarget | None = None
    in_autocommit: bool = False

    def arg(self, name: str) -> ast.expr | None:
        """An argument by name; a batch call's table comes from its block."""
        if self.batch is not None and name in _TABLE_PARAMS:
            return self.batch.table
        if self.batch is not None and name in ("schema", "source_schema"):
            return self.batch.schema
        return self.kw.get(name)


@dataclass(frozen=True)
class ScriptCalls:
    """Everything the rules need from one file."""

    calls: tuple[OpCall, ...]
    #: line -> codes ignored there (``*`` for all)
    ignores: Mapping[int, frozenset[str]] = field(default_factory=dict)
    #: lines holding only a comment (a suppression there applies to the next line)
    comment_lines: frozenset[int] = frozenset()
    #: names imported from SQLAlchemy modules: local name -> dotted path
    imports: Mapping[str, str] = field(default_factory=dict)


def read_calls(source: str, filename: str = "<revision>") -> ScriptCalls:
    """Lint's view: the :data:`LINT_METHODS` calls of ``upgrade()`` and ``upgrade_*()``, with
    the file's suppression comments and SQLAlchemy imports."""
    tree = ast.parse(source, filename=filename)
    calls = op_calls(tree, is_upgrade, LINT_METHODS)
    ignores, comments = _comments(source)
    return ScriptCalls(calls, ignores, comments, sqlalchemy_imports(tree))


def op_calls(
    tree: ast.Module,
    function: Callable[[str], bool],
    methods: Collection[str] | None = None,
    *,
    nested_functions: bool = False,
) -> tuple[OpCall, ...]:
    """The calls of ``methods`` (None: every method; one without a known signature has all its
    positional arguments in ``rest``) in the module's top-level functions whose name ``function``
    accepts. Functions defined inside those are read only with ``nested_functions``."""
    walker = _Walker(methods, nested_functions)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and function(node.name):
            for stmt in node.body:
                walker.visit(stmt)
    return tuple(walker.calls)


def string(node: ast.expr | None) -> str | None:
    """A non-empty string literal; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def is_suppressed(script: ScriptCalls, call: OpCall, code: str) -> bool:
    """True when a comment on the call's lines, or alone on the line above, ignores ``code``."""
    lines = list(range(call.line, call.end_line + 1))
    if call.line - 1 in script.comment_lines:
        lines.append(call.line - 1)
    for line in lines:
        codes = script.ignores.get(line, frozenset())
        if ALL in codes or code in codes:
            return True
    return False


def sqlalchemy_imports(tree: ast.Module) -> dict[str, str]:
    """``import sqlalchemy as sa`` -> {"sa": "sqlalchemy"}; ``from sqlalchemy.dialects import
    postgresql`` -> {"postgresql": "sqlalchemy.dialects.postgresql"}; other modules are left out."""
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "sqlalchemy":
                    local = alias.asname or alias.name.split(".")[0]
                    out[local] = alias.name if alias.asname else "sqlalchemy"
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            for alias in node.names:
                if alias.name != "*":
                    out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def is_upgrade(name: str) -> bool:
    """``upgrade`` and the ``upgrade_<engine>`` functions of multi-database templates."""
    return name == "upgrade" or name.startswith("upgrade_")


class _Walker(ast.NodeVisitor):
    """Visits ``upgrade()``'s body, tracking batch blocks and autocommit blocks."""

    def __init__(self, methods: Collection[str] | None, nested_functions: bool) -> None:
        self.methods = methods
        self.nested_functions = nested_functions
        self.calls: list[OpCall] = []
        self.batches: dict[str, BatchTarget] = {}
        self.autocommit = 0

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        """A nested function is not run by ``upgrade()`` itself: looked into only on request."""
        if self.nested_functions:
            self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        saved = dict(self.batches)
        autocommit = 0
        for item in node.items:
            self.visit(item.context_expr)
            expr = item.context_expr
            if _is_method_call(expr, "batch_alter_table") and isinstance(
                item.optional_vars, ast.Name
            ):
                assert isinstance(expr, ast.Call)
                bound = _bind(expr, ("table_name",))
                target = BatchTarget(bound[0].get("table_name"), bound[0].get("schema"))
                self.batches[item.optional_vars.id] = target
            elif _is_method_call(expr, "autocommit_block"):
                autocommit += 1
        self.autocommit += autocommit
        for stmt in node.body:
            self.visit(stmt)
        self.autocommit -= autocommit
        self.batches = saved

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = func.value.id
            batch = self.batches.get(owner)
            wanted = self.methods is None or func.attr in self.methods
            if (owner == "op" or batch is not None) and wanted:
                self.calls.append(self._op_call(node, func.attr, batch))
        self.generic_visit(node)

    def _op_call(self, node: ast.Call, method: str, batch: BatchTarget | None) -> OpCall:
        names = SIGNATURES.get(method, ())
        if batch is not None:
            names = tuple(n for n in names if n not in _TABLE_PARAMS)
        kw, rest = _bind(node, names)
        return OpCall(
            method=method,
            kw=kw,
            rest=rest,
            line=node.lineno,
            end_line=node.end_lineno or node.lineno,
            batch=batch,
            in_autocommit=self.autocommit > 0,
        )


def _is_method_call(node: ast.expr, name: str) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
    )


def _bind(
    node: ast.Call, names: tuple[str, ...]
) -> tuple[dict[str, ast.expr], tuple[ast.expr, ...]]:
    """Positional arguments to ``names`` in order, then keywords by their own name."""
    kw: dict[str, ast.expr] = {}
    rest: list[ast.expr] = []
    for i, arg in enumerate(node.args):
        if isinstance(arg, ast.Starred):
            break  # positions after *args are unknown
        if i < len(names):
            kw[names[i]] = arg
        else:
            rest.append(arg)
    for keyword in node.keywords:
        if keyword.arg is not None:
            kw[keyword.arg] = keyword.value
    return kw, tuple(rest)


def _comments(source: str) -> tuple[dict[int, frozenset[str]], frozenset[int]]:
    """Suppression comments by line, and the lines that hold nothing but a comment."""
    ignores: dict[int, frozenset[str]] = {}
    comment_only: set[int] = set()
    code_lines: set[int] = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return ignores, frozenset()
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            match = _IGNORE.search(tok.string)
            if match:
                ignores[tok.start[0]] = _codes(match["codes"])
            comment_only.add(tok.start[0])
        elif tok.type not in skip:
            code_lines.update(range(tok.start[0], tok.end[0] + 1))
    return ignores, frozenset(comment_only - code_lines)


def _codes(text: str | None) -> frozenset[str]:
    if text is None:
        return frozenset({ALL})
    codes = frozenset(c.strip().upper() for c in text.split(",") if c.strip())
    return codes or frozenset({ALL})
