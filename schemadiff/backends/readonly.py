"""Read-only transactions: ``check``, ``diff`` and ``snapshot`` may be pointed at production.

Everything they read from a live database runs inside a transaction the server itself refuses to
write in, so a bug (ours, a plugin's, a driver's) cannot change the database:

- PostgreSQL: ``SET TRANSACTION READ ONLY`` as the transaction's first statement;
- MariaDB / MySQL: ``START TRANSACTION READ ONLY``, with the session also read-only until the end
  (DDL commits the open transaction implicitly; the session setting refuses it too);
- SQLite: ``PRAGMA query_only = ON`` for the connection (writes fail), then ``BEGIN`` so that the
  reads see one consistent state.

The transaction is always rolled back: there is nothing to commit.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from schemadiff.errors import UsageError

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection


class ReadOnlyUnsupported(UsageError):
    """The backend has no way (known to us) to make a transaction read-only."""


@contextmanager
def read_only(conn: Connection) -> Iterator[Connection]:
    """Run the block inside a read-only transaction on ``conn`` (rolled back on exit)."""
    backend = conn.dialect.name
    if conn.in_transaction():
        conn.rollback()  # the mode must be set before the transaction's first query
    if backend == "sqlite":
        with _sqlite_query_only(conn):
            yield conn
        return
    if backend in ("mysql", "mariadb"):
        with _mysql_session_read_only(conn):
            yield conn
        return
    with _transaction(conn, backend):
        yield conn


@contextmanager
def _transaction(conn: Connection, backend: str) -> Iterator[None]:
    trans = conn.begin()
    try:
        if backend == "postgresql":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")
        elif backend in ("mysql", "mariadb"):
            conn.exec_driver_sql("START TRANSACTION READ ONLY")
        else:
            raise ReadOnlyUnsupported(
                f"cannot open a read-only transaction on {backend!r}; schemadiff only reads "
                "PostgreSQL, MariaDB/MySQL and SQLite databases"
            )
        yield
    finally:
        if trans.is_active:
            trans.rollback()


@contextmanager
def _mysql_session_read_only(conn: Connection) -> Iterator[None]:
    conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
    conn.commit()  # end SQLAlchemy's autobegun transaction; nothing was written
    try:
        with _transaction(conn, "mysql"):
            yield
    finally:
        conn.exec_driver_sql("SET SESSION TRANSACTION READ WRITE")
        if conn.in_transaction():
            conn.commit()


@contextmanager
def _sqlite_query_only(conn: Connection) -> Iterator[None]:
    conn.exec_driver_sql("PRAGMA query_only = ON")
    if conn.in_transaction():
        conn.commit()  # SQLAlchemy's autobegin around the PRAGMA; nothing was written
    trans = conn.begin()
    try:
        conn.exec_driver_sql("BEGIN")
        yield
    finally:
        if trans.is_active:
            trans.rollback()
        conn.exec_driver_sql("PRAGMA query_only = OFF")
        if conn.in_transaction():
            conn.commit()


def read_version_rows(conn: Connection, table: sa.Table) -> tuple[str, ...] | None:
    """The version table's rows, read without creating anything.

    ``()`` when the table does not exist (a database never migrated); None when it exists but
    cannot be read (no SELECT privilege): the caller then knows the revision is unknown. A savepoint
    keeps a failed read from aborting the surrounding (PostgreSQL) transaction.
    """
    import sqlalchemy as sa
    from sqlalchemy.exc import DBAPIError

    if not sa.inspect(conn).has_table(table.name, schema=table.schema):
        return ()
    savepoint = conn.begin_nested()
    try:
        rows = conn.execute(sa.select(table.c.version_num)).scalars().all()
    except DBAPIError:
        savepoint.rollback()
        return None
    savepoint.commit()
    return tuple(sorted(str(r) for r in rows))
