"""Keeping triggers and views through a SQLite table rebuild, in the revision script itself.

Alembic's batch mode rebuilds a table by copy, ``DROP TABLE``, ``ALTER TABLE ... RENAME``. The
drop takes the table's triggers with it, and the rename fails ("error in view v: no such table")
while a view or another table's trigger reads the table. As SQLite's documentation recommends,
the script drops those views and triggers first and creates them again after the rebuild.

Scripts run under plain ``alembic upgrade`` too, so they cannot import schemadiff: the functions
below (from :data:`HELPER_FUNCTIONS`) are copied into every script with a rebuild, and schemadiff
uses :func:`sqlite_dependents` itself to list, at generation time, what ``--sql`` recreates.
Online, the script reads ``sqlite_master`` when it runs (the database may have changed since).
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # a script's own ``from alembic import op`` (the copies run only there)
    from alembic import op

#: name of the context manager the scripts call
KEEPER = "keep_triggers_and_views"
#: the imports the copied functions need (besides ``from alembic import op``)
HELPER_IMPORTS = frozenset({"import contextlib", "import re"})


def sqlite_dependents(table: str, objects: Sequence[Sequence[Any]]) -> list[tuple[str, str, str]]:
    """(type, name, sql) of the views and triggers a rebuild of ``table`` must drop and create
    again, views first, each kind in creation order. ``objects`` are sqlite_master's (type,
    name, tbl_name, sql) rows of views and triggers, in creation order. Views that read the
    table, or read such a view; triggers on any of them, or that read any of them. A name is
    matched as a word of the SQL text: a view that merely mentions it is kept needlessly, never
    missed."""
    names = {table.lower()}
    views: set[str] = set()
    grown = True
    while grown:
        grown = False
        for kind, name, _, sql in objects:
            if kind == "view" and name.lower() not in names and _mentions(sql or "", names):
                names.add(name.lower())
                views.add(name)
                grown = True
    out = [(str(k), str(n), str(s)) for k, n, _, s in objects if k == "view" and n in views]
    out += [
        (str(k), str(n), str(s))
        for k, n, on, s in objects
        if k == "trigger" and s and (str(on).lower() in names or _mentions(s, names))
    ]
    return out


def _mentions(sql: str, names: set[str]) -> bool:
    """Whether ``sql`` uses one of ``names`` as a word (quoted or not, any letter case)."""
    return any(
        re.search(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", sql, re.IGNORECASE)
        for name in names
    )


@contextlib.contextmanager
def keep_triggers_and_views(
    table: str, written: Sequence[tuple[str, str, str]] = ()
) -> Iterator[None]:
    """Around a rebuild of ``table``: drop the triggers and views it would lose or break,
    create them again after it, and fail if a view no longer works. Online they are read from
    sqlite_master, in one transaction with the rebuild (nothing is lost if it fails); with
    ``--sql`` the database cannot be read, so ``written`` (as the database had them when the
    revision was written) are dropped and created again."""
    context = op.get_context()
    if context.as_sql:
        for kind, name, _ in reversed(written):
            context.impl.static_output(f"DROP {kind.upper()} {_quoted(name)};")
        yield
        for _, _, sql in written:
            context.impl.static_output(sql.strip().rstrip(";") + ";")
        return
    conn = op.get_bind()
    began = not getattr(conn.connection.dbapi_connection, "in_transaction", True)
    if began:  # DDL would otherwise commit one statement at a time
        conn.exec_driver_sql("BEGIN")
    rows = conn.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master"
        " WHERE type IN ('view', 'trigger') ORDER BY rowid"
    ).all()
    kept = sqlite_dependents(table, rows)
    working = [n for k, n, _ in kept if k == "view" and _view_error(conn, n) is None]
    for kind, name, _ in reversed(kept):  # a view's own triggers go before it
        conn.exec_driver_sql(f"DROP {kind.upper()} IF EXISTS {_quoted(name)}")
    yield
    for _, _, sql in kept:
        conn.exec_driver_sql(sql)
    for name in working:
        error = _view_error(conn, name)
        if error is not None:
            raise RuntimeError(
                f"the rebuild of table {table} breaks view {name} ({error}); drop or change "
                "the view in this revision before the rebuild"
            )
    if began:
        conn.exec_driver_sql("COMMIT")


def _view_error(conn: Any, name: str) -> str | None:
    """SQLite's error compiling a query of view ``name`` (None: it compiles)."""
    try:
        conn.exec_driver_sql(f"SELECT * FROM {_quoted(name)} LIMIT 0").all()
    except Exception as exc:  # noqa: BLE001 - any error means the view does not work
        return str(getattr(exc, "orig", exc))
    return None


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: the functions copied into scripts, in order
_COPIED = (sqlite_dependents, _mentions, keep_triggers_and_views, _view_error, _quoted)


@lru_cache(maxsize=1)
def helper_source() -> str:
    """The source of the functions scripts carry, without type annotations (a script imports
    none of the names they use) and comments."""
    functions = "\n\n\n".join(ast.unparse(_unannotated(inspect.getsource(fn))) for fn in _COPIED)
    return f"{_HEADER}\n{functions}"


_HEADER = (
    "# Keeping SQLite triggers and views through table rebuilds (written by schemadiff;\n"
    "# needs only Alembic)."
)


def _unannotated(source: str) -> ast.Module:
    tree = _Unannotate().visit(ast.parse(source))
    return ast.fix_missing_locations(tree)


class _Unannotate(ast.NodeTransformer):
    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.returns = None
        for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
            arg.annotation = None
        self.generic_visit(node)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.stmt:
        if node.value is None or not isinstance(node.target, ast.Name):
            raise ValueError("a copied function declares a name without a value")
        return ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno)
