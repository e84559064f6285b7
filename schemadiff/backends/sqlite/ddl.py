"""Read what SQLite's PRAGMAs do not report from the CREATE statements it stores.

SQLite keeps every ``CREATE TABLE`` / ``CREATE INDEX`` verbatim in ``sqlite_master``, and it is the
only place that holds constraint names, CHECK expressions, generated-column expressions, column
collations, ``DEFERRABLE`` clauses and index expressions / predicates. We walk SQLite's (small) DDL
grammar over sqlglot's tokens, so quoting, comments and strings holding ``,`` or ``)`` are never
mistaken for structure; the expressions found are returned as raw SQL text for
:func:`schemadiff.canonical.sqlexpr.canonical_sql`. Anything outside the grammar raises
:class:`DDLError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.backends.sqlite.tokens import DDLError, Reader, Tok, names, split_commas, tokenize

__all__ = [
    "DDLError",
    "ForeignKeyDDL",
    "IndexDDL",
    "TableDDL",
    "parse_create_index",
    "parse_create_table",
    "tokenize",
]


@dataclass(frozen=True)
class ForeignKeyDDL:
    columns: tuple[str, ...]
    referred_table: str
    referred_columns: tuple[str, ...]
    name: str | None = None
    deferrable: bool | None = None
    initially: str | None = None


@dataclass(frozen=True)
class TableDDL:
    """What a CREATE TABLE declares beyond the PRAGMAs; expressions are raw SQL text."""

    pk_name: str | None = None
    uniques: tuple[tuple[str | None, tuple[str, ...]], ...] = ()
    checks: tuple[tuple[str | None, str], ...] = ()
    foreign_keys: tuple[ForeignKeyDDL, ...] = ()
    generated: tuple[tuple[str, str, bool], ...] = ()  # (column, expression, stored)
    collations: tuple[tuple[str, str], ...] = ()  # (column, collation)
    without_rowid: bool = False
    #: ``INTEGER PRIMARY KEY AUTOINCREMENT`` (SQLAlchemy's ``sqlite_autoincrement=True``)
    autoincrement: bool = False


@dataclass(frozen=True)
class IndexDDL:
    """Index elements as raw text (``column`` set when the element is a bare column name)."""

    elements: tuple[tuple[str, str | None], ...]  # (text without ASC/DESC, column name or None)
    where: str | None = None


_TABLE_CONSTRAINTS = {"CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"}
_COLUMN_CONSTRAINTS = {
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
}


class _TableParser:
    def __init__(self) -> None:
        self.pk_name: str | None = None
        self.uniques: list[tuple[str | None, tuple[str, ...]]] = []
        self.checks: list[tuple[str | None, str]] = []
        self.fks: list[ForeignKeyDDL] = []
        self.generated: list[tuple[str, str, bool]] = []
        self.collations: list[tuple[str, str]] = []
        self.autoincrement = False

    def column(self, r: Reader) -> None:
        column = r.take().text
        while r.kind() and r.word() not in _COLUMN_CONSTRAINTS:  # the type name
            if r.kind() == "(":
                r.group()
            else:
                r.take()
        name: str | None = None
        while r.kind():
            if r.accept("CONSTRAINT"):
                name = r.take().text
                continue
            self.column_constraint(r, column, name)
            name = None

    def column_constraint(self, r: Reader, column: str, name: str | None) -> None:
        w = r.take().word
        if w == "PRIMARY":
            r.expect("KEY")
            self.pk_name = name
            if not r.accept("ASC"):
                r.accept("DESC")
            r.conflict_clause()
            self.autoincrement = r.accept("AUTOINCREMENT") or self.autoincrement
        elif w in ("NOT", "NULL"):
            if w == "NOT":
                r.expect("NULL")
            r.conflict_clause()
        elif w == "UNIQUE":
            self.uniques.append((name, (column,)))
            r.conflict_clause()
        elif w == "CHECK":
            self.checks.append((name, r.text(r.group())))
        elif w == "DEFAULT":
            _skip_default(r)
        elif w == "COLLATE":
            self.collations.append((column, r.take().text))
        elif w == "REFERENCES":
            self.fks.append(_references(r, (column,), name))
        elif w in ("GENERATED", "AS"):
            if w == "GENERATED":
                r.expect("ALWAYS", "AS")
            expr = r.text(r.group())
            self.generated.append((column, expr, r.accept("STORED")))
            r.accept("VIRTUAL")
        else:
            raise DDLError(f"unexpected {w or r.toks[r.i - 1].text!r} in column {column}")

    def constraint(self, r: Reader) -> None:
        name = None
        if r.accept("CONSTRAINT"):
            name = r.take().text
        w = r.take().word
        if w == "PRIMARY":
            r.expect("KEY")
            r.group()
            self.pk_name = name
            r.conflict_clause()
        elif w == "UNIQUE":
            self.uniques.append((name, names(r.group())))
            r.conflict_clause()
        elif w == "CHECK":
            self.checks.append((name, r.text(r.group())))
        elif w == "FOREIGN":
            r.expect("KEY")
            columns = names(r.group())
            r.expect("REFERENCES")
            self.fks.append(_references(r, columns, name))
        else:
            raise DDLError(f"unexpected table constraint {w!r}")
        if r.kind():
            raise DDLError(f"unexpected {r.take().text!r} after table constraint")


def _skip_default(r: Reader) -> None:
    """``DEFAULT`` takes a parenthesized expression, a signed number, a literal or a keyword."""
    if r.kind() == "(":
        r.group()
        return
    if r.kind() == "other" and r.toks[r.i].text in ("+", "-"):
        r.take()
    r.take()


def _references(r: Reader, columns: tuple[str, ...], name: str | None) -> ForeignKeyDDL:
    """The foreign-key clause after ``REFERENCES``: actions come from the PRAGMA, so only the
    target and the deferrable options are kept."""
    table = r.take().text
    referred: tuple[str, ...] = ()
    if r.kind() == "(":
        referred = names(r.group())
    deferrable: bool | None = None
    initially: str | None = None
    while True:
        if r.accept("ON"):
            r.take()  # DELETE / UPDATE
            if r.take().word in ("SET", "NO"):
                r.take()  # SET NULL / SET DEFAULT / NO ACTION
        elif r.accept("MATCH"):
            r.take()
        elif r.accept("NOT", "DEFERRABLE"):
            deferrable = False
        elif r.accept("DEFERRABLE"):
            deferrable = True
        elif r.accept("INITIALLY"):
            initially = r.take().word
        else:
            break
    return ForeignKeyDDL(columns, table, referred, name, deferrable, initially)


def _body(r: Reader) -> tuple[list[Tok], int]:
    """Tokens inside the first top-level parentheses, and the index after them."""
    r.skip_to_group()
    inner = r.group()
    return inner, r.i


def parse_create_table(sql: str) -> TableDDL:
    """Parse a ``CREATE TABLE`` statement as stored in ``sqlite_master.sql``."""
    toks = tokenize(sql)
    r = Reader(sql, toks)
    inner, after = _body(r)
    parser = _TableParser()
    for item in split_commas(inner):
        sub = Reader(sql, item)
        if item[0].word in _TABLE_CONSTRAINTS:
            parser.constraint(sub)
        else:
            parser.column(sub)
    tail = [t.word for t in toks[after:]]
    return TableDDL(
        pk_name=parser.pk_name,
        uniques=tuple(parser.uniques),
        checks=tuple(parser.checks),
        foreign_keys=tuple(parser.fks),
        generated=tuple(parser.generated),
        collations=tuple(parser.collations),
        without_rowid="ROWID" in tail and "WITHOUT" in tail,
        autoincrement=parser.autoincrement,
    )


def parse_create_index(sql: str) -> IndexDDL:
    """Parse a ``CREATE INDEX`` statement: element texts (ASC/DESC removed) and the predicate."""
    toks = tokenize(sql)
    r = Reader(sql, toks)
    while r.kind() and r.word() != "ON":
        r.take()
    r.expect("ON")
    inner, after = _body(r)
    elements = []
    for item in split_commas(inner):
        if item[-1].word in ("ASC", "DESC"):
            item = item[:-1]
        column = item[0].text if len(item) == 1 and item[0].kind in ("word", "ident") else None
        elements.append((r.text(item), column))
    where = None
    if after < len(toks):
        if toks[after].word != "WHERE":
            raise DDLError(f"unexpected {toks[after].text!r} after index columns")
        where = r.text(toks[after + 1 :])
    return IndexDDL(tuple(elements), where)
