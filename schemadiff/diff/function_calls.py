"""Where functions go in a migration, from the ops that call them.

A function is created in :attr:`Phase.CREATE_FUNCTION`, after the tables (a SQL-language body is
checked when it is created, so the tables it reads must exist), unless something created earlier
in the same migration calls it: a column's server default or generated expression, a CHECK
constraint or an expression index of a new table or column. PostgreSQL resolves those calls
when it stores the expression, so such a function is created in
:attr:`Phase.CREATE_CALLED_FUNCTION`, before the first table, together with the functions its
own SQL-language body calls (those first); one that a domain's default or CHECK calls, in
:attr:`Phase.CREATE_DOMAIN_CALLED_FUNCTION`, before the domains.

Symmetrically, a dropped function that a dropped or changed default, check, index, generated
column or trigger still calls when :attr:`Phase.DROP_FUNCTION` would run is dropped in
:attr:`Phase.DROP_CALLED_FUNCTION`, after them (PostgreSQL refuses to drop a function those
depend on), and in :attr:`Phase.DROP_DOMAIN_CALLED_FUNCTION` when a dropped or changed domain
called it. Downgrades need nothing special: the reversed ops are ordered by the same rules.

Calls are found in the expressions' text, outside string literals: ``name(`` or
``schema.name(``, quoted or not, compared without regard to case. An unqualified call may name
a function of any schema (the search path decides); a spurious match only creates a function
earlier (or drops it later) than needed. Within a phase, functions come after the functions
their SQL-language bodies call (PostgreSQL checks those calls too; PL/pgSQL bodies are checked
only when they run), and are dropped before them (a ``BEGIN ATOMIC`` body depends on what it
calls). A SQL-language body that reads a table, column or view the migration makes
only after the function (a default calling a function that reads its own new table, a
function reading a new view) is created without the server checking it
(:func:`unchecked_bodies`: ``CreateFunction.unchecked``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from schemadiff.ops import (
    AddCheckConstraint,
    AddColumn,
    AlterColumn,
    AlterDomain,
    CreateDomain,
    CreateFunction,
    CreateIndex,
    CreateTable,
    CreateView,
    DropCheckConstraint,
    DropColumn,
    DropDomain,
    DropFunction,
    DropIndex,
    DropTable,
    DropTrigger,
    Op,
    RenameColumn,
    RenameTable,
    ReplaceFunction,
)
from schemadiff.ops.base import Phase
from schemadiff.snapshot.model import Column, Domain, Index, Table
from schemadiff.snapshot.routines import Function

#: a string literal ('' escapes a quote; E'' strings keep backslash escapes)
_LITERAL = re.compile(r"(?<![\w$])[Ee]'(?:[^'\\]|\\.|'')*'|'(?:[^']|'')*'")
_NAME = r'"(?:[^"]|"")+"|[A-Za-z_][\w$]*'
#: ``[schema.]name(``: a call (or something spelled like one: a type modifier, ``IN (``)
_CALL = re.compile(rf"(?:({_NAME})\s*\.\s*)?({_NAME})\s*\(")
_WORD = re.compile(_NAME)

Call = tuple[str | None, str]


def _ident(text: str) -> str:
    if text.startswith('"'):
        return text[1:-1].replace('""', '"').lower()
    return text.lower()


def calls_in(text: str | None) -> set[Call]:
    """The ``(schema or None, name)`` of every call in the SQL ``text``, lowercased."""
    if not text:
        return set()
    bare = _LITERAL.sub("''", text)
    return {
        (_ident(schema) if schema else None, _ident(name)) for schema, name in _CALL.findall(bare)
    }


def calls(fn: Function, found: set[Call]) -> bool:
    """True when one of ``found`` may call ``fn``."""
    name = fn.name.lower()
    schema = fn.schema.lower() if fn.schema else None
    return any(n == name and (s is None or schema is None or s == schema) for s, n in found)


def _column_texts(column: Column) -> Iterator[str | None]:
    yield column.server_default
    yield column.raw_default
    if column.computed is not None:
        yield column.computed.sqltext
        yield column.computed.raw


def _index_texts(index: Index) -> Iterator[str | None]:
    for element in index.elements:
        if element.is_expression:
            yield element.expr
            yield element.raw
    yield index.where
    yield index.raw_where


def _table_texts(table: Table) -> Iterator[str | None]:
    for column in table.columns:
        yield from _column_texts(column)
    for check in table.check_constraints:
        yield check.sqltext
        yield check.raw
    for index in table.indexes:
        yield from _index_texts(index)


def calling_parts(table: Table, fn: Function) -> list[str]:
    """What of ``table`` calls ``fn``: ``column c (default)``, ``check ck``, ``index ix``."""
    out = []
    for column in table.columns:
        if any(calls(fn, calls_in(text)) for text in _column_texts(column)):
            out.append(f"column {column.name}")
    for check in table.check_constraints:
        if calls(fn, calls_in(check.sqltext) | calls_in(check.raw)):
            out.append(f"check {check.name}" if check.name else "a check")
    for index in table.indexes:
        if any(calls(fn, calls_in(text)) for text in _index_texts(index)):
            out.append(f"index {index.name}")
    return out


def _domain_texts(domain: Domain) -> Iterator[str | None]:
    yield domain.default
    for check in domain.checks:
        yield check.definition


def _domain_callers(ops: Iterable[Op], added: bool) -> set[Call]:
    """Calls in the defaults and checks of the domains ``ops`` create or change (``added``),
    or drop or change: those run in the domains' phases, apart from the tables'."""
    found: set[Call] = set()
    for op in ops:
        if isinstance(op, CreateDomain if added else DropDomain):
            texts = list(_domain_texts(op.domain))
        elif isinstance(op, AlterDomain):
            texts = list(_domain_texts(op.new if added else op.old))
        else:
            continue
        for text in texts:
            found |= calls_in(text)
    return found


def _texts(op: Op, added: bool) -> Iterator[str | None]:
    """The expressions ``op`` stores (``added``) or removes, that may call functions."""
    if isinstance(op, CreateTable if added else DropTable):
        yield from _table_texts(op.table_obj)
    elif isinstance(op, AddColumn if added else DropColumn):
        yield from _column_texts(op.column)
    elif isinstance(op, AlterColumn):
        column = op.new if added else op.old
        if {"server_default", "computed"} & set(op.changes):
            yield from _column_texts(column)
    elif isinstance(op, AddCheckConstraint if added else DropCheckConstraint):
        yield op.constraint.sqltext
        yield op.constraint.raw
    elif isinstance(op, CreateIndex if added else DropIndex):
        yield from _index_texts(op.index)
    elif not added and isinstance(op, DropTrigger) and (op.with_table or op.after_renames):
        # dropped with its table, or after the renames: still there when functions are dropped
        yield op.trigger.definition
        yield op.trigger.raw


def _callers(ops: Iterable[Op], added: bool) -> set[Call]:
    found: set[Call] = set()
    for op in ops:
        for text in _texts(op, added):
            found |= calls_in(text)
    return found


def _words(text: str) -> set[str]:
    """The identifiers of ``text`` outside string literals, lowercased (quoted ones unquoted)."""
    return {_ident(word) for word in _WORD.findall(_LITERAL.sub("''", text))}


def _made_later(ops: list[Op]) -> dict[str, int]:
    """The names (lowercased) of the tables, columns and views ``ops`` create or rename, with
    the last phase one of them appears in."""
    out: dict[str, int] = {}
    for op in ops:
        if isinstance(op, CreateTable):
            name = op.table_obj.name
        elif isinstance(op, AddColumn):
            name = op.column.name
        elif isinstance(op, CreateView):
            name = op.view.name
        elif isinstance(op, (RenameTable, RenameColumn)):
            name = op.new_name
        else:
            continue
        out[name.lower()] = max(out.get(name.lower(), 0), op.run_phase)
    return out


def unchecked_bodies(ops: list[Op], slots: dict[int, tuple[Phase, int]]) -> set[int]:
    """``id(op)`` of the function creations and replacements (in ``slots``' phases) whose SQL
    body names a table, column or view that ``ops`` make only in a later phase: PostgreSQL
    would refuse the body, so it is created unchecked. A spurious match (a word that is not a
    relation) only skips the check, the function is the same."""
    functions = [op for op in ops if isinstance(op, (CreateFunction, ReplaceFunction))]
    made = _made_later(ops) if functions else {}
    if not made:
        return set()
    out = set()
    for op in functions:
        fn = op.function if isinstance(op, CreateFunction) else op.new
        if fn.language.lower() != "sql":
            continue
        phase = slots.get(id(op), (op.run_phase, 0))[0]
        if any(made.get(word, 0) > phase for word in _words(fn.raw_body or fn.body)):
            out.add(id(op))
    return out


def _body_calls(fn: Function) -> set[Call]:
    """Calls a body that PostgreSQL checks when the function is created (SQL language)."""
    return calls_in(fn.raw_body or fn.body) if fn.language.lower() == "sql" else set()


def function_slots(ops: list[Op]) -> dict[int, tuple[Phase, int]]:
    """``id(op)`` -> (phase, rank within it) for the function ops of ``ops`` that need another
    place than their class's phase, or an order among themselves (rank: callees first)."""
    creates = [op for op in ops if isinstance(op, (CreateFunction, ReplaceFunction))]
    drops = [op for op in ops if isinstance(op, DropFunction)]
    if not creates and not drops:
        return {}
    slots: dict[int, tuple[Phase, int]] = {}
    if creates:
        slots.update(_create_slots(ops, creates))
    if drops:
        created = {op.function.key for op in creates if isinstance(op, CreateFunction)}
        slots.update(_drop_slots(ops, [op for op in drops if op.function.key not in created]))
    return slots


def _drop_slots(ops: list[Op], drops: list[DropFunction]) -> dict[int, tuple[Phase, int]]:
    """Dropped functions after the dropped or changed expressions that call them; and after the
    dropped functions whose SQL bodies call them (a SQL-standard ``BEGIN ATOMIC`` body depends on
    what it calls, as a default does): in their phase, or later in the same one. A function
    dropped and created again (a new result type) is left out: it must be gone first."""
    removed = _callers(ops, added=False)
    by_domains = _domain_callers(ops, added=False)
    phase: dict[int, Phase] = {}
    for op in drops:
        if calls(op.function, by_domains):
            phase[id(op)] = Phase.DROP_DOMAIN_CALLED_FUNCTION
        elif calls(op.function, removed):
            phase[id(op)] = Phase.DROP_CALLED_FUNCTION
        else:
            phase[id(op)] = op.phase
    by_name: dict[str, list[DropFunction]] = {}
    for op in drops:
        by_name.setdefault(op.function.name.lower(), []).append(op)
    callers: dict[int, list[DropFunction]] = {id(op): [] for op in drops}
    for op in drops:
        body = _body_calls(op.function)
        for name in sorted({n for _, n in body}):
            for other in by_name.get(name, ()):
                if other is not op and calls(other.function, body):
                    callers[id(other)].append(op)
    rank: dict[int, int] = {}

    def settle(op: DropFunction, seen: frozenset[int]) -> tuple[Phase, int]:
        """(phase, rank) of ``op``: no earlier than any dropped function calling it."""
        if id(op) not in rank:
            level = 0
            for caller in callers[id(op)]:
                if id(caller) in seen:
                    continue
                their_phase, their_rank = settle(caller, seen | {id(op)})
                if their_phase > phase[id(op)]:
                    phase[id(op)], level = their_phase, their_rank + 1
                elif their_phase == phase[id(op)]:
                    level = max(level, their_rank + 1)
            rank[id(op)] = level
        return phase[id(op)], rank[id(op)]

    out = {}
    for op in drops:
        slot = settle(op, frozenset())
        if slot != (op.phase, 0):
            out[id(op)] = slot
    return out


def _create_slots(
    ops: list[Op], creates: list[CreateFunction | ReplaceFunction]
) -> dict[int, tuple[Phase, int]]:
    def function(op: CreateFunction | ReplaceFunction) -> Function:
        return op.function if isinstance(op, CreateFunction) else op.new

    by_name: dict[str, list[CreateFunction | ReplaceFunction]] = {}
    for op in creates:
        by_name.setdefault(function(op).name.lower(), []).append(op)
    deps: dict[int, list[CreateFunction | ReplaceFunction]] = {}
    for op in creates:
        body = _body_calls(function(op))
        deps[id(op)] = [
            other
            for name in sorted({n for _, n in body})
            for other in by_name.get(name, ())
            if other is not op and calls(function(other), body)
        ]

    def called_by(found: set[Call], taken: set[int]) -> set[int]:
        """The new functions ``found`` calls, and those their SQL bodies call, in turn."""
        out = {
            id(op)
            for op in creates
            if isinstance(op, CreateFunction) and id(op) not in taken and calls(op.function, found)
        }
        todo = [op for op in creates if id(op) in out]
        while todo:
            for dep in deps[id(todo.pop())]:
                if isinstance(dep, CreateFunction) and id(dep) not in out | taken:
                    out.add(id(dep))
                    todo.append(dep)
        return out

    for_domains = called_by(_domain_callers(ops, added=True), set())
    early = called_by(_callers(ops, added=True), for_domains)
    depth: dict[int, int] = {}

    def rank(op: CreateFunction | ReplaceFunction, seen: frozenset[int]) -> int:
        if id(op) not in depth:
            below = [rank(d, seen | {id(op)}) + 1 for d in deps[id(op)] if id(d) not in seen]
            depth[id(op)] = max(below, default=0)
        return depth[id(op)]

    out = {}
    for op in creates:
        level = rank(op, frozenset())
        if id(op) in for_domains:
            out[id(op)] = (Phase.CREATE_DOMAIN_CALLED_FUNCTION, level)
        elif id(op) in early:
            out[id(op)] = (Phase.CREATE_CALLED_FUNCTION, level)
        elif level:
            out[id(op)] = (op.phase, level)
    return out
