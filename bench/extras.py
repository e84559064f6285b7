"""The measurements besides the diff: start-up, rendering a large initial revision, the chain."""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import chain, measure
from bench.measure import ROOT

#: modules ``schemadiff --help`` must not import (drivers, dialects, black, the diff engine)
HEAVY = ("sqlalchemy", "black", "psycopg", "pymysql", "sqlglot", "alembic", "mako")


def cli_startup(repeat: int = 5) -> dict[str, Any]:
    """Median wall time of ``schemadiff --help`` and the heavy modules it imported."""
    if not chain.SCHEMADIFF.exists():
        return {"error": "no .venv/bin/schemadiff"}
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([str(chain.SCHEMADIFF), "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    trace = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "schemadiff", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stderr
    imported = set(re.findall(r"\|\s+(\S+)\s*$", trace, re.MULTILINE))
    heavy = sorted({m.split(".")[0] for m in imported if m.split(".")[0] in HEAVY})
    return {"seconds": statistics.median(times), "runs": times, "heavy_imports": heavy}


def render_initial(backend: str, tables: int, url: str | None, repeat: int = 3) -> dict[str, Any]:
    """Median of ``python -m bench.render`` (rendering + black beyond reflection)."""
    runs = []
    for _ in range(repeat):
        cmd = [sys.executable, "-m", "bench.render", backend, str(tables)] + ([url] if url else [])
        done = subprocess.run(
            cmd, cwd=measure.WORKER_CWD, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            return {"error": done.stderr[-800:]}
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    runs.sort(key=lambda r: r["seconds"])
    mid = dict(runs[len(runs) // 2])
    mid["tables"] = tables
    mid["runs"] = [round(r["seconds"], 3) for r in runs]
    return mid


def chain_commands(revisions: int = 2000) -> dict[str, Any]:
    """``heads`` and ``history`` (the real command line) and the in-process graph load."""
    with tempfile.TemporaryDirectory(prefix="sd_bench_chain_") as tmp:
        project = chain.make_project(Path(tmp), revisions)
        out: dict[str, Any] = {"revisions": revisions, "api_seconds": chain.time_api(project)}
        for command in ("heads", "history"):
            if chain.has_command(command):
                seconds, first = chain.time_command(project, [command])
                out[command] = {"seconds": seconds, "first_line": first}
            else:
                out[command] = {"error": f"schemadiff {command} does not exist yet"}
    return out
