"""Raw SQL from ``op.execute`` turned into :class:`~schemadiff.lint.actions.Action` values.

Parsed with sqlglot for the configured backend (PostgreSQL's syntax when none is configured:
raw SQL in migrations is mostly there for PostgreSQL-only DDL). ``ALTER TYPE``, which sqlglot
keeps as an opaque command, is read with a small pattern. A statement that does not parse is
skipped: lint reports what it can read, it does not guess.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator

import sqlglot
from sqlglot import exp

from schemadiff.backends.registry import rules_for
from schemadiff.lint.actions import Action, ColumnInfo
from schemadiff.lint.typeeval import TypeInfo

_READ = {"postgresql": "postgres", "mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}
_IDENT = r'(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_QNAME = rf"(?P<name>{_IDENT}(?:\s*\.\s*{_IDENT})?)"
_ALTER_TYPE = re.compile(rf"^\s*ALTER\s+TYPE\s+{_QNAME}\s+(?P<rest>.*)$", re.I | re.S)
_DROP_EXTENSION = re.compile(
    rf"^\s*DROP\s+EXTENSION\s+(?:IF\s+EXISTS\s+)?(?P<names>{_IDENT}(?:\s*,\s*{_IDENT})*)",
    re.I | re.S,
)
_MY_IDENT = r'(?:`(?:[^`]|``)+`|"(?:[^"]|"")+"|[A-Za-z_][\w$]*)'
_DROP_PARTITION = re.compile(
    rf"^\s*ALTER\s+TABLE\s+(?P<table>{_MY_IDENT}(?:\s*\.\s*{_MY_IDENT})?)\s+DROP\s+PARTITION\s+"
    rf"(?P<names>{_MY_IDENT}(?:\s*,\s*{_MY_IDENT})*)\s*;?\s*$",
    re.I | re.S,
)
_RENAME_TO = re.compile(rf"^RENAME\s+TO\s+(?P<new>{_IDENT})\s*;?\s*$", re.I | re.S)
_ADD_VALUE = re.compile(
    r"^ADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?'(?P<value>(?:[^']|'')*)'", re.I | re.S
)
_RENAME_VALUE = re.compile(
    r"^RENAME\s+VALUE\s+'(?P<old>(?:[^']|'')*)'\s+TO\s+'(?P<new>(?:[^']|'')*)'", re.I | re.S
)


def sql_actions(sql: str, dialect: str | None) -> list[Action]:
    """The actions of every statement in ``sql`` that lint understands."""
    out: list[Action] = []
    if _DROP_PARTITION.match(sql):  # MySQL's; sqlglot cannot read it
        return _drop_partition(sql)
    for statement in _statements(sql, dialect):
        if isinstance(statement, str):
            out.extend(_alter_type(statement))
            out.extend(_drop_extension(statement))
        else:
            out.extend(_expression(statement, dialect))
    return out


def split_name(text: str) -> tuple[str | None, str]:
    """``"public"."mood"`` -> ("public", "mood"); quotes removed."""
    parts = re.findall(_IDENT, text)
    names = [_unquote(p) for p in parts]
    return (names[0], names[1]) if len(names) == 2 else (None, names[-1])


def _unquote(text: str) -> str:
    if text.startswith('"'):
        return text[1:-1].replace('""', '"')
    return text.lower()


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """sqlglot logs a warning for every statement it keeps as an opaque command."""
    logger = logging.getLogger("sqlglot")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _statements(sql: str, dialect: str | None) -> list[exp.Expression | str]:
    """Parsed statements; ``ALTER TYPE`` (an opaque command to sqlglot) as its text. When the
    whole text does not parse, each ``;``-separated piece is tried on its own."""
    read = _READ.get(dialect or "postgresql", "postgres")
    try:
        with _quiet():
            parsed = [e for e in sqlglot.parse(sql, read=read) if isinstance(e, exp.Expression)]
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError):
        pieces = [p for p in sql.split(";") if p.strip()]
        if len(pieces) < 2:
            return [sql] if _ALTER_TYPE.match(sql) or _DROP_EXTENSION.match(sql) else []
        return [s for piece in pieces for s in _statements(piece, dialect)]
    out: list[exp.Expression | str] = []
    for node in parsed:
        if isinstance(node, exp.Command):
            out.append(f"{node.this} {node.expression or ''}")
        else:
            out.append(node)
    return out


def _drop_partition(statement: str) -> list[Action]:
    """``ALTER TABLE t DROP PARTITION a, b`` (MySQL / MariaDB): one action per partition."""
    match = _DROP_PARTITION.match(statement)
    if match is None:
        return []
    names = [_my_unquote(n) for n in re.findall(_MY_IDENT, match["table"])]
    schema, table = (names[0], names[1]) if len(names) == 2 else (None, names[-1])
    return [
        Action("drop_partition", table, schema, name=_my_unquote(n), source="sql")
        for n in re.findall(_MY_IDENT, match["names"])
    ]


def _my_unquote(text: str) -> str:
    if text.startswith("`"):
        return text[1:-1].replace("``", "`")
    return _unquote(text) if text.startswith('"') else text


def _drop_extension(statement: str) -> list[Action]:
    """``DROP EXTENSION [IF EXISTS] a, b``: one action per extension."""
    match = _DROP_EXTENSION.match(statement)
    if match is None:
        return []
    names = re.findall(_IDENT, match["names"])
    return [Action("drop_extension", name=_unquote(n)) for n in names]


def _alter_type(statement: str) -> list[Action]:
    match = _ALTER_TYPE.match(statement)
    if match is None:
        return []
    schema, name = split_name(match["name"])
    rest = match["rest"].strip()
    if m := _RENAME_TO.match(rest):
        return [Action("rename_enum", schema=schema, name=name, new_name=split_name(m["new"])[1])]
    if m := _ADD_VALUE.match(rest):
        value = m["value"].replace("''", "'")
        return [Action("add_enum_value", schema=schema, name=name, values=(value,))]
    if m := _RENAME_VALUE.match(rest):
        old, new = (m[k].replace("''", "'") for k in ("old", "new"))
        return [Action("rename_enum_value", schema=schema, name=name, values=(old, new))]
    return []


def _expression(node: exp.Expression, dialect: str | None) -> list[Action]:
    if isinstance(node, exp.Drop):
        return _drop(node)
    if isinstance(node, exp.Create):
        return _create(node)
    if isinstance(node, exp.Alter) and str(node.args.get("kind", "")).upper() == "TABLE":
        table = node.this
        if not isinstance(table, exp.Table):
            return []
        out: list[Action] = []
        for action in node.args.get("actions") or ():
            out.extend(_alter_table_action(action, table, node, dialect))
        return out
    return []


def _table(node: exp.Table) -> tuple[str | None, str]:
    return (node.db or None), node.name


def _drop(node: exp.Drop) -> list[Action]:
    kind = str(node.args.get("kind", "")).upper()
    tables = [t for t in node.args.get("tables") or [node.this] if isinstance(t, exp.Table)]
    if kind == "TABLE":
        return [Action("drop_table", _table(t)[1], _table(t)[0], source="sql") for t in tables]
    if kind == "TYPE":
        return [Action("drop_enum", schema=_table(t)[0], name=_table(t)[1]) for t in tables]
    if kind == "SEQUENCE":
        return [Action("drop_sequence", schema=_table(t)[0], name=_table(t)[1]) for t in tables]
    if kind == "VIEW" and node.args.get("materialized"):
        return [
            Action("drop_materialized_view", schema=_table(t)[0], name=_table(t)[1]) for t in tables
        ]
    return []


def _create(node: exp.Create) -> list[Action]:
    kind = str(node.args.get("kind", "")).upper()
    target = node.this
    if kind == "INDEX" and isinstance(target, exp.Index):
        table = target.args.get("table")
        if not isinstance(table, exp.Table):
            return []
        schema, name = _table(table)
        return [
            Action(
                "create_index",
                name,
                schema,
                name=target.name or None,
                unique=bool(node.args.get("unique")),
                concurrently=bool(node.args.get("concurrently")),
                source="sql",
            )
        ]
    if kind == "TYPE" and isinstance(target, exp.Table):
        dtype = node.args.get("expression")
        if isinstance(dtype, exp.DataType) and dtype.this == exp.DataType.Type.ENUM:
            values = tuple(str(v.this) for v in dtype.expressions if isinstance(v, exp.Literal))
            schema, name = _table(target)
            return [Action("create_enum", schema=schema, name=name, values=values, source="sql")]
    if kind == "TABLE":
        table = target.this if isinstance(target, exp.Schema) else target
        if isinstance(table, exp.Table):
            schema, name = _table(table)
            return [Action("create_table", name, schema, source="sql")]
    return []


def _alter_table_action(
    action: exp.Expression, table: exp.Table, alter: exp.Alter, dialect: str | None
) -> list[Action]:
    schema, name = _table(table)
    if isinstance(action, exp.Drop) and str(action.args.get("kind", "")).upper() == "COLUMN":
        cols = [c for c in action.args.get("tables") or () if isinstance(c, exp.Column)]
        return [Action("drop_column", name, schema, name=c.name, source="sql") for c in cols]
    if isinstance(action, exp.ColumnDef):
        col = _column_def(action, dialect)
        return [Action("add_column", name, schema, name=col.name, column=col, source="sql")]
    if isinstance(action, exp.RenameColumn):
        old, new = action.this, action.args.get("to")
        return [
            Action(
                "alter_column",
                name,
                schema,
                name=old.name if old is not None else None,
                new_name=new.name if new is not None else None,
                source="sql",
            )
        ]
    if isinstance(action, exp.AlterRename) and isinstance(action.this, exp.Table):
        return [Action("rename_table", name, schema, new_name=action.this.name, source="sql")]
    if isinstance(action, exp.AlterColumn) and action.args.get("dtype") is not None:
        new_type = _type_info(action.args["dtype"], dialect)
        column = action.this.name if action.this is not None else None
        return [Action("alter_column", name, schema, name=column, new_type=new_type, source="sql")]
    if isinstance(action, exp.AddConstraint):
        return _add_constraint(action, name, schema, bool(alter.args.get("not_valid")))
    return []


def _add_constraint(
    action: exp.AddConstraint, table: str, schema: str | None, not_valid: bool
) -> list[Action]:
    out: list[Action] = []
    for item in action.expressions:
        cname = item.name if isinstance(item, exp.Constraint) else None
        kinds = item.expressions if isinstance(item, exp.Constraint) else [item]
        for kind in kinds:
            if isinstance(kind, exp.ForeignKey):
                out.append(
                    Action(
                        "create_foreign_key",
                        table,
                        schema,
                        name=cname,
                        not_valid=not_valid,
                        source="sql",
                    )
                )
            elif isinstance(kind, exp.UniqueColumnConstraint):
                out.append(
                    Action(
                        "create_unique_constraint",
                        table,
                        schema,
                        name=cname,
                        unique=True,
                        source="sql",
                    )
                )
    return out


def _column_def(node: exp.ColumnDef, dialect: str | None) -> ColumnInfo:
    nullable, filled = True, False
    for constraint in node.args.get("constraints") or ():
        kind = constraint.args.get("kind")
        if isinstance(kind, exp.NotNullColumnConstraint) and not kind.args.get("allow_null"):
            nullable = False
        elif isinstance(kind, exp.PrimaryKeyColumnConstraint):
            nullable = False
        elif isinstance(
            kind,
            exp.DefaultColumnConstraint
            | exp.GeneratedAsIdentityColumnConstraint
            | exp.ComputedColumnConstraint,
        ):
            filled = True
    dtype = node.args.get("kind")
    ctype = _type_info(dtype, dialect) if isinstance(dtype, exp.DataType) else None
    if ctype is not None and ctype.sql in ("serial", "bigserial", "smallserial"):
        filled = True
    return ColumnInfo(node.name, ctype, nullable, filled)


def _type_info(dtype: exp.DataType, dialect: str | None) -> TypeInfo | None:
    read = _READ.get(dialect or "postgresql", "postgres")
    try:
        text = dtype.sql(dialect=read)
    except Exception:  # noqa: BLE001 - a type sqlglot cannot print: unknown
        return None
    return TypeInfo(rules_for(dialect or "default").canonical_type(text).sql)
