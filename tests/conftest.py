"""Shared fixtures: one throw-away database per test module and backend, emptied between tests.

``db_url`` / ``engine`` are parametrized over SQLite, PostgreSQL and MariaDB/MySQL; use the
``backend_url("postgresql")`` fixture factory for a single backend.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.kit import dbs

BACKENDS = ("sqlite", "postgresql", "mysql")

#: the canonical-SQL memo (schemadiff.canonical.memo) of this test session, never the user's own
#: (commands run as subprocesses inherit it); removed at exit, after the session's own memo is
#: written there at exit (atexit runs last-registered first; removing it at session finish left
#: one directory behind per test run)
_MEMO_DIR = tempfile.mkdtemp(prefix="schemadiff-test-memo-")
os.environ["SCHEMADIFF_CACHE_DIR"] = _MEMO_DIR
atexit.register(shutil.rmtree, _MEMO_DIR, ignore_errors=True)
os.environ.pop("SCHEMADIFF_NO_CACHE", None)


class _ModuleDatabases:
    """Lazily creates at most one database per backend for a test module."""

    def __init__(self, tmp_dir: str, prefix: str) -> None:
        self.tmp_dir = tmp_dir
        self.prefix = prefix
        self.urls: dict[str, str] = {}
        self.servers: dict[str, str] = {}

    def url(self, backend: str, slot: int = 0) -> str:
        key = backend if slot == 0 else f"{backend}#{slot}"
        if key not in self.urls:
            if backend == "sqlite":
                self.urls[key] = f"sqlite:///{self.tmp_dir}/test{slot or ''}.db"
            else:
                server = dbs.find_server(backend)
                if server.url is None:
                    if backend in dbs.required():
                        pytest.fail(f"{backend} required but unavailable: {server.reason}")
                    pytest.skip(server.reason)
                self.servers[backend] = server.url
                self.urls[key] = dbs.new_database(server.url, self.prefix)
        return self.urls[key]

    def close(self) -> None:
        for key, url in self.urls.items():
            backend = key.split("#")[0]
            if backend in self.servers:
                dbs.drop_database(self.servers[backend], url)


@pytest.fixture(scope="module")
def module_databases(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[_ModuleDatabases]:
    prefix = request.module.__name__.rsplit(".", 1)[-1].replace("test_", "")[:20]
    holder = _ModuleDatabases(str(tmp_path_factory.mktemp(prefix)), prefix)
    yield holder
    holder.close()


@pytest.fixture
def backend_url(module_databases: _ModuleDatabases) -> Callable[..., str]:
    """Factory: ``backend_url("postgresql")`` -> URL of this module's (emptied) database;
    ``backend_url("postgresql", 1)`` a second one on the same server."""

    def get(backend: str, slot: int = 0) -> str:
        url = module_databases.url(backend, slot)
        engine = sa.create_engine(url)
        try:
            dbs.reset_database(engine)
        finally:
            engine.dispose()
        return url

    return get


@pytest.fixture
def engines(backend_url: Callable[..., str]) -> Iterator[Callable[..., Engine]]:
    """Factory: ``engines("postgresql")`` an engine on this module's (emptied) database,
    ``engines("postgresql", 1)`` on a second one; disposed after the test."""
    made: list[Engine] = []

    def get(backend: str, slot: int = 0) -> Engine:
        engine = sa.create_engine(backend_url(backend, slot))
        made.append(engine)
        return engine

    yield get
    for engine in made:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> str:
    """An empty database on each backend in turn."""
    return backend_url(request.param)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    eng = sa.create_engine(db_url)
    yield eng
    eng.dispose()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_url") in ("postgresql", "mysql"):
            item.add_marker(pytest.mark.db)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    dbs.stop_containers()
