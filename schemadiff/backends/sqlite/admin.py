"""SQLite connections that cannot write: ``check``, ``diff`` and ``snapshot`` read inside one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection


@contextmanager
def query_only(conn: Connection) -> Iterator[None]:
    """``PRAGMA query_only = ON`` for the connection (writes fail), then ``BEGIN`` so that the
    reads see one consistent state; rolled back and switched off again at the end."""
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
