"""DDL the models run through ``event.listen`` (``after_create`` of a table or the MetaData):
SQLAlchemy runs it inside ``create_all``, but what it builds (a trigger, a view, a grant) is
opaque text or code, so it is listed as not compared, never assumed to be there.

SQLAlchemy's own listeners (an ``Enum`` creating its type, a ``Sequence``) are not the user's
declarations and are skipped, and so is ``CREATE SCHEMA`` DDL (see :func:`_creates_schema`), and
so are sqlalchemy-declarative-extensions' listeners (``register_sqlalchemy_events``) that build
the views, functions, procedures, triggers and schemas its declarations hold (compared: see
:mod:`schemadiff.objects.declarative_extensions`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.ddl import ExecutableDDLElement

from schemadiff.objects.declarative_extensions import builds_compared_declext

#: the events ``create_all`` / ``drop_all`` fire around a table or the whole MetaData
EVENTS = ("before_create", "after_create", "before_drop", "after_drop")


def listener_notes(metadata: sa.MetaData, tables: list[sa.Table], dialect: str) -> Iterator[str]:
    """One line per user listener that ``create_all`` would run on ``dialect``, the MetaData's
    first, then each table's in ``tables`` order."""
    for event in EVENTS:
        for listener in _user_listeners(metadata, event, dialect):
            yield f"{_describe(listener)} run at {event} of the MetaData (event.listen){_WHY}"
    for table in tables:
        for event in EVENTS:
            for listener in _user_listeners(table, event, dialect):
                yield (
                    f"{_describe(listener)} run at {event} of table {table.fullname} "
                    f"(event.listen){_WHY}"
                )


_WHY = ": schemadiff cannot see what it builds"


def _user_listeners(target: sa.MetaData | sa.Table, event: str, dialect: str) -> Iterator[Any]:
    for listener in getattr(target.dispatch, event):
        if isinstance(listener, ExecutableDDLElement):
            if _runs_on(listener, dialect) and not _creates_schema(listener):
                yield listener
        elif not _from_sqlalchemy(listener) and not builds_compared_declext(listener):
            yield listener


def _creates_schema(ddl: ExecutableDDLElement) -> bool:
    """``CREATE SCHEMA [IF NOT EXISTS] x`` before ``create_all``, a common habit: the schemas
    the tables live in are compared (or their tables are), so it is not listed."""
    return bool(_CREATE_SCHEMA.match(str(getattr(ddl, "statement", ""))))


_CREATE_SCHEMA = re.compile(r"\s*CREATE\s+SCHEMA\b[^;]*;?\s*$", re.IGNORECASE)


def _runs_on(ddl: ExecutableDDLElement, dialect: str) -> bool:
    """False for ``.execute_if(dialect=...)`` naming other backends (``create_all`` skips it
    there); a ``callable_`` condition cannot be decided offline, so the DDL is listed."""
    condition = getattr(ddl, "_ddl_if", None)
    wanted = getattr(condition, "dialect", None)
    if not wanted:
        return True
    names = (wanted,) if isinstance(wanted, str) else tuple(wanted)
    return dialect in names


def _from_sqlalchemy(listener: Any) -> bool:
    """A listener SQLAlchemy registered itself (``SchemaType._on_table_create`` and the like,
    often wrapped in ``functools.partial``)."""
    while isinstance(listener, functools.partial):
        listener = listener.func
    owner = getattr(listener, "__self__", None)
    module = type(owner).__module__ if owner is not None else getattr(listener, "__module__", "")
    return str(module or "").startswith("sqlalchemy.")


def _describe(listener: Any) -> str:
    if isinstance(listener, ExecutableDDLElement):
        text = " ".join(str(getattr(listener, "statement", listener)).split())
        if len(text) > 60:
            text = text[:57] + "..."
        return f"DDL {text!r}"
    while isinstance(listener, functools.partial):
        listener = listener.func
    name = getattr(listener, "__qualname__", None) or type(listener).__name__
    module = getattr(listener, "__module__", None)
    return f"function {module}.{name}" if module else f"function {name}"
