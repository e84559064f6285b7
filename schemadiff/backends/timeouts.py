"""How long a command waits for a database server: the driver arguments for the two settings.

``connect_timeout`` (default 10 s) bounds opening a connection: the TCP connect and every read
and write of the handshake and login, so a server that accepts the connection and never answers
(or stops half-way through the handshake) fails the command instead of hanging it.

``read_timeout`` (default 0: no limit) bounds each wait for the server once connected, for every
statement, migrations included. It has no default because nothing tells a stuck server from a
legitimately long statement (an ``ALTER TABLE`` on a big table, a slow ``information_schema`` on
a server with many tables); a user who knows their longest statement can set it.

A value the URL sets itself (``?connect_timeout=``, ``?read_timeout=``, ``?write_timeout=``,
pg8000's ``?timeout=``) always wins. The command line sets both from the configuration with
:func:`configure`; a library caller gets the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Engine

#: libpq's drivers: ``connect_timeout`` bounds the whole connection attempt, nothing after it
_LIBPQ = frozenset({"psycopg", "psycopg_async", "psycopg2", "psycopg2cffi"})
#: async drivers whose connect call takes a timeout covering the connection attempt (asyncpg:
#: the whole handshake; aiomysql / asyncmy: the TCP connect), under these names
_ASYNC_CONNECT = {"asyncpg": "timeout", "aiomysql": "connect_timeout", "asyncmy": "connect_timeout"}
#: MySQL C-client drivers: ``connect_timeout`` bounds the connect and the handshake reads;
#: ``read_timeout`` / ``write_timeout`` every later wait (whole seconds)
_MYSQL_C = frozenset({"mysqldb", "mariadbconnector"})
#: drivers with one socket timeout for everything (connecting and every statement): given only
#: when ``read_timeout`` is set, since it would cut long statements short
_SOCKET_TIMEOUT = {"pg8000": "timeout", "mysqlconnector": "connection_timeout"}


@dataclass(frozen=True)
class Timeouts:
    """Seconds; 0 means no limit."""

    connect: float = 10.0
    read: float = 0.0


_current = Timeouts()


def configure(connect: float, read: float) -> None:
    """Use these timeouts for every engine created from now on (the command line calls this
    with the configured ``connect_timeout`` and ``read_timeout``)."""
    global _current
    _current = Timeouts(connect, read)


def current() -> Timeouts:
    return _current


def connect_timeout_of(url: URL) -> float:
    """The connect timeout in effect for ``url`` (its own ``?connect_timeout=`` first)."""
    own = url.query.get("connect_timeout")
    try:
        return float(own) if isinstance(own, str) else _current.connect
    except ValueError:
        return _current.connect


def connect_args(url: URL) -> dict[str, Any]:
    """Driver arguments carrying the timeouts, minus those the URL sets itself."""
    driver = url.get_driver_name()  # the backend's default driver when the URL names none
    connect, read = connect_timeout_of(url), _current.read
    args: dict[str, Any] = {}
    if driver in _LIBPQ and connect:
        args["connect_timeout"] = _whole(connect)
    elif driver == "pymysql" and connect:
        # PyMySQL's connect_timeout covers only the TCP connect; its read/write timeouts cover
        # the handshake, so they start at the connect timeout and become the read timeout once
        # connected (see ``after_connect``)
        args = {"connect_timeout": connect, "read_timeout": connect, "write_timeout": connect}
    elif driver in _ASYNC_CONNECT and connect:
        args[_ASYNC_CONNECT[driver]] = connect
    elif driver in _MYSQL_C:
        args = {"connect_timeout": _whole(connect)} if connect else {}
        if read:
            args |= {"read_timeout": _whole(read), "write_timeout": _whole(read)}
    elif driver in _SOCKET_TIMEOUT and read:
        args[_SOCKET_TIMEOUT[driver]] = read
    return {k: v for k, v in args.items() if k not in url.query}


def install(engine: Engine) -> None:
    """After PyMySQL's handshake, switch its read/write timeouts from the connect timeout to
    ``read_timeout`` (none by default), unless the URL set them."""
    import sqlalchemy as sa

    if engine.url.get_driver_name() != "pymysql" or not _current.connect:
        return
    read = _current.read or None
    own = {k for k in ("read_timeout", "write_timeout") if k in engine.url.query}

    def connected(dbapi_conn: Any, record: Any) -> None:
        # PyMySQL keeps them in these attributes and applies them before each socket wait
        if "read_timeout" not in own:
            dbapi_conn._read_timeout = read
        if "write_timeout" not in own:
            dbapi_conn._write_timeout = read

    sa.event.listen(engine, "connect", connected)


def _whole(seconds: float) -> int:
    """Whole seconds, rounded up (libpq and the MySQL C client take integers; at least 1)."""
    return max(1, math.ceil(seconds))
