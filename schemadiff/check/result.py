"""What ``check`` found for one target, in a shape every renderer reads (its JSON form is
:mod:`schemadiff.report.check_json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from schemadiff.check.drift import Drift
    from schemadiff.check.sourcemap import Location
    from schemadiff.diff.result import DiffResult

MULTI_FORMAT = "schemadiff.check/1"
OK, DRIFT, ERROR = "ok", "drift", "error"
#: a database of a multidb env.py without target_metadata: neither checked nor failed
NOT_COMPARED = "not_compared"


@dataclass(frozen=True)
class CheckReport:
    """One target's outcome: a diff with drift labels, or the error that stopped it."""

    name: str
    database: str
    #: what the database should look like: None for the models, else the --against label
    against: str | None = None
    result: DiffResult | None = None
    drift: Drift | None = None
    error: str | None = None
    #: per change, where the models define what it is about (for annotations)
    locations: tuple[Location | None, ...] = ()
    #: the models' file, for notices that name no table in the models
    models_file: Location | None = None
    #: why this database was not compared (no target_metadata in a multidb env.py)
    skipped: str | None = None

    @property
    def verdict(self) -> str:
        if self.skipped is not None:
            return NOT_COMPARED
        if self.result is None:
            return ERROR
        return OK if self.result.is_empty else DRIFT

    @property
    def wanted(self) -> str:
        return "the models" if self.against is None else self.against

    def label(self, index: int) -> str | None:
        """The drift label of change ``index`` (None when nothing was classified: the drift line
        then says why, instead of "unclassified" on every change)."""
        drift = self.drift
        if drift is None or not drift.classified or index >= len(drift.labels):
            return None
        return drift.labels[index].label

    def location(self, index: int) -> Location | None:
        return self.locations[index] if index < len(self.locations) else None


def exit_code(reports: list[CheckReport]) -> int:
    """2 if a target could not be checked, else 1 if one drifted, else 0."""
    verdicts = {r.verdict for r in reports}
    return 2 if ERROR in verdicts else 1 if DRIFT in verdicts else 0


def counts_text(result: DiffResult) -> str:
    """``4 changes (1 destructive)``."""
    n = len(result.ops)
    destructive = result.destructive_count
    changes = f"{n} change" + ("" if n == 1 else "s")
    return f"{changes} ({destructive} destructive)" if destructive else changes
