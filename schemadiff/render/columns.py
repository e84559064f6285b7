"""Column ops: add, drop, alter, rename, autoincrement; ``sa.Column(...)`` code."""

from __future__ import annotations

from dataclasses import fields, replace

from schemadiff import ops as O
from schemadiff.backends.base import TypeChange
from schemadiff.backends.registry import rules_for
from schemadiff.render.code import Code, RenderContext, kw, schema_kw, sql_text, table_args
from schemadiff.render.python_types import SA, render_type
from schemadiff.render.registry import renders
from schemadiff.snapshot.model import (
    Column,
    Identity,
)


def column_code(col: Column, ctx: RenderContext, in_pk: bool = False) -> Code:
    """``sa.Column(...)`` for a snapshot column; ``in_pk`` when it is part of the primary key
    (an integer key column would otherwise become SERIAL/AUTO_INCREMENT by default)."""
    t = render_type(col.type, ctx.dialect, dict(ctx.enums), col.collation)
    args = [repr(col.name), t.code]
    imports = set(t.imports) | {SA}
    if col.identity is not None:
        args.append(_identity_code(col.identity))
    if col.computed is not None:
        text = col.computed.raw or col.computed.sqltext
        persisted = (
            f", persisted={col.computed.persisted!r}" if col.computed.persisted is not None else ""
        )
        args.append(f"sa.Computed({text!r}{persisted})")
    default = col.raw_default if col.raw_default is not None else col.server_default
    if default is not None and col.identity is None and col.computed is None:
        args.append(f"server_default={sql_text(rules_for(ctx.dialect).script_default(default))}")
    args.append(f"nullable={col.nullable!r}")
    if col.autoincrement and col.identity is None:
        # SQLite's INTEGER PRIMARY KEY fills itself ("auto"); saying True breaks composite keys
        if rules_for(ctx.dialect).says_autoincrement:
            args.append("autoincrement=True")
    elif in_pk and not col.autoincrement and col.identity is None and _is_integer(col):
        args.append("autoincrement=False")
    if col.comment is not None:
        args.append(kw("comment", col.comment))
    return Code((f"sa.Column({', '.join(args)})",), frozenset(imports))


def _identity_code(identity: Identity, options: dict[str, object] | None = None) -> str:
    """``sa.Identity(...)`` with the options set on ``identity`` (or exactly ``options``)."""
    if options is None:
        options = {"always": identity.always}
        for f in fields(identity):
            value = getattr(identity, f.name)
            if f.name != "always" and value is not None and value is not False:
                options[f.name] = value
    return f"sa.Identity({', '.join(f'{k}={v!r}' for k, v in options.items())})"


def _is_integer(col: Column) -> bool:
    return col.type.sql in ("integer", "bigint", "smallint")


@renders(O.AddColumn)
def _add_column(op: O.AddColumn, ctx: RenderContext, target: str) -> Code:
    col = column_code(op.column, ctx)
    args = table_args(op, target) + [col.lines[0]] + schema_kw(op.schema_name, target)
    return Code((f"{target}.add_column({', '.join(args)})",), col.imports)


@renders(O.DropColumn)
def _drop_column(op: O.DropColumn, ctx: RenderContext, target: str) -> Code:
    args = table_args(op, target) + [repr(op.column.name)] + schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_column({', '.join(args)})",))


@renders(O.AlterColumn)
def _alter_column(op: O.AlterColumn, ctx: RenderContext, target: str) -> Code:
    if "identity" in op.changes and op.new.identity is None and len(op.changes) > 1:
        # the identity goes first: PostgreSQL refuses DROP NOT NULL on an identity column
        plain = replace(op.old, identity=None)
        first = O.AlterColumn(op.schema_name, op.table_name, op.old, plain)
        rest = replace(op, old=plain)
        return _alter_column(first, ctx, target) + _alter_column(rest, ctx, target)
    if "computed" in op.changes:
        # no ALTER for a generation expression: drop and re-add (values are recomputed)
        drop = _drop_column(O.DropColumn(op.schema_name, op.table_name, op.old), ctx, target)
        add = _add_column(O.AddColumn(op.schema_name, op.table_name, op.new), ctx, target)
        return drop + add
    args = table_args(op, target) + [repr(op.new.name)]
    imports: set[str] = {SA}
    changes = op.changes
    old_t = render_type(op.old.type, ctx.dialect, dict(ctx.enums), op.old.collation)
    imports |= old_t.imports
    if "type" in changes or "collation" in changes:
        # a collation is part of the column's type in DDL: changing it is a type change
        new_t = render_type(op.new.type, ctx.dialect, dict(ctx.enums), op.new.collation)
        imports |= new_t.imports
        args.append(f"type_={new_t.code}")
        change = type_change(op, ctx)
        args += [kw(name, value) for name, value in change.kwargs]
    args.append(f"existing_type={old_t.code}")
    if "nullable" in changes:
        args.append(kw("nullable", op.new.nullable))
    args.append(kw("existing_nullable", op.old.nullable))
    old_default = _default_code(op.old, ctx)
    if "server_default" in changes:
        args.append(f"server_default={_default_code(op.new, ctx)}")
    if "identity" in changes and op.new.identity is not None:
        if op.old.identity is None:
            args.append(f"server_default={_identity_code(op.new.identity)}")
        else:
            # every option spelled out on both sides: Alembic SETs the ones that differ
            rules, type_sql = rules_for(ctx.dialect), op.new.type.sql
            new_options = rules.identity_options(op.new.identity, type_sql)
            old_options = rules.identity_options(op.old.identity, op.old.type.sql)
            args.append(f"server_default={_identity_code(op.new.identity, new_options)}")
            old_default = _identity_code(op.old.identity, old_options)
    elif "identity" in changes and op.old.identity is not None:
        args.append("server_default=None")
        old_default = _identity_code(op.old.identity)
    if old_default != "None":
        args.append(f"existing_server_default={old_default}")
    if "comment" in changes:
        args.append(kw("comment", op.new.comment))
    if op.old.comment is not None:
        args.append(kw("existing_comment", op.old.comment))
    if op.old.autoincrement and rules_for(ctx.dialect).alter_restates_column:
        args.append("existing_autoincrement=True")
    args += schema_kw(op.schema_name, target)
    lines = [f"{target}.alter_column({', '.join(args)})"]
    if "type" in changes and change.guard is not None:
        lines.insert(0, f"op.execute({change.guard!r})")
    return Code(tuple(lines), frozenset(imports))


def type_change(op: O.AlterColumn, ctx: RenderContext) -> TypeChange:
    """The backend's way to change the column's type without losing data (see
    :meth:`DialectRules.type_change`)."""
    return rules_for(ctx.dialect).type_change(
        op.schema_name, op.table_name, op.new.name, op.old.type.sql, op.new.type.sql
    )


def _default_code(col: Column, ctx: RenderContext) -> str:
    default = col.raw_default if col.raw_default is not None else col.server_default
    return "None" if default is None else sql_text(rules_for(ctx.dialect).script_default(default))


@renders(O.RenameColumn)
def _rename_column(op: O.RenameColumn, ctx: RenderContext, target: str) -> Code:
    args = table_args(op, target) + [repr(op.old_name), kw("new_column_name", op.new_name)]
    if op.column is not None:
        t = render_type(op.column.type, ctx.dialect, dict(ctx.enums), op.column.collation)
        args.append(f"existing_type={t.code}")
        args.append(kw("existing_nullable", op.column.nullable))
        restates = rules_for(ctx.dialect).alter_restates_column
        if restates and op.column.server_default is not None:
            args.append(f"existing_server_default={_default_code(op.column, ctx)}")
        if op.column.comment is not None:
            args.append(kw("existing_comment", op.column.comment))
        imports = t.imports
    else:
        imports = frozenset()
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(imports) | {SA})


@renders(O.AddAutoincrement, O.DropAutoincrement)
def _autoincrement(
    op: O.AddAutoincrement | O.DropAutoincrement, ctx: RenderContext, target: str
) -> Code:
    add = isinstance(op, O.AddAutoincrement)
    col = op.column
    statements = rules_for(ctx.dialect).autoincrement_sql(op.schema_name, op.table_name, col, add)
    if statements is not None:
        return Code(tuple(f"op.execute({sql!r})" for sql in statements))
    t = render_type(col.type, ctx.dialect, dict(ctx.enums), col.collation)
    args = table_args(op, target) + [repr(col.name), f"existing_type={t.code}"]
    args += [kw("existing_nullable", col.nullable), kw("autoincrement", add)]
    default = _default_code(col, ctx)
    if default != "None":
        args.append(f"existing_server_default={default}")
    if col.comment is not None:
        args.append(kw("existing_comment", col.comment))
    args += schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(t.imports) | {SA})
