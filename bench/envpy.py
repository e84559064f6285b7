"""``revision --autogenerate`` through a project's own env.py against the fast path (issue 16).

    python -m bench.envpy                                # 1,000 tables, every backend, 5 rounds
    python -m bench.envpy --backends sqlite --rounds 7 --keep

For each backend one benchmark database (``bench/databases.py``) holds N tables of the unchanged
models and an ``alembic_version`` row at the projects' one revision: the database is at head.
Two projects share that database, the same revision file and the same models module (the
*changed* variant of ``bench/generate.py``: about 10% of the tables moved on, a change pending):

- *fast*: made by ``schemadiff init`` (our env.py, so no env.py runs), the models named by
  ``metadata`` in ``[tool.schemadiff]``;
- *env.py*: made by ``alembic init -t generic``, its env.py edited as users do
  (``target_metadata = metadata``, imported from the models module), the URL in alembic.ini;
  its ``configure()`` asks for what schemadiff's defaults are (``compare_server_default=True``,
  and ``render_as_batch=True`` on SQLite, which our ``"auto"`` turns on there).

Each round runs the real ``schemadiff revision --autogenerate -m change`` command once in each
project (a fresh process, interpreter start and the models' import included, as a user waits
for it), the order alternating between rounds, and removes the file it wrote. Wall and CPU
(user + system of the child) seconds, the median of the rounds, and the ratio per round (the
machine is shared: pairing keeps the ratio meaningful when its speed drifts); the load average
is recorded at each run. The two files written in the first round must have the same
``upgrade()``/``downgrade()`` (both paths compare the same).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.databases import BenchDatabase, drop, forget, grow, keep, open_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BASE_REV = "b0000000base"
BACKENDS = ("sqlite", "postgresql", "mysql")
VARIANTS = ("fast", "envpy")

_BASE_REVISION = f'''"""base

Revision ID: {BASE_REV}
Revises:
Create Date: 2026-01-01 00:00:00.000000

"""

revision = "{BASE_REV}"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
'''


@dataclass
class Run:
    variant: str
    wall: float
    cpu: float
    load: float


@dataclass
class BackendResult:
    backend: str
    tables: int
    runs: list[Run] = field(default_factory=list)

    def median(self, variant: str, what: str) -> float:
        return statistics.median(getattr(r, what) for r in self.runs if r.variant == variant)

    def ratios(self, what: str) -> list[float]:
        """env.py / fast, round by round (the pair of runs next to each other)."""
        fast = [getattr(r, what) for r in self.runs if r.variant == "fast"]
        env = [getattr(r, what) for r in self.runs if r.variant == "envpy"]
        return [e / f for e, f in zip(env, fast, strict=True)]

    def summary(self) -> dict[str, Any]:
        loads = [r.load for r in self.runs]
        return {
            "backend": self.backend,
            "tables": self.tables,
            "fast_wall": self.median("fast", "wall"),
            "envpy_wall": self.median("envpy", "wall"),
            "fast_cpu": self.median("fast", "cpu"),
            "envpy_cpu": self.median("envpy", "cpu"),
            "ratio_wall": statistics.median(self.ratios("wall")),
            "ratio_cpu": statistics.median(self.ratios("cpu")),
            "load": [min(loads), max(loads)],
            "rounds": len(self.runs) // 2,
        }


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_projects(directory: Path, db: BenchDatabase, tables: int, seed: int) -> dict[str, Path]:
    """The two projects (see the module docstring), sharing one models module."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    models = (
        '"""The benchmark models, one change pending."""\n'
        "from bench.generate import build\n\n"
        f"metadata = build({db.backend!r}, {tables}, seed={seed}, changed=True)\n"
    )
    url = db.url.replace("%", "%%")
    fast, env = directory / "fast", directory / "envpy"
    for project in (fast, env):
        project.mkdir()
        (project / "models.py").write_text(models, encoding="utf-8")
    _run([str(BIN / "schemadiff"), "init", "migrations"], fast)
    ini = fast / "alembic.ini"
    text = ini.read_text(encoding="utf-8")
    ini.write_text(text.replace("[alembic]\n", f"[alembic]\nsqlalchemy.url = {url}\n", 1))
    (fast / "pyproject.toml").write_text(
        '[tool.schemadiff]\nmetadata = "models:metadata"\n', encoding="utf-8"
    )
    _run([str(BIN / "alembic"), "init", "-t", "generic", "migrations"], env)
    ini = env / "alembic.ini"
    text, n = re.subn(r"(?m)^sqlalchemy\.url = .*$", f"sqlalchemy.url = {url}", ini.read_text())
    assert n == 1, "alembic.ini without sqlalchemy.url"
    ini.write_text(text, encoding="utf-8")
    env_py = env / "migrations" / "env.py"
    text, n = re.subn(
        r"(?m)^target_metadata = None$",
        "from models import metadata\n\ntarget_metadata = metadata",
        env_py.read_text(),
    )
    assert n == 1, "env.py without target_metadata = None"
    # what schemadiff compares by default (Alembic's configure() leaves server defaults out),
    # and batch mode on SQLite as SQLite projects set it (ours: render_as_batch = "auto")
    extra = ", compare_server_default=True"
    extra += ", render_as_batch=True" if db.backend == "sqlite" else ""
    text = text.replace(
        "target_metadata=target_metadata", "target_metadata=target_metadata" + extra
    )
    env_py.write_text(text, encoding="utf-8")
    for project in (fast, env):
        versions = project / "migrations" / "versions"
        versions.mkdir(exist_ok=True)
        (versions / f"{BASE_REV}_base.py").write_text(_BASE_REVISION, encoding="utf-8")
    return {"fast": fast, "envpy": env}


def stamp(url: str) -> None:
    """The database at the projects' one revision (the version table as Alembic makes it)."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            conn.exec_driver_sql(
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
            )
            conn.exec_driver_sql(f"INSERT INTO alembic_version VALUES ('{BASE_REV}')")
    finally:
        engine.dispose()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(cmd: list[str], cwd: Path) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_env(), check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}: {done.stderr[-1500:]}")
    return done.stdout


def time_revision(project: Path, keep_as: Path | None = None) -> tuple[float, float]:
    """One ``schemadiff revision --autogenerate`` (wall, cpu); the file it wrote is removed
    (or moved to ``keep_as``) so the database stays at head for the next run. CPU is the
    child's user + system seconds (the growth of ``RUSAGE_CHILDREN``: one child at a time)."""
    cmd = [str(BIN / "schemadiff"), "revision", "--autogenerate", "-m", "change"]
    before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=project, env=_env(), capture_output=True, text=True)
    wall = time.perf_counter() - start
    cpu = _children_cpu() - before
    if done.returncode != 0 or "wrote" not in done.stdout:
        raise RuntimeError(
            f"revision failed in {project} ({done.returncode}): {done.stderr[-1500:]}"
        )
    versions = project / "migrations" / "versions"
    written = [p for p in versions.glob("*.py") if BASE_REV not in p.name]
    if len(written) != 1:
        raise RuntimeError(f"expected one new revision in {project}, found {written}")
    if keep_as is not None:
        shutil.move(written[0], keep_as)
    else:
        written[0].unlink()
    return wall, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bodies(path: Path) -> str:
    """From ``def upgrade`` on: what the comparison decided (the headers' templates differ)."""
    text = path.read_text(encoding="utf-8")
    text = text[text.index("def upgrade") :]
    return re.sub(r'(?m)^    """(Upgrade|Downgrade) schema."""\n', "", text)  # Alembic's template


def measure_backend(
    db: BenchDatabase, tables: int, rounds: int, workdir: Path, seed: int
) -> BackendResult:
    projects = make_projects(workdir / f"envpy_{db.backend}", db, tables, seed)
    stamp(db.url)
    result = BackendResult(db.backend, tables)
    kept = {v: workdir / f"envpy_{db.backend}_{v}_revision.py" for v in VARIANTS}
    for variant in VARIANTS:  # warm-up (memo of canonical SQL, page cache), outputs kept
        time_revision(projects[variant], keep_as=kept[variant])
    if bodies(kept["fast"]) != bodies(kept["envpy"]):
        raise RuntimeError(f"{db.backend}: the two paths wrote different migrations: {kept}")
    for n in range(rounds):
        order = VARIANTS if n % 2 == 0 else VARIANTS[::-1]
        for variant in order:
            load = os.getloadavg()[0]
            wall, cpu = time_revision(projects[variant])
            result.runs.append(Run(variant, wall, cpu, load))
            _log(f"{db.backend} {variant}: {wall:.2f} s wall, {cpu:.2f} s cpu, load {load:.1f}")
    return result


def markdown(results: list[BackendResult]) -> str:
    lines = [
        "| backend, tables | fast path wall | env.py wall | ratio | fast CPU | env.py CPU | ratio"
        " | load |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        s = r.summary()
        lines.append(
            f"| {s['backend']}, {s['tables']:,} | {s['fast_wall']:.2f} s | {s['envpy_wall']:.2f} s"
            f" | {s['ratio_wall']:.3f} | {s['fast_cpu']:.2f} s | {s['envpy_cpu']:.2f} s"
            f" | {s['ratio_cpu']:.3f} | {s['load'][0]:.1f}-{s['load'][1]:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.envpy", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", action="store_true", help="keep the databases for next time")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/sd_bench"))
    parser.add_argument("--output", type=Path, help="write the raw runs as JSON")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    results: list[BackendResult] = []
    kept: list[BenchDatabase] = []
    try:
        for backend in [b for b in args.backends.split(",") if b]:
            try:
                db = open_database(backend, args.workdir, args.seed, first_size=args.tables)
            except RuntimeError as exc:
                _log(f"{backend}: skipped ({exc})")
                continue
            kept.append(db)
            _log(f"{backend}: {args.tables} tables ...")
            grow(db, args.tables)
            results.append(measure_backend(db, args.tables, args.rounds, args.workdir, args.seed))
            print(markdown(results[-1:]), flush=True)
    finally:
        if args.keep:
            _log(f"databases kept: {keep(args.workdir, kept)}")
        else:
            for db in kept:
                drop(db)
            forget(args.workdir, kept)
    print(markdown(results))
    if args.output:
        raw = [{"summary": r.summary(), "runs": [asdict(x) for x in r.runs]} for r in results]
        args.output.write_text(json.dumps(raw, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
