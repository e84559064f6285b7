"""Checking one target: the database (or snapshot) against the models, or ``--against`` another
database; drift labels from the chain; source locations for annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from schemadiff.backends.registry import rules_for
from schemadiff.check.drift import unclassified
from schemadiff.check.result import CheckReport
from schemadiff.errors import SchemadiffError, UsageError
from schemadiff.steps import Steps, progress

if TYPE_CHECKING:
    import sqlalchemy as sa

    from schemadiff.check.sourcemap import Location
    from schemadiff.diff.result import DiffResult
    from schemadiff.pipeline import Compared
    from schemadiff.settings.config import Settings


@dataclass(frozen=True)
class CheckOptions:
    """What the command line asked for, beyond the settings."""

    against: str | None = None
    renames: tuple[Sequence[str], Sequence[str]] = ((), ())
    classify: bool = True
    #: find the models' source lines (``--format github``)
    locate: bool = False


def check_target(settings: Settings, name: str, options: CheckOptions) -> list[CheckReport]:
    """Check one target: one report, or one per database of a multidb env.py (named
    ``NAME`` after the database, ``TARGET:NAME`` for a named target); errors are raised (the
    caller decides whether they end the run). A slow check shows one progress line on a
    terminal, erased before the report is printed. The target's own connect and read timeouts
    apply (targets may come from environments)."""
    from schemadiff.backends import timeouts

    timeouts.configure(settings.connect_timeout, settings.read_timeout)
    with progress("Reflecting the database") as shown:
        if options.against is not None:
            return [_against(settings, name, options, shown)]
        return _with_models(settings, name, options, shown)


def _with_models(
    settings: Settings, name: str, options: CheckOptions, shown: Steps
) -> list[CheckReport]:
    from schemadiff.pipeline import compare_databases

    wants_versions = options.classify and bool(settings.script_location)
    found = compare_databases(settings, options.renames, versions=wants_versions)
    if not found.multidb:
        compared = found.items[0].compared
        assert compared is not None
        return [_report(settings, name, options, shown, compared)]
    reports = []
    for db in found.items:
        label = str(db.name) if name == "database" else f"{name}:{db.name}"
        if db.compared is None:
            reports.append(CheckReport(label, db.label, skipped=db.skipped))
            continue
        # the chain's revisions run through env.py, a section per database: no replay here
        why = "a multi-database chain is not replayed (its revisions run through env.py)"
        multi = replace(options, classify=False)
        report = _report(settings, label, multi, shown, db.compared)
        if options.classify and report.result is not None and report.result.ops:
            report = replace(report, drift=unclassified(report.result, why))
        reports.append(report)
    return reports


def _report(
    settings: Settings, name: str, options: CheckOptions, shown: Steps, compared: Compared
) -> CheckReport:
    """One database's report: drift labels, source locations."""
    from schemadiff.check.drift import classify
    from schemadiff.pipeline import require_metadata

    target, result = compared.target, compared.result
    # the models compared: from the settings, or the target_metadata the project's env.py passes
    metadata = compared.metadata if compared.metadata is not None else require_metadata(settings)
    settings = compared.settings or settings
    drift = None
    if options.classify:
        shown.step("Classifying the changes (replaying the chain)")
        drift = classify(settings, target, result, metadata, compared.models)
    report = CheckReport(name, target.label, None, result, drift)
    if options.locate:
        shown.step("Finding the models' source lines")
        locations, models_file = locate(settings, metadata, result)
        report = replace(report, locations=locations, models_file=models_file)
    return report


def failed_target(settings: Settings, name: str, exc: BaseException) -> CheckReport:
    """A target that could not be checked, its URL masked and the reason in one line."""
    from schemadiff.backends.connect import driver_message, mask_url, scrub

    database = mask_url(settings.url) if settings.url else "(no database configured)"
    message = str(exc) if isinstance(exc, SchemadiffError) else driver_message(exc)
    return CheckReport(name, database, error=scrub(" ".join(message.split())))


def locate(
    settings: Settings, metadata: sa.MetaData, result: DiffResult
) -> tuple[tuple[Location | None, ...], Location | None]:
    """Where the models define what each change is about, and the models' file."""
    from schemadiff.check.sourcemap import SourceMap
    from schemadiff.settings.loading import metadata_refs

    refs = metadata_refs(settings.metadata or "")
    source = SourceMap(metadata, refs[0] if refs else None)  # several: the first one's module
    return tuple(source.locate(op) for op in result.ops), source.fallback


def _against(settings: Settings, name: str, options: CheckOptions, shown: Steps) -> CheckReport:
    """``--db A --against B``: B (a database or snapshot) is the wanted state; no models."""
    from schemadiff.check.drift import unclassified
    from schemadiff.diff.engine import compute_diff
    from schemadiff.pipeline import compare_options, reflect_target, restrict_to_covered

    current = reflect_target(settings, None)
    wanted = reflect_target(replace(settings, url=options.against), None)
    if _family(current.snapshot.dialect) != _family(wanted.snapshot.dialect):
        raise UsageError(
            f"cannot compare a {current.snapshot.dialect} database with a "
            f"{wanted.snapshot.dialect} one ({current.label} --against {wanted.label}); "
            "compare databases of the same kind"
        )
    snapshot, skipped = restrict_to_covered(wanted.snapshot, current.covered)
    # roles are the server's, not a database's: two databases do not want each other's
    # (on one server they are the same roles anyway); their privileges are compared
    snapshot = replace(snapshot, roles=())
    compare = compare_options(settings, None, options.renames)
    shown.step("Comparing")
    result = compute_diff(current.snapshot, snapshot, compare)
    if skipped:
        result = replace(result, notices=tuple(result.notices) + skipped)
    drift = None
    if options.classify and result.ops:
        drift = unclassified(result, "--against compares two databases (the chain is not used)")
    return CheckReport(name, current.label, wanted.label, result, drift)


def _family(dialect: str) -> str:
    return rules_for(dialect).family
