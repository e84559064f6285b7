"""Which tables and columns a revision changes, read from its ``upgrade()`` with ``ast``.

``verify`` uses this to find two heads that change the same table or column: merged, their
revisions would run in an order nobody chose. Scripts are parsed, never imported; the ``op.*``
calls come from the reader lint uses too (:mod:`schemadiff.chain.calls`), here for ``upgrade()``
only, every method, functions defined inside it included. Table and column names are read where
they are literal strings (``op.add_column("users", sa.Column("phone", ...))``, ``with
op.batch_alter_table("users") as batch_op: batch_op.drop_column("phone")``); SQL passed to
``op.execute`` is read with sqlglot for the tables it names.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from schemadiff.chain.calls import BatchTarget, OpCall, op_calls, string
from schemadiff.settings.usercode import read_source

#: the whole table, not one column of it
TABLE = "*"

#: the ``op.`` operations that change a table (``execute`` is read as SQL)
_TABLE_OPS = frozenset(
    {
        "create_table",
        "drop_table",
        "rename_table",
        "add_column",
        "drop_column",
        "alter_column",
        "create_index",
        "drop_index",
        "create_unique_constraint",
        "create_primary_key",
        "create_check_constraint",
        "create_foreign_key",
        "create_exclude_constraint",
        "drop_constraint",
        "create_table_comment",
        "drop_table_comment",
        "bulk_insert",
    }
)
#: parameter names that may hold the table, first found wins
_TABLE_PARAMS = ("table_name", "source_table", "source", "old_table_name", "table")
#: operations whose ``column_name`` is the column they change
_COLUMN_OPS = ("drop_column", "alter_column")


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
    return tuple(_dedupe(touches_of(upgrade_calls(tree))))


def upgrade_calls(tree: ast.Module) -> tuple[OpCall, ...]:
    """Every ``op.*`` and ``batch_op.*`` call of ``upgrade()``, nested functions included."""
    return op_calls(tree, lambda name: name == "upgrade", nested_functions=True)


def touches_of(calls: Iterable[OpCall]) -> Iterator[Touch]:
    """The tables and columns the calls change, in call order (repeats kept)."""
    for call in calls:
        if call.batch is not None:
            yield from _batch_touch(call, call.batch)
        elif call.method == "execute":
            yield from _sql_tables(call)
        elif call.method in _TABLE_OPS:
            yield from _op_touches(call)


def _batch_touch(call: OpCall, batch: BatchTarget) -> Iterator[Touch]:
    """Any ``batch_op.<method>(...)`` changes the block's table (a literal name only)."""
    table = string(batch.table)
    if table is None or call.method == "batch_alter_table":
        return
    yield Touch(_with_schema(table, string(batch.schema)), _column(call) or TABLE, call.line)


def _op_touches(call: OpCall) -> Iterator[Touch]:
    schema = string(call.kw.get("schema")) or string(call.kw.get("source_schema"))
    if call.method == "bulk_insert":
        table = _named(call.kw.get("table"))  # sa.table("name", ...): its schema is not read
    else:
        table = next((t for t in map(string, map(call.kw.get, _TABLE_PARAMS)) if t), None)
        table = None if table is None else _with_schema(table, schema)
    if table is None:
        return
    yield Touch(table, _column(call) or TABLE, call.line)
    new = string(call.kw.get("new_table_name")) if call.method == "rename_table" else None
    if new is not None:
        yield Touch(_with_schema(new, schema), TABLE, call.line)


def _column(call: OpCall) -> str | None:
    """The column a call changes (None: table-level)."""
    if call.method == "add_column":
        return _named(call.kw.get("column"))
    if call.method in _COLUMN_OPS:
        return string(call.kw.get("column_name"))
    return None


def _named(node: ast.expr | None) -> str | None:
    """``sa.Column("phone", ...)`` -> "phone"; ``sa.table("users", ...)`` -> "users"."""
    if isinstance(node, ast.Call) and node.args:
        return string(node.args[0])
    return None


def _sql_tables(call: OpCall) -> Iterator[Touch]:
    """Tables named in ``op.execute("...")`` SQL (best effort: unparsable SQL names none)."""
    sql = string(call.kw.get("sqltext"))
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
                yield Touch(name, TABLE, call.line)


def _with_schema(name: str, schema: str | None) -> str:
    return f"{schema}.{name}" if schema else name


def _dedupe(found: Iterator[Touch]) -> Iterator[Touch]:
    seen: set[tuple[str, str]] = set()
    for touch in found:
        key = (touch.table, touch.column)
        if key not in seen:
            seen.add(key)
            yield touch
