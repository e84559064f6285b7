"""Scratch databases: somewhere to replay a migration chain without touching a real database.

``verify`` and drift classification replay the chain to learn what a revision's schema looks
like. A scratch database is a temporary SQLite file, or a temporary database created on a
PostgreSQL / MariaDB server (the ``scratch_url`` setting, else the server of the target URL when
that is allowed), always dropped afterwards, even when the replay fails.
"""

from __future__ import annotations

import contextlib
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from schemadiff.backends.base import DialectRules
from schemadiff.backends.connect import create_engine, mask_url, parse_url
from schemadiff.backends.registry import rules_for
from schemadiff.errors import UsageError

PREFIX = "schemadiff_scratch_"


@contextlib.contextmanager
def scratch_database(server_url: str | None, dialect: str = "sqlite") -> Iterator[str]:
    """Yield the URL of a new, empty database; drop it on exit.

    ``server_url`` is any URL on the server to use (its database part is ignored); None means a
    temporary SQLite file, which only suits chains whose scripts run on SQLite.
    """
    if server_url is None:
        if not rules_for(dialect).file_based:
            raise UsageError(
                f"replaying a {dialect} chain needs a scratch {dialect} server: set "
                "scratch_url (a URL on a server where schemadiff may create and drop a database)"
            )
        with tempfile.TemporaryDirectory(prefix=PREFIX) as folder:
            yield _sqlite_file(folder)
        return
    url = parse_url(server_url)
    backend = url.get_backend_name()
    rules = rules_for(backend)
    if rules.file_based:
        with tempfile.TemporaryDirectory(prefix=PREFIX) as folder:
            yield _sqlite_file(folder)
        return
    if not rules.scratch_server:
        raise UsageError(f"cannot create a scratch database on {backend!r} servers")
    name = PREFIX + uuid.uuid4().hex[:12]
    _admin(server_url, rules, f"CREATE DATABASE {rules.quote_identifier(name)}")
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(server_url, rules, rules.drop_database_sql(name))


def _sqlite_file(folder: str) -> str:
    """An empty database file (connect refuses a missing SQLite file, to catch typos)."""
    path = Path(folder) / "scratch.db"
    path.touch()
    return f"sqlite:///{path}"


def _admin(server_url: str, rules: DialectRules, statement: str) -> None:
    import sqlalchemy as sa

    url = parse_url(server_url)
    if rules.admin_database is not None:
        url = url.set(database=rules.admin_database)
    engine = create_engine(url.render_as_string(hide_password=False))
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text(statement))
    except Exception as exc:  # noqa: BLE001 - any failure: say which server and what to do
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UsageError(
            f"cannot create or drop a scratch database on {mask_url(server_url)} ({first}); "
            "set scratch_url to a server where schemadiff may create databases"
        ) from exc
    finally:
        engine.dispose()
