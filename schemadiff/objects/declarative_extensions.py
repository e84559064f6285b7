"""sqlalchemy-declarative-extensions' declarations (``declare_database(metadata, views=...,
functions=..., procedures=..., triggers=..., schemas=..., roles=..., grants=..., rows=...)``,
``register_view`` / ``@view``, ``register_function``, ``register_procedure``,
``register_trigger``) read as ours.

That library keeps its declarations in ``metadata.info`` under the field names of
``declare_database`` (``"views"``, ``"functions"``...), each a collection (``Views``,
``Functions``...) with its own options. :func:`attach_declarative_extensions` converts each kind
with its entry of :data:`DECLEXT_CONVERTERS` into our declarations (:class:`View`,
:class:`MaterializedView`, :class:`Function`, :class:`Procedure`, :class:`Trigger`, schema
names, :class:`Role`, :class:`Grant`) on the same MetaData, marked as converted so that a
second call replaces them. Kinds we do not compare (rows, databases) become one "not compared"
note each.

The library's options that change what is compared are kept as :class:`LeftAlone` rules:
``ignore_unspecified=True`` leaves the database's objects of the kind that the models do not
declare alone, ``ignore=[globs]`` those the globs match, ``include=[globs]`` (functions,
triggers) those no glob matches; they are listed as not compared, never dropped. A declared
object is always compared.

The library stays optional: nothing here imports it; its objects are recognised by the module
their class comes from and by their fields.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from schemadiff.objects.functions import FUNCTIONS_KEY, Function, Procedure
from schemadiff.objects.grants import ACCESS_NOTES_KEY, GRANTS_KEY, grants_from_declext
from schemadiff.objects.roles import ROLES_KEY, roles_from_declext
from schemadiff.objects.triggers import TRIGGERS_KEY, Trigger
from schemadiff.objects.views import (
    ENTITY_CONVERTERS,
    VIEWS_KEY,
    MaterializedView,
    View,
)
from schemadiff.snapshot.model import LeftAlone

#: the library's distribution and module names
DISTRIBUTION = "sqlalchemy-declarative-extensions"
_MODULE = "sqlalchemy_declarative_extensions"
#: where a MetaData keeps the notes on its declext declarations that are not compared
NOTES_KEY = "schemadiff.declext.notes"
#: where a MetaData keeps the :class:`LeftAlone` rules of its declext declarations
LEFT_ALONE_KEY = "schemadiff.declext.left_alone"
#: where a MetaData keeps the schema names its declext declarations name (``schemas=``)
SCHEMAS_KEY = "schemadiff.declext.schemas"
#: the attribute set on each declaration converted from declext (replaced on a second call)
_MARK = "_schemadiff_declext"
#: the keys of our declarations a conversion writes (emptied of converted ones first)
_DECLARATION_KEYS = (VIEWS_KEY, FUNCTIONS_KEY, TRIGGERS_KEY, ROLES_KEY, GRANTS_KEY)
#: the key of the flag saying whether a routine without SQL SECURITY runs as its definer
_DEFINER_KEY = "schemadiff.declext.definer_by_default"


def is_declext(value: Any) -> bool:
    """Whether ``value`` is one of sqlalchemy-declarative-extensions' objects."""
    module = type(value).__module__ or ""
    return module == _MODULE or module.startswith(_MODULE + ".")


def carries_declarations(metadata: sa.MetaData) -> bool:
    """Whether ``metadata.info`` holds declarations of sqlalchemy-declarative-extensions."""
    return any(is_declext(metadata.info.get(key)) for key in DECLEXT_CONVERTERS)


def attach_declarative_extensions(
    metadata: sa.MetaData, *, definer_by_default: bool = False
) -> None:
    """Convert the declext declarations ``metadata.info`` carries into ours, on ``metadata``
    (a declaration of ours with the same key wins). ``definer_by_default``: the backend runs a
    routine declared without ``SQL SECURITY`` as its definer (MySQL), for declext's
    dialect-neutral ``Function`` / ``Procedure``. Without declext declarations, nothing
    changes (a MetaData that merged converted declarations of others keeps them)."""
    if not carries_declarations(metadata):
        return
    info = metadata.info
    for key in _DECLARATION_KEYS:
        found = info.get(key)
        if found:
            info[key] = _without_converted(found)
    info[NOTES_KEY] = []
    info[LEFT_ALONE_KEY] = []
    info[SCHEMAS_KEY] = []
    scratch = sa.MetaData()
    scratch.info[_DEFINER_KEY] = definer_by_default
    scratch.info[NOTES_KEY] = info[NOTES_KEY]
    scratch.info[LEFT_ALONE_KEY] = info[LEFT_ALONE_KEY]
    scratch.info[SCHEMAS_KEY] = info[SCHEMAS_KEY]
    scratch.info[ACCESS_NOTES_KEY] = info.setdefault(ACCESS_NOTES_KEY, [])
    for field, convert in DECLEXT_CONVERTERS.items():
        declared = info.get(field)
        if is_declext(declared):
            convert(scratch, declared)
    for key in _DECLARATION_KEYS:
        for declaration in _entries(scratch.info.get(key)):
            setattr(declaration, _MARK, True)
        _copy_converted(scratch.info, info, key)


def _without_converted(found: Any) -> Any:
    """``found`` (a dict of declarations, or a list: grants) without converted ones."""
    if isinstance(found, dict):
        return {k: v for k, v in found.items() if not getattr(v, _MARK, False)}
    return [v for v in found if not getattr(v, _MARK, False)]


def _entries(found: Any) -> list[Any]:
    if isinstance(found, dict):
        return list(found.values())
    return list(found or ())


def _copy_converted(source: dict[str, Any], target: dict[str, Any], key: str) -> None:
    """Copy ``source[key]``'s converted declarations into ``target[key]`` (ours win)."""
    found = source.get(key)
    if isinstance(found, dict):
        for k, declaration in found.items():
            if getattr(declaration, _MARK, False):
                target.setdefault(key, {}).setdefault(k, declaration)
    elif found:
        kept = target.setdefault(key, [])
        kept.extend(d for d in found if getattr(d, _MARK, False) and d not in kept)


def declext_notes(metadata: sa.MetaData) -> tuple[str, ...]:
    """One "not compared" note per declext kind (or object) we do not compare."""
    return tuple(metadata.info.get(NOTES_KEY) or ())


def left_alone(metadata: sa.MetaData) -> tuple[LeftAlone, ...]:
    """The rules of the declext collections that leave database objects alone."""
    return tuple(metadata.info.get(LEFT_ALONE_KEY) or ())


def declared_schema_names(metadata: sa.MetaData) -> list[str]:
    """The schemas declext's ``schemas=`` declares (created when missing, never dropped)."""
    return list(metadata.info.get(SCHEMAS_KEY) or ())


# --- converters ---------------------------------------------------------------------------


def _note(metadata: sa.MetaData, text: str) -> None:
    notes = metadata.info.setdefault(NOTES_KEY, [])
    if text not in notes:
        notes.append(text)


def _rule(metadata: sa.MetaData, rule: LeftAlone) -> None:
    if rule.unspecified or rule.ignore or rule.include is not None:
        metadata.info.setdefault(LEFT_ALONE_KEY, []).append(rule)


def _globs(collection: Any, *names: str) -> tuple[str, ...]:
    found: list[str] = []
    for name in names:
        found.extend(str(g) for g in getattr(collection, name, None) or ())
    return tuple(found)


def _include(collection: Any) -> tuple[str, ...] | None:
    include = getattr(collection, "include", None)
    return None if include is None else tuple(str(g) for g in include)


def _items(collection: Any, field: str) -> list[Any]:
    return list(getattr(collection, field, None) or ())


def _name(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _views(metadata: sa.MetaData, views: Any) -> None:
    """``Views``: ``View`` / ``@view`` classes (``DeclarativeView``), dialect views, and the
    alembic_utils ``PGView`` / ``PGMaterializedView`` entities the library also accepts."""
    for item in _items(views, "views"):
        kind = type(item).__name__
        if not is_declext(item) and kind in ENTITY_CONVERTERS:
            ENTITY_CONVERTERS[kind](metadata, item)
            continue
        if kind == "DeclarativeView":
            name, definition, schema = item.name, item.view_def, item.schema
        else:
            name, definition, schema = item.name, item.definition, item.schema
        materialized = getattr(item, "materialized", False)
        if materialized:
            with_data = _with_data(materialized)
            MaterializedView(metadata, name, definition, schema, with_data)
        else:
            View(metadata, name, definition, schema)
        if getattr(item, "constraints", None):
            _note(
                metadata,
                f"{DISTRIBUTION} indexes of materialized view {_name(schema, name)} "
                "(those the database has are kept when it is created again)",
            )
    _rule(
        metadata,
        LeftAlone(
            "view",
            ignore=_globs(views, "ignore", "ignore_views"),
            unspecified=bool(getattr(views, "ignore_unspecified", False)),
        ),
    )


def _with_data(materialized: Any) -> bool:
    if isinstance(materialized, dict):
        return bool(materialized.get("with_data", True))
    return bool(getattr(materialized, "with_data", True))


#: a PostgreSQL SQL-standard body (``RETURN expr`` / ``BEGIN ATOMIC``), as the library tells it
_SQL_BODY = re.compile(r"\W*(BEGIN ATOMIC|RETURN)\W", re.IGNORECASE | re.MULTILINE)
_SQL_BODY_PROCEDURE = re.compile(r"\W?(BEGIN ATOMIC)\W", re.IGNORECASE | re.MULTILINE)


def _enum(value: Any) -> str:
    """An enum member's value (or a plain string), lower case."""
    return str(getattr(value, "value", value)).lower()


def _functions(metadata: sa.MetaData, functions: Any) -> None:
    """``Functions``: PostgreSQL ones (``volatility``, ``security``, ``strict``), MySQL ones
    (``deterministic``, ``security``) and the dialect-neutral ``Function``."""
    for item in _items(functions, "functions"):
        if hasattr(item, "volatility"):  # PostgreSQL
            _pg_function(metadata, item)
        elif hasattr(item, "deterministic"):  # MySQL
            Function(
                metadata,
                item.name,
                _statement_body(item.definition),
                args=", ".join(str(p) for p in item.parameters or ()),
                returns=str(item.returns),
                volatility="immutable" if item.deterministic else "volatile",
                security_definer=_enum(item.security) == "definer",
                schema=item.schema,
            )
        else:
            Function(
                metadata,
                item.name,
                item.definition,
                args=", ".join(str(p) for p in item.parameters or ()),
                returns=str(item.returns or "void"),
                language=str(item.language),
                security_definer=bool(metadata.info.get(_DEFINER_KEY)),
                schema=item.schema,
            )
    _rule(
        metadata,
        LeftAlone(
            "function",
            ignore=_globs(functions, "ignore"),
            include=_include(functions),
            unspecified=bool(getattr(functions, "ignore_unspecified", False)),
        ),
    )


def _statement_body(text: str) -> str:
    """A MySQL routine's body as the server keeps it: the statement without its terminator."""
    return str(text).strip().rstrip(";").rstrip()


def _pg_function(metadata: sa.MetaData, item: Any) -> None:
    language = str(item.language)
    if language.lower() == "sql" and _SQL_BODY.match(item.definition):
        _leave_one(metadata, "function", item.schema, item.name, "a SQL-standard body")
        return
    args, table_columns = [], []
    for param in item.parameters or ():
        if isinstance(param, str):
            args.append(param.strip())
        elif getattr(param, "mode", None) == "t":
            table_columns.append(f"{param.name} {param.type}")
        else:
            args.append(param.to_sql_create())
    Function(
        metadata,
        item.name,
        item.definition,
        args=", ".join(args),
        returns=_pg_returns(item.returns, table_columns),
        language=language,
        volatility=_enum(item.volatility),
        security_definer=_enum(item.security) == "definer",
        strict=bool(item.strict),
        schema=item.schema,
    )


def _pg_returns(returns: Any, table_columns: list[str]) -> str:
    if table_columns:
        return f"TABLE({', '.join(table_columns)})"
    if returns is None:
        return "void"
    if isinstance(returns, str):
        return returns
    if getattr(returns, "value", None):
        return str(returns.value)
    columns = []
    for column in getattr(returns, "table", None) or ():
        if isinstance(column, sa.Column):
            columns.append(f"{column.name} {column.type.compile()}")
        elif isinstance(column, tuple):
            columns.append(f"{column[0]} {column[1]}")
        else:
            columns.append(str(column).strip())
    return f"TABLE({', '.join(columns)})" if columns else "void"


def _leave_one(metadata: sa.MetaData, kind: str, schema: str | None, name: str, why: str) -> None:
    """A declaration we cannot represent: the database's object of that name is left alone
    (never dropped as undeclared), and the note says so."""
    _note(metadata, f"{DISTRIBUTION} {kind} {_name(schema, name)} ({why})")
    _rule(metadata, LeftAlone(kind, ignore=(_name(schema, name),)))


def _procedures(metadata: sa.MetaData, procedures: Any) -> None:
    """``Procedures``: PostgreSQL ones (``LANGUAGE``, ``SECURITY DEFINER``), MySQL ones
    (``SQL SECURITY``, definer by default) and the dialect-neutral ``Procedure``."""
    for item in _items(procedures, "procedures"):
        security = getattr(item, "security", None)
        if hasattr(item, "_has_sqlbody"):  # PostgreSQL
            if str(item.language).lower() == "sql" and _SQL_BODY_PROCEDURE.match(item.definition):
                _leave_one(metadata, "procedure", item.schema, item.name, "a SQL-standard body")
                continue
            body, language = item.definition, str(item.language)
        elif security is not None:  # MySQL
            body, language = _statement_body(item.definition), "sql"
        else:
            body, language = item.definition, str(item.language)
        definer = (
            _enum(security) == "definer"
            if security is not None
            else bool(metadata.info.get(_DEFINER_KEY))
        )
        Procedure(
            metadata,
            item.name,
            body,
            language=language,
            security_definer=definer,
            schema=item.schema,
        )
    _rule(
        metadata,
        LeftAlone(
            "procedure",
            ignore=_globs(procedures, "ignore"),
            unspecified=bool(getattr(procedures, "ignore_unspecified", False)),
        ),
    )


def _triggers(metadata: sa.MetaData, triggers: Any) -> None:
    """``Triggers``: PostgreSQL ones (events, timing, level, condition, arguments, transition
    tables) and MySQL ones (one event, the body in ``execute``)."""
    for item in _items(triggers, "triggers"):
        schema, _, table = str(item.on).rpartition(".")
        if hasattr(item, "events"):  # PostgreSQL
            definition = _pg_trigger(item, table)
        elif hasattr(item, "event"):  # MySQL
            parts = [_enum(item.time).upper(), _enum(item.event).upper(), "ON", table]
            definition = " ".join([*parts, "FOR EACH ROW", str(item.execute).strip()])
            if getattr(item, "order", None) is not None:
                _note(
                    metadata,
                    f"{DISTRIBUTION} order of trigger {item.name} (FOLLOWS / PRECEDES)",
                )
        else:
            _leave_one(metadata, "trigger", schema or None, item.name, "no timing or events")
            continue
        Trigger(metadata, item.name, table, definition, schema=schema or None)
    _rule(
        metadata,
        LeftAlone(
            "trigger",
            ignore=_globs(triggers, "ignore"),
            include=_include(triggers),
            unspecified=bool(getattr(triggers, "ignore_unspecified", False)),
        ),
    )


def _pg_trigger(item: Any, table: str) -> str:
    events = " OR ".join(_enum(e).upper() for e in item.events)
    parts = [_enum(item.time).upper().replace("_", " "), events, "ON", table]
    referencing = []
    if getattr(item, "old_table", None):
        referencing.append(f"OLD TABLE AS {item.old_table}")
    if getattr(item, "new_table", None):
        referencing.append(f"NEW TABLE AS {item.new_table}")
    if referencing:
        parts += ["REFERENCING", *referencing]
    parts.append(f"FOR EACH {_enum(item.for_each).upper()}")
    if item.condition:
        parts.append(f"WHEN ({item.condition})")
    arguments = ", ".join(f"'{a}'" for a in item.arguments or ())
    parts.append(f"EXECUTE FUNCTION {item.execute}({arguments})")
    return " ".join(parts)


def _schemas(metadata: sa.MetaData, schemas: Any) -> None:
    """``Schemas``: created when missing; never dropped (as the schemas the tables name)."""
    names = metadata.info.setdefault(SCHEMAS_KEY, [])
    for schema in _items(schemas, "schemas"):
        name = str(getattr(schema, "name", schema))
        if name not in names:
            names.append(name)


def not_compared(kind: str) -> Callable[[sa.MetaData, Any], None]:
    """The converter of a declext kind we do not compare: one "not compared" note naming it."""

    def convert(metadata: sa.MetaData, declared: Any) -> None:
        _note(metadata, f"{DISTRIBUTION} {kind} (declare_database({kind}=...))")

    return convert


def _roles(metadata: sa.MetaData, declared: Any) -> None:
    roles_from_declext(metadata, declared)


def _grants(metadata: sa.MetaData, declared: Any) -> None:
    grants_from_declext(metadata, declared)


#: declare_database's field name -> the converter that attaches that kind's declarations to a
#: MetaData as ours (``convert(metadata, collection)``). Kinds without a converter of their
#: own are listed as not compared (replace the entry when one is written).
DECLEXT_CONVERTERS: dict[str, Callable[[sa.MetaData, Any], None]] = {
    "schemas": _schemas,
    "views": _views,
    "functions": _functions,
    "procedures": _procedures,
    "triggers": _triggers,
    "roles": _roles,
    "grants": _grants,
    "rows": not_compared("rows"),
    "databases": not_compared("databases"),
}


def merge_declext(merged: sa.MetaData, metadata: sa.MetaData) -> None:
    """Copy the declext declarations of ``metadata``, converted, into ``merged`` (several
    MetaData named by the ``metadata`` setting), with their notes and rules."""
    attach_declarative_extensions(metadata)
    for key in _DECLARATION_KEYS:
        _copy_converted(metadata.info, merged.info, key)
    for key in (NOTES_KEY, LEFT_ALONE_KEY, SCHEMAS_KEY, ACCESS_NOTES_KEY):
        for value in metadata.info.get(key) or ():
            if value not in merged.info.setdefault(key, []):
                merged.info[key].append(value)


#: the modules of the library's ``create_all`` listeners (``register_sqlalchemy_events``) that
#: build what the converters above read (so not opaque DDL); those of rows and
#: databases stay listed as not compared
_COMPARED_LISTENERS = frozenset(
    f"{_MODULE}.{kind}.ddl"
    for kind in ("view", "function", "procedure", "trigger", "schema", "role", "grant")
)


def builds_compared_declext(listener: Any) -> bool:
    """Whether ``listener`` is one of the library's listeners that builds compared objects."""
    while isinstance(listener, functools.partial):
        listener = listener.func
    return str(getattr(listener, "__module__", "") or "") in _COMPARED_LISTENERS
