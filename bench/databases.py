"""The benchmark's own databases (``sd_bench_*``), grown table by table and dropped at the end.

Because the generator's table ``k`` never depends on how many tables there are, one database grows
from 100 to 5,000 tables: only the new tables are created at each step. ``--keep`` leaves the
databases in place and records them in ``state.json`` of the work directory, so the next run (for
example while profiling) starts from the tables already there.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.generate import build, schema_name, table_name

#: tables per transaction (PostgreSQL locks every created table until commit)
BATCH = 100


@dataclass
class BenchDatabase:
    """One benchmark database and how many tables (per schema) it holds so far."""

    backend: str
    name: str
    url: str
    server_url: str | None
    seed: int
    schemas: int = 0
    tables: int = 0

    @property
    def key(self) -> str:
        return f"{self.backend}/{self.schemas}/{self.seed}"


def server_url(backend: str) -> tuple[str | None, str]:
    """The server to use (the test suite's discovery), or None and why not."""
    if backend == "sqlite":
        return "sqlite://", ""
    from tests.kit.dbs import find_server

    server = find_server(backend)
    return server.url, server.reason


def open_database(
    backend: str, workdir: Path, seed: int, schemas: int = 0, first_size: int = 0
) -> BenchDatabase:
    """A benchmark database: the one an earlier ``--keep`` run left (when it holds no more than
    ``first_size`` tables per schema: tables are never removed), else a new one."""
    kept = _load_state(workdir).get(f"{backend}/{schemas}/{seed}")
    if kept and kept["tables"] <= first_size and _still_there(BenchDatabase(**kept)):
        return BenchDatabase(**kept)
    tag = hashlib.sha1(str(workdir.resolve()).encode()).hexdigest()[:6]  # one set per workdir
    name = f"sd_bench_{backend[:2]}_{'multi' if schemas else 'main'}_{tag}"
    server, why = server_url(backend)
    if server is None:
        raise RuntimeError(why)
    if backend == "sqlite":
        path = workdir / f"{name}.db"
        path.unlink(missing_ok=True)
        return BenchDatabase(backend, name, f"sqlite:///{path}", None, seed, schemas)
    _admin(server, f"DROP DATABASE IF EXISTS {_quote(backend, name)}", backend)
    create = f"CREATE DATABASE {_quote(backend, name)}"
    _admin(server, create + (" CHARACTER SET utf8mb4" if backend == "mysql" else ""), backend)
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    return BenchDatabase(backend, name, url, server, seed, schemas)


def grow(db: BenchDatabase, tables: int) -> float:
    """Create the tables ``db`` lacks to hold ``tables`` per schema; returns the seconds taken."""
    if tables <= db.tables:
        return 0.0
    start = time.perf_counter()
    metadata = build(db.backend, tables, seed=db.seed, schemas=db.schemas)
    engine = sa.create_engine(db.url)
    try:
        if db.schemas and db.tables == 0:
            with engine.begin() as conn:
                for k in range(db.schemas):
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema_name(k)}"'))
        new = {table_name(p) for p in range(db.tables, tables)}
        missing = [t for t in metadata.sorted_tables if t.name in new]  # parents first
        for first in range(0, len(missing), BATCH):
            batch = missing[first : first + BATCH]
            with engine.begin() as conn:
                if db.backend == "sqlite":
                    conn.exec_driver_sql("PRAGMA synchronous=OFF")
                metadata.create_all(conn, tables=batch)
    finally:
        engine.dispose()
    db.tables = tables
    return time.perf_counter() - start


def drop(db: BenchDatabase) -> None:
    if db.server_url is None:
        Path(make_url(db.url).database or "").unlink(missing_ok=True)
        return
    force = " WITH (FORCE)" if db.backend == "postgresql" else ""
    sql = f"DROP DATABASE IF EXISTS {_quote(db.backend, db.name)}{force}"
    _admin(db.server_url, sql, db.backend)


def keep(workdir: Path, databases: list[BenchDatabase]) -> Path:
    """Record ``databases`` for the next run (``--keep``)."""
    state = _load_state(workdir)
    state.update({db.key: asdict(db) for db in databases})
    path = workdir / "state.json"
    path.write_text(json.dumps(state, indent=2))
    return path


def forget(workdir: Path, databases: list[BenchDatabase]) -> None:
    state = _load_state(workdir)
    for db in databases:
        state.pop(db.key, None)
    (workdir / "state.json").write_text(json.dumps(state, indent=2))


def _load_state(workdir: Path) -> dict[str, dict[str, Any]]:
    path = workdir / "state.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _still_there(db: BenchDatabase) -> bool:
    """The kept database exists and holds the tables the state file says."""
    try:
        engine = sa.create_engine(db.url)
        with engine.connect() as conn:
            names = sa.inspect(conn).get_table_names()
            found = len(set(names) - {"alembic_version"})  # bench.envpy stamps the database
        engine.dispose()
    except Exception:  # noqa: BLE001 - gone or unreachable: make a new one
        return False
    return db.schemas > 0 or found == db.tables


def _quote(backend: str, name: str) -> str:
    return f"`{name}`" if backend == "mysql" else f'"{name}"'


def _admin(server: str, sql: str, backend: str) -> None:
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(sql))
    engine.dispose()
