"""Table privileges and roles: ``op.execute`` with the exact statements (``GRANT``,
``REVOKE``, ``CREATE ROLE``, ``ALTER ROLE``, ``GRANT role TO role``, ``DROP ROLE``), so scripts
run under plain ``alembic upgrade`` and offline (``--sql``) alike.

Roles are the server's, shared by its databases: ``CREATE ROLE`` runs only when the role is
missing (another database's migration may have made it), and ``DROP ROLE`` only when nothing
on the server depends on the role any more (else it is kept, with a notice)."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.registry import renders
from schemadiff.snapshot.grants import (
    alter_role_sql,
    create_role_sql,
    drop_role_sql,
    grant_sql,
    revoke_sql,
)


def _table(dialect: str, schema: str | None, name: str) -> str:
    rules = rules_for(dialect)
    return (rules.quote_identifier(schema) + "." if schema else "") + rules.quote_identifier(name)


def _execute(sql: str) -> str:
    return execute_call(sql)


@renders(O.GrantPrivileges)
def _grant(op: O.GrantPrivileges, ctx: RenderContext, target: str) -> Code:
    table = _table(ctx.dialect, op.schema_name, op.table_name)
    quote = rules_for(ctx.dialect).quote_identifier
    sql = grant_sql(op.privileges, table, op.role, quote, op.columns, op.grant_option)
    return Code((_execute(sql),))


@renders(O.RevokePrivileges)
def _revoke(op: O.RevokePrivileges, ctx: RenderContext, target: str) -> Code:
    if op.with_table:
        return Code((f"# they go with table {op.table_name}",))
    table = _table(ctx.dialect, op.schema_name, op.table_name)
    quote = rules_for(ctx.dialect).quote_identifier
    sql = revoke_sql(op.privileges, table, op.role, quote, op.columns, op.option_only)
    return Code((_execute(sql),))


@renders(O.CreateRole)
def _create_role(op: O.CreateRole, ctx: RenderContext, target: str) -> Code:
    return Code((_execute(create_role_sql(op.role, rules_for(ctx.dialect).quote_identifier)),))


@renders(O.AlterRole)
def _alter_role(op: O.AlterRole, ctx: RenderContext, target: str) -> Code:
    quote = rules_for(ctx.dialect).quote_identifier
    return Code(tuple(_execute(sql) for sql in alter_role_sql(op.old, op.new, quote)))


@renders(O.DropRole)
def _drop_role(op: O.DropRole, ctx: RenderContext, target: str) -> Code:
    return Code((_execute(drop_role_sql(op.role, rules_for(ctx.dialect).quote_identifier)),))
