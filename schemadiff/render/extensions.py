"""PostgreSQL extensions as ``op.execute`` with the exact DDL (Alembic has no extension
operations): plain SQL strings that run under ``alembic upgrade`` and print under ``--sql``."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext
from schemadiff.render.entities import entity_op, extension_entity, fallback, uses_entities
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import Extension


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def create_extension_sql(ext: Extension, dialect: str) -> str:
    """``CREATE EXTENSION IF NOT EXISTS name [SCHEMA s] [VERSION 'v']``."""
    quote = rules_for(dialect).quote_identifier
    sql = f"CREATE EXTENSION IF NOT EXISTS {quote(ext.name)}"
    if ext.schema:
        sql += f" SCHEMA {quote(ext.schema)}"
    if ext.version:
        sql += f" VERSION {_literal(ext.version)}"
    return sql


def _execute(*statements: str) -> Code:
    return Code(tuple(f"op.execute({sql!r})" for sql in statements))


@renders(O.CreateExtension)
def _create_extension(op: O.CreateExtension, ctx: RenderContext, target: str) -> Code:
    create = _execute(create_extension_sql(op.extension, ctx.dialect))
    entities = ctx.entities
    if entities is None or not uses_entities(entities, "extension", (op.extension.name,)):
        return create
    if op.extension.version is not None:
        return fallback("alembic_utils' PGExtension cannot ask for a version", create.lines)
    return entity_op("create", extension_entity(entities, op.extension))


@renders(O.DropExtension)
def _drop_extension(op: O.DropExtension, ctx: RenderContext, target: str) -> Code:
    entities = ctx.entities
    if entities is not None and uses_entities(entities, "extension", (op.extension.name,)):
        return entity_op("drop", extension_entity(entities, op.extension))
    quote = rules_for(ctx.dialect).quote_identifier
    return _execute(f"DROP EXTENSION {quote(op.extension.name)}")


@renders(O.AlterExtension)
def _alter_extension(op: O.AlterExtension, ctx: RenderContext, target: str) -> Code:
    rules = rules_for(ctx.dialect)
    name = rules.quote_identifier(op.new.name)
    statements = []
    if op.old.schema != op.new.schema:
        schema = op.new.schema or op.default_schema or "public"
        statements.append(f"ALTER EXTENSION {name} SET SCHEMA {rules.quote_identifier(schema)}")
    if op.new.version is not None and op.old.version != op.new.version:
        statements.append(f"ALTER EXTENSION {name} UPDATE TO {_literal(op.new.version)}")
    entities = ctx.entities
    if entities is not None and uses_entities(entities, "extension", (op.new.name,)):
        why = "alembic_utils cannot change an extension's schema or version"
        return fallback(why, _execute(*statements).lines)
    return _execute(*statements)
