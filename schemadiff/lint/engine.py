"""Run the rules over revision files: parse each ``upgrade()``, turn its calls and raw SQL into
actions, check each action against the rules, drop what a comment suppresses.

Revisions are walked in the chain's topological order starting from the base, so enum types
defined in earlier (even un-linted) revisions are known when a later one recreates them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from schemadiff.chain.calls import OpCall, ScriptCalls, is_suppressed, read_calls
from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.scripts import Script
from schemadiff.errors import RevisionError
from schemadiff.lint import compat, data, destructive, locking
from schemadiff.lint.actions import Action, from_call, sql_text
from schemadiff.lint.rules import RULES, Finding, Hit
from schemadiff.lint.sequences import construct_actions
from schemadiff.lint.sqlstmt import sql_actions
from schemadiff.lint.state import EnumTypes, RevisionContext
from schemadiff.settings.usercode import read_source

Check = Callable[[Action, RevisionContext], Iterable[Hit]]
#: table rules are skipped for tables the same revision created (no rows, no running code)
_TABLE_CHECKS: tuple[Check, ...] = (destructive.check, data.check, locking.check, compat.check)
_TABLE_FREE_KINDS = frozenset(
    {"create_enum", "rename_enum", "drop_enum", "add_enum_value", "drop_sequence"}
)


@dataclass(frozen=True)
class LintResult:
    """Findings in chain order (then line order), and what was looked at."""

    findings: tuple[Finding, ...]
    revisions: tuple[str, ...]
    dialect: str | None
    suppressed: int = 0


def lint_revisions(
    graph: RevisionGraph,
    selected: Collection[str],
    dialect: str | None,
    ignore: Collection[str] = (),
) -> LintResult:
    """Lint the ``selected`` revisions of ``graph`` for ``dialect`` (None: unknown backend, so the
    backend-specific rules do not run); ``ignore`` lists codes to leave out everywhere."""
    chosen = set(selected)
    enums = EnumTypes()
    findings: list[Finding] = []
    suppressed = 0
    for rev in graph.ordered(graph.ancestors(chosen)):
        script = graph.scripts[rev]
        hits = list(_lint_script(script, dialect, enums))
        if rev not in chosen:
            continue
        for call, hit, script_calls in hits:
            if hit.code in ignore:
                continue
            if is_suppressed(script_calls, call, hit.code):
                suppressed += 1
                continue
            findings.append(Finding(hit.code, rev, script.path, call.line, hit.message))
    return LintResult(tuple(findings), graph.ordered(chosen), dialect, suppressed)


def _lint_script(
    script: Script, dialect: str | None, enums: EnumTypes
) -> Iterator[tuple[OpCall, Hit, ScriptCalls]]:
    try:
        source = read_source(script.path)
        parsed = read_calls(source, str(script.path))
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise RevisionError(f"cannot read revision file {script.path}: {exc}") from exc
    ctx = RevisionContext(dialect, enums)
    for call in parsed.calls:
        for action in call_actions(call, parsed.imports, dialect):
            for hit in check_action(action, ctx):
                yield call, hit, parsed
            ctx.apply(action)


def call_actions(call: OpCall, imports: Mapping[str, str], dialect: str | None) -> list[Action]:
    """The actions of one call: the op itself, or each statement of ``op.execute``'s SQL."""
    if call.method == "execute":
        sql = sql_text(call.arg("sqltext"))
        return sql_actions(sql, dialect) if sql else construct_actions(call.arg("sqltext"))
    action = from_call(call, imports, dialect)
    return [action] if action is not None else []


def check_action(action: Action, ctx: RevisionContext) -> list[Hit]:
    """Every rule's hits for one action, minus rules for another backend."""
    if action.kind not in _TABLE_FREE_KINDS and ctx.is_new_table(action):
        return []
    hits = [hit for check in _TABLE_CHECKS for hit in check(action, ctx)]
    return [h for h in hits if RULES[h.code].dialect in (None, ctx.dialect)]
