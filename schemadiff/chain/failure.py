"""What a failed revision left behind, in one line: which revision, which statement, the error,
and the state of the database.

Where DDL is transactional the revision was rolled back whole. Where it is not (Alembic's
``transactional_ddl`` is false: MariaDB/MySQL, SQLite), the statements that ran before the
failure stay, so the line lists them, the failing one, and the ones that did not run (the
revision rendered offline, when that reproduces what ran), and what the version table really holds
(read back after the failure). Where the driver tells whether a transaction was open after each
statement (SQLite: pysqlite commits DDL run outside one, and a statement that changes rows opens
one that later DDL joins), the line says exactly which statements stayed and which the rollback
undid.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from schemadiff.chain.plan import Step

#: first words of statements that change rows (a failed revision's transaction may undo them)
_DATA_VERBS = ("insert", "update", "delete", "merge", "replace")
#: first words of statements that change nothing that stays (reads, transaction control)
_NEUTRAL_VERBS = (
    "select",
    "explain",
    "pragma",
    "begin",
    "commit",
    "rollback",
    "savepoint",
    "release",
)
_SHORT = 120


@dataclass(frozen=True)
class Failure:
    """A revision that raised: the statements it ran before, the one that failed (None when the
    error was not a statement's), every statement it would run (None when unknown), and the
    version rows read back afterwards (None when unreadable)."""

    step: Step
    error: BaseException
    transactional: bool
    ran: tuple[str, ...]
    failed: str | None
    planned: tuple[str, ...] | None
    rows_now: tuple[str, ...] | None
    #: per statement of ``ran``, whether it stayed after the failure's rollback (None: unknown)
    kept: tuple[bool, ...] | None = None


def kept_statements(
    ran: Sequence[str], open_after: Sequence[bool | None]
) -> tuple[bool, ...] | None:
    """Which statements stayed when the revision's transaction was rolled back after a failure,
    from whether the driver had a transaction open after each (None where it cannot tell). One
    run without a transaction (SQLite's DDL under pysqlite commits itself) or ending with
    COMMIT made everything pending stay; a ROLLBACK, or the final one, undid it."""
    if len(open_after) != len(ran) or any(value is None for value in open_after):
        return None
    kept = [False] * len(ran)
    pending: list[int] = []
    for index, (statement, still_open) in enumerate(zip(ran, open_after, strict=True)):
        pending.append(index)
        if still_open:
            continue
        if _verb(statement) != "rollback":
            for done in pending:
                kept[done] = True
        pending = []
    return tuple(kept)


@dataclass(frozen=True)
class Interruption:
    """Ctrl-C during a revision: the statements of it that completed, the one sent and not yet
    answered (None between statements), and the version rows read back (None when unreadable)."""

    step: Step
    transactional: bool
    ran: tuple[str, ...]
    running: str | None
    rows_now: tuple[str, ...] | None


def planned_statements(dialect: sa.Dialect, table: sa.Table, fn: Callable[[], Any]) -> Any:
    """Every statement ``fn`` (a revision's upgrade/downgrade) emits, rendered offline for
    ``dialect``; None when the script cannot run offline (it reads the database, say)."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    out = _Statements()
    opts = {
        "as_sql": True,
        "output_buffer": out,
        "literal_binds": True,
        "version_table": table.name,
        "version_table_schema": table.schema,
    }
    try:
        ctx = MigrationContext.configure(dialect=dialect, opts=opts)
        with Operations.context(ctx):
            fn()
    except (Exception, SystemExit):  # noqa: BLE001 - any failure only means "not known"
        return None
    return tuple(out.statements)


class _Statements(io.StringIO):
    """An offline output buffer: Alembic writes each statement in one ``write`` call."""

    def __init__(self) -> None:
        super().__init__()
        self.statements: list[str] = []

    def write(self, text: str) -> int:
        statement = _flat(text).removesuffix(";").strip()
        if statement:
            self.statements.append(statement)
        return len(text)


def describe(failure: Failure) -> str:
    """The one-line error message."""
    from schemadiff.backends.connect import driver_message

    step, script = failure.step, failure.step.script
    direction = "upgrade" if step.upgrade else "downgrade"
    what = f"{direction} of revision {script.revision} ({script.path.name}) failed"
    planned = _matching_plan(failure)
    if failure.failed is not None:
        number = len(failure.ran) + 1
        of = f" {number} of {len(planned)}" if planned is not None else f" {number}"
        what += f" at statement{of} {_short(failure.failed)!r}"
    exc = failure.error
    error = driver_message(exc) if isinstance(exc, sa.exc.SQLAlchemyError) else _first(exc)
    return f"{what}: {error}; {_state(failure, planned)}"


def _state(failure: Failure, planned: tuple[str, ...] | None) -> str:
    step, rev = failure.step, failure.step.revision
    before = ", ".join(step.rows_before) or "base"
    if failure.transactional:
        return f"it was rolled back whole; the database is at {before} (the last good revision)"
    rows = _rows_text(failure.rows_now, step.rows_before)
    not_run = _not_run(failure, planned)
    command = "upgrade" if step.upgrade else "downgrade"
    listed = f"{not_run}; " if planned is not None else ""
    again = f"fix the revision, then run 'schemadiff {command}' again"
    if not failure.ran:
        return (
            f"nothing of {rev} had run, so the database is unchanged and {rows}, as before; "
            f"{listed}{again}"
        )
    changes = [i for i, s in enumerate(failure.ran) if _verb(s) not in _NEUTRAL_VERBS]
    kept = failure.kept
    if kept is not None and not any(kept[i] for i in changes):
        if not changes:
            return (
                f"nothing {rev} ran had changed the database, so it is unchanged and {rows}, "
                f"as before; {listed}{again}"
            )
        return (
            f"{rev} was rolled back whole, so the database is unchanged and {rows}, as before: "
            f"what it ran was inside one transaction, undone by the rollback: "
            f"{_numbered(failure.ran, changes)}; {listed}{again}"
        )
    failed = []
    if failure.failed is not None:
        failed.append(f"failed {len(failure.ran) + 1}) {_short(failure.failed)}")
    recorded = "recorded" if rev in (failure.rows_now or ()) else "not recorded"
    partly = "applied" if step.upgrade else "undone"
    by_hand = (
        f"then run 'schemadiff {command}' again (or 'schemadiff stamp' to record where it stands)"
    )
    if kept is not None and not all(kept[i] for i in changes):
        stayed = [i for i in changes if kept[i]]
        undone_ = [i for i in changes if not kept[i]]
        parts = [
            f"kept {_numbered(failure.ran, stayed)}",
            f"rolled back with its transaction {_numbered(failure.ran, undone_)}",
            *failed,
            not_run,
        ]
        return (
            f"part of it was committed as it ran, so {rev} is partly {partly}: "
            f"{'; '.join(parts)}; {_with_note(rows, f'{rev} is {recorded}')}; undo what was "
            f"kept or finish the rest by hand, {by_hand}"
        )
    ran = "; ".join(f"{i}) {_short(s)}" for i, s in enumerate(failure.ran, 1))
    parts = [f"ran {ran}", *failed, not_run]
    undone = _undone(failure.ran) if kept is None else ""
    return (
        f"this database cannot roll back DDL, so {rev} is partly {partly}: {'; '.join(parts)}"
        f"{undone}; {_with_note(rows, f'{rev} is {recorded}')}; undo what ran or finish what "
        f"did not by hand, {by_hand}"
    )


def describe_interruption(stop: Interruption) -> str:
    """The one line for Ctrl-C: which revision, and what state it left (rolled back whole, or
    every statement of it that already ran, numbered, since the DDL is committed at once)."""
    step, rev = stop.step, stop.step.revision
    direction = "upgrade" if step.upgrade else "downgrade"
    what = f"{direction} of revision {rev} ({step.script.path.name}) interrupted"
    before = ", ".join(step.rows_before) or "base"
    rows = _rows_text(stop.rows_now, step.rows_before)
    if stop.transactional:
        return f"{what}: it was rolled back whole; the database is still at {before}"
    running = ""
    if stop.running is not None:
        number = len(stop.ran) + 1
        running = (
            f"; it was interrupted while running {number}) {_short(stop.running)} (the server "
            "may still finish it: check)"
        )
    if not stop.ran:
        return f"{what} before any statement of it completed{running}; {rows}, as before"
    count = f"{len(stop.ran)} statement{'s' if len(stop.ran) > 1 else ''}"
    ran = "; ".join(f"{i}) {_short(s)}" for i, s in enumerate(stop.ran, 1))
    recorded = "recorded" if rev in (stop.rows_now or ()) else "not recorded"
    return (
        f"{what}: this database cannot roll back DDL, so {count} of {rev} already ran: {ran}"
        f"{running}{_undone(stop.ran)}; {_with_note(rows, f'{rev} is {recorded}')}; undo what "
        f"ran or finish the revision by hand, then run 'schemadiff {direction}' again (or "
        "'schemadiff stamp' to record where it stands)"
    )


def _undone(ran: Sequence[str]) -> str:
    """A caution when row changes ran: the revision's transaction may have undone them."""
    if any(_verb(s) in _DATA_VERBS for s in ran):
        return (
            " (the row changes among them may have been undone with the revision's "
            "transaction; check them)"
        )
    return ""


def _numbered(statements: Sequence[str], indexes: Sequence[int]) -> str:
    return "; ".join(f"{i + 1}) {_short(statements[i])}" for i in indexes)


def _verb(statement: str) -> str:
    words = statement.split(None, 1)
    return words[0].lower() if words else ""


def _not_run(failure: Failure, planned: tuple[str, ...] | None) -> str:
    done = len(failure.ran) + (failure.failed is not None)
    if planned is None:
        return f"the rest of {failure.step.revision} did not run"
    rest = planned[done:]
    if not rest:
        return "nothing after it was left to run"
    listed = "; ".join(f"{i}) {_short(s)}" for i, s in enumerate(rest, done + 1))
    return f"not run {listed}"


def _matching_plan(failure: Failure) -> tuple[str, ...] | None:
    """The offline rendering, if it starts with exactly the statements that ran online."""
    planned = failure.planned
    if planned is None:
        return None
    online = [*failure.ran, *([failure.failed] if failure.failed is not None else [])]
    if len(planned) < len(online):
        return None
    if any(_flat(a) != _flat(b) for a, b in zip(online, planned, strict=False)):
        return None
    return planned


def _rows_text(rows_now: tuple[str, ...] | None, rows_before: Sequence[str]) -> str:
    rows = rows_now if rows_now is not None else tuple(rows_before)
    if not rows:
        return "the version table holds no revision (base)"
    return f"the version table holds {', '.join(rows)}"


def _with_note(rows: str, note: str) -> str:
    """``holds t1 (t2 is not recorded)``; ``holds no revision (base; t2 is ...)``."""
    if rows.endswith(")"):
        return f"{rows[:-1]}; {note})"
    return f"{rows} ({note})"


def _flat(text: str) -> str:
    return " ".join(text.split()).removesuffix(";").strip()


#: a password literal in DDL (``IDENTIFIED BY 'x'``, ``PASSWORD 'x'``): masked when shown
_PASSWORD_LITERAL = re.compile(r"(?i)\b(identified\s+by|password)(\s*\(?\s*)'(?:[^']|'')*'")


def _short(statement: str) -> str:
    """A statement on one line, at most ``_SHORT`` characters, password literals masked."""
    text = re.sub(r"\s+\)", ")", re.sub(r"\(\s+", "(", _flat(statement)))
    text = _PASSWORD_LITERAL.sub(r"\1\2'***'", text)
    return text if len(text) <= _SHORT else text[: _SHORT - 3] + "..."


def _first(exc: BaseException) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
