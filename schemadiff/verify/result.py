"""What ``verify`` reports: one :class:`CheckResult` per check, each with its problems."""

from __future__ import annotations

from dataclasses import dataclass

from schemadiff.ops import Op

OK, FAILED, SKIPPED = "ok", "failed", "skipped"

TITLES = {
    "chain": "chain integrity",
    "stairway": "stairway (up, down, up for each revision)",
    "models": "models match the schema at head",
    "base": "downgrade to base leaves nothing behind",
}


@dataclass(frozen=True)
class Problem:
    """One failure: what is wrong, the changes that show it, and what to do."""

    message: str
    revision: str | None = None
    ops: tuple[Op, ...] = ()
    hint: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict: ``status`` is ok, failed or skipped (with ``summary`` saying why)."""

    key: str
    title: str
    status: str
    summary: str = ""
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status != FAILED

    def text(self) -> str:
        """Plain text (for pytest failures): the verdict, each problem, its changes and hint."""
        lines = [f"{self.title}: {self.status}" + (f" ({self.summary})" if self.summary else "")]
        for problem in self.problems:
            lines.append(f"  {problem.message}")
            lines.extend(f"      {op.describe()}" for op in problem.ops)
            if problem.hint:
                lines.append(f"    hint: {problem.hint}")
        return "\n".join(lines)


def passed(key: str, summary: str) -> CheckResult:
    return CheckResult(key, TITLES[key], OK, summary)


def failed(key: str, *problems: Problem) -> CheckResult:
    return CheckResult(key, TITLES[key], FAILED, "", problems)


def skipped(key: str, why: str) -> CheckResult:
    return CheckResult(key, TITLES[key], SKIPPED, f"not run: {why}")
