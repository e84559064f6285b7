"""Read-only transactions: ``check``, ``diff`` and ``snapshot`` may be pointed at production.

Everything they read from a live database runs inside a transaction the server itself refuses to
write in, so a bug (ours, a plugin's, a driver's) cannot change the database:

- PostgreSQL: ``SET TRANSACTION READ ONLY`` as the transaction's first statement;
- MariaDB / MySQL: ``START TRANSACTION READ ONLY``, with the session also read-only until the end
  (DDL commits the open transaction implicitly; the session setting refuses it too);
- SQLite: ``PRAGMA query_only = ON`` for the connection (writes fail), then ``BEGIN`` so that the
  reads see one consistent state.

The transaction is always rolled back: there is nothing to commit. Each backend says how
(:meth:`schemadiff.backends.base.DialectRules.read_only`, in its ``rules`` and ``admin`` modules).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from schemadiff.backends.registry import rules_for

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Connection


#: set while schemadiff asks the server for its own spelling of declared objects, on a second
#: connection in a transaction that is always rolled back (temporary objects): the read-only
#: sessions of a project's env.py let those connections through (see ``settings.envpy``)
_PROBING: ContextVar[bool] = ContextVar("schemadiff_probing", default=False)


@contextmanager
def probes() -> Iterator[None]:
    """Mark the block as schemadiff's own probes (see :data:`_PROBING`)."""
    token = _PROBING.set(True)
    try:
        yield
    finally:
        _PROBING.reset(token)


def probing() -> bool:
    """Whether the current block is schemadiff's own probes."""
    return _PROBING.get()


@contextmanager
def read_only(conn: Connection) -> Iterator[Connection]:
    """Run the block inside a read-only transaction on ``conn`` (rolled back on exit); each
    backend says how (:meth:`~schemadiff.backends.base.DialectRules.read_only`)."""
    if conn.in_transaction():
        conn.rollback()  # the mode must be set before the transaction's first query
    with rules_for(conn.dialect.name).read_only(conn):
        yield conn


@contextmanager
def read_only_transaction(conn: Connection, first_statement: str) -> Iterator[None]:
    """A transaction whose first statement makes it read-only; always rolled back."""
    trans = conn.begin()
    try:
        conn.exec_driver_sql(first_statement)
        yield
    finally:
        if trans.is_active:
            trans.rollback()


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
