"""One timed run in a fresh interpreter: ``python -m bench.worker TOOL BACKEND URL N [...]``.

The models are built first (the user's model import: the same cost for every tool, not timed),
then the clock runs from the tool's own imports to its computed diff. Prints one JSON line:
seconds, catalog statements (every ``before_cursor_execute``), changes found, and the process's
resident memory before the run and its peak during it. ``--profile FILE`` writes cProfile stats
of the timed part instead of measuring it cleanly.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import warnings

import sqlalchemy as sa

from bench.generate import build
from bench.tools import TOOLS


def _status_mb(field: str) -> float | None:
    """``VmRSS`` / ``VmHWM`` (peak) of this process from ``/proc``, in MB."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _reset_peak() -> float:
    """Start measuring the peak from now (Linux: ``clear_refs`` 5 resets VmHWM), so that building
    the models does not hide the tool's own peak; returns the resident size now."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass
    return _status_mb("VmRSS") or _peak_mb()


def _peak_mb() -> float:
    """Peak resident set size since :func:`_reset_peak` (else since the process started)."""
    return _status_mb("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.worker")
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("backend")
    parser.add_argument("url")
    parser.add_argument("tables", type=int)
    parser.add_argument("--schemas", type=int, default=0)
    parser.add_argument("--changed", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile")
    args = parser.parse_args(argv)

    metadata = build(
        args.backend, args.tables, seed=args.seed, changed=args.changed, schemas=args.schemas
    )
    schemas = sorted({t.schema for t in metadata.tables.values() if t.schema})
    statements = 0

    def count(*_: object) -> None:
        nonlocal statements
        statements += 1

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    # Alembic warns once per expression index it cannot reflect; printing thousands of lines
    # would time the terminal, not the tool
    warnings.simplefilter("ignore")
    gc.collect()
    before = _reset_peak()
    tool = TOOLS[args.tool]
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        start = time.perf_counter()
        changes = profiler.runcall(tool, args.url, metadata, schemas)
        seconds = time.perf_counter() - start
        profiler.dump_stats(args.profile)
    else:
        start = time.perf_counter()
        changes = tool(args.url, metadata, schemas)
        seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "statements": statements,
        "changes": changes,
        "rss_before_mb": round(before, 1),
        "rss_peak_mb": round(_peak_mb(), 1),
    }
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
