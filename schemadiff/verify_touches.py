"""Which tables and columns a revision changes, read from its ``upgrade()`` with ``ast``.

``verify`` uses this to find two heads that change the same table or column: merged, their
revisions would run in an order nobody chose. Scripts are parsed, never imported. Table and
column names are read where they are literal strings (``op.add_column("users", sa.Column("phone",
...))``, ``with op.batch_alter_table("users") as batch_op: batch_op.drop_column("phone")``); SQL
passed to ``op.execute`` is read with sqlglot for the tables it names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from schemadiff.usercode import read_source

#: the whole table, not one column of it
TABLE = "*"

#: op name -> (positional index of the table name, positional index of a column name or None)
_TABLE_OPS: dict[str, tuple[int, int | None]] = {
    "create_table": (0, None),
    "drop_table": (0, None),
    "rename_table": (0, None),
    "add_column": (0, None),  # the column is read from the sa.Column(...) argument
    "drop_column": (0, 1),
    "alter_column": (0, 1),
    "create_index": (1, None),
    "drop_index": (1, None),
    "create_unique_constraint": (1, None),
    "create_primary_key": (1, None),
    "create_check_constraint": (1, None),
    "create_foreign_key": (1, None),
    "create_exclude_constraint": (1, None),
    "drop_constraint": (1, None),
    "create_table_comment": (0, None),
    "drop_table_comment": (0, None),
    "bulk_insert": (0, None),
}
_TABLE_KEYWORDS = ("table_name", "source_table", "source", "old_table_name", "table")
_COLUMN_KEYWORDS = ("column_name",)
#: batch_op methods whose first argument is a column name
_BATCH_OPS = ("drop_column", "alter_column")


@dataclass(frozen=True)
class Touch:
    """One table (``column`` is :data:`TABLE` for table-level changes) a revision changes."""

    table: str
    column: str
    line: int

    def describe(self) -> str:
        return f"table {self.table}" if self.column == TABLE else f"{self.table}.{self.column}"


def touches(path: Path) -> tuple[Touch, ...]:
    """The tables and columns ``upgrade()`` of the revision file changes (unreadable: none)."""
    try:
        tree = ast.parse(read_source(path), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return ()  # the chain loader reports unreadable files
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "upgrade":
            return tuple(_dedupe(_walk(node.body, batch={})))
    return ()


def _walk(body: list[ast.stmt], batch: dict[str, tuple[str, int]]) -> Iterator[Touch]:
    for stmt in body:
        if isinstance(stmt, (ast.With, ast.AsyncWith)):
            inner = dict(batch)
            for item in stmt.items:
                yield from _calls(item.context_expr, batch)
                table = _batch_table(item)
                if table is not None and isinstance(item.optional_vars, ast.Name):
                    inner[item.optional_vars.id] = (table, stmt.lineno)
            yield from _walk(stmt.body, inner)
            continue
        for node in ast.walk(stmt):
            if isinstance(node, ast.Call):
                yield from _call(node, batch)


def _calls(expr: ast.expr, batch: dict[str, tuple[str, int]]) -> Iterator[Touch]:
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            yield from _call(node, batch)


def _batch_table(item: ast.withitem) -> str | None:
    call = item.context_expr
    if not (isinstance(call, ast.Call) and _method(call) == ("op", "batch_alter_table")):
        return None
    return _qualified(_arg(call, 0, ("table_name",)), call)


def _call(call: ast.Call, batch: dict[str, tuple[str, int]]) -> Iterator[Touch]:
    owner, name = _method(call)
    if owner in batch and name is not None and name != "batch_alter_table":
        yield Touch(batch[owner][0], _batch_column(call, name) or TABLE, call.lineno)
        return
    if owner != "op" or name is None:
        return
    if name == "execute":
        yield from _sql_tables(call)
        return
    spec = _TABLE_OPS.get(name)
    if spec is None:
        return
    table_index, column_index = spec
    if name == "bulk_insert":
        table = _named(_arg(call, 0, ("table",)))
    else:
        table = _qualified(_arg(call, table_index, _TABLE_KEYWORDS), call)
    if table is None:
        return
    if name == "add_column":
        column = _named(_arg(call, 1, ("column",)))
    elif column_index is not None:
        column = _string(_arg(call, column_index, _COLUMN_KEYWORDS))
    else:
        column = None
    yield Touch(table, column or TABLE, call.lineno)
    if name == "rename_table":
        new = _string(_arg(call, 1, ("new_table_name",)))
        if new is not None:
            yield Touch(_with_schema(new, call), TABLE, call.lineno)


def _batch_column(call: ast.Call, name: str) -> str | None:
    """The column a ``batch_op.<name>(...)`` call changes (None: table-level)."""
    if name == "add_column":
        return _named(_arg(call, 0, ("column",)))
    if name in _BATCH_OPS:
        return _string(_arg(call, 0, _COLUMN_KEYWORDS))
    return None


def _named(node: ast.expr | None) -> str | None:
    """``sa.Column("phone", ...)`` -> "phone"; ``sa.table("users", ...)`` -> "users"."""
    if isinstance(node, ast.Call) and node.args:
        return _string(node.args[0])
    return None


def _sql_tables(call: ast.Call) -> Iterator[Touch]:
    """Tables named in ``op.execute("...")`` SQL (best effort: unparsable SQL names none)."""
    sql = _string(_arg(call, 0, ("sqltext",)))
    if not sql:
        return
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError

    try:
        statements = sqlglot.parse(sql)
    except SqlglotError:
        return
    for statement in statements:
        if statement is None or isinstance(statement, exp.Select):
            continue
        for table in statement.find_all(exp.Table):
            if table.name:
                name = f"{table.db}.{table.name}" if table.db else table.name
                yield Touch(name, TABLE, call.lineno)


def _method(call: ast.Call) -> tuple[str | None, str | None]:
    """``op.add_column(...)`` -> ("op", "add_column"); anything else -> (None, None)."""
    func = call.func
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return func.value.id, func.attr
    return None, None


def _arg(call: ast.Call, index: int, keywords: tuple[str, ...]) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in keywords:
            return kw.value
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[index]
    return None


def _string(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value:
        return node.value
    return None


def _qualified(node: ast.expr | None, call: ast.Call) -> str | None:
    name = _string(node)
    return None if name is None else _with_schema(name, call)


def _with_schema(name: str, call: ast.Call) -> str:
    for kw in call.keywords:
        if kw.arg in ("schema", "source_schema"):
            schema = _string(kw.value)
            if schema:
                return f"{schema}.{name}"
    return name


def _dedupe(found: Iterator[Touch]) -> Iterator[Touch]:
    seen: set[tuple[str, str]] = set()
    for touch in found:
        key = (touch.table, touch.column)
        if key not in seen:
            seen.add(key)
            yield touch
