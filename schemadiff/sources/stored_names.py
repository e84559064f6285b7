"""The models' names as the server will store them, and a warning for each it will not keep.

A backend says through its rules what becomes of a name (:meth:`DialectRules.stored_identifier`:
PostgreSQL cuts it to 63 bytes; :meth:`DialectRules.identifier_problem`: why the server will
not keep it). This pass applies that to every name of a model snapshot, definitions and the
references to them (foreign keys, index columns, enum column types, rename hints) alike, so that
comparisons and scripts use the name the database will hold: a table whose name PostgreSQL cut
is then the same table on the next run, not a drop plus a create. The server cuts the names an
expression uses too (a check, an index expression, a partial-index predicate, a computed
column), so a name that changed is replaced there as well, as a whole word.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy.engine import Dialect

from schemadiff.backends.base import DialectRules
from schemadiff.snapshot.model import (
    Column,
    ColumnType,
    Enum,
    ForeignKey,
    Index,
    IndexElement,
    Snapshot,
    SourceWarning,
    Table,
)


def store_names(snapshot: Snapshot, rules: DialectRules, dialect: Dialect | None) -> Snapshot:
    """``snapshot`` with its names as stored and its :attr:`Snapshot.warnings` extended; the
    same object when every name is kept as written (the common case)."""
    if all(_kept(rules, dialect, name) for name in _defined_names(snapshot)):
        return snapshot  # one look at each distinct name; the walk below only when one is not
    names = _Names(rules, dialect)
    names.check(snapshot)
    if not names.changed and not names.warnings:
        return snapshot
    out = snapshot
    if names.changed:
        out = names.rebuild(snapshot)
    return replace(out, warnings=snapshot.warnings + tuple(names.warnings))


def _kept(rules: DialectRules, dialect: Dialect | None, name: str) -> bool:
    return (
        rules.stored_identifier(name, dialect) == name
        and rules.identifier_problem("name", name, dialect) is None
    )


def _defined_names(snapshot: Snapshot) -> set[str]:
    """Every name the snapshot defines (references name one of them), each once."""
    names = {*snapshot.schemas, *(e.name for e in snapshot.enums)}
    add, update = names.add, names.update
    for t in snapshot.tables:
        add(t.name)
        update([c.name for c in t.columns])
        if t.indexes:
            update([ix.name for ix in t.indexes])
        for group in (t.unique_constraints, t.foreign_keys, t.check_constraints):
            if group:
                update([c.name for c in group if c.name is not None])
        if t.primary_key is not None and t.primary_key.name is not None:
            add(t.primary_key.name)
    return names


class _Names:
    def __init__(self, rules: DialectRules, dialect: Dialect | None):
        self.rules = rules
        self.dialect = dialect
        self.known: dict[str, str] = {}
        self.changed = False
        self.warnings: list[SourceWarning] = []
        self.warned: set[str] = set()
        self.checked: set[tuple[str, str]] = set()
        #: the names that change, and a pattern matching them in SQL text (see :meth:`rebuild`)
        self.cut: dict[str, str] = {}
        self.words = re.compile("(?!)")

    def name(self, name: str) -> str:
        stored = self.known.get(name)
        if stored is None:
            stored = self.known[name] = self.rules.stored_identifier(name, self.dialect)
            self.changed = self.changed or stored != name
        return stored

    def optional(self, name: str | None) -> str | None:
        return None if name is None else self.name(name)

    def names(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.name(n) for n in names)

    def define(self, kind: str, name: str | None, schema: str | None, table: str | None) -> None:
        """A name the models define: warned about once when the server will not keep it."""
        if name is None:
            return
        self.name(name)
        key = (kind, name)
        if key in self.checked:
            return
        self.checked.add(key)
        problem = self.rules.identifier_problem(kind, name, self.dialect)
        if problem is not None and problem not in self.warned:
            self.warned.add(problem)
            stored_table = self.name(table) if table is not None else None
            self.warnings.append(SourceWarning(problem, self.optional(schema), stored_table))

    # --- the definitions ------------------------------------------------------------------------

    def check(self, snapshot: Snapshot) -> None:
        for schema in snapshot.schemas:
            self.define("schema", schema, None, None)
        for enum in snapshot.enums:
            self.define("enum type", enum.name, enum.schema, None)
        for t in snapshot.tables:
            self.check_table(t)

    def check_table(self, t: Table) -> None:
        where = (t.schema, t.name)
        self.define("table", t.name, *where)
        for column in t.columns:
            self.define("column", column.name, *where)
        if t.primary_key is not None:
            self.define("primary key", t.primary_key.name, *where)
        for unique in t.unique_constraints:
            self.define("unique constraint", unique.name, *where)
        for fk in t.foreign_keys:
            self.define("foreign key", fk.name, *where)
        for check in t.check_constraints:
            self.define("check constraint", check.name, *where)
        for index in t.indexes:
            self.define("index", index.name, *where)

    # --- the rebuilt snapshot -------------------------------------------------------------------

    def rebuild(self, snapshot: Snapshot) -> Snapshot:
        cut = {old: new for old, new in self.known.items() if old != new}
        words = "|".join(re.escape(old) for old in sorted(cut, key=len, reverse=True))
        self.cut = cut
        self.words = re.compile(rf"(?<![\w$])(?:{words})(?![\w$])")
        enums = tuple(self.enum(e) for e in snapshot.enums)
        #: column types of the enums whose name changes: ``enum(old)`` -> ``enum(new)``
        types = {
            old.column_type: new.column_type
            for old, new in zip(snapshot.enums, enums, strict=True)
            if old != new
        }
        return replace(
            snapshot,
            schemas=self.names(snapshot.schemas),
            tables=tuple(self.table(t, types) for t in snapshot.tables),
            enums=enums,
            undecided=tuple(
                (self.optional(s), self.name(t), self.name(n)) for s, t, n in snapshot.undecided
            ),
        )

    def enum(self, e: Enum) -> Enum:
        return replace(e, name=self.name(e.name), schema=self.optional(e.schema))

    def table(self, t: Table, types: dict[str, str]) -> Table:
        pk = t.primary_key
        return replace(
            t,
            name=self.name(t.name),
            schema=self.optional(t.schema),
            columns=tuple(self.column(c, types) for c in t.columns),
            primary_key=(
                replace(pk, columns=self.names(pk.columns), name=self.optional(pk.name))
                if pk is not None
                else None
            ),
            unique_constraints=tuple(
                replace(u, columns=self.names(u.columns), name=self.optional(u.name))
                for u in t.unique_constraints
            ),
            foreign_keys=tuple(self.foreign_key(fk) for fk in t.foreign_keys),
            check_constraints=tuple(
                replace(c, name=self.optional(c.name), sqltext=self.expression(c.sqltext))
                for c in t.check_constraints
            ),
            indexes=tuple(self.index(ix) for ix in t.indexes),
            renamed_from=self.optional(t.renamed_from),
        )

    def column(self, c: Column, types: dict[str, str]) -> Column:
        return replace(
            c,
            name=self.name(c.name),
            renamed_from=self.optional(c.renamed_from),
            type=_enum_type(c.type, types),
            computed=(
                replace(c.computed, sqltext=self.expression(c.computed.sqltext))
                if c.computed is not None
                else None
            ),
        )

    def foreign_key(self, fk: ForeignKey) -> ForeignKey:
        return replace(
            fk,
            columns=self.names(fk.columns),
            referred_schema=self.optional(fk.referred_schema),
            referred_table=self.name(fk.referred_table),
            referred_columns=self.names(fk.referred_columns),
            name=self.optional(fk.name),
        )

    def index(self, ix: Index) -> Index:
        return replace(
            ix,
            name=self.name(ix.name),
            elements=tuple(self.element(e) for e in ix.elements),
            include=self.names(ix.include),
            where=self.expression(ix.where) if ix.where is not None else None,
        )

    def element(self, e: IndexElement) -> IndexElement:
        if e.is_expression:
            return replace(e, expr=self.expression(e.expr))
        return replace(e, expr=self.name(e.expr))

    def expression(self, sql: str) -> str:
        """Canonical SQL with each name that changed replaced (whole words only)."""
        return self.words.sub(lambda m: self.cut[m.group(0)], sql)


def _enum_type(ctype: ColumnType, types: dict[str, str]) -> ColumnType:
    """A column of a renamed enum type (``enum(old)``, ``enum(old)[]``) under the new name."""
    if not types or not ctype.sql.startswith("enum("):
        return ctype
    head, paren, tail = ctype.sql.partition(")")
    new = types.get(head + paren)
    return ctype if new is None else replace(ctype, sql=new + tail)
