"""Running workers and keeping their numbers: one :class:`Measurement` per (tool, variant, size)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: where workers run: the schemadiff package found there is the one measured (``--schemadiff-path``
#: points it at another checkout, e.g. an export of an older commit, for before/after numbers)
WORKER_CWD = ROOT


@dataclass(frozen=True)
class Measurement:
    """The median of ``runs`` fresh-interpreter runs of one tool on one schema."""

    backend: str
    layout: str  # "N tables" or "S x N tables"
    tables: int  # total tables in the database
    tool: str  # schemadiff / alembic / floor
    variant: str  # unchanged / changed ("-" for the floor)
    seconds: float
    runs: tuple[float, ...]
    statements: int
    changes: int
    peak_mb: float
    delta_mb: float
    #: the first run's seconds: for schemadiff, with an empty canonical-SQL memo (every
    #: expression parsed, sqlglot imported), as on a machine that never ran it before
    first_seconds: float | None = None


def run_worker(
    tool: str,
    backend: str,
    url: str,
    tables: int,
    *,
    schemas: int = 0,
    changed: bool = False,
    seed: int = 0,
    profile: str | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, float]:
    """One fresh interpreter, one timed run; the worker's JSON line."""
    cmd = [sys.executable, "-m", "bench.worker", tool, backend, url, str(tables)]
    cmd += ["--schemas", str(schemas), "--seed", str(seed)]
    if changed:
        cmd.append("--changed")
    if profile:
        cmd += ["--profile", profile]
    done = subprocess.run(
        cmd,
        cwd=WORKER_CWD,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **(env or {})},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[2:5])} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(
    tool: str,
    backend: str,
    url: str,
    tables: int,
    *,
    repeat: int,
    schemas: int = 0,
    changed: bool = False,
    seed: int = 0,
) -> Measurement:
    """Median wall time of ``repeat`` runs; counts and memory of the median run.

    schemadiff gets its own empty canonical-SQL memo (``SCHEMADIFF_CACHE_DIR``) for each
    measurement: the first run fills it, as a user's first run would, and the later ones read it,
    as every later run on the same schema does; both are reported."""
    memo = tempfile.mkdtemp(prefix="sd-bench-memo-")
    try:
        results = [
            run_worker(
                tool,
                backend,
                url,
                tables,
                schemas=schemas,
                changed=changed,
                seed=seed,
                env={"SCHEMADIFF_CACHE_DIR": memo},
            )
            for _ in range(repeat)
        ]
    finally:
        shutil.rmtree(memo, ignore_errors=True)
    first = results[0]["seconds"]
    results.sort(key=lambda r: r["seconds"])
    mid = results[len(results) // 2]
    layout = f"{schemas} x {tables}" if schemas else f"{tables}"
    return Measurement(
        backend=backend,
        layout=layout,
        tables=tables * max(1, schemas),
        tool=tool,
        variant="-" if tool == "floor" else ("changed" if changed else "unchanged"),
        seconds=statistics.median(r["seconds"] for r in results),
        runs=tuple(round(r["seconds"], 3) for r in results),
        statements=int(mid["statements"]),
        changes=int(mid["changes"]),
        peak_mb=max(r["rss_peak_mb"] for r in results),
        delta_mb=statistics.median(r["rss_peak_mb"] - r["rss_before_mb"] for r in results),
        first_seconds=round(first, 3),
    )
