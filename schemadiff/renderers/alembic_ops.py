"""Ops -> Python code using Alembic's ``op`` API (pure functions; no database, no state).

Every script we write runs under plain ``alembic upgrade``, so we only emit calls from Alembic's
public operations API, plus raw SQL through ``op.execute`` where that API has no call (enum
types, schemas). On SQLite, changes it cannot ALTER in place are wrapped in
``op.batch_alter_table`` (Alembic's copy-and-move), consecutive ops on one table sharing a block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace

from schemadiff import ops as O
from schemadiff.dialects import rules_for
from schemadiff.dialects.base import TypeChange
from schemadiff.renderers.python_types import SA, render_type
from schemadiff.simulate import apply_in_place
from schemadiff.snapshot import (
    CheckConstraint,
    Column,
    DbObject,
    Enum,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    Table,
    TableKey,
    UniqueConstraint,
)

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
    #: the database's uncompared objects (views, triggers...) when the script is written
    objects: tuple[DbObject, ...] = ()


@dataclass(frozen=True)
class Code:
    """Lines of Python (already indented relative to the function body), their imports, and
    module-level helper code they call (functions a script carries, as it imports nothing
    from schemadiff)."""

    lines: tuple[str, ...] = ()
    imports: frozenset[str] = frozenset()
    helpers: frozenset[str] = frozenset()

    def __add__(self, other: Code) -> Code:
        return Code(
            self.lines + other.lines, self.imports | other.imports, self.helpers | other.helpers
        )


def render_ops(ops: Sequence[O.Op], ctx: RenderContext) -> Code:
    """The body of ``upgrade()`` / ``downgrade()`` for ``ops`` (``pass`` when empty)."""
    parts: list[Code] = []  # joined once at the end (adding Codes one by one is quadratic)
    state = dict(ctx.tables) if ctx.tables is not None else None
    i = 0
    while i < len(ops):
        op = ops[i]
        j, batched = _batch_run(ops, i, ctx) if ctx.batch else (i + 1, False)
        if batched:
            key = (op.schema, op.table)
            copy_from = state.get(key) if state is not None else None  # type: ignore[arg-type]
            parts.append(_batch_block(ops[i:j], ctx, copy_from))
        else:
            for plain in ops[i:j]:
                parts += (_comment(plain, ctx), render_op(plain, ctx, "op"))
        if state is not None:
            for done in ops[i:j]:
                apply_in_place(state, done)
        i = j
    lines = tuple(line for part in parts for line in part.lines)
    if not lines:
        return Code(("pass",))
    imports = frozenset().union(*(part.imports for part in parts))
    return Code(lines, imports, frozenset().union(*(part.helpers for part in parts)))


def render_op(op: O.Op, ctx: RenderContext, target: str = "op") -> Code:
    """Code for one op; ``target`` is ``op`` or ``batch_op``."""
    renderer = _RENDERERS.get(type(op))
    if renderer is None:
        raise TypeError(f"no script renderer for {type(op).__name__}")
    return renderer(op, ctx, target)


def _comment(op: O.Op, ctx: RenderContext) -> Code:
    lines = [f"# {op.describe()}"]
    if isinstance(op, O.AlterColumn) and "type" in op.changes:
        note = _type_change(op, ctx).note
        if note is not None:
            lines.append(f"# {note}")
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
    O.AlterTableOptions,
)
# RenameColumn stays outside: SQLite renames in place, and inside a batch block Alembic would
# keep addressing the column by its old name for the rest of the block.

#: names given to SQLite's unnamed constraints while a batch block reflects the table
SQLITE_BATCH_NAMING = {
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _needs_batch(op: O.Op, ctx: RenderContext) -> bool:
    return isinstance(op, _BATCH_KINDS) or _rebuilt_add(op, ctx)


def _rebuilt_add(op: O.Op, ctx: RenderContext) -> bool:
    """An added column the backend cannot ``ADD COLUMN`` in place (see
    :meth:`~schemadiff.dialects.base.DialectRules.adds_column_in_place`)."""
    return isinstance(op, O.AddColumn) and not rules_for(ctx.dialect).adds_column_in_place(
        op.column
    )


def _batch_run(ops: Sequence[O.Op], i: int, ctx: RenderContext) -> tuple[int, bool]:
    """The consecutive ops on one table from ``ops[i]`` that batch mode can run (added columns
    too, so that one rebuild makes them all), and whether they form a block: only when one of
    them needs the rebuild. A lone op of another kind is a run of one."""
    key = (ops[i].schema, ops[i].table)
    j = i
    while (
        j < len(ops)
        and isinstance(ops[j], (*_BATCH_KINDS, O.AddColumn))
        and (ops[j].schema, ops[j].table) == key
    ):
        j += 1
    if j == i:
        return i + 1, False
    return j, any(_needs_batch(op, ctx) for op in ops[i:j])


def _batch_block(ops: Sequence[O.Op], ctx: RenderContext, copy_from: Table | None) -> Code:
    first = ops[0]
    args = [repr(first.table)]
    if first.schema:
        args.append(f"schema={first.schema!r}")
    options = _option_args(ops)
    if options:
        args += options
    elif any(_rebuilt_add(op, ctx) for op in ops):
        # batch mode's "auto" would ALTER a block of added columns in place
        args.append('recreate="always"')
    imports: frozenset[str] = frozenset()
    targets: Sequence[O.Op] = ops
    if copy_from is not None:
        targets, copy_from = _name_dropped_checks(ops, copy_from)
        table = _table_expr(copy_from, ctx)
        args.append(f"copy_from={table.lines[0]}")
        imports = table.imports
    else:
        args.append(f"naming_convention={SQLITE_BATCH_NAMING!r}")
    head = f"with op.batch_alter_table({', '.join(args)}) as batch_op:"
    body = Code()
    for op, target in zip(ops, targets, strict=True):
        body += _comment(op, ctx) + render_op(target, ctx, "batch_op")
    if all(isinstance(op, O.AlterTableOptions) for op in ops):
        body += Code(("pass",))  # the rebuild itself is the change
    block = Code((head, *("    " + line for line in body.lines)), body.imports | imports)
    if first.table is None or first.schema:
        return block
    guard = rules_for(ctx.dialect).rebuild_guard(first.table, ctx.objects)
    if guard is None:
        return block
    return Code(
        (f"with {guard.call}:", *("    " + line for line in block.lines)),
        block.imports | guard.imports,
        frozenset({guard.helpers}),
    )


def _name_dropped_checks(ops: Sequence[O.Op], table: Table) -> tuple[list[O.Op], Table]:
    """SQLite keeps checks without a name, and batch mode drops a constraint by name only: each
    unnamed check the block drops gets a name in the table definition the rebuild starts from
    (``copy_from``) and is dropped by it. The name never reaches the database."""
    checks = list(table.check_constraints)
    taken = {c.name for c in checks} | {
        op.constraint.name for op in ops if isinstance(op, O.AddCheckConstraint)
    }
    out: list[O.Op] = []
    for op in ops:
        if isinstance(op, O.DropCheckConstraint) and op.constraint.name is None:
            index = next((i for i, c in enumerate(checks) if c == op.constraint), None)
            if index is not None:
                n = 1
                while f"{table.name}_unnamed_check_{n}" in taken:
                    n += 1
                named = replace(checks[index], name=f"{table.name}_unnamed_check_{n}")
                taken.add(named.name)
                checks[index] = named
                op = replace(op, constraint=named)
        out.append(op)
    return out, replace(table, check_constraints=tuple(checks))


def _option_args(ops: Sequence[O.Op]) -> list[str]:
    """A table option change rebuilds the table with the new options (``table_kwargs`` win
    over ``copy_from``'s), even when no other op of the block needs a rebuild."""
    kwargs: dict[str, str] = {}
    for op in ops:
        if isinstance(op, O.AlterTableOptions):
            kwargs.update(op.table_kwargs())
    if not kwargs:
        return []
    items = ", ".join(f"{k!r}: {v}" for k, v in kwargs.items())
    return ['recreate="always"', f"table_kwargs={{{items}}}"]


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
        args.append(f"server_default={_sql_text(rules_for(ctx.dialect).script_default(default))}")
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
    parts += [f"{key}={value}" for key, value in table.options]
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


def _alter_table_options(op: O.AlterTableOptions, ctx: RenderContext, target: str) -> Code:
    """Nothing inside a batch block (its head carries the options); alone, a block of its own."""
    if target == "batch_op":
        return Code()
    return _batch_block([op], ctx, None)


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
    args = _table_args(op, target) + [repr(op.new.name)]
    imports: set[str] = {SA}
    changes = op.changes
    old_t = render_type(op.old.type, ctx.dialect, dict(ctx.enums), op.old.collation)
    imports |= old_t.imports
    if "type" in changes or "collation" in changes:
        # a collation is part of the column's type in DDL: changing it is a type change
        new_t = render_type(op.new.type, ctx.dialect, dict(ctx.enums), op.new.collation)
        imports |= new_t.imports
        args.append(f"type_={new_t.code}")
        change = _type_change(op, ctx)
        args += [_kw(name, value) for name, value in change.kwargs]
    args.append(f"existing_type={old_t.code}")
    if "nullable" in changes:
        args.append(_kw("nullable", op.new.nullable))
    args.append(_kw("existing_nullable", op.old.nullable))
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
        args.append(_kw("comment", op.new.comment))
    if op.old.comment is not None:
        args.append(_kw("existing_comment", op.old.comment))
    if op.old.autoincrement and ctx.dialect in ("mysql", "mariadb"):
        args.append("existing_autoincrement=True")
    args += _schema_kw(op.schema_name, target)
    lines = [f"{target}.alter_column({', '.join(args)})"]
    if "type" in changes and change.guard is not None:
        lines.insert(0, f"op.execute({change.guard!r})")
    return Code(tuple(lines), frozenset(imports))


def _type_change(op: O.AlterColumn, ctx: RenderContext) -> TypeChange:
    """The backend's way to change the column's type without losing data (see
    :meth:`DialectRules.type_change`)."""
    return rules_for(ctx.dialect).type_change(
        op.schema_name, op.table_name, op.new.name, op.old.type.sql, op.new.type.sql
    )


def _default_code(col: Column, ctx: RenderContext) -> str:
    default = col.raw_default if col.raw_default is not None else col.server_default
    return "None" if default is None else _sql_text(rules_for(ctx.dialect).script_default(default))


def _rename_column(op: O.RenameColumn, ctx: RenderContext, target: str) -> Code:
    args = _table_args(op, target) + [repr(op.old_name), _kw("new_column_name", op.new_name)]
    if op.column is not None:
        t = render_type(op.column.type, ctx.dialect, dict(ctx.enums), op.column.collation)
        args.append(f"existing_type={t.code}")
        args.append(_kw("existing_nullable", op.column.nullable))
        if ctx.dialect in ("mysql", "mariadb") and op.column.server_default is not None:
            args.append(f"existing_server_default={_default_code(op.column, ctx)}")
        if op.column.comment is not None:
            args.append(_kw("existing_comment", op.column.comment))
        imports = t.imports
    else:
        imports = frozenset()
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(imports) | {SA})


def _autoincrement(
    op: O.AddAutoincrement | O.DropAutoincrement, ctx: RenderContext, target: str
) -> Code:
    add = isinstance(op, O.AddAutoincrement)
    col = op.column
    statements = rules_for(ctx.dialect).autoincrement_sql(op.schema_name, op.table_name, col, add)
    if statements is not None:
        return Code(tuple(f"op.execute({sql!r})" for sql in statements))
    t = render_type(col.type, ctx.dialect, dict(ctx.enums), col.collation)
    args = _table_args(op, target) + [repr(col.name), f"existing_type={t.code}"]
    args += [_kw("existing_nullable", col.nullable), _kw("autoincrement", add)]
    default = _default_code(col, ctx)
    if default != "None":
        args.append(f"existing_server_default={default}")
    if col.comment is not None:
        args.append(_kw("existing_comment", col.comment))
    args += _schema_kw(op.schema_name, target)
    return Code((f"{target}.alter_column({', '.join(args)})",), frozenset(t.imports) | {SA})


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
    lines = [f"{target}.create_foreign_key({', '.join(args)})"]
    if fk.name and fk.implied_index and fk.implied_index != fk.name:
        if ctx.dialect in ("mysql", "mariadb"):
            # the server names the key's new index after the key: its own name comes back
            lines += _implied_fk_indexes(
                Table(op.table_name, op.schema_name, foreign_keys=(fk,))
            ).lines
    return Code(tuple(lines))


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
    O.AlterTableOptions: _alter_table_options,
    O.AddColumn: _add_column,
    O.DropColumn: _drop_column,
    O.AlterColumn: _alter_column,
    O.RenameColumn: _rename_column,
    O.AddAutoincrement: _autoincrement,
    O.DropAutoincrement: _autoincrement,
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
