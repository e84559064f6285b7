"""Ops -> Python code using Alembic's ``op`` API (pure functions; no database, no state).

Every script we write runs under plain ``alembic upgrade``, so we only emit calls from Alembic's
public operations API, plus raw SQL through ``op.execute`` where that API has no call (enum
types, schemas). On SQLite, changes it cannot ALTER in place are wrapped in
``op.batch_alter_table`` (Alembic's copy-and-move), consecutive ops on one table sharing a block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from schemadiff import ops as O
from schemadiff.dialects import rules_for
from schemadiff.renderers.python_types import SA, render_type
from schemadiff.simulate import apply_in_place
from schemadiff.snapshot import (
    CheckConstraint,
    Column,
    Enum,
    ForeignKey,
    Index,
    IndexElement,
    Table,
    TableKey,
    UniqueConstraint,
)
from schemadiff.typeorder import is_widening

TEXT_IMPORT = SA


@dataclass(frozen=True)
class RenderContext:
    """What renderers need besides the op: the backend, named enums and batch mode."""

    dialect: str
    enums: Mapping[TableKey, Enum] = field(default_factory=dict)
    batch: bool = False
    #: the tables as they are before the ops run: batch blocks then carry the table's definition
    #: (``copy_from``) instead of reflecting it, so scripts also work offline (``--sql``)
    tables: Mapping[TableKey, Table] | None = None


@dataclass(frozen=True)
class Code:
    """Lines of Python (already indented relative to the function body) and their imports."""

    lines: tuple[str, ...] = ()
    imports: frozenset[str] = frozenset()

    def __add__(self, other: Code) -> Code:
        return Code(self.lines + other.lines, self.imports | other.imports)


def render_ops(ops: Sequence[O.Op], ctx: RenderContext) -> Code:
    """The body of ``upgrade()`` / ``downgrade()`` for ``ops`` (``pass`` when empty)."""
    parts: list[Code] = []  # joined once at the end (adding Codes one by one is quadratic)
    state = dict(ctx.tables) if ctx.tables is not None else None
    i = 0
    while i < len(ops):
        op = ops[i]
        if ctx.batch and _needs_batch(op):
            j = i
            key = (op.schema, op.table)
            while j < len(ops) and _needs_batch(ops[j]) and (ops[j].schema, ops[j].table) == key:
                j += 1
            copy_from = state.get(key) if state is not None else None  # type: ignore[arg-type]
            parts.append(_batch_block(ops[i:j], ctx, copy_from))
        else:
            j = i + 1
            parts += (_comment(op), render_op(op, ctx, "op"))
        if state is not None:
            for done in ops[i:j]:
                apply_in_place(state, done)
        i = j
    lines = tuple(line for part in parts for line in part.lines)
    if not lines:
        return Code(("pass",))
    return Code(lines, frozenset().union(*(part.imports for part in parts)))


def render_op(op: O.Op, ctx: RenderContext, target: str = "op") -> Code:
    """Code for one op; ``target`` is ``op`` or ``batch_op``."""
    renderer = _RENDERERS.get(type(op))
    if renderer is None:
        raise TypeError(f"no script renderer for {type(op).__name__}")
    return renderer(op, ctx, target)


def _comment(op: O.Op) -> Code:
    lines = [f"# {op.describe()}"]
    if isinstance(op, O.AddColumn) and op.needs_backfill:
        lines.append(
            "# WARNING: NOT NULL column without a default fails on a table with rows: give it a "
        )
        lines.append(
            "# server_default, or add it nullable, fill it (op.execute), then set nullable=False."
        )
    if op.destructive:
        lines.append("# (destructive: review before running on data you want to keep)")
    return Code(tuple(lines))


# --- batch mode (SQLite) ---------------------------------------------------------------------

_BATCH_KINDS = (
    O.AlterColumn,
    O.DropColumn,
    O.AddPrimaryKey,
    O.DropPrimaryKey,
    O.AddUniqueConstraint,
    O.DropUniqueConstraint,
    O.AddForeignKey,
    O.DropForeignKey,
    O.AddCheckConstraint,
    O.DropCheckConstraint,
)
# RenameColumn stays outside: SQLite renames in place, and inside a batch block Alembic would
# keep addressing the column by its old name for the rest of the block.

#: names given to SQLite's unnamed constraints while a batch block reflects the table
SQLITE_BATCH_NAMING = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _needs_batch(op: O.Op) -> bool:
    return isinstance(op, _BATCH_KINDS)


def _batch_block(ops: Sequence[O.Op], ctx: RenderContext, copy_from: Table | None) -> Code:
    first = ops[0]
    args = [repr(first.table)]
    if first.schema:
        args.append(f"schema={first.schema!r}")
    imports: frozenset[str] = frozenset()
    if copy_from is not None:
        table = _table_expr(copy_from, ctx)
        args.append(f"copy_from={table.lines[0]}")
        imports = table.imports
    else:
        args.append(f"naming_convention={SQLITE_BATCH_NAMING!r}")
    head = f"with op.batch_alter_table({', '.join(args)}) as batch_op:"
    body = Code()
    for op in ops:
        body += _comment(op) + render_op(op, ctx, "batch_op")
    return Code((head, *("    " + line for line in body.lines)), body.imports | imports)


# --- helpers -------------------------------------------------------------------------------


def _kw(name: str, value: object) -> str:
    return f"{name}={value!r}"


def _call(target: str, method: str, args: Sequence[str], batch: bool = False) -> str:
    return f"{target}.{method}({', '.join(args)})"


def _table_args(op: O.Op, target: str) -> list[str]:
    """Leading ``table_name`` argument, omitted inside a batch block."""
    return [] if target == "batch_op" else [repr(op.table)]


def _schema_kw(schema: str | None, target: str) -> list[str]:
    return [_kw("schema", schema)] if schema and target != "batch_op" else []


def _sql_text(text: str) -> str:
    return f"sa.text({text!r})"


def column_code(col: Column, ctx: RenderContext, in_pk: bool = False) -> Code:
    """``sa.Column(...)`` for a snapshot column; ``in_pk`` when it is part of the primary key
    (an integer key column would otherwise become SERIAL/AUTO_INCREMENT by default)."""
    t = render_type(col.type, ctx.dialect, dict(ctx.enums))
    args = [repr(col.name), t.code]
    imports = set(t.imports) | {SA}
    if col.identity is not None:
        ident = [f"always={col.identity.always!r}"]
        if col.identity.start is not None:
            ident.append(f"start={col.identity.start!r}")
        if col.identity.increment is not None:
            ident.append(f"increment={col.identity.increment!r}")
        args.append(f"sa.Identity({', '.join(ident)})")
    if col.computed is not None:
        text = col.computed.raw or col.computed.sqltext
        persisted = (
            f", persisted={col.computed.persisted!r}" if col.computed.persisted is not None else ""
        )
        args.append(f"sa.Computed({text!r}{persisted})")
    default = col.raw_default if col.raw_default is not None else col.server_default
    if default is not None and col.identity is None and col.computed is None:
        args.append(f"server_default={_sql_text(default)}")
    args.append(f"nullable={col.nullable!r}")
    if col.autoincrement and col.identity is None:
        # SQLite's INTEGER PRIMARY KEY fills itself ("auto"); saying True breaks composite keys
        if ctx.dialect != "sqlite":
            args.append("autoincrement=True")
    elif in_pk and not col.autoincrement and col.identity is None and _is_integer(col):
        args.append("autoincrement=False")
    if col.comment is not None:
        args.append(_kw("comment", col.comment))
    return Code((f"sa.Column({', '.join(args)})",), frozenset(imports))


def _is_integer(col: Column) -> bool:
    return col.type.sql in ("integer", "bigint", "smallint")


def _fk_options(fk: ForeignKey) -> list[str]:
    out = []
    if fk.ondelete:
        out.append(_kw("ondelete", fk.ondelete))
    if fk.onupdate:
        out.append(_kw("onupdate", fk.onupdate))
    if fk.deferrable is not None:
        out.append(_kw("deferrable", fk.deferrable))
    if fk.initially:
        out.append(_kw("initially", fk.initially))
    return out


def _check_text(ck: CheckConstraint) -> str:
    return ck.raw or ck.sqltext


def _index_columns(index: Index, ctx: RenderContext) -> tuple[list[str], bool]:
    """Index elements as ``create_index`` arguments; True when any needs ``sa.text``.

    A plain column is its name (its operator class goes in ``postgresql_ops``); anything else
    is text in ``CREATE INDEX`` grammar: the expression as the backend wants it (in
    parentheses), then the operator class, then the order (``(jb -> 'x') jsonb_path_ops``,
    ``x text_pattern_ops DESC``), so that nothing is lost when an index is recreated."""
    cols: list[str] = []
    uses_text = False
    rules = rules_for(ctx.dialect)
    for e in index.elements:
        if _plain_column(e):
            cols.append(repr(e.expr))
            continue
        uses_text = True
        if e.is_expression:
            text = rules.index_expression_sql(e.raw or e.expr)
        else:
            text = rules.quote_identifier(e.expr)
        if e.opclass:
            text += f" {e.opclass}"
        if e.descending:
            text += " DESC"
        if e.nulls:
            text += f" NULLS {e.nulls.upper()}"
        cols.append(_sql_text(text))
    return cols, uses_text


def _plain_column(e: IndexElement) -> bool:
    return not (e.is_expression or e.descending or e.nulls)


def _index_dialect_kw(index: Index, ctx: RenderContext) -> list[str]:
    out = []
    if ctx.dialect == "postgresql":
        if index.where:
            out.append(f"postgresql_where={_sql_text(index.raw_where or index.where)}")
        if index.using:
            out.append(_kw("postgresql_using", index.using))
        if index.include:
            out.append(_kw("postgresql_include", list(index.include)))
        opclasses = {e.expr: e.opclass for e in index.elements if e.opclass and _plain_column(e)}
        if opclasses:
            out.append(_kw("postgresql_ops", opclasses))
        if index.nulls_not_distinct:
            out.append("postgresql_nulls_not_distinct=True")
    elif ctx.dialect in ("mysql", "mariadb"):
        lengths = {e.expr: e.length for e in index.elements if e.length and not e.is_expression}
        if lengths:
            out.append(_kw("mysql_length", lengths))
        if index.using in ("fulltext", "spatial"):
            out.append(_kw("mysql_prefix", index.using.upper()))
    elif ctx.dialect == "sqlite" and index.where:
        out.append(f"sqlite_where={_sql_text(index.raw_where or index.where)}")
    return out


def _unique_kw(unique: UniqueConstraint) -> list[str]:
    return ["postgresql_nulls_not_distinct=True"] if unique.nulls_not_distinct else []


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _enum_name(enum: Enum) -> str:
    return (_quote_ident(enum.schema) + "." if enum.schema else "") + _quote_ident(enum.name)


# --- per-op renderers ------------------------------------------------------------------------


def _create_schema(op: O.CreateSchema, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute(sa.schema.CreateSchema({op.schema_name!r}))",), frozenset({SA}))


def _drop_schema(op: O.DropSchema, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute(sa.schema.DropSchema({op.schema_name!r}))",), frozenset({SA}))


def _create_enum(op: O.CreateEnum, ctx: RenderContext, target: str) -> Code:
    values = ", ".join(_sql_literal(v) for v in op.enum.values)
    sql = f"CREATE TYPE {_enum_name(op.enum)} AS ENUM ({values})"
    return Code((f"op.execute({sql!r})",))


def _drop_enum(op: O.DropEnum, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute({f'DROP TYPE {_enum_name(op.enum)}'!r})",))


def _add_enum_value(op: O.AddEnumValue, ctx: RenderContext, target: str) -> Code:
    sql = f"ALTER TYPE {_enum_name(op.new)} ADD VALUE IF NOT EXISTS {_sql_literal(op.value)}"
    if op.before is not None:
        sql += f" BEFORE {_sql_literal(op.before)}"
    elif op.after is not None:
        sql += f" AFTER {_sql_literal(op.after)}"
    # ADD VALUE cannot run inside a transaction block on older PostgreSQL, and a new value cannot
    # be used in the transaction that adds it: run it in its own autocommit block.
    return Code(
        (
            "with op.get_context().autocommit_block():",
            f"    op.execute({sql!r})",
        )
    )


def _replace_enum(op: O.ReplaceEnum, ctx: RenderContext, target: str) -> Code:
    old_name = op.old.name + "_old"
    qualified_old = (_quote_ident(op.old.schema) + "." if op.old.schema else "") + _quote_ident(
        old_name
    )
    values = ", ".join(_sql_literal(v) for v in op.new.values)
    lines = [
        f"op.execute({f'ALTER TYPE {_enum_name(op.old)} RENAME TO {_quote_ident(old_name)}'!r})",
        f"op.execute({f'CREATE TYPE {_enum_name(op.new)} AS ENUM ({values})'!r})",
    ]
    for schema, table, column, default in op.columns:
        qtable = (_quote_ident(schema) + "." if schema else "") + _quote_ident(table)
        qcol = _quote_ident(column)
        alter = f"ALTER TABLE {qtable} ALTER COLUMN {qcol}"
        if default is not None:
            lines.append(f"op.execute({f'{alter} DROP DEFAULT'!r})")
        sql = f"{alter} TYPE {_enum_name(op.new)} USING {qcol}::text::{_enum_name(op.new)}"
        lines.append(f"op.execute({sql!r})")
        if default is not None:
            lines.append(f"op.execute({f'{alter} SET DEFAULT {default}'!r})")
    lines.append(f"op.execute({f'DROP TYPE {qualified_old}'!r})")
    return Code(tuple(lines))


def _create_table(op: O.CreateTable, ctx: RenderContext, target: str) -> Code:
    table: Table = op.table_obj
    items = _table_items(table, ctx)
    lines = [f"op.create_table({', '.join((repr(table.name), *items.lines))})"]
    code = Code(tuple(lines), items.imports)
    for index in table.indexes:
        code += _create_index(O.CreateIndex(table.schema, table.name, index), ctx, "op")
    if ctx.dialect in ("mysql", "mariadb"):
        code += _implied_fk_indexes(table)
    return code


def _table_expr(table: Table, ctx: RenderContext) -> Code:
    """``sa.Table(...)`` with the table's columns, constraints and indexes (for ``copy_from``)."""
    items = _table_items(table, ctx)
    # unnamed constraints get the names the batch ops drop them by
    parts = [repr(table.name), f"sa.MetaData(naming_convention={SQLITE_BATCH_NAMING!r})"]
    parts += items.lines
    for index in table.indexes:
        cols, _ = _index_columns(index, ctx)
        kw = ["unique=True"] if index.unique else []
        kw += _index_dialect_kw(index, ctx)
        parts.append(f"sa.Index({', '.join([repr(index.name), *cols, *kw])})")
    return Code((f"sa.Table({', '.join(parts)})",), items.imports | {SA})


def _table_items(table: Table, ctx: RenderContext) -> Code:
    """The ``Table``/``create_table`` arguments after the name: columns, constraints, options;
    one per line of the returned Code."""
    parts: list[str] = []
    imports: set[str] = {SA}
    pk_cols = set(table.primary_key.columns) if table.primary_key else set()
    for col in table.columns:
        c = column_code(col, ctx, col.name in pk_cols)
        parts.append(c.lines[0])
        imports |= c.imports
    if table.primary_key is not None:
        cols = ", ".join(repr(c) for c in table.primary_key.columns)
        name = f", name={table.primary_key.name!r}" if table.primary_key.name else ""
        parts.append(f"sa.PrimaryKeyConstraint({cols}{name})")
    for uq in table.unique_constraints:
        cols = ", ".join(repr(c) for c in uq.columns)
        name = f", name={uq.name!r}" if uq.name else ""
        options = "".join(f", {kw}" for kw in _unique_kw(uq))
        parts.append(f"sa.UniqueConstraint({cols}{name}{options})")
    for fk in table.foreign_keys:
        ref = ".".join(x for x in (fk.referred_schema, fk.referred_table) if x)
        remote = ", ".join(repr(f"{ref}.{c}") for c in fk.referred_columns)
        local = ", ".join(repr(c) for c in fk.columns)
        extra = [_kw("name", fk.name)] if fk.name else []
        extra += _fk_options(fk)
        tail = (", " + ", ".join(extra)) if extra else ""
        parts.append(f"sa.ForeignKeyConstraint([{local}], [{remote}]{tail})")
    for ck in table.check_constraints:
        name = f", name={ck.name!r}" if ck.name else ""
        parts.append(f"sa.CheckConstraint({_check_text(ck)!r}{name})")
    if table.schema:
        parts.append(_kw("schema", table.schema))
    if table.comment is not None:
        parts.append(_kw("comment", table.comment))
    return Code(tuple(parts), frozenset(imports))


def _implied_fk_indexes(table: Table) -> Code:
    """Recreate a foreign key's server-made index under its original name (MySQL names it after
    the key or the column, depending on how the key was declared); the server then silently
    drops the one it just made for the key."""
    lines = []
    for fk in table.foreign_keys:
        if fk.implied_index and fk.implied_index != fk.name:
            args = [repr(fk.implied_index), repr(table.name), repr(list(fk.columns))]
            args += _schema_kw(table.schema, "op")
            lines.append(f"op.create_index({', '.join(args)})")
    return Code(tuple(lines))


def _drop_table(op: O.DropTable, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.table)] + _schema_kw(op.schema, "op")
    return Code((f"op.drop_table({', '.join(args)})",))


def _rename_table(op: O.RenameTable, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.old_name), repr(op.new_name)] + _schema_kw(op.schema_name, "op")
    lines = [f"op.rename_table({', '.join(args)})"]
    if ctx.dialect == "postgresql":
        prefix = _quote_ident(op.schema_name) + "." if op.schema_name else ""
        for col in op.serial_columns:
            old_seq = _quote_ident(f"{op.old_name}_{col}_seq"[:63])
            new_seq = _quote_ident(f"{op.new_name}_{col}_seq"[:63])
            sql = f"ALTER SEQUENCE IF EXISTS {prefix}{old_seq} RENAME TO {new_seq}"
            lines.append(f"op.execute({sql!r})")
    return Code(tuple(lines))


def _alter_table_comment(op: O.AlterTableComment, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.table_name)]
    if op.new_comment is None:
        args.append(_kw("existing_comment", op.old_comment))
        args += _schema_kw(op.schema_name, "op")
        return Code((f"op.drop_table_comment({', '.join(args)})",))
    args.append(repr(op.new_comment))
    args.append(_kw("existing_comment", op.old_comment))
    args += _schema_kw(op.schema_name, "op")
    return Code((f"op.create_table_comment({', '.join(args)})",))


def _add_column(op: O.AddColumn, ctx: RenderContext, target: str) -> Code:
    col = column_code(op.column, ctx)
    args = _table_args(op, target) + [col.lines[0]] + _schema_kw(op.schema_name, target)
    return Code((f"{target}.add_column({', '.join(args)})",), col.imports)


def _drop_column(op: O.DropColumn, ctx: RenderContext, target: str) -> Code:
    args = _table_args(op, target) + [repr(op.column.name)] + _schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_column({', '.join(args)})",))


def _alter_column(op: O.AlterColumn, ctx: RenderContext, target: str) -> Code:
    if "computed" in op.changes:
        # no ALTER for a generation expression: drop and re-add (values are recomputed)
        drop = _drop_column(O.DropColumn(op.schema_name, op.table_name, op.old), ctx, target)
        add = _add_column(O.AddColumn(op.schema_name, op.table_name, op.new), ctx, target)
        return drop + add
    args = _table_args(op, target) + [repr(op.new.name)]
    imports: set[str] = {SA}
    changes = op.changes
    old_t = render_type(op.old.type, ctx.dialect, dict(ctx.enums))
    imports |= old_t.imports
    if "type" in changes:
        new_t = render_type(op.new.type, ctx.dialect, dict(ctx.enums))
        imports |= new_t.imports
        args.append(f"type_={new_t.code}")
        if ctx.dialect == "postgresql" and not is_widening(op.old.type.sql, op.new.type.sql):
            # PostgreSQL refuses conversions without an assignment cast (text -> integer)
            args.append(_kw("postgresql_using", _pg_using(op.new.name, op.new.type.sql)))
    args.append(f"existing_type={old_t.code}")
    if "nullable" in changes:
        args.append(_kw("nullable", op.new.nullable))
    args.append(_kw("existing_nullable", op.old.nullable))
    old_default = _default_code(op.old)
    if "server_default" in changes:
        args.append(f"server_default={_default_code(op.new)}")
    if "identity" in changes and op.new.identity is not None:
        ident = op.new.identity
        kw = [f"always={ident.always!r}"]
        if ident.start is not None:
            kw.append(f"start={ident.start!r}")
        if ident.increment is not None:
            kw.append(f"increment={ident.increment!r}")
        args.append(f"server_default=sa.Identity({', '.join(kw)})")
    elif "identity" in changes and op.old.identity is not None:
        args.append("server_default=None")
        old_default = f"sa.Identity(always={op.old.identity.always!r})"
    if old_default != "None":
        args.append(f"existing_server_default={old_default}")
    if "comment" in changes:
        args.append(_kw("comment", op.new.comment))
    if op.old.comment is not None:
        args.append(_kw("existing_comment", op.old.comment))
    if op.old.autoincrement and ctx.dialect in ("mysql", "mariadb"):
        args.append("existing_autoincrement=True")
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(imports))


_PG_CAST_NAMES = {"double": "double precision", "timestamptz": "timestamp with time zone"}


def _pg_using(column: str, type_sql: str) -> str:
    """``"code"::integer``: the USING clause of a PostgreSQL type change."""
    target = _PG_CAST_NAMES.get(type_sql, type_sql)
    if target.startswith("enum(") and not target.startswith("enum('"):
        target = target[len("enum(") : -1]
    return f"{_quote_ident(column)}::{target}"


def _default_code(col: Column) -> str:
    default = col.raw_default if col.raw_default is not None else col.server_default
    return "None" if default is None else _sql_text(default)


def _rename_column(op: O.RenameColumn, ctx: RenderContext, target: str) -> Code:
    args = _table_args(op, target) + [repr(op.old_name), _kw("new_column_name", op.new_name)]
    if op.column is not None:
        t = render_type(op.column.type, ctx.dialect, dict(ctx.enums))
        args.append(f"existing_type={t.code}")
        args.append(_kw("existing_nullable", op.column.nullable))
        if ctx.dialect in ("mysql", "mariadb") and op.column.server_default is not None:
            args.append(f"existing_server_default={_default_code(op.column)}")
        if op.column.comment is not None:
            args.append(_kw("existing_comment", op.column.comment))
        imports = t.imports
    else:
        imports = frozenset()
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(imports) | {SA})


def _constraint_name(name: str | None, what: str) -> str:
    if name is None:
        raise ValueError(
            f"cannot drop an unnamed {what}: give it a name in the models (a naming convention "
            "on MetaData names every constraint)"
        )
    return repr(name)


def _add_pk(op: O.AddPrimaryKey, ctx: RenderContext, target: str) -> Code:
    name = repr(op.constraint.name) if op.constraint.name else repr(f"pk_{op.table_name}")
    if target == "batch_op":
        args = [name, repr(list(op.constraint.columns))]
    else:
        args = [name, repr(op.table_name), repr(list(op.constraint.columns))]
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.create_primary_key({', '.join(args)})",))


def _drop_pk(op: O.DropPrimaryKey, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None:
        name = "PRIMARY" if ctx.dialect in ("mysql", "mariadb") else f"pk_{op.table_name}"
    args = [repr(name)] + _table_args(op, target) + ["type_='primary'"]
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))


def _add_unique(op: O.AddUniqueConstraint, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.constraint.name)] + _table_args(op, target)
    args.append(repr(list(op.constraint.columns)))
    args += _schema_kw(op.schema_name, target)
    args += _unique_kw(op.constraint)
    return Code((f"{target}.create_unique_constraint({', '.join(args)})",))


def _drop_unique(op: O.DropUniqueConstraint, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None and target == "batch_op":
        name = f"uq_{op.table_name}_{'_'.join(op.constraint.columns)}"
    args = [_constraint_name(name, "unique constraint")] + _table_args(op, target)
    args.append("type_='unique'")
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))


def _add_fk(op: O.AddForeignKey, ctx: RenderContext, target: str) -> Code:
    fk = op.constraint
    args = [repr(fk.name)] + _table_args(op, target)
    args += [repr(fk.referred_table), repr(list(fk.columns)), repr(list(fk.referred_columns))]
    if op.schema_name and target != "batch_op":
        args.append(_kw("source_schema", op.schema_name))
    if fk.referred_schema:
        args.append(_kw("referent_schema", fk.referred_schema))
    args += _fk_options(fk)
    return Code((f"{target}.create_foreign_key({', '.join(args)})",))


def _drop_fk(op: O.DropForeignKey, ctx: RenderContext, target: str) -> Code:
    name = op.constraint.name
    if name is None and target == "batch_op":
        cols = "_".join(op.constraint.columns)
        name = f"fk_{op.table_name}_{cols}_{op.constraint.referred_table}"
    args = [_constraint_name(name, "foreign key")] + _table_args(op, target)
    args.append("type_='foreignkey'")
    args += _schema_kw(op.schema_name, target)
    lines = [f"{target}.drop_constraint({', '.join(args)})"]
    implied = op.constraint.implied_index
    if implied and ctx.dialect in ("mysql", "mariadb"):
        # the server keeps the index it made for the key; it goes with the key
        index_args = [repr(implied), _kw("table_name", op.table_name)]
        index_args += _schema_kw(op.schema_name, "op")
        lines.append(f"op.drop_index({', '.join(index_args)})")
    return Code(tuple(lines))


def _add_check(op: O.AddCheckConstraint, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.constraint.name)] + _table_args(op, target)
    args.append(repr(_check_text(op.constraint)))
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.create_check_constraint({', '.join(args)})",))


def _drop_check(op: O.DropCheckConstraint, ctx: RenderContext, target: str) -> Code:
    args = [_constraint_name(op.constraint.name, "check constraint")] + _table_args(op, target)
    args.append("type_='check'")
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.drop_constraint({', '.join(args)})",))


def _create_index(op: O.CreateIndex, ctx: RenderContext, target: str) -> Code:
    cols, uses_text = _index_columns(op.index, ctx)
    args = [repr(op.index.name), repr(op.table_name), f"[{', '.join(cols)}]"]
    if op.index.unique:
        args.append("unique=True")
    args += _schema_kw(op.schema_name, "op")
    kw = _index_dialect_kw(op.index, ctx)
    imports = frozenset({SA}) if uses_text or kw else frozenset()
    return Code((f"op.create_index({', '.join(args + kw)})",), imports)


def _drop_index(op: O.DropIndex, ctx: RenderContext, target: str) -> Code:
    args = [repr(op.index.name), _kw("table_name", op.table_name)]
    args += _schema_kw(op.schema_name, "op")
    return Code((f"op.drop_index({', '.join(args)})",))


def _execute_sql(op: O.ExecuteSQL, ctx: RenderContext, target: str) -> Code:
    return Code((f"op.execute({op.sql!r})",))


_RENDERERS: dict[type, Callable[..., Code]] = {
    O.CreateSchema: _create_schema,
    O.DropSchema: _drop_schema,
    O.CreateEnum: _create_enum,
    O.DropEnum: _drop_enum,
    O.AddEnumValue: _add_enum_value,
    O.ReplaceEnum: _replace_enum,
    O.CreateTable: _create_table,
    O.DropTable: _drop_table,
    O.RenameTable: _rename_table,
    O.AlterTableComment: _alter_table_comment,
    O.AddColumn: _add_column,
    O.DropColumn: _drop_column,
    O.AlterColumn: _alter_column,
    O.RenameColumn: _rename_column,
    O.AddPrimaryKey: _add_pk,
    O.DropPrimaryKey: _drop_pk,
    O.AddUniqueConstraint: _add_unique,
    O.DropUniqueConstraint: _drop_unique,
    O.AddForeignKey: _add_fk,
    O.DropForeignKey: _drop_fk,
    O.AddCheckConstraint: _add_check,
    O.DropCheckConstraint: _drop_check,
    O.CreateIndex: _create_index,
    O.DropIndex: _drop_index,
    O.ExecuteSQL: _execute_sql,
}
