"""PostgreSQL domains as ``op.execute`` with the exact DDL (Alembic has no domain operations)."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, execute_call
from schemadiff.render.registry import renders
from schemadiff.snapshot.domains import alter_domain_sql, create_domain_sql, domain_name


def _execute(statements: list[str]) -> Code:
    return Code(tuple(execute_call(sql) for sql in statements))


@renders(O.CreateDomain)
def _create_domain(op: O.CreateDomain, ctx: RenderContext, target: str) -> Code:
    return _execute([create_domain_sql(op.domain, rules_for(ctx.dialect).quote_identifier)])


@renders(O.DropDomain)
def _drop_domain(op: O.DropDomain, ctx: RenderContext, target: str) -> Code:
    quote = rules_for(ctx.dialect).quote_identifier
    return _execute([f"DROP DOMAIN {domain_name(op.domain, quote)}"])


@renders(O.AlterDomain)
def _alter_domain(op: O.AlterDomain, ctx: RenderContext, target: str) -> Code:
    quote = rules_for(ctx.dialect).quote_identifier
    if op.old.data_type != op.new.data_type:  # no ALTER for the base type
        return _execute(
            [f"DROP DOMAIN {domain_name(op.old, quote)}", create_domain_sql(op.new, quote)]
        )
    return _execute(alter_domain_sql(op.old, op.new, quote))
