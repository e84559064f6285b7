"""Declared views: our own ``View`` and alembic_utils' ``PGView`` entities (and the
converters of every alembic_utils entity kind we compare)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

#: where a MetaData keeps its declared views: ``{(schema, name): View}``
VIEWS_KEY = "schemadiff.views"
#: where a MetaData keeps the kinds of alembic_utils entities given to it that are not compared
UNSUPPORTED_KEY = "schemadiff.unsupported_entities"
#: where a MetaData keeps the alembic_utils entities given to it, with the declaration each
#: became: ``[(declaration, entity)]`` (scripts render those objects with alembic_utils' ops)
ENTITIES_KEY = "schemadiff.entities"


class View:
    """A view the models declare: ``definition`` is a ``select()`` (compiled for the target
    backend, bound values written as literals) or the SELECT text itself."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        definition: str | sa.Select[Any] | sa.CompoundSelect[Any] | sa.TextClause,
        schema: str | None = None,
    ) -> None:
        if not isinstance(name, str) or not name:
            raise ValueError("a view needs a name")
        if not isinstance(definition, (str, sa.Select, sa.CompoundSelect, sa.TextClause)):
            raise TypeError(
                f"view {name!r}: the definition must be SQL text or a select(), "
                f"not {type(definition).__name__}"
            )
        if isinstance(definition, (str, sa.TextClause)):
            _query_only(name, definition if isinstance(definition, str) else definition.text)
        self.name = name
        self.schema = schema
        self.definition = definition
        metadata.info.setdefault(VIEWS_KEY, {})[(schema, name)] = self

    def sql(self, dialect: Dialect) -> str:
        """The query's text for ``dialect``."""
        if isinstance(self.definition, str):
            return self.definition
        compiled = self.definition.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
        return str(compiled)

    def __repr__(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        return f"{type(self).__name__}({name!r})"


#: what a view's text may not start with: the statement or its options, which go before ``VIEW``
#: (``CREATE ALGORITHM=MERGE SQL SECURITY INVOKER VIEW v AS ...``) and are neither written nor
#: compared; written into the query they made ``CREATE VIEW v AS ALGORITHM=...``, refused
_NOT_A_QUERY = re.compile(
    r"\s*(?:CREATE\b|OR\s+REPLACE\b|ALGORITHM\s*=|DEFINER\s*=|SQL\s+SECURITY\b)",
    re.IGNORECASE,
)


def _query_only(name: str, text: str) -> None:
    found = _NOT_A_QUERY.match(text)
    if found is None:
        return
    word = " ".join(found.group(0).split()).rstrip("= ").upper()
    if word == "CREATE":
        raise ValueError(
            f"view {name!r}: give the query only (SELECT ...), not the CREATE VIEW statement"
        )
    raise ValueError(
        f"view {name!r}: {word} is a view option, not part of the query; view options "
        "(ALGORITHM, DEFINER, SQL SECURITY) are not supported: give the query only (SELECT ...)"
    )


class MaterializedView(View):
    """A materialized view (PostgreSQL): like :class:`View`; ``with_data=False`` creates it
    empty (``WITH NO DATA``) until refreshed."""

    def __init__(
        self,
        metadata: sa.MetaData,
        name: str,
        definition: str | sa.Select[Any] | sa.CompoundSelect[Any] | sa.TextClause,
        schema: str | None = None,
        with_data: bool = True,
    ) -> None:
        self.with_data = with_data
        super().__init__(metadata, name, definition, schema)


def declared_views(metadata: sa.MetaData) -> list[View]:
    """The views declared on ``metadata``, in declaration order."""
    found = metadata.info.get(VIEWS_KEY) or {}
    return [v for v in found.values() if isinstance(v, View)]


def register_entities(metadata: sa.MetaData, entities: Iterable[Any]) -> list[Any]:
    """Attach alembic_utils entities to ``metadata``: ``PGView`` becomes a :class:`View`
    (its ``schema``, ``signature`` and ``definition``), ``PGMaterializedView`` a
    :class:`MaterializedView`, ``PGFunction``, ``PGTrigger``, ``PGPolicy`` and ``PGGrantTable``
    a ``Function``, a ``Trigger``, a ``Policy`` and a ``Grant`` (see
    :data:`ENTITY_CONVERTERS`). Other kinds are recorded by name (see
    :func:`unsupported_entities`): reports list them as not compared."""
    made: list[Any] = []
    for entity in entities:
        kind = type(entity).__name__
        convert = ENTITY_CONVERTERS.get(kind)
        if convert is not None:
            made.append(convert(metadata, entity))
            metadata.info.setdefault(ENTITIES_KEY, []).append((made[-1], entity))
        else:
            metadata.info.setdefault(UNSUPPORTED_KEY, set()).add(kind)
    return made


def _view_from_entity(metadata: sa.MetaData, entity: Any) -> View:
    return View(metadata, entity.signature, entity.definition, entity.schema)


def _materialized_view_from_entity(metadata: sa.MetaData, entity: Any) -> MaterializedView:
    with_data = bool(getattr(entity, "with_data", True))
    return MaterializedView(metadata, entity.signature, entity.definition, entity.schema, with_data)


def _function_from_entity(metadata: sa.MetaData, entity: Any) -> Any:
    from schemadiff.objects.functions import function_from_entity

    return function_from_entity(metadata, entity)


def _trigger_from_entity(metadata: sa.MetaData, entity: Any) -> Any:
    from schemadiff.objects.triggers import trigger_from_entity

    return trigger_from_entity(metadata, entity)


def _extension_from_entity(metadata: sa.MetaData, entity: Any) -> Any:
    from schemadiff.objects.extensions import extension_from_entity

    return extension_from_entity(metadata, entity)


def _policy_from_entity(metadata: sa.MetaData, entity: Any) -> Any:
    from schemadiff.objects.policies import policy_from_entity

    return policy_from_entity(metadata, entity)


def _grant_from_entity(metadata: sa.MetaData, entity: Any) -> Any:
    from schemadiff.objects.grants import grant_from_entity

    return grant_from_entity(metadata, entity)


#: alembic_utils entity class name -> the converter that attaches it to a MetaData as one of
#: ours (alembic_utils stays optional: entities are recognised by their class name)
ENTITY_CONVERTERS: dict[str, Callable[[sa.MetaData, Any], Any]] = {
    "PGView": _view_from_entity,
    "PGMaterializedView": _materialized_view_from_entity,
    "PGFunction": _function_from_entity,
    "PGTrigger": _trigger_from_entity,
    "PGExtension": _extension_from_entity,
    "PGPolicy": _policy_from_entity,
    "PGGrantTable": _grant_from_entity,
}


def unsupported_entities(metadata: sa.MetaData) -> list[str]:
    """The kinds of alembic_utils entities given to ``metadata`` that are not compared."""
    return sorted(metadata.info.get(UNSUPPORTED_KEY) or ())


def create_views(metadata: sa.MetaData, bind: sa.Connection) -> None:
    """Create the declared views on ``bind`` in declaration order (declare a view after the
    views it reads), after ``metadata.create_all(bind)``: for tests and fresh databases."""
    for view in declared_views(metadata):
        bind.exec_driver_sql(_ddl(view, bind).replace("%", "%%"))


def drop_views(metadata: sa.MetaData, bind: sa.Connection) -> None:
    """Drop the declared views that exist, in reverse declaration order, before
    ``metadata.drop_all(bind)`` (PostgreSQL refuses to drop a table a view reads)."""
    views = declared_views(metadata)
    existing = {s: _views_of(bind, s) for s in {v.schema for v in views}}
    for view in reversed(views):
        if view.name in existing[view.schema]:
            kind = "MATERIALIZED VIEW" if isinstance(view, MaterializedView) else "VIEW"
            bind.exec_driver_sql(f"DROP {kind} {_name(view, bind)}")


def _views_of(bind: sa.Connection, schema: str | None) -> set[str]:
    inspector = sa.inspect(bind)
    names = set(inspector.get_view_names(schema=schema))
    try:  # backends without materialized views do not implement it
        names |= set(inspector.get_materialized_view_names(schema=schema))
    except NotImplementedError:
        pass
    return names


def _name(view: View, bind: sa.Connection) -> str:
    quote = bind.dialect.identifier_preparer.quote
    return f"{quote(view.schema)}.{quote(view.name)}" if view.schema else quote(view.name)


def _ddl(view: View, bind: sa.Connection) -> str:
    query = view.sql(bind.dialect)
    if isinstance(view, MaterializedView):
        data = "" if view.with_data else " WITH NO DATA"
        return f"CREATE MATERIALIZED VIEW {_name(view, bind)} AS {query}{data}"
    return f"CREATE VIEW {_name(view, bind)} AS {query}"
