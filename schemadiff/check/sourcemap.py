"""Where the models define a table, column, index or constraint: a file and a line, for CI
annotations that point at the code a difference comes from.

Declarative classes are found through their registries' mappers and located with ``inspect``;
their bodies (and their mixins') are read with ``ast`` to find a column's attribute. Core
``Table("name", ...)`` calls are found in the source of the module that holds them. Sources are
parsed once per file, and only for the tables a report mentions. Anything not in the models (a
table only in the database) falls back to the models' module file, without a line.
"""

from __future__ import annotations

import ast
import inspect
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from schemadiff.settings.usercode import read_source

if TYPE_CHECKING:
    import sqlalchemy as sa

    from schemadiff.ops import Op

_COLUMN_CALLS = ("Column", "mapped_column")
_TABLE_LEVEL = ("table", "table_comment")


@dataclass(frozen=True)
class Location:
    """A place in the models' source; ``line`` None means "this file" (no better place)."""

    file: str
    line: int | None = None

    def relative(self, root: str | Path | None = None) -> str:
        """The file relative to ``root`` (default: the current directory) when it is inside it,
        with forward slashes, as GitHub annotations want it."""
        base = Path(root) if root is not None else Path.cwd()
        try:
            rel = Path(os.path.abspath(self.file)).relative_to(os.path.abspath(base))
        except ValueError:
            return Path(self.file).as_posix()
        return rel.as_posix()


@dataclass(frozen=True)
class _Body:
    """A class body or a ``Table(...)`` call, in a parsed file."""

    file: str
    node: ast.AST


class SourceMap:
    """Finds the source location of the objects of one MetaData (lazily, with caches)."""

    def __init__(self, metadata: sa.MetaData, reference: str | None = None) -> None:
        self.metadata = metadata
        self.reference = reference
        self._mappers: dict[int, list[Any]] | None = None
        self._bodies: dict[int, list[_Body]] = {}

    @property
    def fallback(self) -> Location | None:
        """The models' module file (from the ``metadata`` reference), if it has one."""
        module = _module(self.reference.partition(":")[0]) if self.reference else None
        path = getattr(module, "__file__", None)
        return Location(path) if path else None

    def locate(self, op: Op) -> Location | None:
        """The best place for a change: the column's line, the constraint's or index's name, the
        class or ``Table(...)`` line, else the models' file."""
        table = self.table(op.schema, op.table) if op.table else None
        if table is None:
            return self._enum(op.name) if "enum" in op.kind else self.fallback
        bodies = self.bodies(table)
        if not bodies:
            return self.fallback
        family = _family(op.kind)
        found: Location | None = None
        if family == "column" and op.name:
            found = self.column(table, op.name)
        elif family not in _TABLE_LEVEL and op.name:
            found = _first(_literal_line(body, op.name) for body in bodies)
            if found is None:
                columns = _op_columns(op)
                if len(columns) == 1:
                    found = self.column(table, columns[0])
        return found or _head_line(bodies[0])

    def table(self, schema: str | None, name: str) -> sa.Table | None:
        """The model table, by schema and name (schema None: any schema, if unambiguous)."""
        exact = [t for t in self.metadata.tables.values() if t.name == name and t.schema == schema]
        if exact:
            return exact[0]
        named = [t for t in self.metadata.tables.values() if t.name == name]
        return named[0] if len(named) == 1 and schema is None else None

    def column(self, table: sa.Table, name: str) -> Location | None:
        """The line defining column ``name`` (its attribute, or a ``Column("name")`` call)."""
        if name not in table.c:
            return None
        keys = self._attribute_keys(table, table.c[name])
        for body in self.bodies(table):
            found = _assignment_line(body, keys) or _column_call_line(body, name)
            if found is not None:
                return found
        return None

    def bodies(self, table: sa.Table) -> list[_Body]:
        """The class bodies (class first, then its bases) or the ``Table(...)`` call defining
        ``table``; empty when no source was found."""
        key = id(table)
        if key not in self._bodies:
            mappers = self.mappers().get(key, [])
            found = [b for m in mappers for b in _class_bodies(m.class_)]
            self._bodies[key] = _unique(found) or _table_call_bodies(table, self._modules(mappers))
        return self._bodies[key]

    def mappers(self) -> dict[int, list[Any]]:
        """Mappers per table (by id), the table's own mapper first."""
        if self._mappers is None:
            own = {id(t): t for t in self.metadata.tables.values()}
            out: dict[int, list[Any]] = {}
            for registry in _registries(self.reference):
                for mapper in registry.mappers:
                    table = mapper.local_table
                    if id(table) in own and own[id(table)] is table:
                        out.setdefault(id(table), []).append(mapper)
            for mappers in out.values():
                mappers.sort(key=lambda m: m.inherits is not None)
            self._mappers = out
        return self._mappers

    def _attribute_keys(self, table: sa.Table, column: sa.Column[Any]) -> set[str]:
        keys = {column.key, column.name}
        for mapper in self.mappers().get(id(table), []):
            for prop in mapper.column_attrs:
                if any(c is column for c in prop.columns):
                    keys.add(prop.key)
        return keys

    def _modules(self, mappers: list[Any]) -> list[str]:
        names = [self.reference.partition(":")[0]] if self.reference else []
        names += [m.class_.__module__ for m in mappers]
        return names

    def _enum(self, name: str | None) -> Location | None:
        """A named enum's first column using it, else the models' file."""
        for table in self.metadata.tables.values():
            for column in table.columns:
                if name and getattr(column.type, "name", None) == name:
                    return self.column(table, column.name) or self.fallback
        return self.fallback


def _registries(reference: str | None) -> list[Any]:
    """Every declarative registry: the reference's owner (``Base`` of ``Base.metadata``) plus all
    registries SQLAlchemy knows of."""
    found: list[Any] = []
    if reference and "." in reference.partition(":")[2]:
        module_name, _, attrs = reference.partition(":")
        owner: Any = _module(module_name)
        for part in attrs.split(".")[:-1]:
            owner = getattr(owner, part, None)
        reg = getattr(owner, "registry", None)
        if reg is not None and hasattr(reg, "mappers"):
            found.append(reg)
    try:
        from sqlalchemy.orm.mapper import _all_registries
    except ImportError:  # pragma: no cover - a SQLAlchemy without the helper
        return found
    return found + [r for r in _all_registries() if r not in found]


def _class_bodies(cls: type) -> list[_Body]:
    """The ClassDef of ``cls`` and of its user-defined bases (mixins), in MRO order."""
    out = []
    for klass in cls.__mro__:
        if klass is object or klass.__module__.split(".")[0] in ("sqlalchemy", "typing"):
            continue
        body = _class_body(klass)
        if body is not None:
            out.append(body)
    return out


def _class_body(cls: type) -> _Body | None:
    try:
        file = inspect.getsourcefile(cls)
        _, start = inspect.getsourcelines(cls)
    except (OSError, TypeError):
        return None
    if file is None:
        return None
    tree = _parse(file)
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if first == start:
                return _Body(file, node)
    return None


def _table_call_bodies(table: sa.Table, module_names: list[str]) -> list[_Body]:
    """The ``Table("name", ...)`` call: in the module holding the table, else in the given
    modules."""
    files = [f for f in (_file_of(_holder(table)), *map(_file_of, map(_module, module_names))) if f]
    for file in dict.fromkeys(files):
        tree = _parse(file)
        for node in ast.walk(tree) if tree is not None else ():
            if _is_table_call(node, table):
                return [_Body(file, node)]
    return []


def _is_table_call(node: ast.AST, table: sa.Table) -> bool:
    if not isinstance(node, ast.Call) or not _call_name(node).endswith("Table") or not node.args:
        return False
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and first.value == table.name):
        return False
    schema = next((k.value for k in node.keywords if k.arg == "schema"), None)
    return not isinstance(schema, ast.Constant) or schema.value == table.schema


def _holder(table: sa.Table) -> Any:
    """The loaded module that has ``table`` as a global, if any."""
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None)
        if names is not None and any(v is table for v in list(names.values())):
            return module
    return None


def _assignment_line(body: _Body, keys: set[str]) -> Location | None:
    if not isinstance(body.node, ast.ClassDef):
        return None
    for stmt in body.node.body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign):
            targets = [stmt.target]
        if any(isinstance(t, ast.Name) and t.id in keys for t in targets):
            return Location(body.file, stmt.lineno)
    return None


def _column_call_line(body: _Body, name: str) -> Location | None:
    for node in ast.walk(body.node):
        if isinstance(node, ast.Call) and _call_name(node) in _COLUMN_CALLS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and first.value == name:
                return Location(body.file, node.lineno)
    return None


def _literal_line(body: _Body, name: str) -> Location | None:
    for node in ast.walk(body.node):
        if isinstance(node, ast.Constant) and node.value == name:
            return Location(body.file, node.lineno)
    return None


def _head_line(body: _Body) -> Location:
    return Location(body.file, getattr(body.node, "lineno", None))


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _op_columns(op: Op) -> tuple[str, ...]:
    constraint = getattr(op, "constraint", None)
    if constraint is not None:
        return tuple(getattr(constraint, "columns", ()))
    index = getattr(op, "index", None)
    elements = getattr(index, "elements", ())
    return tuple(e.expr for e in elements if not e.is_expression)


def _family(kind: str) -> str:
    for verb in ("add_", "drop_", "alter_", "create_", "rename_"):
        if kind.startswith(verb):
            return kind[len(verb) :]
    return kind


def _first(items: Iterable[Location | None]) -> Location | None:
    return next((i for i in items if i is not None), None)


def _unique(bodies: list[_Body]) -> list[_Body]:
    """Bodies without repeats (classes sharing a table share their bases)."""
    out: list[_Body] = []
    for body in bodies:
        if all(b.node is not body.node for b in out):
            out.append(body)
    return out


def _module(name: str) -> Any:
    return sys.modules.get(name)


def _file_of(module: Any) -> str | None:
    path = getattr(module, "__file__", None)
    return path if isinstance(path, str) and path.endswith(".py") else None


def _parse(file: str) -> ast.Module | None:
    """The file's syntax tree (cached while the file is unchanged), None if unreadable."""
    try:
        stat = os.stat(file)
    except OSError:
        return None
    return _parse_version(file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _parse_version(file: str, mtime_ns: int, size: int) -> ast.Module | None:
    try:
        return ast.parse(read_source(Path(file)), filename=file)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None
