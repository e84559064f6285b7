"""alembic_utils' operations for projects that use alembic_utils (PostgreSQL).

An object an alembic_utils entity declares is created, replaced and dropped with alembic_utils'
own operations (``op.create_entity(PGView(...))``, ``op.replace_entity``, ``op.drop_entity``),
the entity written out as the project declares it; an object of the database that nothing
declares (a drop in the upgrade, its create in the downgrade) with the same class built from
the database's definition, so the script reads uniformly. Objects declared with
:mod:`schemadiff.objects` keep ``op.execute``. Those operations only run ``op.execute`` on the
entity's SQL, so scripts still run under plain ``alembic upgrade`` and offline (``--sql``).

Where alembic_utils' operation cannot do what ours does, the op stays ``op.execute``, after a
one-line comment saying why (:data:`FALLBACK`): a procedure (``PGFunction`` only creates
functions), an extension's version or schema, a view dropped and created again around a change
to what it reads, a name ``PGTrigger`` / ``PGPolicy`` would write unquoted.
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from typing import Any

from schemadiff.backends.registry import rules_for
from schemadiff.canonical.routines import identity_args
from schemadiff.render.code import Code
from schemadiff.render.entity_index import Entities
from schemadiff.snapshot.entities import ENTITY_MODULES, EntitySource
from schemadiff.snapshot.model import Extension, View
from schemadiff.snapshot.policies import Policy, policy_ddl
from schemadiff.snapshot.routines import Function, Trigger, function_ddl

#: what ``sa.text()`` would take for a bind parameter (``PGView`` does not escape its query)
_BIND = re.compile(r"(?<![:\w\\]):(?=\w)")
#: a name alembic_utils may write unquoted (``PGTrigger``'s table, ``PGPolicy``'s names)
_PLAIN = re.compile(r"[a-z_][a-z0-9_]*")
_TRIGGER_HEAD = re.compile(
    r"\s*CREATE\s+(?P<constraint>CONSTRAINT\s+)?TRIGGER\s+(?:\"(?:[^\"]|\"\")*\"|\S+)\s+",
    re.IGNORECASE,
)


#: the comment before an op kept as ``op.execute`` in a script that uses alembic_utils
FALLBACK = "# op.execute, not alembic_utils: {why}"


@dataclass(frozen=True)
class Entity:
    """One alembic_utils entity as a script writes it: class and keyword arguments."""

    cls: str
    args: tuple[tuple[str, object], ...]

    def call(self) -> str:
        return f"{self.cls}({', '.join(f'{name}={value!r}' for name, value in self.args)})"

    @property
    def imports(self) -> frozenset[str]:
        return frozenset({f"from {ENTITY_MODULES[self.cls]} import {self.cls}"})


def entity_op(verb: str, entity: Entity) -> Code:
    """``op.create_entity(...)`` / ``op.replace_entity(...)`` / ``op.drop_entity(...)``."""
    return Code((f"op.{verb}_entity({entity.call()})",), entity.imports)


def fallback(why: str, lines: tuple[str, ...]) -> Code:
    return Code((FALLBACK.format(why=why), *lines))


def uses_entities(entities: Entities, kind: str, key: tuple[Any, ...]) -> bool:
    """Whether an op on the object of ``kind`` and ``key`` is written with alembic_utils (not
    one declared with :mod:`schemadiff.objects`)."""
    return (kind, key) not in entities.native


def _declared(entities: Entities, kind: str, obj: Any) -> EntitySource | None:
    """The entity that declares ``obj`` when ``obj`` is the declared object itself."""
    found = entities.declared.get((kind, _key(kind, obj)))
    if found is not None and _same(found[1], obj):
        return found[0]
    return None


def _same(a: Any, b: Any) -> bool:
    """Equal in every field, those left out of comparisons too (a view's query as written)."""
    return a is b or (type(a) is type(b) and astuple(a) == astuple(b))


def _key(kind: str, obj: Any) -> tuple[Any, ...]:
    return (obj.name,) if kind == "extension" else tuple(obj.key)


def _schema(entities: Entities, schema: str | None) -> str:
    return schema or entities.default_schema


def view_entity(entities: Entities, view: View) -> Entity:
    """``PGView`` / ``PGMaterializedView``: the declaring entity's own arguments for the
    declared view, else the database's query (colons ``sa.text`` would bind escaped: neither
    class escapes them)."""
    source = _declared(entities, "view", view)
    if source is not None:
        schema, signature, definition = source.schema, source.signature, source.definition
    else:
        schema, signature = _schema(entities, view.schema), view.name
        definition = _BIND.sub(lambda m: "\\:", view.raw)
    if view.materialized:
        with_data = source.with_data if source is not None else view.with_data
        args = (("schema", schema), ("signature", signature), ("definition", definition))
        return Entity("PGMaterializedView", (*args, ("with_data", with_data)))
    return Entity(
        "PGView", (("schema", schema), ("signature", signature), ("definition", definition))
    )


def function_entity(entities: Entities, function: Function) -> Entity:
    """``PGFunction``: ``signature`` ``name(arguments)``, ``definition`` what follows it."""
    source = _declared(entities, "function", function)
    if source is not None:
        args = (("schema", source.schema), ("signature", source.signature))
        return Entity("PGFunction", (*args, ("definition", source.definition)))
    quote = rules_for(entities.dialect).quote_identifier
    head = f"CREATE FUNCTION {quote(function.schema) + '.' if function.schema else ''}"
    head += f"{quote(function.name)}({function.raw_args})"
    ddl = function_ddl(function, quote)
    return Entity(
        "PGFunction",
        (
            ("schema", _schema(entities, function.schema)),
            ("signature", f"{function.name}({function.raw_args})"),
            ("definition", ddl[len(head) :].strip()),
        ),
    )


def function_fallback(entities: Entities, function: Function) -> str | None:
    """Why ``PGFunction`` cannot write ``function`` (None: it can)."""
    if function.kind != "function":
        return f"alembic_utils' PGFunction makes functions, not a {function.kind}"
    entity = function_entity(entities, function)
    signature = str(dict(entity.args)["signature"])
    if "(" not in signature or identity_args(_drop_arguments(signature)) != identity_args(
        signature.split("(", 1)[1].rsplit(")", 1)[0]
    ):
        return "alembic_utils' PGFunction would drop it by other arguments"
    return None


def _drop_arguments(signature: str) -> str:
    """The arguments alembic_utils' ``PGFunction.to_sql_statement_drop`` names: the text
    between the brackets cut at commas, each cut before ``default``."""
    inside = signature.split("(", 1)[1].rsplit(")", 1)[0]
    parts = [p[: len(p.lower().split("default")[0])].strip() for p in inside.split(",")]
    return ", ".join(parts)


def trigger_entity(entities: Entities, trigger: Trigger) -> Entity | None:
    """``PGTrigger``: ``signature`` its name, ``on_entity`` ``schema.table``, ``definition``
    what follows the name; None when the database's statement cannot be read that way or
    alembic_utils would write its table unquoted where it needs quotes."""
    source = _declared(entities, "trigger", trigger)
    if source is not None:
        return Entity(
            "PGTrigger",
            (
                ("schema", source.schema),
                ("signature", source.signature),
                ("on_entity", source.on_entity),
                ("is_constraint", source.is_constraint),
                ("definition", source.definition),
            ),
        )
    schema = _schema(entities, trigger.schema)
    match = _TRIGGER_HEAD.match(trigger.raw)
    if match is None or not (_PLAIN.fullmatch(schema) and _PLAIN.fullmatch(trigger.table)):
        return None
    return Entity(
        "PGTrigger",
        (
            ("schema", schema),
            ("signature", trigger.name),
            ("on_entity", f"{schema}.{trigger.table}"),
            ("is_constraint", bool(match["constraint"])),
            ("definition", trigger.raw[match.end() :].strip()),
        ),
    )


def policy_entity(entities: Entities, policy: Policy) -> Entity | None:
    """``PGPolicy``: ``signature`` its name, ``on_entity`` ``schema.table``, ``definition``
    what follows ``ON table``; None for names alembic_utils would write unquoted where they
    need quotes."""
    source = _declared(entities, "policy", policy)
    if source is not None:
        schema, signature = source.schema, source.signature
        on_entity, definition = source.on_entity, source.definition
    else:
        schema = _schema(entities, policy.schema)
        if not all(_PLAIN.fullmatch(n) for n in (schema, policy.table, policy.name)):
            return None
        quote = rules_for(entities.dialect).quote_identifier
        on_entity = f"{schema}.{policy.table}"
        ddl = policy_ddl(policy, on_entity, quote)
        signature = policy.name
        definition = ddl[len(f"CREATE POLICY {quote(policy.name)} ON {on_entity}") :].strip()
    return Entity(
        "PGPolicy",
        (
            ("schema", schema),
            ("signature", signature),
            ("on_entity", on_entity),
            ("definition", definition),
        ),
    )


def extension_entity(entities: Entities, extension: Extension) -> Entity:
    """``PGExtension(schema, signature)``, ``signature`` the extension's name."""
    source = _declared(entities, "extension", extension)
    if source is not None:
        return Entity("PGExtension", (("schema", source.schema), ("signature", source.signature)))
    schema = _schema(entities, extension.schema)
    return Entity("PGExtension", (("schema", schema), ("signature", extension.name)))
