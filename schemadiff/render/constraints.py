"""Constraint ops: primary keys, unique constraints, foreign keys, checks."""

from __future__ import annotations

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import (
    Code,
    RenderContext,
    constraint_name,
    dialect_kwargs,
    kw,
    schema_kw,
    table_args,
)
from schemadiff.render.indexes import implied_fk_indexes
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import (
    CheckConstraint,
    ForeignKey,
    Table,
    UniqueConstraint,
)


def fk_options(fk: ForeignKey) -> list[str]:
    out = []
    if fk.ondelete:
        out.append(kw("ondelete", fk.ondelete))
    if fk.onupdate:
        out.append(kw("onupdate", fk.onupdate))
    if fk.deferrable is not None:
        out.append(kw("deferrable", fk.deferrable))
    if fk.initially:
        out.append(kw("initially", fk.initially))
    return out


def check_text(ck: CheckConstraint) -> str:
    return ck.raw or ck.sqltext


def unique_kw(unique: UniqueConstraint, dialect: str) -> list[str]:
    return dialect_kwargs(rules_for(dialect).unique_kwargs(unique))


@renders(O.AddPrimaryKey)
def _add_pk(op: O.AddPrimaryKey, ctx: RenderContext, target: str) -> Code:
    name = repr(op.constraint.name) if op.constraint.name else repr(f"pk_{op.table_name}")
    if target == "batch_op":
        args = [name, repr(list(op.constraint.columns))]
    else:
        args = [name, repr(op.table_name), repr(list(op.constraint.columns))]
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.create_primary_key({', '.join(args)})",))


@renders(O.DropPrimaryKey)
def _drop_pk(op: O.DropPrimaryKey, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None:
        name = rules_for(ctx.dialect).primary_key_name(op.table_name)
    args = [repr(name)] + table_args(op, target) + ["type_='primary'"]
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))


@renders(O.AddUniqueConstraint)
def _add_unique(op: O.AddUniqueConstraint, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.constraint.name)] + table_args(op, target)
    args.append(repr(list(op.constraint.columns)))
    args += schema_kw(op.schema_name, target)
    args += unique_kw(op.constraint, ctx.dialect)
    return Code((f"{target}.create_unique_constraint({', '.join(args)})",))


@renders(O.DropUniqueConstraint)
def _drop_unique(op: O.DropUniqueConstraint, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None and target == "batch_op":
        name = f"uq_{op.table_name}_{'_'.join(op.constraint.columns)}"
    args = [constraint_name(name, "unique constraint")] + table_args(op, target)
    args.append("type_='unique'")
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))


@renders(O.AddForeignKey)
def _add_fk(op: O.AddForeignKey, ctx: RenderContext, target: str) -> Code:
    fk = op.constraint
    args = [repr(fk.name)] + table_args(op, target)
    args += [repr(fk.referred_table), repr(list(fk.columns)), repr(list(fk.referred_columns))]
    if op.schema_name and target != "batch_op":
        args.append(kw("source_schema", op.schema_name))
    if fk.referred_schema:
        args.append(kw("referent_schema", fk.referred_schema))
    args += fk_options(fk)
    lines = [f"{target}.create_foreign_key({', '.join(args)})"]
    if fk.name and fk.implied_index and fk.implied_index != fk.name:
        if rules_for(ctx.dialect).fk_implies_index:
            # the server names the key's new index after the key: its own name comes back
            lines += implied_fk_indexes(
                Table(op.table_name, op.schema_name, foreign_keys=(fk,))
            ).lines
    return Code(tuple(lines))


@renders(O.DropForeignKey)
def _drop_fk(op: O.DropForeignKey, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None and target == "batch_op":
        cols = "_".join(op.constraint.columns)
        name = f"fk_{op.table_name}_{cols}_{op.constraint.referred_table}"
    args = [constraint_name(name, "foreign key")] + table_args(op, target)
    args.append("type_='foreignkey'")
    args += schema_kw(op.schema_name, target)
    lines = [f"{target}.drop_constraint({', '.join(args)})"]
    implied = op.constraint.implied_index
    if implied and rules_for(ctx.dialect).fk_implies_index:
        # the server keeps the index it made for the key; it goes with the key
        index_args = [repr(implied), kw("table_name", op.table_name)]
        index_args += schema_kw(op.schema_name, "op")
        lines.append(f"op.drop_index({', '.join(index_args)})")
    return Code(tuple(lines))


@renders(O.AddCheckConstraint)
def _add_check(op: O.AddCheckConstraint, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.constraint.name)] + table_args(op, target)
    args.append(repr(check_text(op.constraint)))
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.create_check_constraint({', '.join(args)})",))


@renders(O.DropCheckConstraint)
def _drop_check(op: O.DropCheckConstraint, ctx: RenderContext, target: str) -> Code:
    args = [constraint_name(op.constraint.name, "check constraint")] + table_args(op, target)
    args.append("type_='check'")
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))
