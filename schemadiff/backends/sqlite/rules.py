"""SQLite normalization rules.

SQLite stores the declared type text and the CREATE statements verbatim, so a model compiled by
SQLAlchemy for SQLite and the database it created spell things the same way; the rules mostly
remove what SQLite cannot store. Comments, identity options and non-default schemas (attached
databases) have no place in SQLite: the model side drops them and lists them as "not compared"
(only when the models actually use them), so they never show up as differences.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite.base import SQLiteDialect
from sqlalchemy.engine import Connection
from sqlalchemy.sql.compiler import DDLCompiler

from schemadiff.backends.base import (
    DialectRules,
    RebuildGuard,
    SqlText,
    SyncSibling,
    own_options,
    wait_for,
)
from schemadiff.backends.sqlite.rebuild import (
    HELPER_IMPORTS,
    KEEPER,
    helper_source,
    sqlite_dependents,
)
from schemadiff.canonical import literals
from schemadiff.canonical.literals import Family
from schemadiff.canonical.typeorder import is_widening
from schemadiff.errors import MigrationFailed
from schemadiff.snapshot.model import (
    Column,
    ColumnType,
    Computed,
    DbObject,
    Index,
    Snapshot,
    Table,
    sort_tables,
)

#: A ``COLLATE x`` clause SQLAlchemy's type compiler appends to the type (the collation is kept
#: in ``Column.collation``), and the ``GENERATED ALWAYS`` old SQLite versions leave in the type.
_TYPE_TAIL = re.compile(r"\s+(collate\s+.*|generated\s+always)$", re.IGNORECASE)
_MAX_LISTED = 5
#: a default ``ADD COLUMN`` takes: a signed number, a string or blob literal, NULL, TRUE/FALSE
_CONSTANT = re.compile(
    r"[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|0x[0-9a-f]+|x?'([^']|'')*'|null|true|false",
    re.IGNORECASE,
)
_NUMBER_AFFINITY = Family(literals.NUMBER)
_TEXT_AFFINITY = Family(literals.STRING)


class SqliteRules(DialectRules):
    name: ClassVar[str] = "sqlite"
    sync_siblings: ClassVar[dict[str, SyncSibling]] = {
        "aiosqlite": SyncSibling("pysqlite", "sqlite3", same_query=True),  # sqlite3 underneath
    }
    family: ClassVar[str] = "sqlite"
    alembic_dialect: ClassVar[str] = "sqlite"
    file_based: ClassVar[bool] = True
    batch_by_default: ClassVar[bool] = True
    says_autoincrement: ClassVar[bool] = False
    features: ClassVar[frozenset[str]] = frozenset(
        {
            "check_constraints",
            "computed",
            "partial_indexes",
            "expression_indexes",
            "collation",
            "triggers",
            "views",
        }
    )
    trigger_text_verbatim: ClassVar[bool] = True
    view_text_verbatim: ClassVar[bool] = True

    def index_kwargs(self, index: Index) -> tuple[tuple[str, object], ...]:
        if index.where:
            return (("sqlite_where", SqlText(index.raw_where or index.where)),)
        return ()

    read_only_session_sql: ClassVar[str | None] = "PRAGMA query_only = ON"

    def read_only(self, conn: Connection) -> AbstractContextManager[None]:
        from schemadiff.backends.sqlite.admin import query_only

        return query_only(conn)

    def trace_objects(self, conn: Connection) -> set[DbObject]:
        from schemadiff.backends.sqlite.trace import trace_objects

        return trace_objects(conn)

    @contextmanager
    def migration_lock(
        self, conn: Connection, key: str, timeout: float, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        """An exclusive ``flock`` on ``<database file>.schemadiff-lock`` (one file per database,
        deleted when released). Not SQLite's own locks: a transaction held across the run would
        block the revisions' own writes and change how each revision commits. An in-memory
        database is private to this process and needs none; without ``fcntl`` (Windows) only the
        version-row check guards."""
        path = conn.engine.url.database
        if not path or path == ":memory:" or path.startswith("file:"):
            yield
            return
        with _file_lock(Path(f"{path}.schemadiff-lock"), timeout, on_wait):
            yield

    def rebuild_guard(self, table: str, objects: Sequence[DbObject]) -> RebuildGuard:
        """Every rebuild runs inside ``keep_triggers_and_views`` (see
        :mod:`schemadiff.backends.sqlite.rebuild`), whatever the table had when the script was
        written: the database may have more by the time it runs. The views and triggers it had
        are listed for ``--sql``, which cannot read them."""
        rows = [
            (o.kind, o.name, o.table, o.definition)
            for o in objects
            if o.kind in ("view", "trigger") and o.schema is None and o.definition
        ]
        written = sqlite_dependents(table, rows)
        args = repr(table) + (f", {written!r}" if written else "")
        return RebuildGuard(f"{KEEPER}({args})", helper_source(), HELPER_IMPORTS)

    def transaction_open(self, dbapi_connection: Any) -> bool | None:
        """pysqlite runs DDL outside a transaction (each statement commits) until a statement
        that changes rows opens one; ``in_transaction`` says which."""
        value = getattr(dbapi_connection, "in_transaction", None)
        return None if value is None else bool(value)

    def index_expression_sql(self, text: str) -> str:
        """As written: SQLite's grammar takes any expression, and it keeps the DDL text
        (``create_all`` writes no parentheses either)."""
        return text

    def canonical_type(self, text: str) -> ColumnType:
        """Declared type text (SQLite keeps any text); an empty declaration stays ``""``. The
        storage is the type's affinity, which decides how SQLite stores a value."""
        ctype = super().canonical_type(_TYPE_TAIL.sub("", text.strip()))
        return replace(ctype, storage=type_affinity(ctype.sql))

    def unenforced_type_change(self, old: ColumnType, new: ColumnType) -> str | None:
        """A narrower declared size of the same storage (``VARCHAR(100)`` -> ``VARCHAR(40)``,
        ``TEXT`` -> ``VARCHAR(40)``, ``NUMERIC(12,2)`` -> ``NUMERIC(10,2)``): SQLite enforces no
        size, so rebuilding the table would change only the declared text, and declare a size
        the stored values may exceed. A wider size is applied (it declares the truth)."""
        if old.storage is None or old.storage != new.storage:
            return None
        if old.storage not in ("text", "numeric") or is_widening(old.sql, new.sql):
            return None
        if not is_widening(new.sql, old.sql):
            return None
        return "SQLite does not enforce declared sizes"

    def canonical_default(self, text: str | None) -> str | None:
        """``TRUE``/``FALSE`` are SQLite's spellings of ``1``/``0`` (what SQLAlchemy emits)."""
        value = super().canonical_default(text)
        return {"TRUE": "1", "FALSE": "0"}.get(value or "", value)

    def default_family(self, type_sql: str) -> Family | None:
        """SQLite stores the DDL's default text; the value a row gets follows the column's
        affinity (from the declared type's spelling): TEXT keeps strings and makes numbers text,
        INTEGER/REAL/NUMERIC turn text that reads as a number into that number, BLOB (or no
        declared type) keeps the value as written."""
        declared = type_sql.lower()
        if "int" in declared:
            return _NUMBER_AFFINITY
        if any(word in declared for word in ("char", "clob", "text")):
            return _TEXT_AFFINITY
        if not declared or "blob" in declared:
            return None
        return _NUMBER_AFFINITY

    def canonical_collation(self, name: str | None) -> str | None:
        """SQLite collation names are case-insensitive."""
        return name.strip('"').lower() if name else None

    def adds_column_in_place(self, column: Column) -> bool:
        """SQLite's ``ADD COLUMN`` refuses a default other than a constant (``CURRENT_TIMESTAMP``,
        an expression in parentheses), a ``STORED`` generated column and the rowid alias; those
        columns come with a table rebuild.

        A NOT NULL column without a default stays an ``ADD COLUMN``, as on every backend: it
        works on an empty table and fails as a whole on a table with rows (the script and the
        report warn), where a rebuild would fail half-way and leave its copy of the table behind.
        """
        if column.autoincrement:
            return False
        if column.computed is not None:
            return not column.computed.persisted
        default = column.raw_default if column.raw_default is not None else column.server_default
        return default is None or _CONSTANT.fullmatch(default.strip()) is not None

    def adjust_metadata_table(self, table: Table) -> Table:
        """Mirror what SQLite does implicitly: the rowid alias is the only auto-assigned column,
        a generated column without ``STORED`` is VIRTUAL (the default), collations fold case."""
        alias = rowid_alias(table)
        columns = tuple(
            replace(
                col,
                autoincrement=col.name == alias,
                collation=self.canonical_collation(col.collation),
                computed=_default_virtual(col.computed),
            )
            for col in table.columns
        )
        return replace(table, columns=columns)

    def adjust_metadata_table_options(self, table: Table, source: sa.Table) -> Table:
        """With ``sqlite_autoincrement`` SQLAlchemy writes the key inline (``PRIMARY KEY
        AUTOINCREMENT``) without its CONSTRAINT name, so SQLite has no name to report; the
        table then has the AUTOINCREMENT option (compared: it is in the stored CREATE TABLE).
        When the key is not inline (not a single integer column) SQLAlchemy ignores the flag."""
        pk = table.primary_key
        opts = own_options(source, "sqlite")
        if pk is None or opts is None or not opts.get("autoincrement"):
            return table
        if _ddl_compiler().process(source.primary_key) is not None:
            return table
        return replace(table, primary_key=replace(pk, name=None), options=AUTOINCREMENT)

    def adjust_metadata_snapshot(self, snapshot: Snapshot) -> Snapshot:
        """Drop comments, identity options and tables in other schemas; say what was dropped."""
        mains = [_in_main(t) for t in snapshot.tables]
        tables = [t for t in mains if t.schema is None]
        elsewhere = sorted({t.schema for t in mains if t.schema is not None})
        notes = _unsupported_notes(tables, elsewhere)
        if not notes and all(a is b for a, b in zip(mains, snapshot.tables, strict=True)):
            return snapshot
        return replace(
            snapshot,
            tables=sort_tables([_strip_unsupported(t) for t in tables]),
            schemas=(),
            not_compared=snapshot.not_compared + tuple(notes),
        )


#: the table option of ``INTEGER PRIMARY KEY AUTOINCREMENT``
AUTOINCREMENT: tuple[tuple[str, str], ...] = (("sqlite_autoincrement", "True"),)


def _unsupported_notes(tables: list[Table], elsewhere: list[str]) -> list[str]:
    """One "not compared" line per kind of object the models use and SQLite cannot store."""
    notes = []
    if elsewhere:
        notes.append(
            f"tables in schema {_listing(elsewhere)} (attached SQLite databases are not supported)"
        )
    commented = [t.name for t in tables if t.comment] + [
        f"{t.name}.{c.name}" for t in tables for c in t.columns if c.comment
    ]
    if commented:
        notes.append(f"comments (SQLite does not store them) on {_listing(commented)}")
    with_identity = [f"{t.name}.{c.name}" for t in tables for c in t.columns if c.identity]
    if with_identity:
        notes.append(
            "identity options (SQLite has no identity columns) on " + _listing(with_identity)
        )
    return notes


def type_affinity(declared: str) -> str:
    """SQLite's type affinity of a declared type (the rules of its "Datatypes" page, in order)."""
    text = declared.upper()
    if "INT" in text:
        return "integer"
    if any(word in text for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if "BLOB" in text or not text:
        return "blob"
    if any(word in text for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "numeric"


def rowid_alias(table: Table) -> str | None:
    """The column that aliases the rowid (a single-column ``INTEGER`` primary key): SQLite fills
    it automatically, so it is the table's only autoincrement column."""
    pk = table.primary_key
    if pk is None or len(pk.columns) != 1:
        return None
    col = table.column(pk.columns[0])
    if col is None or col.type.sql != "integer":
        return None
    return col.name


@lru_cache(maxsize=1)
def _ddl_compiler() -> DDLCompiler:
    dialect = SQLiteDialect()
    return dialect.ddl_compiler(dialect, None)  # type: ignore[arg-type]


def _in_main(table: Table) -> Table:
    """``schema="main"`` names SQLite's default database: key it like the reflected side."""
    fks = tuple(
        replace(fk, referred_schema=None) if fk.referred_schema == "main" else fk
        for fk in table.foreign_keys
    )
    if table.schema != "main" and fks == table.foreign_keys:
        return table
    return replace(table, schema=None if table.schema == "main" else table.schema, foreign_keys=fks)


def _default_virtual(computed: Computed | None) -> Computed | None:
    if computed is None or computed.persisted is not False:
        return computed
    return replace(computed, persisted=None)


def _strip_unsupported(table: Table) -> Table:
    columns = tuple(_strip_column(c) for c in table.columns)
    return replace(table, comment=None, columns=columns)


def _strip_column(col: Column) -> Column:
    if col.comment is None and col.identity is None:
        return col
    return replace(col, comment=None, identity=None)


def _listing(names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_LISTED])
    more = len(names) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


@contextmanager
def _file_lock(path: Path, timeout: float, on_wait: Callable[[], None]) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (see migration_lock)
        yield
        return
    holder: list[int] = []

    def attempt() -> bool:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise MigrationFailed(
                f"cannot create the migration lock file {path}: {exc.strerror}; the database's "
                "folder must be writable"
            ) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino == os.stat(path).st_ino:  # not a file a holder just deleted
                holder.append(fd)
                return True
        except OSError:
            pass
        os.close(fd)
        return False

    wait_for(attempt, timeout, on_wait)
    try:
        yield
    finally:
        with suppress(OSError):  # while holding it: a waiter then retries on a new file
            path.unlink(missing_ok=True)
        os.close(holder[0])
