"""What a failed revision left behind, in one line: which revision, which statement, the error,
and the state of the database.

Where DDL is transactional the revision was rolled back whole. Where it is not (Alembic's
``transactional_ddl`` is false: MariaDB/MySQL, SQLite), the statements that ran before the
failure stay, so the line lists them, the failing one, and the ones that did not run (the
revision rendered offline, when that reproduces what ran), and what the version table really holds
(read back after the failure).
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
    from schemadiff.connect import driver_message

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
    if not failure.ran:
        listed = f"{not_run}; " if planned is not None else ""
        return (
            f"nothing of {rev} had run, so the database is unchanged and {rows}, as before; "
            f"{listed}fix the revision, then run 'schemadiff {command}' again"
        )
    ran = "; ".join(f"{i}) {_short(s)}" for i, s in enumerate(failure.ran, 1))
    parts = [f"ran {ran}"]
    if failure.failed is not None:
        parts.append(f"failed {len(failure.ran) + 1}) {_short(failure.failed)}")
    parts.append(not_run)
    undone = ""
    if any(s.split(None, 1)[0].lower() in _DATA_VERBS for s in failure.ran if s.strip()):
        undone = (
            " (the row changes among them may have been undone with the revision's "
            "transaction; check them)"
        )
    recorded = "recorded" if rev in (failure.rows_now or ()) else "not recorded"
    partly = "applied" if step.upgrade else "undone"
    return (
        f"this database cannot roll back DDL, so {rev} is partly {partly}: {'; '.join(parts)}"
        f"{undone}; {_with_note(rows, f'{rev} is {recorded}')}; undo what ran or finish what "
        f"did not by hand, then run 'schemadiff {command}' again (or 'schemadiff stamp' to "
        "record where it stands)"
    )


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


def _short(statement: str) -> str:
    text = re.sub(r"\s+\)", ")", re.sub(r"\(\s+", "(", _flat(statement)))
    return text if len(text) <= _SHORT else text[: _SHORT - 3] + "..."


def _first(exc: BaseException) -> str:
    first = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__
