"""MariaDB/MySQL sessions that cannot write (``check``, ``diff`` and ``snapshot`` read in one)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection

from schemadiff.backends.readonly import read_only_transaction


@contextmanager
def session_read_only(conn: Connection) -> Iterator[None]:
    """``START TRANSACTION READ ONLY`` with the session also read-only until the end: DDL commits
    the open transaction implicitly, and the session setting refuses it too."""
    conn.exec_driver_sql("SET SESSION TRANSACTION READ ONLY")
    conn.commit()  # end SQLAlchemy's autobegun transaction; nothing was written
    try:
        with read_only_transaction(conn, "START TRANSACTION READ ONLY"):
            yield
    finally:
        conn.exec_driver_sql("SET SESSION TRANSACTION READ WRITE")
        if conn.in_transaction():
            conn.commit()
