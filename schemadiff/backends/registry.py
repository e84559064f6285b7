"""Dialect rules registry: one module per backend, looked up by SQLAlchemy dialect name."""

from __future__ import annotations

from importlib import import_module

from schemadiff.backends.base import DialectRules

#: SQLAlchemy dialect name -> "module:class" of its rules (imported on first use, so that start-up
#: stays cheap).
_REGISTRY: dict[str, str] = {
    "postgresql": "schemadiff.backends.postgresql.rules:PostgresqlRules",
    "mysql": "schemadiff.backends.mysql.rules:MysqlRules",
    "mariadb": "schemadiff.backends.mysql.rules:MysqlRules",
    "sqlite": "schemadiff.backends.sqlite.rules:SqliteRules",
}
_CACHE: dict[str, DialectRules] = {}


def rules_for(dialect_name: str) -> DialectRules:
    """The rules for a backend; the generic base rules for a backend we have no module for."""
    if dialect_name not in _CACHE:
        target = _REGISTRY.get(dialect_name)
        if target is None:
            _CACHE[dialect_name] = DialectRules()
        else:
            module, _, cls = target.partition(":")
            _CACHE[dialect_name] = getattr(import_module(module), cls)()
    return _CACHE[dialect_name]


def supported_dialects() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))
