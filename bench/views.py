"""Reflection with views and functions: N tables alone against N tables plus V views and F
functions (issue 17), each run in a fresh interpreter, the two interleaved, median.

``python -m bench.views [--backends postgresql mysql] [--tables 1000] [--views 500]
[--functions 200] [--repeat 5] [--schemadiff-path DIR]``

Two databases per backend: one with the tables only, one with the same tables and the views and
functions the models declare too (so the diff is empty in both). Each measurement is
``bench.tools.schemadiff_diff`` (reflection with the models built meanwhile, then the diff) in
a new process with an empty canonical-SQL memo, as ``bench.run``; ``--warm`` keeps one memo
directory per database instead (the second and later runs of a user), filled by one run per
database before the measured ones. Each run reports its CPU time too (the machine may be
shared: CPU seconds move less than wall time with the load).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

from bench.databases import drop, grow, keep, open_database
from bench.generate import build, table_name


def add_objects(
    backend: str, metadata: sa.MetaData, tables: int, views: int, functions: int
) -> None:
    """Declare ``views`` views over the bench tables (a filter, a join, an aggregate in turn) and
    ``functions`` small SQL functions on ``metadata``."""
    from schemadiff.objects import Function, View

    for i in range(views):
        t = table_name(i % tables)
        u = table_name((i * 7 + 3) % tables)
        kind = i % 3
        if kind == 0:
            sql = f"SELECT id, name, qty FROM {t} WHERE qty > {i}"
        elif kind == 1:
            sql = (
                f"SELECT a.id, a.name, b.code FROM {t} a JOIN {u} b ON b.id = a.id"
                f" WHERE a.qty < {i}"
            )
        else:
            sql = f"SELECT code, count(*) AS n, max(qty) AS top FROM {t} GROUP BY code"
        View(metadata, f"v{i:05d}", sql)
    for i in range(functions):
        if backend == "postgresql":
            Function(
                metadata,
                f"f{i:05d}",
                f"SELECT x + {i}",
                args="x integer",
                returns="integer",
                volatility="immutable",
            )
        else:
            Function(
                metadata,
                f"f{i:05d}",
                f"RETURN x + {i}",
                args="x INT",
                returns="INT",
                volatility="immutable",
            )


def _function_ddl(backend: str, i: int) -> str:
    if backend == "postgresql":
        return (
            f"CREATE FUNCTION f{i:05d}(x integer) RETURNS integer LANGUAGE sql IMMUTABLE"
            f" AS $$SELECT x + {i}$$"
        )
    return (
        f"CREATE FUNCTION f{i:05d}(x INT) RETURNS INT DETERMINISTIC SQL SECURITY INVOKER"
        f" RETURN x + {i}"
    )


def _create_objects(url: str, backend: str, tables: int, views: int, functions: int) -> None:
    from schemadiff.objects.views import create_views

    metadata = sa.MetaData()
    add_objects(backend, metadata, tables, views, functions)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            create_views(metadata, conn)
            for i in range(functions):
                conn.exec_driver_sql(_function_ddl(backend, i))
    finally:
        engine.dispose()


def _measure(
    backend: str, url: str, tables: int, views: int, functions: int, path: str | None, memo: str
) -> dict[str, float]:
    env = dict(os.environ, SCHEMADIFF_CACHE_DIR=memo)
    if path:
        env["PYTHONPATH"] = os.pathsep.join([path, str(Path(__file__).resolve().parent.parent)])
    cmd = [
        sys.executable,
        "-m",
        "bench.views",
        "--worker",
        backend,
        url,
        str(tables),
        str(views),
        str(functions),
    ]
    out = subprocess.run(cmd, env=env, cwd=path, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _worker(argv: list[str]) -> None:
    import gc
    import time

    from bench.tools import schemadiff_diff

    backend, url, tables, views, functions = argv[0], argv[1], *map(int, argv[2:5])
    metadata = build(backend, tables)
    add_objects(backend, metadata, tables, views, functions)
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    changes = schemadiff_diff(url, metadata, [])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "changes": changes}))


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        _worker(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(prog="bench.views")
    parser.add_argument("--backends", nargs="+", default=["postgresql", "mysql"])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--views", type=int, default=500)
    parser.add_argument("--functions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--warm", action="store_true", help="keep the memo between runs")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the databases for the next run with the same --workdir",
    )
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "sd_bench_views"))
    parser.add_argument("--schemadiff-path", help="measure the checkout in this directory")
    args = parser.parse_args()
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "plain").mkdir(exist_ok=True)
    (workdir / "full").mkdir(exist_ok=True)
    for backend in args.backends:
        plain = open_database(backend, workdir / "plain", seed=0, first_size=args.tables)
        full = open_database(backend, workdir / "full", seed=0, first_size=args.tables)
        try:
            grow(plain, args.tables)
            if full.tables == 0:  # a database kept by an earlier run has them already
                grow(full, args.tables)
                _create_objects(full.url, backend, args.tables, args.views, args.functions)
            if args.keep:
                keep(workdir / "plain", [plain])
                keep(workdir / "full", [full])
            times: dict[str, list[float]] = {"tables": [], "objects": []}
            cpus: dict[str, list[float]] = {"tables": [], "objects": []}
            loads: list[float] = []
            with tempfile.TemporaryDirectory() as memo_root:
                if args.warm:  # one run per database fills its memo: not measured
                    for label, db, v, f in (
                        ("tables", plain, 0, 0),
                        ("objects", full, args.views, args.functions),
                    ):
                        memo = Path(memo_root) / label
                        _measure(
                            backend, db.url, args.tables, v, f, args.schemadiff_path, str(memo)
                        )
                for r in range(args.repeat):
                    for label, db, v, f in (
                        ("tables", plain, 0, 0),
                        ("objects", full, args.views, args.functions),
                    ):
                        memo = Path(memo_root) / (label if args.warm else f"{label}{r}")
                        got = _measure(
                            backend, db.url, args.tables, v, f, args.schemadiff_path, str(memo)
                        )
                        if got["changes"]:
                            print(f"warning: {backend} {label}: {got['changes']} changes")
                        times[label].append(got["seconds"])
                        cpus[label].append(got.get("cpu", float("nan")))  # an older worker
                        loads.append(os.getloadavg()[0])
            a, b = statistics.median(times["tables"]), statistics.median(times["objects"])
            ca, cb = statistics.median(cpus["tables"]), statistics.median(cpus["objects"])
            print(
                f"{backend}: {args.tables} tables {a:.3f} s; + {args.views} views"
                f" + {args.functions} functions {b:.3f} s; ratio {b / a:.2f}"
                f"  (runs: {[round(t, 3) for t in times['tables']]}"
                f" / {[round(t, 3) for t in times['objects']]})\n"
                f"  CPU: {ca:.3f} s; {cb:.3f} s; ratio {cb / ca:.2f}"
                f"  (runs: {[round(t, 3) for t in cpus['tables']]}"
                f" / {[round(t, 3) for t in cpus['objects']]});"
                f" load {min(loads):.1f}-{max(loads):.1f}",
                flush=True,
            )
        finally:
            if not args.keep:
                drop(plain)
                drop(full)


if __name__ == "__main__":
    main()
