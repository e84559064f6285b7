"""What every dialect module provides: the rules that turn one backend's spellings into canonical
snapshot values. Both sources (the live database and the metadata compiled for that backend) go
through the same rules, which is why they can be compared with plain equality.

A dialect module subclasses :class:`DialectRules`, overrides what its backend spells differently,
and registers an instance in :mod:`schemadiff.backends.registry`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Hashable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.engine.default import DefaultDialect
from sqlalchemy.sql.compiler import IdentifierPreparer

from schemadiff.backends.sequences import SequenceRules
from schemadiff.canonical import literals
from schemadiff.canonical.literals import Family
from schemadiff.canonical.sqlexpr import canonical_index_sql, canonical_sql
from schemadiff.errors import LockTimeout, UsageError, lock_timeout_message
from schemadiff.ops import Op
from schemadiff.snapshot.model import (
    Column,
    ColumnType,
    DbObject,
    Domain,
    Enum,
    Identity,
    Index,
    Snapshot,
    Table,
    TableKey,
    UniqueConstraint,
    View,
)
from schemadiff.snapshot.partitions import Partition, PartitionKey, PartitionName
from schemadiff.snapshot.policies import Policy, PolicyKey
from schemadiff.snapshot.routines import Function, RoutineKey, Trigger, function_ddl
from schemadiff.snapshot.table_partitioning import TablePartitioning

T = TypeVar("T")
_SPACES_IN_ARGS = re.compile(r"\s*,\s*")
_MULTI_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class TypeChange:
    """How a script changes a column's type on one backend: keyword arguments for
    ``alter_column`` (``postgresql_using``), SQL to run first that fails when a value would not
    convert unchanged, and the line the script's comment says about it."""

    kwargs: tuple[tuple[str, str], ...] = ()
    guard: str | None = None
    note: str | None = None


class SqlText(str):
    """A keyword value that is SQL text: scripts write it as ``sa.text(...)``."""


@dataclass(frozen=True)
class RebuildGuard:
    """A context manager call (``call``) wrapped around a table rebuild in a script, with the
    module-level code (``helpers``) and ``imports`` it needs."""

    call: str
    helpers: str
    imports: frozenset[str]


@dataclass(frozen=True)
class OfflineTarget:
    """What offline SQL is compiled for: a SQLAlchemy dialect (None: the one the URL or the
    backend's name gives) and a comment line for the top of the output (None: none)."""

    dialect: Dialect | None = None
    header: str | None = None


@dataclass(frozen=True)
class SyncSibling:
    """The synchronous driver an async URL can use instead: its SQLAlchemy driver name, the
    module that must import, and whether it takes the async driver's URL query as it is."""

    driver: str
    module: str
    same_query: bool


class DialectRules:
    """Normalization rules for one backend. The base class is a sensible default for any
    SQL backend; subclasses override the hooks their catalog spells differently."""

    #: schemadiff's dialect name (``postgresql``, ``mysql``, ``sqlite``)
    name: ClassVar[str] = "default"
    #: Object kinds this backend can report; anything else is listed as "not compared".
    features: ClassVar[frozenset[str]] = frozenset(
        {
            "check_constraints",
            "comments",
            "computed",
            "identity",
            "enums",
            "partial_indexes",
            "expression_indexes",
            "schemas",
            "collation",
            "autoincrement",
            "functions",
            "triggers",
            "views",
        }
    )
    #: Standalone sequences' defaults and DDL (``features`` then has ``sequences``); None: the
    #: backend has none.
    sequences: ClassVar[SequenceRules | None] = None
    #: The server keeps a trigger's text as written (SQLite, MySQL): compared as text with its
    #: layout normalized; else (PostgreSQL) in the catalog's own spelling.
    trigger_text_verbatim: ClassVar[bool] = False
    #: a routine created without ``SQL SECURITY`` runs as its definer (MySQL): how
    #: sqlalchemy-declarative-extensions' dialect-neutral Function / Procedure are read
    routines_definer_by_default: ClassVar[bool] = False

    def settle_triggers(
        self, conn: Connection, triggers: Sequence[Trigger], default: str
    ) -> dict[RoutineKey, str | None]:
        """The server's own spelling of each declared trigger (its whole CREATE statement), by
        key, learnt without changing the database; None for one the server refused. Backends
        that keep the text as written (or cannot ask) return nothing."""
        return {}

    def settle_policies(
        self, conn: Connection, policies: Sequence[Policy], default: str
    ) -> dict[PolicyKey, tuple[str | None, str | None] | None]:
        """The server's own spelling of each declared policy's USING and WITH CHECK, by key,
        learnt without changing the database; None for one the server refused. Backends
        without policies return nothing."""
        return {}

    def settle_partitions(
        self,
        conn: Connection,
        keys: Sequence[PartitionKey],
        partitions: Sequence[tuple[Partition, str]],
        default: str,
    ) -> tuple[dict[PartitionName, str | None], dict[PartitionName, tuple[str, str | None] | None]]:
        """The server's own spelling of declared partition keys and of declared partitions'
        bounds (PostgreSQL declarative partitioning), learnt without changing the database.
        Backends without it return nothing."""
        return {}, {}

    def role_keywords(self, conn: Connection) -> dict[str, str]:
        """The role each of ``current_user``, ``session_user`` and ``current_role`` names on
        ``conn`` (what the server stores for a policy ``TO CURRENT_USER``); backends without
        policies return nothing."""
        return {}

    def canonical_function(self, function: Function) -> Function:
        """A declared function in the compared form of this backend (its type names, its
        characteristics); PostgreSQL's is built by the source itself."""
        return function

    def function_statements(self, function: Function, replace: bool = False) -> tuple[str, ...]:
        """The statements that create (``replace``: or replace) ``function``."""
        return (function_ddl(function, self.quote_identifier, replace),)

    def unchecked_body(self, statements: tuple[str, ...]) -> tuple[str, ...]:
        """``statements`` (that create a function) run without the server checking the body
        against the tables it reads (they come later in the migration). Backends that do not
        check bodies at creation return them as they are."""
        return statements

    def drop_function_statement(self, function: Function) -> str:
        name = (self.quote_identifier(function.schema) + "." if function.schema else "") + (
            self.quote_identifier(function.name)
        )
        return f"DROP {function.kind.upper()} {name}({function.args})"

    def settle_functions(
        self, conn: Connection, functions: Sequence[Function]
    ) -> dict[RoutineKey, tuple[str, str | None] | None]:
        """The server's own spelling of each declared function's identity arguments and result
        type, by key, learnt without changing the database; None for one it refused."""
        return {}

    def function_syntax_errors(
        self, conn: Connection, functions: Sequence[Function]
    ) -> dict[RoutineKey, str]:
        """The server's syntax error for each declared function it cannot parse, by key,
        learnt without changing the database; other refusals (a table the migration creates)
        are not errors here. Backends that cannot ask return nothing."""
        return {}

    def settle_domains(
        self, conn: Connection, domains: Sequence[Domain]
    ) -> dict[TableKey, Domain | None]:
        """The server's own spelling of each declared domain, by key, learnt without changing
        the database; None for one it refused. Backends without domains return nothing."""
        return {}

    #: The backend family: MariaDB's rules are MySQL's, and so are its scratch and replay rules.
    family: ClassVar[str] = "default"
    #: The dialect name Alembic's ``Operations`` know this backend by (offline SQL, scripts).
    alembic_dialect: ClassVar[str] = "default"
    #: A database is a file (SQLite): scratch copies need no server.
    file_based: ClassVar[bool] = False
    #: Async drivers -> their synchronous sibling (same dialect, same reflection statements),
    #: used instead when it is installed (:func:`schemadiff.backends.connect.create_engine`).
    sync_siblings: ClassVar[dict[str, SyncSibling]] = {}
    #: ``render_as_batch = "auto"`` turns batch mode on (SQLite rebuilds tables to alter them).
    batch_by_default: ClassVar[bool] = False
    #: A primary key carries its own name (MySQL's is always ``PRIMARY``).
    names_primary_keys: ClassVar[bool] = True
    #: The connection has a current schema from the search path, which may be missing
    #: (PostgreSQL with no USAGE on any schema of its search_path).
    needs_current_schema: ClassVar[bool] = False
    #: Schemas are namespaces inside one database, created in a scratch database too
    #: (PostgreSQL); elsewhere a schema is a database of its own.
    schemas_in_database: ClassVar[bool] = False
    #: Indexes name operator classes per element (PostgreSQL ``postgresql_ops``).
    index_opclasses: ClassVar[bool] = False
    #: A column spells ``autoincrement=True`` in scripts (SQLite's INTEGER PRIMARY KEY fills
    #: itself, and saying True there breaks composite keys).
    says_autoincrement: ClassVar[bool] = True
    #: ``ALTER`` restates the whole column (MySQL's ``MODIFY``), so scripts pass what they keep:
    #: ``existing_server_default``, ``existing_autoincrement``.
    alter_restates_column: ClassVar[bool] = False
    #: The server creates an index for each foreign key and keeps it after the key is dropped
    #: (MySQL): scripts name and drop it with the key.
    fk_implies_index: ClassVar[bool] = False
    #: Canonical type aliases: catalog or compiler spelling (lower case, no args) -> canonical.
    type_aliases: ClassVar[dict[str, str]] = {
        "int": "integer",
        "int4": "integer",
        "int2": "smallint",
        "int8": "bigint",
        "character varying": "varchar",
        "character": "char",
        "bool": "boolean",
        "decimal": "numeric",
        "double precision": "double",
        "float8": "double",
        "float4": "real",
    }

    def canonical_type(self, text: str) -> ColumnType:
        """Canonical type from a compiled or catalog type string (``VARCHAR(50)``,
        ``character varying(50)``, ``int(11)``)."""
        raw = _MULTI_WS.sub(" ", text.strip().lower())
        base, args, suffix = _split(raw)
        base = self.type_aliases.get(base, base)
        args = _SPACES_IN_ARGS.sub(",", args) if args else args
        sql = base + (f"({args})" if args else "") + suffix
        return ColumnType(sql=sql)

    def canonical_expression(self, text: str) -> str:
        """Canonical text of a check, predicate, index or computed expression."""
        return canonical_sql(text, self.name)

    def canonical_index_expression(self, text: str) -> str:
        """Canonical text of an index element's expression (its outer casts are kept)."""
        return canonical_index_sql(text, self.name)

    def index_expression_sql(self, text: str) -> str:
        """An expression element as ``CREATE INDEX`` must spell it: in parentheses
        (PostgreSQL's and MySQL's grammar: ``(y, (ff + 3))``; ``(y, ff + 3)`` is an error)."""
        return text if enclosed(text) else f"({text.strip()})"

    def quote_identifier(self, name: str) -> str:
        """``name`` quoted where this backend needs it (``"XCol"``, ``"order"``), as
        SQLAlchemy's DDL does (for column names written into ``sa.text``)."""
        return _identifier_preparer(self.name).quote(name)

    def split_index_opclass(self, text: str) -> tuple[str, str | None]:
        """An index element written as text, and the operator class written after its
        expression (None: none); only PostgreSQL has operator classes."""
        return text, None

    def canonical_default(self, text: str | None) -> str | None:
        """Canonical server default; None when there is none."""
        if text is None:
            return None
        text = text.strip()
        if not text or text.upper() == "NULL":
            return None
        return canonical_sql(text, self.name)

    def typed_default(self, default: str | None, type_sql: str) -> str | None:
        """A canonical default as the value the server stores after casting it to the column's
        type (``'0'`` on a boolean is ``FALSE`` on PostgreSQL): see :mod:`.literals`. Both
        sources apply it, so that spellings of one value compare equal."""
        if default is None:
            return None
        return literals.typed_literal(default, self.default_family(type_sql))

    def default_family(self, type_sql: str) -> Family | None:
        """How this backend casts a literal default to the canonical type ``type_sql``; None when
        schemadiff does not know (the default is then compared as canonical text)."""
        return _family(type_sql, self)

    #: canonical base type name -> the family of its literal defaults (see :meth:`default_family`)
    literal_families: ClassVar[dict[str, str]] = {
        "boolean": literals.BOOLEAN,
        "smallint": literals.INTEGER,
        "integer": literals.INTEGER,
        "bigint": literals.INTEGER,
        "numeric": literals.DECIMAL,
        "real": literals.FLOAT,
        "double": literals.FLOAT,
        "float": literals.FLOAT,
        "varchar": literals.STRING,
        "char": literals.STRING,
        "text": literals.STRING,
        "enum": literals.STRING,
        "date": literals.DATE,
        "timestamp": literals.TIMESTAMP,
        "datetime": literals.TIMESTAMP,
        "timestamptz": literals.TIMESTAMPTZ,
        "time": literals.TIME,
        "interval": literals.INTERVAL,
        "uuid": literals.UUID,
    }

    def canonical_comment(self, text: str | None) -> str | None:
        """A table or column comment; an empty one is no comment (PostgreSQL removes a comment
        set to ``''``, MariaDB/MySQL report ``''`` for a table or column without one)."""
        return text or None

    def canonical_fk_action(self, action: str | None) -> str | None:
        """``ON DELETE``/``ON UPDATE`` action: upper case, and the default ``NO ACTION`` as None."""
        if action is None:
            return None
        action = action.strip().upper()
        return None if action in ("", "NO ACTION") else action

    def unenforced_type_change(self, old: ColumnType, new: ColumnType) -> str | None:
        """Why a type change is not one to apply, when the backend neither stores nor enforces
        what differs (SQLite: a narrower declared size); None for a real change."""
        return None

    # --- names ------------------------------------------------------------------------------

    def stored_identifier(self, name: str, dialect: Dialect | None = None) -> str:
        """``name`` as the server stores it (PostgreSQL cuts a long one and runs the statement
        anyway); the models' names are compared in this form. The default keeps every name.
        ``dialect``: the connected SQLAlchemy dialect (its identifier limit), None offline."""
        return name

    def identifier_problem(
        self, kind: str, name: str, dialect: Dialect | None = None
    ) -> str | None:
        """Why the server will not keep the ``kind`` name (``table``, ``column``, ``index``...)
        as the models write it: one warning line for generation time; None when it will."""
        return None

    # --- hooks for the renderers ------------------------------------------------------------

    def adds_column_in_place(self, column: Column) -> bool:
        """Whether ``ALTER TABLE ... ADD COLUMN`` can add ``column`` to an existing table; False
        makes the script rebuild the table instead (batch mode)."""
        return True

    def rebuild_guard(self, table: str, objects: Sequence[DbObject]) -> RebuildGuard | None:
        """What a script runs a rebuild of ``table`` (batch mode) inside, when the backend
        loses objects that hang off the table otherwise; ``objects`` are the database's
        uncompared objects when the script is written."""
        return None

    def transaction_open(self, dbapi_connection: Any) -> bool | None:
        """Whether the driver's connection has a transaction open (None: cannot tell). Where DDL
        is not transactional, this tells which statements of a failed revision stayed."""
        return None

    def type_change(
        self, schema: str | None, table: str, column: str, old: str, new: str
    ) -> TypeChange:
        """How to change ``column`` from canonical type ``old`` to ``new`` (the backend's own
        conversion unless a backend says more)."""
        return TypeChange()

    def autoincrement_sql(
        self, schema: str | None, table: str, column: Column, add: bool
    ) -> tuple[str, ...] | None:
        """SQL that makes key ``column`` start (``add``) or stop filling itself; None when
        Alembic's ``alter_column(autoincrement=...)`` does it (MySQL's AUTO_INCREMENT)."""
        return None

    def identity_options(self, identity: Identity, type_sql: str) -> dict[str, object]:
        """``sa.Identity`` keyword arguments that spell out every option of ``identity`` (a
        backend with defaults of its own fills them in, so that a change back to a default
        is spelled too)."""
        return {k: v for k, v in vars(identity).items() if v is not None}

    def offline_target(
        self,
        setting: str | None,
        backend: str | None,
        known: str | None,
        probe: Callable[[], str | None],
    ) -> OfflineTarget:
        """The dialect offline SQL (``diff --format sql``, ``upgrade --sql``) is compiled for.
        ``setting`` is the configured flavour (``mysql_flavour``), ``backend`` the URL's backend
        name, ``known`` the server's version text when already known (reflected), ``probe``
        asks the server for it (None when it cannot; called only by backends whose SQL depends
        on the server and only when nothing else decides)."""
        return OfflineTarget()

    def offline_statement(self, text: str) -> str:
        """One statement of offline SQL (``--sql``) as Alembic writes it (terminator and blank
        line included), as the backend's command-line client reads it."""
        return text

    @contextmanager
    def migration_lock(
        self, conn: Connection, key: str, timeout: float, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        """Hold the database's migration lock named ``key`` (the version table's schema and
        name) while the body runs, so two runners never read the same revision and both apply
        the next one. Calls ``on_wait`` once if the lock is taken, waits at most ``timeout``
        seconds, then raises :class:`schemadiff.errors.LockTimeout`. Leaves no transaction
        open. The default takes no lock: on such a backend only the version-row check (exactly
        one row changed) guards."""
        yield

    def primary_key_name(self, table: str) -> str:
        """The name of a primary key the snapshot has no name for (to drop it by name)."""
        return f"pk_{table}"

    def index_kwargs(self, index: Index) -> tuple[tuple[str, object], ...]:
        """The backend's own ``create_index`` keywords for ``index`` (``postgresql_where``...);
        a :class:`SqlText` value is SQL, written as ``sa.text(...)``."""
        return ()

    def unique_kwargs(self, unique: UniqueConstraint) -> tuple[tuple[str, object], ...]:
        """The backend's own ``create_unique_constraint`` keywords."""
        return ()

    def rename_table_sql(
        self, schema: str | None, old: str, new: str, serial_columns: Sequence[str]
    ) -> tuple[str, ...]:
        """Statements that follow ``op.rename_table`` (PostgreSQL renames SERIAL sequences)."""
        return ()

    #: A server where ``verify`` and drift replays may create (and drop) a scratch database.
    scratch_server: ClassVar[bool] = False
    #: The database to connect to for ``CREATE DATABASE`` (PostgreSQL's ``postgres``; None: the
    #: URL's own).
    admin_database: ClassVar[str | None] = None

    def drop_database_sql(self, name: str) -> str:
        """Drop a scratch database, even while something is still connected where it can."""
        return f"DROP DATABASE IF EXISTS {self.quote_identifier(name)}"

    def read_only(self, conn: Connection) -> AbstractContextManager[None]:
        """A transaction the server refuses to write in, for everything the block reads
        (``check``, ``diff`` and ``snapshot`` may be pointed at production)."""
        raise UsageError(
            f"cannot open a read-only transaction on {self.name!r}; schemadiff only reads "
            "PostgreSQL, MariaDB/MySQL and SQLite databases"
        )

    #: the statement that makes a whole session refuse writes (for connections a project's env.py
    #: opens while ``diff``, ``check`` or ``snapshot`` run it); None: no such statement
    read_only_session_sql: ClassVar[str | None] = None

    def trace_objects(self, conn: Connection) -> set[DbObject]:
        """Every object in the database by kind and name, in a few bulk catalog queries
        (``verify`` compares these sets around each revision)."""
        raise NotImplementedError(f"no catalog trace for {self.name!r} databases")

    def script_default(self, text: str) -> str:
        """A server default's SQL as a migration script writes it (``sa.text(...)``)."""
        return text

    def collation_differs(self, db: Column, model: Column) -> bool:
        """The model's collation is not the database column's (None in the models: any)."""
        return model.collation is not None and model.collation != db.collation

    def script_type(self, sql: str, collation: str | None) -> tuple[str, tuple[str, ...]] | None:
        """How a migration script writes canonical type ``sql`` of a column with ``collation``
        when this backend needs more than the generic mapping: ``(code, imports)``, or None."""
        return None

    #: Scripts write alembic_utils' operations (``op.create_entity(PGView(...))``...) on the
    #: objects of projects that use alembic_utils, whose entities are this backend's (PostgreSQL).
    alembic_utils_ops: ClassVar[bool] = False

    #: The server keeps a view's query as written (SQLite): the canonical forms of the declared
    #: and the stored text compare as they are, with no need to ask the server.
    view_text_verbatim: ClassVar[bool] = False
    #: the server refuses to change the type of, or drop, a column (or table) a view reads
    #: (PostgreSQL): views the models leave alone stand in the way of such changes
    views_block_column_changes: ClassVar[bool] = False

    def settle_views(self, conn: Connection, views: Sequence[View]) -> dict[TableKey, str | None]:
        """The server's own spelling of each view's query (``View.raw``), by view key, learnt
        without changing the database (a rolled-back transaction, a scratch database); None
        for a query the server refused (so it is not the stored one). Backends that cannot
        ask return nothing."""
        return {}

    def view_rewrite_context(self, conn: Connection) -> str | None:
        """Everything the server's rewrite of a declared query (``settle_views``) depends on
        besides the query and the relations it reads: the server's version and the settings
        that change how it reads or writes a query (SQL mode, search path, character sets,
        time zone...), the database and the user, read on ``conn`` in one statement, as text.
        None: rewrites are not remembered between runs
        (:func:`schemadiff.sources.views.settle_views`)."""
        return None

    def declaration_syntax_errors(
        self,
        conn: Connection,
        policies: Sequence[Policy],
        partitions: Sequence[Partition],
        domains: Sequence[Domain] = (),
    ) -> dict[tuple[str, Any], str]:
        """The server's syntax error for each declared policy (``("policy", key)``), partition
        bounds (``("partition", key)``) and domain (``("domain", key)``) it cannot parse,
        learnt without changing the database; refusals for another reason (a table that does
        not exist yet) are not errors here. Backends that cannot ask return nothing."""
        return {}

    def view_syntax_errors(self, conn: Connection, views: Sequence[View]) -> dict[TableKey, str]:
        """The server's syntax error for each view query (``View.raw``) it cannot even parse,
        by view key, learnt without changing the database; queries refused for another reason
        (a table the migration creates) are not errors here. Backends that cannot ask return
        nothing."""
        return {}

    def adjust_ops(self, ops: list[Op], db: Snapshot) -> list[Op]:
        """Last pass over a diff's ops (``db`` with renames applied): steps this backend's DDL
        needs around them. Ordering comes after, by phase."""
        return ops

    # --- hooks for the metadata side -------------------------------------------------------

    def metadata_type(self, type_: sa.types.TypeEngine, dialect: Dialect) -> ColumnType:
        """Canonical type of a model column: compile for the backend, then canonicalize."""
        return memoized(
            (self, *dialect_key(dialect)),
            type_key(type_),
            lambda: self._metadata_type(type_, dialect),
        )

    def _metadata_type(self, type_: sa.types.TypeEngine, dialect: Dialect) -> ColumnType:
        compiled = dialect.type_compiler_instance.process(type_)
        ctype = self.canonical_type(compiled)
        python, imports = python_type_hint(type_)
        return ColumnType(ctype.sql, python, imports, ctype.known, ctype.storage)

    def creates_autoincrement(self, column: sa.Column, dialect: Dialect) -> bool:
        """Whether ``create_all`` makes the table's autoincrement column fill itself: not when
        its Python-side default is a (non-optional) ``Sequence`` on a backend with sequences
        (SQLAlchemy then uses the sequence instead)."""
        default = column.default
        return not (
            isinstance(default, sa.Sequence) and not default.optional and dialect.supports_sequences
        )

    def metadata_enums(
        self, metadata: sa.MetaData, dialect: Dialect, schema_of: object
    ) -> tuple[Enum, ...]:
        """Named enum types the metadata creates (only backends with named enums have any)."""
        return ()

    def adjust_metadata_table(self, table: Table) -> Table:
        """Last chance to mirror what the backend does implicitly (e.g. implied indexes)."""
        return table

    def adjust_metadata_table_options(self, table: Table, source: sa.Table) -> Table:
        """Like :meth:`adjust_metadata_table`, for rules that read the SQLAlchemy table's dialect
        options (``sqlite_autoincrement`` makes SQLite's primary key lose its name)."""
        return table

    def adjust_metadata_index(self, index: Index, source: sa.Index) -> Index:
        return index

    def adjust_metadata_unique(
        self, unique: UniqueConstraint, source: sa.UniqueConstraint
    ) -> UniqueConstraint:
        """A unique constraint's backend options (PostgreSQL's NULLS NOT DISTINCT)."""
        return unique

    def metadata_table_partitioning(
        self,
        metadata: sa.MetaData,
        tables: Sequence[sa.Table],
        schema_of: Callable[[str | None], str | None],
    ) -> tuple[TablePartitioning, ...]:
        """The partitioning the models declare for ``tables`` as a table option (MySQL's
        ``mysql_partition_by``), sorted by key; backends without it have none."""
        return ()

    def settle_table_partitioning(
        self, conn: Connection, wanted: Sequence[TablePartitioning]
    ) -> tuple[TablePartitioning, ...]:
        """``wanted`` with the declared bounds the catalog keeps evaluated replaced by the
        server's value of them (asked without changing anything)."""
        return tuple(wanted)

    def adjust_metadata_snapshot(self, snapshot: Snapshot) -> Snapshot:
        """Last pass over the whole model snapshot: a backend that cannot store something the
        models use (comments on SQLite) drops it here and says so in ``not_compared``."""
        return snapshot


_TYPE_ARGS = re.compile(r"^([a-z][a-z ]*?)\s*(?:\((.*)\))?(\s+unsigned|\s+zerofill)*$")


@lru_cache(maxsize=4096)
def _family(type_sql: str, rules: DialectRules) -> Family | None:
    """The family of a canonical type: its base name looked up in the rules'
    ``literal_families`` (arrays and shapes not understood have none); a DECIMAL keeps the scale
    of ``numeric(p,s)``."""
    shape = _TYPE_ARGS.match(type_sql)
    if shape is None:
        return None
    base, args = shape.group(1), shape.group(2)
    kind = rules.literal_families.get(base)
    if not kind:
        return None
    if kind == literals.DECIMAL and args:
        parts = args.split(",")
        scale = parts[1].strip() if len(parts) == 2 else "0"
        return Family(kind, int(scale)) if scale.isdigit() else None
    return Family(kind)


@lru_cache(maxsize=8)
def _identifier_preparer(name: str) -> IdentifierPreparer:
    try:
        dialect = sa.dialects.registry.load(name)()
    except (sa.exc.NoSuchModuleError, TypeError):
        dialect = DefaultDialect()
    return dialect.identifier_preparer


def enclosed(text: str) -> bool:
    """True when one pair of parentheses encloses all of ``text`` (quotes respected)."""
    text = text.strip()
    if not text.startswith("(") or not text.endswith(")"):
        return False
    depth = 0
    quote = ""
    for position, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"`":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and position < len(text) - 1:
                return False
    return depth == 0


def own_options(source: sa.Index | sa.Table | sa.Constraint, dialect: str) -> Any:
    """The ``<dialect>_*`` options the model set on ``source``; None when it set none.
    ``source.dialect_options[dialect]`` would build that dialect's option dictionary with all
    its defaults (None for everything we read) for every construct: the slowest part of the
    metadata hooks before this, when done per table or index element."""
    return source.dialect_options.get(dialect)


# --- memoizing per type -------------------------------------------------------------------------
# Thousands of columns share a handful of distinct types; compiling and repr-ing each instance
# again dominated snapshot building (about 40% of a 1,000-table diff before this memo).

_MEMO: dict[Hashable, object] = {}
_MEMO_LIMIT = 4096


def type_key(type_: sa.types.TypeEngine) -> Hashable | None:
    """A key two type instances share only when they have the same class and equal instance
    attributes (values with their Python type, so ``1`` and ``True`` differ; nested types by
    their own key; lists and dicts, like an Enum's labels, by their items). None when some
    attribute cannot be keyed: such a type is never memoized."""
    attrs = vars(type_)
    if "dispatch" in attrs:  # a SchemaType (Boolean, Enum): its event hooks are not its SQL,
        # and an Enum's lookups are derived from its values and class (both in the key)
        attrs = {k: v for k, v in attrs.items() if k not in _NOT_KEYED}
    if not attrs:
        return (type(type_),)
    values = tuple(attrs.values())
    kinds = tuple(map(type, values))
    if _PLAIN.issuperset(kinds):  # the common case (lengths, flags, names): hashable as is
        return (type(type_), tuple(attrs), values, kinds)
    if any(isinstance(v, _NESTED) for v in values):
        values = tuple(_value_key(v) for v in values)
    key = (type(type_), tuple(attrs), values, tuple(map(type, values)))
    try:
        hash(key)
    except TypeError:
        return None
    return key


_NESTED = (sa.types.TypeEngine, list, dict)
_NOT_KEYED = frozenset({"dispatch", "_valid_lookup", "_object_lookup"})
_PLAIN = frozenset({str, int, bool, float, type(None)})


def _value_key(value: object) -> object:
    """A hashable stand-in for a nested type, list or dict; something unhashable (a list) when
    a part cannot be keyed, so that hashing the whole key fails."""
    if isinstance(value, sa.types.TypeEngine):
        nested = type_key(value)
        return ("type", nested) if nested is not None else [value]
    if isinstance(value, list):
        return ("list", tuple((type(v), _value_key(v)) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((k, type(v), _value_key(v)) for k, v in value.items()))
    return value


def dialect_key(dialect: Dialect) -> tuple[object, ...]:
    """The dialect and the state that changes how it compiles (set when it first connects)."""
    return (dialect, dialect.server_version_info, getattr(dialect, "is_mariadb", None))


def memoized(context: tuple[object, ...], key: Hashable | None, compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``(context, key)``; not remembered when ``key`` is None
    (a type :func:`type_key` cannot key). Bounded: emptied when it grows past a limit."""
    if key is None:
        return compute()
    full = (context, key)
    try:
        return _MEMO[full]  # type: ignore[return-value]
    except KeyError:
        pass
    value = compute()
    if len(_MEMO) >= _MEMO_LIMIT:
        _MEMO.clear()
    _MEMO[full] = value
    return value


def python_type_hint(type_: sa.types.TypeEngine) -> tuple[str, tuple[str, ...]]:
    """How a script writes this type, and the imports it needs (a hint for renderers)."""
    return memoized(("python_type_hint",), type_key(type_), lambda: _python_type_hint(type_))


def _python_type_hint(type_: sa.types.TypeEngine) -> tuple[str, tuple[str, ...]]:
    """How a script writes this type, and the imports it needs (a hint for renderers).

    SQLAlchemy's generic and dialect types render as ``sa.String(length=50)`` /
    ``postgresql.JSONB()``; a user's own type (a ``TypeDecorator``) is imported from its module.
    """
    cls = type(type_)
    module = cls.__module__
    item_type = getattr(type_, "item_type", None)
    if isinstance(item_type, sa.types.TypeEngine) and cls.__name__ == "ARRAY":
        inner, inner_imports = _python_type_hint(item_type)
        dialect_array = module.startswith("sqlalchemy.dialects.postgresql")
        prefix = "postgresql" if dialect_array else "sa"
        imports = {"import sqlalchemy as sa", *inner_imports}
        if dialect_array:
            imports.add("from sqlalchemy.dialects import postgresql")
        return f"{prefix}.ARRAY({inner})", tuple(sorted(imports))
    text = _prefix_nested_types(repr(_without_own_check(type_)))
    if module.startswith("sqlalchemy.sql") or module == "sqlalchemy.types":
        return "sa." + text, ("import sqlalchemy as sa",)
    if module.startswith("sqlalchemy.dialects."):
        dialect_name = module.split(".")[2]
        return (
            f"{dialect_name}.{text}",
            (f"from sqlalchemy.dialects import {dialect_name}", "import sqlalchemy as sa"),
        )
    return text, (f"from {module} import {cls.__name__}", "import sqlalchemy as sa")


def _without_own_check(type_: sa.types.TypeEngine) -> sa.types.TypeEngine:
    """A Boolean/Enum that makes its own CHECK (``create_constraint=True``) is written without
    it: the snapshot holds that CHECK as a table check and the script creates it as one, so a
    type that makes it again would give the table a second copy."""
    if getattr(type_, "create_constraint", False) is True:
        plain = type_.copy()
        plain.create_constraint = False  # type: ignore[attr-defined]
        return plain
    return type_


_SA_TYPE_NAMES = "|".join(sorted(n for n in dir(sa.types) if n[:1].isupper()))
_NESTED_TYPE = re.compile(rf"(?<![\w.])({_SA_TYPE_NAMES})\(")


def _prefix_nested_types(text: str) -> str:
    """``JSONB(astext_type=Text())`` -> ``JSONB(astext_type=sa.Text())``: the outer name is
    prefixed by the caller, nested generic types get ``sa.`` here."""
    head, paren, rest = text.partition("(")
    return head + paren + _NESTED_TYPE.sub(r"sa.\1(", rest)


def _split(raw: str) -> tuple[str, str, str]:
    """``numeric(10, 2)`` -> (``numeric``, ``10, 2``, ``""``); keeps a trailing ``[]`` or
    ``unsigned`` style suffix after the arguments."""
    if "(" not in raw:
        if raw.endswith("[]"):
            return raw[:-2].strip(), "", "[]"
        return raw, "", ""
    head, _, rest = raw.partition("(")
    args, _, tail = rest.partition(")")
    tail = tail.strip()
    return head.strip(), args.strip(), (" " + tail if tail and tail != "[]" else tail)


def wait_for(attempt: Callable[[], bool], timeout: float, on_wait: Callable[[], None]) -> None:
    """Call ``attempt`` (a non-blocking lock try) until it succeeds, for at most ``timeout``
    seconds (``on_wait`` hears the first miss), then raise :class:`LockTimeout` saying how long
    this runner waited."""
    started = time.monotonic()
    if attempt():
        return
    on_wait()
    while not attempt():
        waited = time.monotonic() - started
        if waited >= timeout:
            raise LockTimeout(lock_timeout_message(round(waited, 1)))
        time.sleep(min(0.1, max(timeout - waited, 0.01)))


def release_lock(conn: Connection, statement: str, params: dict[str, object]) -> None:
    """Run a session lock's release ``statement`` outside any transaction. A failure is ignored:
    the session's end (the engine is disposed right after) frees the lock anyway, and a dead
    connection must not hide the error that ended the run."""
    try:
        if conn.in_transaction():
            conn.rollback()
        conn.execute(sa.text(statement), params)
        conn.commit()
    except sa.exc.SQLAlchemyError:
        pass
