"""Finding test database servers and making throw-away databases on them.

Order for each backend: ``SCHEMADIFF_TEST_POSTGRES_URL`` / ``SCHEMADIFF_TEST_MYSQL_URL``, then the
usual local server if it answers, then a testcontainers container when a Docker engine answers,
else None with a reason (the fixture skips, or fails under ``SCHEMADIFF_TEST_REQUIRE``).
"""

from __future__ import annotations

import functools
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

LOCAL = {
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "mysql": "mysql+pymysql://root@127.0.0.1:3306/test",
}
ENV = {"postgresql": "SCHEMADIFF_TEST_POSTGRES_URL", "mysql": "SCHEMADIFF_TEST_MYSQL_URL"}


@dataclass(frozen=True)
class Server:
    backend: str
    url: str | None
    reason: str = ""


def required() -> set[str]:
    raw = os.environ.get("SCHEMADIFF_TEST_REQUIRE", "")
    return {p.strip().lower() for p in raw.split(",") if p.strip()}


def _answers(url: str) -> str | None:
    """None if the server answers, else the error text."""
    try:
        engine = sa.create_engine(url, connect_args=_connect_args(url))
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not usable"
        return str(exc).splitlines()[0][:200]


def _connect_args(url: str) -> dict[str, object]:
    if url.startswith("postgresql"):
        return {"connect_timeout": 3}
    if url.startswith("mysql"):
        return {"connect_timeout": 3}
    return {}


@cache
def find_server(backend: str) -> Server:
    env_url = os.environ.get(ENV[backend])
    if env_url:
        err = _answers(env_url)
        if err is None:
            return Server(backend, env_url)
        return Server(backend, None, f"{ENV[backend]} does not answer: {err}")
    err = _answers(LOCAL[backend])
    if err is None:
        return Server(backend, LOCAL[backend])
    container_url, why = _container(backend)
    if container_url:
        return Server(backend, container_url)
    return Server(backend, None, f"no {backend} server: local server: {err}; testcontainers: {why}")


_CONTAINERS: list[object] = []


def _container(backend: str) -> tuple[str | None, str]:
    try:
        import docker  # type: ignore[import-untyped]

        docker.from_env().ping()
    except Exception as exc:  # noqa: BLE001
        return None, f"no Docker engine ({str(exc)[:80]})"
    try:
        if backend == "postgresql":
            from testcontainers.postgres import PostgresContainer

            pg = PostgresContainer("postgres:16", driver="psycopg")
            pg.start()
            _CONTAINERS.append(pg)
            return pg.get_connection_url(), ""
        from testcontainers.mysql import MySqlContainer

        my = MySqlContainer("mariadb:11", username="root", password="test", dbname="test")
        my.start()
        _CONTAINERS.append(my)
        return my.get_connection_url().replace("mysql://", "mysql+pymysql://"), ""
    except Exception as exc:  # noqa: BLE001
        return None, f"container failed: {str(exc)[:120]}"


def stop_containers() -> None:
    for c in _CONTAINERS:
        c.stop()  # type: ignore[attr-defined]


def new_database(server_url: str, prefix: str) -> str:
    """Create a fresh database on the server and return its URL."""
    name = re.sub(r"[^a-z0-9_]", "_", f"sd_{prefix}_{uuid.uuid4().hex[:8]}".lower())[:60]
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if admin.dialect.name == "postgresql":
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        else:
            conn.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, db_url: str) -> None:
    name = make_url(db_url).database
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if admin.dialect.name == "postgresql":
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        else:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
    admin.dispose()


def reset_database(engine: Engine) -> None:
    """Empty a test database between tests (faster than creating a new one each time)."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            schemas = conn.execute(
                sa.text(
                    "select nspname from pg_namespace where nspname not like 'pg\\_%' "
                    "and nspname <> 'information_schema'"
                )
            ).scalars()
            for schema in list(schemas):
                conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            conn.execute(sa.text("CREATE SCHEMA public"))
        elif engine.dialect.name in ("mysql", "mariadb"):
            db = conn.execute(sa.text("select database()")).scalar()
            conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=0"))
            rows = conn.execute(
                sa.text(
                    "select table_name, table_type from information_schema.tables "
                    "where table_schema = :db"
                ),
                {"db": db},
            ).all()
            for name, kind in rows:
                what = "VIEW" if kind == "VIEW" else "TABLE"
                conn.execute(sa.text(f"DROP {what} IF EXISTS `{name}`"))
            routines = conn.execute(
                sa.text(
                    "select routine_name, routine_type from information_schema.routines "
                    "where routine_schema = :db"
                ),
                {"db": db},
            ).all()
            for name, kind in routines:
                conn.execute(sa.text(f"DROP {kind} IF EXISTS `{name}`"))
            conn.execute(sa.text("SET FOREIGN_KEY_CHECKS=1"))
        else:
            views = conn.exec_driver_sql("select name from sqlite_master where type = 'view'")
            for name in list(views.scalars()):
                conn.exec_driver_sql(f'DROP VIEW IF EXISTS "{name}"')
            names = conn.exec_driver_sql(
                "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'"
            ).scalars()
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            for name in list(names):
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')


def engine_fixture(backend: str | None = None) -> Any:
    """A module's ``engine_for`` fixture over conftest's ``engines``: ``engine_for(slot)``
    on ``backend``'s databases, or ``engine_for(backend, slot)`` when ``backend`` is None."""
    import pytest

    @pytest.fixture
    def engine_for(engines: Callable[..., Engine]) -> Callable[..., Engine]:
        return engines if backend is None else functools.partial(engines, backend)

    return engine_for
