"""Async drivers reflect what the synchronous ones do, with the same statements: through the
synchronous sibling :func:`create_engine` picks, and through a real ``AsyncEngine``'s
``AsyncConnection.run_sync`` (how an application or an env.py hands us its connection)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import create_async_engine

from schemadiff.backends import bridge
from schemadiff.backends.connect import connect, create_engine
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources import inspect_database

pytestmark = pytest.mark.db

DRIVERS = [
    ("sqlite", "aiosqlite"),
    ("postgresql", "asyncpg"),
    ("postgresql", "psycopg_async"),
    ("mysql", "aiomysql"),
    ("mysql", "asyncmy"),
]


def _models() -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False, unique=True),
        sa.Column("score", sa.Numeric(8, 2), server_default="0"),
    )
    sa.Table(
        "posts",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(100), nullable=False, index=True),
    )
    return metadata


def _counted(conn: Connection) -> tuple[int, Snapshot]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    sa.event.listen(conn, "before_cursor_execute", count)
    try:
        snapshot = inspect_database(conn)
    finally:
        sa.event.remove(conn, "before_cursor_execute", count)
    return len(statements), snapshot


def _async_url(url: str, driver: str) -> str:
    parsed = make_url(url)
    return parsed.set(drivername=f"{parsed.get_backend_name()}+{driver}").render_as_string(
        hide_password=False
    )


@pytest.mark.parametrize(("backend", "driver"), DRIVERS, ids=[d for _, d in DRIVERS])
def test_async_drivers_reflect_the_same_with_the_same_statements(
    backend_url: Callable[[str], str], backend: str, driver: str
) -> None:
    url = backend_url(backend)
    sync = sa.create_engine(url)
    _models().create_all(sync)
    with sync.connect() as conn:
        _counted(conn)  # the dialect's first-connect queries and caches
        expected = _counted(conn)
    sync.dispose()
    assert len(expected[1].tables) == 2

    sibling = create_engine(_async_url(url, driver))
    assert not sibling.dialect.is_async
    with sibling.connect() as conn:
        _counted(conn)
        assert _counted(conn) == expected
    sibling.dispose()

    async def through_run_sync() -> tuple[int, Snapshot]:
        engine = create_async_engine(_async_url(url, driver))
        try:
            async with engine.connect() as conn:
                await conn.run_sync(_counted)
                return await conn.run_sync(_counted)
        finally:
            await engine.dispose()

    assert asyncio.run(through_run_sync()) == expected


def test_asyncpg_options_keep_asyncpg(backend_url: Callable[[str], str]) -> None:
    """A query option only asyncpg knows is not handed to psycopg: the URL keeps its driver, which
    works inside :func:`schemadiff.backends.bridge.run` (the command line runs commands there)."""
    url = _async_url(backend_url("postgresql"), "asyncpg") + "?prepared_statement_cache_size=0"
    engine = create_engine(url)
    assert engine.dialect.is_async

    def reflect() -> Snapshot:
        try:
            with connect(engine) as conn:
                return inspect_database(conn)
        finally:
            engine.dispose()

    assert bridge.run(reflect).tables == ()
