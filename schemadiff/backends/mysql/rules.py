"""MySQL / MariaDB normalization rules (one instance serves both; SQLAlchemy names both "mysql").

What the two servers spell differently from the models, and how it is made equal:

- types: see :mod:`schemadiff.backends.mysql.types` (``int(11)`` / ``INTEGER``, ``tinyint(1)`` /
  ``BOOL``, ``decimal(10,0)`` / ``NUMERIC``);
- defaults: MariaDB quotes literals (``'new'``), spells ``current_timestamp()`` and prints numbers
  with the column's scale (``0.00``); SQLAlchemy writes ``true``. Booleans are 1/0, numbers on
  numeric columns are plain numbers, ``... ON UPDATE CURRENT_TIMESTAMP`` stays part of the default;
- expressions: charset introducers (``_utf8mb4'a'``) are dropped, ``TRUE`` is 1, ``length()`` is
  ``octet_length()`` (MariaDB rewrites it) and stays distinct from ``char_length()``;
- ``RESTRICT`` is ``NO ACTION`` (identical on InnoDB), the primary key's name is always ``PRIMARY``;
- on the metadata side (``adjust_metadata_table``) the model is shaped like what MySQL builds: a
  unique index is a unique constraint, and a foreign key without a covering index records the index
  MySQL creates for it (see :mod:`schemadiff.backends.mysql.fk_indexes`).
"""

from __future__ import annotations

import hashlib
import operator
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from functools import lru_cache
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.base import (
    DialectRules,
    OfflineTarget,
    SyncSibling,
    own_options,
    python_type_hint,
    release_lock,
)
from schemadiff.backends.mysql import names as mysql_names
from schemadiff.backends.mysql.delimiters import delimited
from schemadiff.backends.mysql.fk_alter import keys_around_column_changes
from schemadiff.backends.mysql.fk_indexes import mark_foreign_keys
from schemadiff.backends.mysql.flavour import choose_flavour
from schemadiff.backends.mysql.script_types import (
    charset_of,
    is_charset_only,
    script_default,
    script_type,
)
from schemadiff.backends.mysql.sequences import MariadbSequences
from schemadiff.backends.mysql.types import canonical_type
from schemadiff.backends.sequences import SequenceRules
from schemadiff.canonical import literals
from schemadiff.canonical.memo import MEMO
from schemadiff.errors import LockTimeout, lock_timeout_message
from schemadiff.ops import Op
from schemadiff.snapshot.model import (
    Column,
    ColumnType,
    Computed,
    DbObject,
    Index,
    IndexElement,
    Snapshot,
    Table,
    TableKey,
    UniqueConstraint,
    View,
)
from schemadiff.snapshot.routines import Function
from schemadiff.snapshot.table_partitioning import TablePartitioning

#: ``<default> ON UPDATE CURRENT_TIMESTAMP[(n)]`` (only a timestamp function can follow ON UPDATE)
_ON_UPDATE = re.compile(
    r"^(?P<head>.*?)\s+on\s+update\s+"
    r"(?P<fn>(?:current_timestamp|now|localtime|localtimestamp)(?:\s*\(\s*\d*\s*\))?)\s*$",
    re.IGNORECASE | re.DOTALL,
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
#: bound of the per-text memos (emptied when full, like the type memo of the base rules)
_MEMO_LIMIT = 65536


class MysqlRules(DialectRules):
    name: ClassVar[str] = "mysql"
    sync_siblings: ClassVar[dict[str, SyncSibling]] = {
        "aiomysql": SyncSibling("pymysql", "pymysql", same_query=True),  # PyMySQL underneath
        "asyncmy": SyncSibling("pymysql", "pymysql", same_query=False),
    }
    family: ClassVar[str] = "mysql"
    alembic_dialect: ClassVar[str] = "mysql"
    names_primary_keys: ClassVar[bool] = False
    alter_restates_column: ClassVar[bool] = True
    fk_implies_index: ClassVar[bool] = True
    features: ClassVar[frozenset[str]] = frozenset(
        {
            "check_constraints",
            "comments",
            "computed",
            "expression_indexes",
            "schemas",
            "collation",
            "autoincrement",
            "sequences",
            "triggers",
            "functions",
            "views",
            "table_partitioning",
        }
    )
    #: MariaDB's (MySQL has none: SQLAlchemy creates none there, nothing is compared)
    sequences: ClassVar[SequenceRules | None] = MariadbSequences()
    trigger_text_verbatim: ClassVar[bool] = True
    routines_definer_by_default: ClassVar[bool] = True

    def canonical_function(self, function: Function) -> Function:
        from schemadiff.backends.mysql.routines import canonical_function

        return canonical_function(function, lambda t: self.canonical_type(t).sql)

    def function_statements(self, function: Function, replace: bool = False) -> tuple[str, ...]:
        """MySQL has no ``CREATE OR REPLACE`` for routines: dropped and created again."""
        from schemadiff.backends.mysql.routines import create_statements

        drop = (self.drop_function_statement(function),) if replace else ()
        return drop + create_statements(function, self.quote_identifier)

    def drop_function_statement(self, function: Function) -> str:
        from schemadiff.backends.mysql.routines import drop_statement

        return drop_statement(function, self.quote_identifier)

    #: MySQL's BOOL is TINYINT(1): ``TRUE`` is 1, and a string reads as a number
    literal_families: ClassVar[dict[str, str]] = {
        **DialectRules.literal_families,
        "boolean": literals.INTEGER,
        "tinyint": literals.INTEGER,
        "mediumint": literals.INTEGER,
        "year": literals.INTEGER,
        "tinytext": literals.STRING,
        "mediumtext": literals.STRING,
        "longtext": literals.STRING,
        "interval": "",
        "uuid": "",
    }

    def settle_views(self, conn: Connection, views: Sequence[View]) -> dict[TableKey, str | None]:
        """See :func:`schemadiff.backends.mysql.views.settle_views` (a scratch database)."""
        from schemadiff.backends.mysql.views import settle_views

        return settle_views(conn, views)

    def view_rewrite_context(self, conn: Connection) -> str | None:
        """See :func:`schemadiff.backends.mysql.views.rewrite_context`."""
        from schemadiff.backends.mysql.views import rewrite_context

        return rewrite_context(conn)

    def primary_key_name(self, table: str) -> str:
        return "PRIMARY"

    def index_kwargs(self, index: Index) -> tuple[tuple[str, object], ...]:
        out: list[tuple[str, object]] = []
        lengths = {e.expr: e.length for e in index.elements if e.length and not e.is_expression}
        if lengths:
            out.append(("mysql_length", lengths))
        if index.using in ("fulltext", "spatial"):
            out.append(("mysql_prefix", index.using.upper()))
        return tuple(out)

    scratch_server: ClassVar[bool] = True

    read_only_session_sql: ClassVar[str | None] = "SET SESSION TRANSACTION READ ONLY"

    def read_only(self, conn: Connection) -> AbstractContextManager[None]:
        from schemadiff.backends.mysql.admin import session_read_only

        return session_read_only(conn)

    def trace_objects(self, conn: Connection) -> set[DbObject]:
        from schemadiff.backends.mysql.trace import trace_objects

        return trace_objects(conn)

    @contextmanager
    def migration_lock(
        self, conn: Connection, key: str, timeout: float, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        """``GET_LOCK`` (server-wide, so the name includes the database), held by the session
        across the revisions (DDL's implicit commits do not free it), then ``RELEASE_LOCK``."""
        name = _lock_name(conn.engine.url.database or "", key)
        get = sa.text("SELECT GET_LOCK(:n, :t)")
        started = time.monotonic()
        got = conn.execute(get, {"n": name, "t": 0}).scalar()
        if got != 1:
            on_wait()
            got = conn.execute(get, {"n": name, "t": timeout}).scalar()
        conn.commit()
        if got != 1:
            raise LockTimeout(lock_timeout_message(round(time.monotonic() - started, 1)))
        try:
            yield
        finally:
            release_lock(conn, "SELECT RELEASE_LOCK(:n)", {"n": name})

    def __init__(self) -> None:
        #: canonical_default by text: thousands of columns share a few dozen default texts
        self._defaults: dict[str, str | None] = {}

    def canonical_type(self, text: str) -> ColumnType:
        return canonical_type(text)

    def identifier_problem(
        self, kind: str, name: str, dialect: Dialect | None = None
    ) -> str | None:
        """Names the server refuses (see :mod:`.mysql_names`); it never cuts one."""
        return mysql_names.identifier_problem(kind, name)

    def canonical_expression(self, text: str) -> str:
        return mysql_canonical_sql(text)

    def canonical_index_expression(self, text: str) -> str:
        return mysql_canonical_sql(text, index=True)

    def canonical_default(self, text: str | None) -> str | None:
        """``CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`` keeps both halves; booleans are 1/0."""
        if text is None:
            return None
        try:
            return self._defaults[text]
        except KeyError:
            pass
        value = self._canonical_default(text)
        if len(self._defaults) >= _MEMO_LIMIT:
            self._defaults.clear()
        self._defaults[text] = value
        return value

    def _canonical_default(self, text: str) -> str | None:
        if not text.strip():
            return None
        on_update = _ON_UPDATE.match(text.strip())
        if on_update is None:
            return self._default_value(text)
        value = self._default_value(on_update["head"])
        return f"{value or 'NULL'} ON UPDATE {self.canonical_expression(on_update['fn'])}"

    def _default_value(self, text: str) -> str | None:
        text = text.strip()
        if not text or text.upper() == "NULL":
            return None
        if text.lower() in ("true", "false"):
            return "1" if text.lower() == "true" else "0"
        if _NUMBER.match(text):
            return text.lstrip("+")  # its value is read by typed_default, with the column type
        return self.canonical_expression(text)

    def offline_target(
        self,
        setting: str | None,
        backend: str | None,
        known: str | None,
        probe: Callable[[], str | None],
    ) -> OfflineTarget:
        """MariaDB or MySQL (see :mod:`schemadiff.backends.mysql.flavour`)."""
        flavour = choose_flavour(setting, backend, known, probe)
        return OfflineTarget(flavour.dialect(), flavour.header)

    def offline_statement(self, text: str) -> str:
        """A trigger or routine whose body holds ``;`` between ``DELIMITER`` lines (the
        ``mysql`` client would cut it at the body's first ``;``)."""
        return delimited(text)

    def script_default(self, text: str) -> str:
        """An expression default in parentheses: MySQL 8 takes ``DEFAULT (uuid())`` and ``SET
        DEFAULT (uuid())`` only so (MariaDB either way); literals, ``CURRENT_TIMESTAMP`` and
        ``... ON UPDATE ...`` stay bare."""
        return script_default(text)

    def collation_differs(self, db: Column, model: Column) -> bool:
        """A model that names only a character set (``mysql.VARCHAR(charset="latin1")``) wants
        that charset, in whatever collation; the database column's is known even when it is the
        table's (``Column.charset``)."""
        wanted = model.collation
        if wanted is not None and is_charset_only(wanted):
            return wanted != (charset_of(db.collation) or db.charset)
        return super().collation_differs(db, model)

    def script_type(self, sql: str, collation: str | None) -> tuple[str, tuple[str, ...]] | None:
        """Exact MySQL types for ``MODIFY`` (see :mod:`schemadiff.backends.mysql.script_types`)."""
        return script_type(sql, collation)

    def adjust_ops(self, ops: list[Op], db: Snapshot) -> list[Op]:
        """Foreign keys over a column whose type changes are dropped and re-added around it."""
        return keys_around_column_changes(ops, db)

    def canonical_fk_action(self, action: str | None) -> str | None:
        """InnoDB checks ``RESTRICT`` and ``NO ACTION`` at the same moment: both are the default."""
        canonical = super().canonical_fk_action(action)
        return None if canonical == "RESTRICT" else canonical

    # --- metadata side ---------------------------------------------------------------------

    def _metadata_type(self, type_: sa.types.TypeEngine, dialect: Dialect) -> ColumnType:
        """A type MySQL cannot compile (``String()`` without a length) is "not compared" rather
        than a crash: the report says so, and ``create_all`` would reject it anyway. (Overriding
        the memoized step, not ``metadata_type``, keeps one call per column.)"""
        try:
            return super()._metadata_type(type_, dialect)
        except sa.exc.CompileError:
            python, imports = python_type_hint(type_)
            return ColumnType(str(type_).lower(), python, imports, known=False)

    def adjust_metadata_index(self, index: Index, source: sa.Index) -> Index:
        """Prefix lengths (``mysql_length``) and FULLTEXT/SPATIAL (``mysql_prefix``)."""
        opts = own_options(source, "mysql")
        lengths = opts.get("length") if opts is not None else None
        prefix = opts.get("prefix") if opts is not None else None
        using = prefix.lower() if prefix else None
        elements = index.elements
        if lengths is not None:
            elements = tuple(_with_length(e, lengths) for e in elements)
        if using == index.using and all(map(operator.is_, elements, index.elements)):
            return index  # nothing to adjust (the common case: no copy)
        return replace(index, elements=elements, using=using)

    def adjust_metadata_table(self, table: Table) -> Table:
        pk = table.primary_key
        if pk is not None and pk.name is not None:
            pk = replace(pk, name=None)
        uniques = list(table.unique_constraints)
        indexes = []
        for index in table.indexes:
            if is_plain_unique(index):
                uniques.append(UniqueConstraint(index.column_names, index.name))
            else:
                indexes.append(index)
        unique_constraints = tuple(sorted(uniques, key=lambda u: (u.name or "", u.columns)))
        plain_indexes = tuple(sorted(indexes, key=lambda i: i.name))
        return replace(
            table,
            primary_key=pk,
            columns=tuple(map(_metadata_column, table.columns)),
            unique_constraints=unique_constraints,
            indexes=plain_indexes,
            foreign_keys=mark_foreign_keys(
                table.foreign_keys, pk, unique_constraints, plain_indexes
            ),
        )

    def metadata_table_partitioning(
        self,
        metadata: sa.MetaData,
        tables: Sequence[sa.Table],
        schema_of: Callable[[str | None], str | None],
    ) -> tuple[TablePartitioning, ...]:
        """``mysql_partition_by`` (with ``mysql_partitions``...) and ``Partition`` objects."""
        from schemadiff.backends.mysql.partition_clause import metadata_partitioning

        return metadata_partitioning(metadata, tables, schema_of)

    def settle_table_partitioning(
        self, conn: Connection, wanted: Sequence[TablePartitioning]
    ) -> tuple[TablePartitioning, ...]:
        from schemadiff.backends.mysql.partitions import settle_bounds

        return settle_bounds(conn, wanted)

    def adjust_metadata_table_options(self, table: Table, source: sa.Table) -> Table:
        """A column collation equal to the table's ``mysql_collate`` is no collation of its own
        (the catalog side only reports collations that differ from the table's); a column whose
        type names only a character set asks for that charset (see :meth:`collation_differs`)."""
        opts = own_options(source, "mysql")
        table_collation = opts.get("collate") if opts is not None else None
        charsets = _charset_only_columns(source)
        if not table_collation and not charsets:
            return table

        def own(col: Column) -> Column:
            if table_collation and col.collation == table_collation:
                return replace(col, collation=None)
            if col.collation is None and col.name in charsets:
                return replace(col, collation=charsets[col.name])
            return col

        return replace(table, columns=tuple(map(own, table.columns)))


def _charset_only_columns(source: sa.Table) -> dict[str, str]:
    """Columns whose MySQL type names a character set but no collation
    (``mysql.VARCHAR(charset="latin1")``): their ``collation`` becomes that charset's name."""
    out = {}
    for c in source.columns:
        charset = getattr(c.type, "charset", None)
        if charset and not getattr(c.type, "collation", None):
            out[c.name] = str(charset).lower()
    return out


def is_plain_unique(index: Index) -> bool:
    """A unique index MySQL reports exactly like a unique constraint."""
    return (
        index.unique
        and index.using is None
        and all(
            not e.is_expression and not e.descending and e.length is None for e in index.elements
        )
    )


def _metadata_column(col: Column) -> Column:
    if col.computed is None:
        return col  # the most common case
    computed = col.computed
    if computed is not None and not computed.persisted:
        computed = Computed(computed.sqltext, None)  # VIRTUAL is the default
    if computed is col.computed:
        return col  # nothing to adjust (the common case: no copy)
    return replace(col, computed=computed)


def _with_length(element: IndexElement, lengths: object) -> IndexElement:
    if element.is_expression or lengths is None:
        return element
    length = lengths.get(element.expr) if isinstance(lengths, dict) else lengths
    return replace(element, length=int(length)) if isinstance(length, int) else element


@lru_cache(maxsize=65536)
def mysql_canonical_sql(text: str, index: bool = False) -> str:
    """:func:`schemadiff.canonical.sqlexpr.canonical_sql` plus MySQL's own equivalences, remembered
    between runs like it (:mod:`schemadiff.canonical.memo`): sqlglot is imported only for texts no
    earlier run has seen. ``index``: an index element (its outer casts are kept)."""
    key = ("mysql-index" if index else "mysql-sql", "mysql", text)
    found = MEMO.get(key)
    if found is None:
        from schemadiff.backends.mysql.sqltree import parse_mysql_canonical

        found = parse_mysql_canonical(text, index)
        MEMO.put(key, found)
    return found


def _lock_name(database: str, key: str) -> str:
    """A ``GET_LOCK`` name for ``key`` in ``database`` (MySQL allows 64 characters)."""
    digest = hashlib.sha256(f"{database}\0{key}".encode()).hexdigest()
    return f"schemadiff-migrate-{digest[:40]}"
