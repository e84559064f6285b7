"""Column types written in a revision (``sa.String(length=50)``), evaluated without running the
script: only SQLAlchemy type constructors, literal arguments and nested types are allowed, looked
up in SQLAlchemy's own modules. Anything else (a user's ``TypeDecorator``, a variable) is unknown,
and rules that need the type then stay quiet rather than guess.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultDialect

from schemadiff.backends.registry import rules_for

#: names a script may use without importing them explicitly (the usual template imports)
DEFAULT_NAMES: dict[str, str] = {
    "sa": "sqlalchemy",
    "sqlalchemy": "sqlalchemy",
    "postgresql": "sqlalchemy.dialects.postgresql",
    "mysql": "sqlalchemy.dialects.mysql",
    "sqlite": "sqlalchemy.dialects.sqlite",
}
_DIALECTS: dict[str | None, Dialect] = {}


class _Unknown(Exception):
    """The expression is not something we evaluate."""


@dataclass(frozen=True)
class TypeInfo:
    """A type from a script: its canonical SQL for the backend, and enum details if it is one."""

    sql: str | None
    enum_name: str | None = None
    enum_schema: str | None = None
    enum_values: tuple[str, ...] | None = None


def evaluate_type(
    node: ast.expr | None, imports: Mapping[str, str], dialect: str | None
) -> TypeInfo | None:
    """The type an expression builds, or None when it is not a plain SQLAlchemy type."""
    if node is None:
        return None
    try:
        value = _eval(node, imports)
    except _Unknown:
        return None
    if isinstance(value, type) and issubclass(value, sa.types.TypeEngine):
        try:
            value = value()
        except Exception:  # noqa: BLE001 - a constructor needing arguments: unknown
            return None
    if not isinstance(value, sa.types.TypeEngine):
        return None
    return _info(value, dialect)


def _info(value: sa.types.TypeEngine, dialect: str | None) -> TypeInfo:
    sql = canonical_sql(value, dialect)
    if isinstance(value, sa.Enum) and value.enum_class is None:
        return TypeInfo(sql, value.name, value.schema, tuple(value.enums))
    return TypeInfo(sql)


def canonical_sql(value: sa.types.TypeEngine, dialect: str | None) -> str | None:
    """Canonical type text, compiled for ``dialect`` (a generic SQL dialect when unknown)."""
    try:
        return rules_for(dialect or "default").metadata_type(value, _dialect(dialect)).sql
    except Exception:  # noqa: BLE001 - a type this backend cannot compile: unknown
        return None


def _dialect(name: str | None) -> Dialect:
    if name not in _DIALECTS:
        if name is None:
            _DIALECTS[name] = DefaultDialect()
        else:
            _DIALECTS[name] = sa.dialects.registry.load(name)()
    return _DIALECTS[name]


def _eval(node: ast.expr, imports: Mapping[str, str]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        value = _eval(node.operand, imports)
        if isinstance(value, int | float):
            return -value
        raise _Unknown
    if isinstance(node, ast.List | ast.Tuple):
        items = [_eval(item, imports) for item in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Name):
        path = imports.get(node.id) or DEFAULT_NAMES.get(node.id)
        if path is None:
            raise _Unknown
        return _checked(_resolve(path))
    if isinstance(node, ast.Attribute):
        owner = _eval(node.value, imports)
        if not isinstance(owner, ModuleType) or node.attr.startswith("_"):
            raise _Unknown
        return _checked(_attribute(owner, node.attr))
    if isinstance(node, ast.Call):
        return _call(node, imports)
    raise _Unknown


def _call(node: ast.Call, imports: Mapping[str, str]) -> Any:
    func = _eval(node.func, imports)
    if not (isinstance(func, type) and issubclass(func, sa.types.TypeEngine)):
        raise _Unknown
    if any(isinstance(a, ast.Starred) for a in node.args) or any(
        k.arg is None for k in node.keywords
    ):
        raise _Unknown
    args = [_eval(a, imports) for a in node.args]
    kwargs = {str(k.arg): _eval(k.value, imports) for k in node.keywords}
    try:
        return func(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - wrong arguments: unknown, not our error to raise
        raise _Unknown from exc


def _checked(value: Any) -> Any:
    """Only SQLAlchemy modules and type classes may come out of a name lookup."""
    if isinstance(value, ModuleType) and value.__name__.split(".")[0] == "sqlalchemy":
        return value
    if isinstance(value, type) and issubclass(value, sa.types.TypeEngine):
        return value
    raise _Unknown


def _resolve(path: str) -> Any:
    """``sqlalchemy.dialects.postgresql.ENUM`` -> the object (importing modules as needed)."""
    if path.split(".")[0] != "sqlalchemy":
        raise _Unknown
    parts = path.split(".")
    obj: Any = importlib.import_module(parts[0])
    for part in parts[1:]:
        obj = _attribute(obj, part)
    return obj


def _attribute(module: Any, name: str) -> Any:
    if hasattr(module, name):
        return getattr(module, name)
    if isinstance(module, ModuleType):
        try:
            return importlib.import_module(f"{module.__name__}.{name}")
        except ImportError as exc:
            raise _Unknown from exc
    raise _Unknown
