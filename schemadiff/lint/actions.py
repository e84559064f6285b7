"""One shape for what a revision does, whether written as an ``op.*`` call or as raw SQL in
``op.execute``: the rules look at :class:`Action` values only.

Values the script does not spell as literals are None (unknown); rules never guess from them.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass

from schemadiff.chain.calls import OpCall
from schemadiff.lint.typeeval import TypeInfo, evaluate_type


@dataclass(frozen=True)
class ColumnInfo:
    name: str | None
    type: TypeInfo | None = None
    #: None when ``nullable=`` is not a literal
    nullable: bool | None = True
    #: a server default, identity or computed expression fills existing rows
    filled: bool = False


@dataclass(frozen=True)
class Action:
    """A change, with the literals the rules need. ``kind`` is Alembic's operation name
    (``drop_column``...) or one of the enum kinds (``create_enum``, ``rename_enum``,
    ``add_enum_value``, ``drop_enum``)."""

    kind: str
    table: str | None = None
    schema: str | None = None
    #: the column (add/drop/alter), or the object's name (index, constraint, enum)
    name: str | None = None
    #: rename target (table, column or enum)
    new_name: str | None = None
    column: ColumnInfo | None = None
    #: columns of a created table
    columns: tuple[ColumnInfo, ...] = ()
    old_type: TypeInfo | None = None
    new_type: TypeInfo | None = None
    unique: bool = False
    concurrently: bool = False
    not_valid: bool = False
    values: tuple[str, ...] = ()
    #: "op" for an operation call, "sql" for a statement in op.execute
    source: str = "op"


def literal(node: ast.expr | None) -> object:
    """A literal's value; None for anything that is not one (or is None)."""
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None


def text_of(node: ast.expr | None) -> str | None:
    """A string literal, also wrapped in ``op.f("name")`` (Alembic's "already converted" name)."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "f"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "op"
        and len(node.args) == 1
    ):
        node = node.args[0]
    value = literal(node)
    return value if isinstance(value, str) else None


def sql_text(node: ast.expr | None) -> str | None:
    """The SQL of ``op.execute("...")`` or ``op.execute(sa.text("..."))``."""
    if isinstance(node, ast.Call) and len(node.args) == 1 and _callee(node) == "text":
        node = node.args[0]
    return text_of(node)


def from_call(call: OpCall, imports: Mapping[str, str], dialect: str | None) -> Action | None:
    """The action of one op call (None for ``execute``, handled as SQL, and unknown shapes)."""
    table, schema = text_of(call.arg("table_name")), text_of(call.arg("schema"))
    m = call.method
    if m == "create_table":
        cols = tuple(column_info(c, imports, dialect) for c in call.rest if _is_column(c))
        return Action(m, table, schema, columns=cols)
    if m == "drop_table":
        return Action(m, table, schema)
    if m == "rename_table":
        old, new = text_of(call.arg("old_table_name")), text_of(call.arg("new_table_name"))
        return Action(m, old, schema, new_name=new)
    if m == "add_column":
        node = call.arg("column")
        col = column_info(node, imports, dialect) if node is not None else None
        return Action(m, table, schema, name=col.name if col else None, column=col)
    if m == "drop_column":
        return Action(m, table, schema, name=text_of(call.arg("column_name")))
    if m == "alter_column":
        return _alter_column(call, table, schema, imports, dialect)
    if m == "create_index":
        return Action(
            m,
            table,
            schema,
            name=text_of(call.arg("index_name")),
            unique=literal(call.arg("unique")) is True,
            concurrently=literal(call.arg("postgresql_concurrently")) is True,
        )
    if m == "create_unique_constraint":
        return Action(m, table, schema, name=text_of(call.arg("constraint_name")), unique=True)
    if m in ("drop_entity", "replace_entity"):
        return _entity(call.arg("target"))
    if m == "create_foreign_key":
        return Action(
            m,
            text_of(call.arg("source_table")),
            text_of(call.arg("source_schema")),
            name=text_of(call.arg("constraint_name")),
            not_valid=literal(call.arg("postgresql_not_valid")) is True,
        )
    return None


def _alter_column(
    call: OpCall,
    table: str | None,
    schema: str | None,
    imports: Mapping[str, str],
    dialect: str | None,
) -> Action:
    column = text_of(call.arg("column_name"))
    new_name = text_of(call.arg("new_column_name"))
    new_type = old_type = None
    if call.arg("type_") is not None:
        new_type = evaluate_type(call.arg("type_"), imports, dialect)
        old_type = evaluate_type(call.arg("existing_type"), imports, dialect)
    return Action(
        "alter_column",
        table,
        schema,
        name=column,
        new_name=new_name,
        old_type=old_type,
        new_type=new_type,
    )


def column_info(node: ast.expr, imports: Mapping[str, str], dialect: str | None) -> ColumnInfo:
    """What ``sa.Column("name", type, ..., nullable=..., server_default=...)`` declares."""
    if not isinstance(node, ast.Call):
        return ColumnInfo(None, nullable=None)
    kw = {k.arg: k.value for k in node.keywords if k.arg is not None}
    args = list(node.args)
    name = (
        text_of(args.pop(0)) if args and text_of(args[0]) is not None else text_of(kw.get("name"))
    )
    type_node = kw.get("type_")
    filled = False
    for arg in args:
        callee = _callee(arg)
        if callee in ("Identity", "Computed", "Sequence"):
            filled = True
        elif callee not in ("ForeignKey", "CheckConstraint") and type_node is None:
            type_node = arg
    default = kw.get("server_default")
    if default is not None and not (isinstance(default, ast.Constant) and default.value is None):
        filled = True
    primary = literal(kw.get("primary_key")) is True
    nullable: bool | None = not primary
    if "nullable" in kw:
        value = literal(kw["nullable"])
        nullable = value if isinstance(value, bool) else None
    return ColumnInfo(name, evaluate_type(type_node, imports, dialect), nullable, filled)


def _is_column(node: ast.expr) -> bool:
    return _callee(node) == "Column"


def _callee(node: ast.expr) -> str | None:
    """``sa.Column(...)`` -> ``Column``; ``Column(...)`` -> ``Column``."""
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return None


def _entity(node: ast.expr | None) -> Action | None:
    """alembic_utils' ``drop_entity`` / ``replace_entity`` of a materialized view (its rows go:
    alembic_utils replaces one by dropping it) or an extension, written out in the call."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    kind = {"PGMaterializedView": "drop_materialized_view", "PGExtension": "drop_extension"}
    found = kind.get(node.func.id)
    if found is None:
        return None
    args = {k.arg: k.value for k in node.keywords if k.arg}
    args.update(zip(("schema", "signature"), node.args, strict=False))
    schema, name = text_of(args.get("schema")), text_of(args.get("signature"))
    return Action(found, schema=None if found == "drop_extension" else schema, name=name)
