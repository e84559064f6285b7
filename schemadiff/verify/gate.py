"""``verify``: the pre-merge gate. Needs no production database.

Four checks, each reported on its own:

1. *chain*: the revision files form one chain (one base, no cycle, no dangling link, one head
   unless branches are allowed), and no two heads change the same table or column;
2. *stairway*: on a scratch database, every revision is upgraded, downgraded and upgraded again;
   the downgrade must restore what was there before, the second upgrade must equal the first;
3. *models*: at head, the scratch database must equal the models ("missing migration");
4. *base*: downgrading to base leaves nothing behind (tables, types, sequences, indexes, schemas).

One scratch database serves the whole run (the stairway leaves it at head, where the models are
compared, then it goes down to base), and it is always dropped afterwards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from schemadiff.backends.registry import rules_for
from schemadiff.chain.graph import RevisionGraph
from schemadiff.chain.project import Project
from schemadiff.errors import SchemadiffError
from schemadiff.settings.config import Settings
from schemadiff.verify.chain import check_chain
from schemadiff.verify.result import CheckResult, Problem, failed, passed, skipped
from schemadiff.verify.stairway import Stairway
from schemadiff.verify.trace import DbObject

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

AUTOGENERATE_HINT = (
    "write the missing revision with 'schemadiff revision --autogenerate -m MESSAGE' "
    "(against a database at head)"
)
_DB_CHECKS = ("stairway", "models", "base")


@dataclass(frozen=True)
class VerifyReport:
    checks: tuple[CheckResult, ...]
    #: where the chain was replayed (password masked), for the report's header
    scratch: str
    revisions: int

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def verify(
    settings: Settings, project: Project, allow_branches: bool, scratch: str | None
) -> VerifyReport:
    """Run every check; ``scratch`` is a server URL for the scratch database (None: settings)."""
    from schemadiff.backends.scratch import scratch_database
    from schemadiff.pipeline import require_metadata
    from schemadiff.steps import progress

    require_metadata(settings)  # a bad models reference is bad input, found before any work
    server, dialect = scratch_target(settings, scratch)
    chain, graph = check_chain(project, allow_branches)
    label = scratch_label(server)
    if graph is None:
        return VerifyReport(
            (chain, *(skipped(key, "the chain could not be read") for key in _DB_CHECKS)), label, 0
        )
    with progress("Creating the scratch database"), scratch_database(server, dialect) as url:
        checks = replay_checks(settings, project, graph, url)
    return VerifyReport((chain, *checks), label, len(graph.scripts))


def replay_checks(
    settings: Settings, project: Project, graph: RevisionGraph, url: str
) -> tuple[CheckResult, ...]:
    """Stairway, models at head, clean base: all on the (empty) database ``url``."""
    from schemadiff.steps import progress

    with progress("Walking the stairway (every revision up, down and up)"):
        outcome = stairway(settings, project, graph, url)
    if outcome.stopped_at is not None:
        why = f"the stairway stopped at revision {outcome.stopped_at}"
        return stairway_result(outcome), skipped("models", why), skipped("base", why)
    replay(project, url)  # a no-op after a complete stairway; checks the version table agrees
    models = models_check(settings, url)  # its progress steps: reflecting, comparing
    with progress("Downgrading to base"):
        base = base_check(project, url, outcome)
    return stairway_result(outcome), models, base


# --- the stairway -----------------------------------------------------------------------------


def stairway(settings: Settings, project: Project, graph: RevisionGraph, url: str) -> Stairway:
    """Walk the stairway on ``url``; leaves the database at head (unless a script failed)."""
    from schemadiff.backends.connect import connect, create_engine
    from schemadiff.verify.stairway import walk

    engine = create_engine(url)
    try:
        with connect(engine) as conn:
            return walk(project, graph, conn, _model_schemas(settings, conn))
    finally:
        engine.dispose()


def stairway_result(outcome: Stairway) -> CheckResult:
    if outcome.problems:
        return failed("stairway", *outcome.problems)
    n = outcome.steps
    return passed("stairway", f"{n} revision{'s' * (n != 1)} up, down and up again")


def _model_schemas(settings: Settings, conn: Connection) -> list[str]:
    """Schemas the models name (PostgreSQL only: elsewhere a schema is another database,
    outside the scratch one)."""
    from schemadiff.pipeline import require_metadata, wanted_schemas

    if not rules_for(conn.dialect.name).schemas_in_database:
        return []
    return wanted_schemas(settings, require_metadata(settings), conn.dialect.default_schema_name)


# --- models at head ---------------------------------------------------------------------------


def replay(project: Project, url: str) -> None:
    """Upgrade ``url`` to every head (a plain replay, as ``upgrade heads`` does it)."""
    from schemadiff.chain.migrate import migrate

    if project.graph().heads:
        migrate(project, url, "heads", upgrade=True)


def models_check(settings: Settings, url: str) -> CheckResult:
    """The database at ``url`` (at head) must equal the models."""
    from schemadiff.pipeline import compare

    # the scratch database: compared directly (a project's env.py connects where it wants)
    result = compare(replace(settings, url=url), env_py=False).result
    if result.is_empty:
        return passed("models", "the schema at head equals the models")
    n = len(result.ops)
    problem = Problem(
        f"missing migration: the models differ from the schema the chain builds at head "
        f"({n} change{'s' * (n != 1)} needed):",
        ops=result.ops,
        hint=AUTOGENERATE_HINT,
    )
    return failed("models", problem)


# --- back to base ---------------------------------------------------------------------------


def base_check(project: Project, url: str, outcome: Stairway) -> CheckResult:
    """Downgrade to base; nothing may be left that the fresh database did not have."""
    from schemadiff.chain.migrate import migrate

    try:
        if project.graph().heads:
            migrate(project, url, "base", upgrade=False)
    except SchemadiffError as exc:
        return failed("base", Problem(f"downgrade to base failed: {exc}"))
    left = sorted(objects_now(url, project.version_table) - outcome.start, key=DbObject.sort_key)
    if not left:
        return passed("base", "nothing is left behind")
    return failed("base", *(_leftover(obj, outcome) for obj in left))


def objects_now(url: str, version_table: str) -> frozenset[DbObject]:
    from schemadiff.backends.connect import connect, create_engine
    from schemadiff.verify.trace import trace

    engine = create_engine(url)
    try:
        with connect(engine) as conn:
            return trace(conn, version_table)
    finally:
        engine.dispose()


def _leftover(obj: DbObject, outcome: Stairway) -> Problem:
    rev = outcome.created_by.get(obj)
    origin = f" (created by revision {rev})" if rev else ""
    fix = f"downgrade() of revision {rev}" if rev else "the downgrade that should remove it"
    return Problem(
        f"{obj.describe()} is left after downgrading to base{origin}",
        rev,
        hint=f"drop the {obj.kind} in {fix}",
    )


# --- scratch database -------------------------------------------------------------------------


def scratch_target(settings: Settings, override: str | None) -> tuple[str | None, str]:
    """The server for the scratch database and the chain's dialect.

    ``--scratch`` / the ``scratch_url`` setting / the configured URL's server, in that order;
    None (a temporary SQLite file) when none is set or the project is SQLite.
    """
    from schemadiff.backends.connect import parse_url

    url = settings.url
    live = url if url and "://" in url else None
    server = override or settings.scratch_url or live
    if server is not None:
        return server, parse_url(server).get_backend_name()
    if url and url.endswith(".json"):
        return None, _snapshot_dialect(Path(url))
    return None, "sqlite"


def scratch_label(server: str | None) -> str:
    from schemadiff.backends.connect import mask_url, parse_url

    if server is None or rules_for(parse_url(server).get_backend_name()).file_based:
        return "a temporary SQLite database"
    return f"a temporary database on {mask_url(server)}"


def _snapshot_dialect(path: Path) -> str:
    """The dialect a snapshot file was taken from (its chain must replay on that backend)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return "sqlite"  # unreadable: 'check' is where the file itself is reported
    dialect = data.get("dialect") if isinstance(data, dict) else None
    return dialect if isinstance(dialect, str) else "sqlite"
