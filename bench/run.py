"""The benchmark: schemadiff against Alembic and the catalog floor, on the same databases.

    python -m bench.run                      # quick: 100 and 500 tables, every backend
    python -m bench.run --full               # what `make bench` runs (long: run it in the
                                             # background and watch bench/RESULTS.md's log)
    python -m bench.run --sizes 1000 --backends postgresql --no-extras

Each backend gets its own ``sd_bench_*`` database on the test servers (found like the test suite
finds them), grown from the smallest size to the largest, and dropped at the end (``--keep``
keeps them for the next run). Every timing is the median of ``--repeat`` fresh interpreters.
Results go to ``bench/RESULTS.md`` (``--output``) and the raw numbers next to it as JSON.
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import extras, report
from bench import measure as measure_module
from bench.databases import BenchDatabase, drop, forget, grow, keep, open_database
from bench.measure import Measurement, measure

QUICK_SIZES = (100, 500)
FULL_SIZES = (100, 500, 1000, 2000, 5000)
BACKENDS = ("postgresql", "mysql", "sqlite")
TOOLS = ("floor", "schemadiff", "alembic")


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _measure_all(
    db: BenchDatabase, tables: int, args: argparse.Namespace, out: list[Measurement]
) -> None:
    for tool in args.tools:
        for changed in (False, True) if tool != "floor" else (False,):
            label = f"{db.backend} {db.schemas or ''}{'x' if db.schemas else ''}{tables} {tool}"
            label += " changed" if changed else ""
            result = measure(
                tool,
                db.backend,
                db.url,
                tables,
                repeat=args.repeat,
                schemas=db.schemas,
                changed=changed,
                seed=args.seed,
            )
            out.append(result)
            _log(f"{label}: {result.seconds:.3f} s, {result.statements} statements")


def run_backend(
    backend: str, args: argparse.Namespace, out: list[Measurement], kept: list[BenchDatabase]
) -> str | None:
    """Every size on one backend; returns why it was skipped, if it was."""
    try:
        db = open_database(backend, args.workdir, args.seed, first_size=args.sizes[0])
    except RuntimeError as exc:
        _log(f"{backend}: skipped ({exc})")
        return str(exc)
    try:
        for tables in args.sizes:
            _log(f"{backend}: creating tables up to {tables} ...")
            took = grow(db, tables)
            _log(f"{backend}: {tables} tables ready ({took:.0f} s)")
            _measure_all(db, tables, args, out)
    finally:
        kept.append(db)
    return None


def run_multi(args: argparse.Namespace, out: list[Measurement], kept: list[BenchDatabase]) -> None:
    """200 schemas x 20 tables on PostgreSQL."""
    try:
        db = open_database(
            "postgresql",
            args.workdir,
            args.seed,
            schemas=args.multi_schemas,
            first_size=args.multi_tables,
        )
    except RuntimeError as exc:
        _log(f"multi-schema: skipped ({exc})")
        return
    try:
        _log(f"multi-schema: creating {args.multi_schemas} x {args.multi_tables} tables ...")
        took = grow(db, args.multi_tables)
        _log(f"multi-schema: ready ({took:.0f} s)")
        _measure_all(db, args.multi_tables, args, out)
    finally:
        kept.append(db)


def run_extras(args: argparse.Namespace, urls: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    _log("extras: schemadiff --help start-up")
    found["startup"] = extras.cli_startup()
    found["render"] = {}
    for backend in args.backends:
        _log(f"extras: rendering the initial {args.render_tables}-table revision ({backend})")
        found["render"][backend] = extras.render_initial(
            backend, args.render_tables, urls.get(backend), repeat=args.repeat
        )
    _log(f"extras: heads/history on {args.chain_revisions} revisions")
    found["chain"] = extras.chain_commands(args.chain_revisions)
    return found


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", help="comma-separated table counts (default: 100,500)")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--tools", default=",".join(TOOLS))
    parser.add_argument("--full", action="store_true", help="all sizes, multi-schema, extras")
    parser.add_argument("--multi", action="store_true", help="also 200 schemas x 20 tables")
    parser.add_argument("--multi-schemas", type=int, default=200)
    parser.add_argument("--multi-tables", type=int, default=20)
    parser.add_argument("--no-extras", action="store_true")
    parser.add_argument("--render-tables", type=int, default=1000)
    parser.add_argument("--chain-revisions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the databases for next time")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sd_bench"))
    parser.add_argument("--output", type=Path, default=Path(__file__).parent / "RESULTS.md")
    parser.add_argument(
        "--schemadiff-path",
        type=Path,
        help="measure the schemadiff package of another checkout (e.g. `git archive` of an "
        "older commit); the benchmark code is copied into it",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ",".join(map(str, FULL_SIZES if args.full else QUICK_SIZES))
    args.sizes = sorted(int(s) for s in sizes.split(",") if s.strip())
    args.backends = [b for b in args.backends.split(",") if b]
    args.tools = [t for t in args.tools.split(",") if t]
    args.multi = args.multi or args.full
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.schemadiff_path:
        _use_checkout(args.schemadiff_path.resolve())
    return args


def _use_checkout(path: Path) -> None:
    """Run the workers in ``path`` (its ``schemadiff`` shadows the installed one)."""
    if not (path / "schemadiff" / "__init__.py").is_file():
        raise SystemExit(f"{path} has no schemadiff package")
    here = Path(__file__).resolve().parent
    if path != here.parent:
        shutil.copytree(here, path / "bench", dirs_exist_ok=True)
    measure_module.WORKER_CWD = path


def _precompile(path: Path) -> None:
    """Byte-compile the measured checkout first, and the installed ``schemadiff`` that the
    command-line extras run: installed packages (Alembic, SQLAlchemy) come with their ``.pyc``
    files, an editable checkout under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile its
    modules in every timed run (about 30 ms)."""
    installed = subprocess.run(
        [sys.executable, "-c", "import schemadiff; print(schemadiff.__file__)"],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    packages = [path / "schemadiff", path / "bench"]
    if installed:
        packages.append(Path(installed).parent)
    for package in packages:
        compileall.compile_dir(package, quiet=1)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    _precompile(measure_module.WORKER_CWD)
    started = time.time()
    results: list[Measurement] = []
    kept: list[BenchDatabase] = []
    skipped: dict[str, str] = {}
    found: dict[str, Any] = {}
    servers: dict[str, str] = {}

    def write() -> None:
        """Results so far (after each backend, so a long run that fails keeps what it had)."""
        raw = {
            "started": started,
            "seconds": time.time() - started,
            "argv": sys.argv[1:],
            "measurements": [asdict(m) for m in results],
            "extras": found,
            "servers": servers,
            "skipped": skipped,
        }
        args.output.with_suffix(".json").write_text(json.dumps(raw, indent=1), encoding="utf-8")
        args.output.write_text(report.markdown(raw), encoding="utf-8")
        _log(f"written {args.output}")

    try:
        for backend in args.backends:
            why = run_backend(backend, args, results, kept)
            if why:
                skipped[backend] = why
            write()
        if args.multi and "postgresql" in args.backends and "postgresql" not in skipped:
            run_multi(args, results, kept)
        urls = {db.backend: db.url for db in kept if not db.schemas}
        servers.update(report.server_versions(urls))
        if not args.no_extras:
            found.update(run_extras(args, urls))
        write()
    finally:
        if args.keep:
            _log(f"databases kept: {keep(args.workdir, kept)}")
        else:
            for db in kept:
                drop(db)
            forget(args.workdir, kept)


if __name__ == "__main__":
    main()
