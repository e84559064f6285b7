"""Engines from URLs, with errors that say what to do, and passwords kept out of every message.

Every URL that passes through here has its secrets (the password, and query values such as
``?password=`` or ``?sslkey=``: :func:`is_secret_key`) remembered, so :func:`scrub` can remove them
from any text (driver errors sometimes echo connection parameters) before the command line prints
it. :func:`mask_url` is the one way a URL is shown. Both run in linear time, whatever the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus
from weakref import WeakKeyDictionary

from schemadiff.backends import bridge
from schemadiff.backends.timeouts import Timeouts, connect_args, connect_timeout_of, install
from schemadiff.errors import ConnectionFailed, DriverMissing, UsageError
from schemadiff.steps import note

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

_SECRETS: set[str] = set()
#: where a URL's ``scheme://`` starts in free text; the look-behind lets a match start only at the
#: beginning of a run of scheme characters, so a long run is scanned once (not once per position)
_SCHEME = re.compile(r"(?<![\w+.-])[a-zA-Z][\w+.-]*://")
#: the user name after ``scheme://`` (stops at the ``:`` before a password)
_USER = re.compile(r"[^:/@\s]*")
#: the end of a candidate password: its ``@``, or whitespace / the end of the text (no password)
_PASSWORD_END = re.compile(r"[@\s]")
#: ``key=value`` in free text (a URL query or a libpq ``key=value`` string); masked when the key
#: is a secret's (:func:`is_secret_key`). A match starts only where a run of key characters
#: starts, so a failed try backtracks over one run once: linear without possessive quantifiers
#: (which Python 3.10 lacks)
_KEY_VALUE = re.compile(
    r"(?<![\w.-])(?P<key>[A-Za-z_][\w.-]*)(?P<eq>[ \t]*=[ \t]*)"
    r"(?P<value>'[^']*'?|\"[^\"]*\"?|[^\s&;#'\"]*)"
)
#: query keys (lower case, ``-`` as ``_``) whose value is a credential: libpq's ``password``,
#: ``sslpassword``, ``sslkey`` (the client key's path: it names where the private key lies);
#: PyMySQL / mysqlclient / mysql-connector ``passwd``, ``password1..3``, ``ssl_key``,
#: ``ssl_key_password``; ODBC's ``pwd`` and ``odbc_connect`` (a whole connection string with
#: its ``PWD``); cloud drivers' tokens and keys. ``sslcert`` / ``sslrootcert`` are public
#: certificates, kept visible (they help to debug a TLS failure).
_SECRET_NAMES = frozenset(
    {"pwd", "sslkey", "ssl_key", "apikey", "api_key", "private_key", "odbc_connect", "auth"}
)
_SECRET_WORDS = ("password", "passwd", "passphrase", "secret", "token", "credential")
#: pip packages for DBAPI modules whose names differ from the package
_PIP_NAMES = {
    "psycopg2": "psycopg2-binary",
    "MySQLdb": "mysqlclient",
    "mysql": "mysql-connector-python",
}
#: the distribution to install: PyPI's ``schemadiff`` is an unrelated MySQL tool (the import name
#: and the command stay ``schemadiff``; pyproject.toml's ``[project] name``)
DISTRIBUTION = "schemadiff-sqlalchemy"
_EXTRAS = {"postgresql": ("psycopg", "postgresql"), "mysql": ("pymysql", "mysql")}
_EXTRAS["mariadb"] = _EXTRAS["mysql"]
#: seconds to wait for a connection (the ``connect_timeout`` setting's default)
CONNECT_TIMEOUT = int(Timeouts.connect)


def remember_secret(secret: str | None) -> None:
    """Make :func:`scrub` remove ``secret`` (raw and URL-encoded) from any text."""
    if secret:
        _SECRETS.update({secret, quote(secret, safe=""), quote_plus(secret)})


def is_secret_key(name: str) -> bool:
    """True for a URL query key (or ``key=value`` name) whose value is a credential."""
    key = name.strip().lower().replace("-", "_")
    return key in _SECRET_NAMES or any(word in key for word in _SECRET_WORDS)


def scrub(text: str) -> str:
    """Remove every remembered secret, any ``user:password@`` and any secret ``key=value``
    from ``text``."""
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, "***")
    text = _KEY_VALUE.sub(_mask_key_value, _mask_userinfo(text))
    return text


def _mask_key_value(m: re.Match[str]) -> str:
    if not is_secret_key(m["key"]) or m["value"] in ("", "''", '""') or m["value"][:3] == "***":
        return m[0]  # nothing to hide, or already masked (keep what follows, e.g. the ':')
    return f"{m['key']}{m['eq']}***"


def _url_passwords(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each ``password`` in ``scheme://user:password@`` in ``text``.

    Linear: scheme matches start only at a run's beginning, and the search for a password's end
    is shared by every candidate before that end (a quadratic regex took minutes on 200 KB)."""
    resume = 0
    end = -1  # the first '@' or whitespace at or after the last candidate (cached)
    for m in _SCHEME.finditer(text):
        if m.start() < resume:
            continue
        user = _USER.match(text, m.end())
        start = user.end() + 1 if user else m.end()
        if start > len(text) or text[start - 1] != ":":
            continue
        if end < start:
            found = _PASSWORD_END.search(text, start)
            end = found.start() if found else len(text)
        if end > start and end < len(text) and text[end] == "@":
            yield start, end
            resume = end + 1


def _mask_userinfo(text: str) -> str:
    parts: list[str] = []
    last = 0
    for start, end in _url_passwords(text):
        parts += [text[last:start], "***"]
        last = end
    return "".join(parts) + text[last:] if parts else text


def parse_url(url: str | URL) -> URL:
    """Parse a SQLAlchemy URL (remembering its password) or raise a clear error."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if isinstance(url, str):
        for start, end in _url_passwords(url):
            remember_secret(url[start:end])
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise UsageError(
            f"cannot parse database URL {scrub(str(url))!r}; expected e.g. "
            "postgresql+psycopg://user:password@host/dbname or sqlite:///file.db"
        ) from exc
    remember_secret(parsed.password if isinstance(parsed.password, str) else None)
    for key, value in parsed.query.items():
        if is_secret_key(key):
            for item in (value,) if isinstance(value, str) else value:
                remember_secret(item)
    return parsed


def mask_url(url: str | URL) -> str:
    """The URL as text with its password and every secret query value (:func:`is_secret_key`)
    replaced by ``***``; the other query values are kept, in their order."""
    try:
        parsed = parse_url(url)
    except UsageError:
        return scrub(str(url))
    text = parsed.set(query={}).render_as_string(hide_password=True)
    pairs = [
        f"{quote_plus(key)}={'***' if is_secret_key(key) else quote_plus(item, safe='/:,')}"
        for key, value in parsed.query.items()
        for item in ((value,) if isinstance(value, str) else value)
    ]
    return f"{text}?{'&'.join(pairs)}" if pairs else text


def create_engine(url: str | URL, *, create_sqlite_file: bool = False) -> Engine:
    """An engine for ``url``; a missing driver is reported before connecting, and so is a missing
    SQLite file unless ``create_sqlite_file`` (commands that write create it, as SQLite does).

    An async URL (``postgresql+asyncpg://``, ``sqlite+aiosqlite://``, ...) gets its synchronous
    sibling driver when that is installed (:func:`sync_sibling`: the same dialect, so the same
    statements, without an event loop); else the async driver itself, which works inside
    :func:`schemadiff.backends.bridge.run` (the command line runs every command there) or
    ``AsyncConnection.run_sync``."""
    parsed = parse_url(url)
    masked = mask_url(parsed)
    if not create_sqlite_file and missing_sqlite_file(parsed):
        raise ConnectionFailed(
            f"SQLite database file {parsed.database!r} does not exist ({masked}); check the path "
            "(relative paths start at the current directory)"
        )
    given = parsed
    sibling = sync_sibling(parsed)
    if sibling is not None:
        note(f"{parsed.drivername} URL: using the synchronous driver {sibling.drivername}")
        parsed = sibling
    engine = _new_engine(parsed, masked)
    if sibling is not None:
        _GIVEN[engine] = given
    if engine.dialect.is_async:
        if not bridge.available():
            engine.dispose()
            raise DriverMissing(
                f"{parsed.drivername!r} is an async driver, which needs greenlet ({masked}); "
                f"pip install 'sqlalchemy[asyncio]', or use a synchronous driver"
            )
        note(
            f"{parsed.drivername} URL: no synchronous sibling installed; using it through greenlet"
        )
    install(engine)
    return engine


#: engine -> the URL the user gave, when it differs from the engine's (an async URL run on its
#: synchronous sibling): messages name what the user wrote
_GIVEN: WeakKeyDictionary[Engine, URL] = WeakKeyDictionary()


def given_url(engine: Engine) -> URL:
    """The URL ``engine`` was asked for (its own, unless an async URL got its sibling)."""
    return _GIVEN.get(engine, engine.url)


def sync_sibling(url: URL) -> URL | None:
    """``url`` with its async driver replaced by the synchronous sibling of the backend's rules
    (asyncpg -> psycopg, aiosqlite -> pysqlite, aiomysql -> pymysql, ...), when that driver
    is installed and takes the URL's query as it is; else None."""
    from importlib import import_module

    from schemadiff.backends.registry import rules_for

    if "+" not in url.drivername:
        return None  # the backend's default driver, never an async one
    sibling = rules_for(url.get_backend_name()).sync_siblings.get(url.get_driver_name())
    if sibling is None:
        return None
    if url.query and not sibling.same_query and set(url.query) - {"connect_timeout"}:
        return None  # e.g. asyncpg's ?ssl=require means nothing to libpq: keep the driver
    try:
        import_module(sibling.module)  # installed and importable (a broken install is not)
    except ImportError:
        return None
    return url.set(drivername=f"{url.get_backend_name()}+{sibling.driver}")


def _new_engine(parsed: URL, masked: str) -> Engine:
    import sqlalchemy as sa
    from sqlalchemy.exc import NoSuchModuleError

    backend = parsed.get_backend_name()
    try:
        return sa.create_engine(parsed, connect_args=connect_args(parsed))
    except NoSuchModuleError as exc:
        if backend == "postgres":  # Heroku-style DATABASE_URL
            raise DriverMissing(
                f"'postgres://' is not a SQLAlchemy URL scheme ({masked}); write "
                "postgresql+psycopg://... instead"
            ) from exc
        raise DriverMissing(
            f"unknown database backend {parsed.drivername!r} in {masked}; use a URL such as "
            "postgresql+psycopg://..., mysql+pymysql://... or sqlite:///file.db"
        ) from exc
    except ImportError as exc:
        raise DriverMissing(_missing_driver_message(parsed, masked, exc)) from exc


@contextmanager
def connect(engine: Engine) -> Iterator[Connection]:
    """Open a connection, turning driver errors into :class:`ConnectionFailed`."""
    from sqlalchemy.exc import DBAPIError

    try:
        conn = engine.connect()
    except DBAPIError as exc:
        raise ConnectionFailed(describe_connect_error(given_url(engine), exc)) from exc
    except Exception as exc:
        if not engine.dialect.is_async:
            raise
        # an async driver's connect errors reach us unwrapped (asyncpg's own, OSError, timeouts)
        raise ConnectionFailed(describe_connect_error(given_url(engine), exc)) from exc
    with conn:
        yield conn


#: seconds ``server_version`` waits for a server (a hint for offline SQL, never worth a long wait)
PROBE_TIMEOUT = 3


def server_version(url: URL) -> str | None:
    """The server's ``VERSION()`` text, or None when it does not answer (or the driver is not
    installed): one read-only statement, for commands that only want a hint."""
    from sqlalchemy.exc import SQLAlchemyError

    if "connect_timeout" not in url.query:
        url = url.update_query_dict({"connect_timeout": str(PROBE_TIMEOUT)})
    try:
        engine = create_engine(url)
    except (ConnectionFailed, UsageError):
        return None
    try:
        with engine.connect() as conn:
            value = conn.exec_driver_sql("SELECT VERSION()").scalar()
    except (SQLAlchemyError, OSError):
        return None
    finally:
        engine.dispose()
    return value.decode() if isinstance(value, bytes) else str(value) if value else None


def describe_connect_error(url: URL, exc: BaseException) -> str:
    """One line: which database, what went wrong, what to do."""
    masked = mask_url(url)
    detail = driver_message(exc)
    what, todo = _classify(detail.lower(), url.username or "(no user)", connect_timeout_of(url))
    return f"cannot connect to {masked}: {what} ({detail}); {todo}"


def _classify(low: str, user: str, timeout: float) -> tuple[str, str]:
    """(what went wrong, what to do) from a driver's lower-cased message; ``timeout`` is the
    connect timeout in effect."""
    if any(s in low for s in ("password authentication failed", "access denied", "authentica")):
        return f"login refused for user {user!r}", "check the user name and password"
    if "role" in low and "does not exist" in low:
        return f"login refused for user {user!r}", "check the user name and password"
    if "unknown database" in low or ("database" in low and "does not exist" in low):
        return "the database does not exist", "create it or fix the database name in the URL"
    if "unable to open database file" in low:
        return "cannot open the SQLite file", "check the path and its permissions"
    if "timed out" in low or "timeout expired" in low:
        return (
            f"no answer from the server within {timeout:g} s (connect_timeout)",
            "check that a database server listens at that host and port, or raise connect_timeout",
        )
    if any(
        s in low for s in ("refused", "can't connect", "connect call failed", "timeout", "resolve")
    ):
        return "the server is not reachable", "check that it is running and the host/port"
    return "connection failed", "check the URL and that the server accepts connections"


def driver_message(exc: BaseException) -> str:
    """The first useful line of a driver error, scrubbed of secrets."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    return scrub(first)[:300]


def missing_sqlite_file(url: str | URL) -> bool:
    """True for a SQLite URL naming a file that does not exist (SQLite would silently create it;
    a typo would then compare against an empty database). In-memory and ``file:`` URIs never are."""
    from schemadiff.backends.registry import rules_for

    parsed = parse_url(url)
    if not rules_for(parsed.get_backend_name()).file_based:
        return False
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:") or "mode" in parsed.query:
        return False
    return not Path(database).exists()


def _missing_driver_message(parsed: URL, masked: str, exc: ImportError) -> str:
    module = (exc.name or str(exc)).split(".")[0]
    backend = parsed.get_backend_name()
    extra = _EXTRAS.get(backend)
    if extra is not None and module == extra[0]:
        todo = f"pip install '{DISTRIBUTION}[{extra[1]}]'"
    elif extra is not None:
        pip_name = _PIP_NAMES.get(module, module)
        todo = (
            f"pip install {pip_name}, or use {backend}+{extra[0]}:// with "
            f"pip install '{DISTRIBUTION}[{extra[1]}]'"
        )
    else:
        todo = f"pip install {_PIP_NAMES.get(module, module)}"
    return f"the database driver {module!r} for {masked} is not installed; {todo}"
