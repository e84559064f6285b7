"""PostgreSQL normalization rules.

PostgreSQL's catalog spells types the SQL-standard way (``character varying(50)``,
``timestamp with time zone``), qualifies and casts defaults (``'x'::character varying``,
``nextval('t_id_seq'::regclass)``) and keeps named enum types apart from columns. Both the reflected
side and the metadata side (compiled for PostgreSQL) go through these rules, so the snapshots
compare with plain equality.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import replace
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.sqltypes import Emulated

from schemadiff.backends.base import (
    DialectRules,
    SqlText,
    SyncSibling,
    TypeChange,
    dialect_key,
    memoized,
    own_options,
    python_type_hint,
    release_lock,
    type_key,
    wait_for,
)
from schemadiff.backends.postgresql.casts import plan_type_change, quote_ident
from schemadiff.backends.postgresql.identity import canonical_identity, resolved
from schemadiff.backends.postgresql.names import clip_identifier, name_limit, truncation_warning
from schemadiff.backends.postgresql.sequences import PostgresqlSequences
from schemadiff.backends.postgresql.serial import add_serial, drop_serial
from schemadiff.backends.sequences import SequenceRules
from schemadiff.snapshot.model import (
    Column,
    ColumnType,
    DbObject,
    Domain,
    Enum,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    Table,
    TableKey,
    UniqueConstraint,
    View,
)
from schemadiff.snapshot.partitions import (
    PARTITION_BY_OPTION,
    Partition,
    PartitionKey,
    PartitionName,
)
from schemadiff.snapshot.policies import Policy, PolicyKey
from schemadiff.snapshot.routines import Function, RoutineKey, Trigger

#: (type schema or None, type name) -> canonical schema of a named enum (None = default schema)
EnumSchemaOf = Callable[[str | None, str], str | None]

_WS = re.compile(r"\s+")
_ARRAY_SUFFIX = re.compile(r"(\s*\[\d*\])+$")
_COLLATE = re.compile(r"\s+collate\s+.*$")
_DATETIME = re.compile(r"^(timestamp|time)\s*(?:\((\d+)\))?(?:\s+(with|without) time zone)?$")
_INTERVAL = re.compile(r"^interval\s*(?:\((\d+)\))?\s*([a-z ]*?)\s*(?:\((\d+)\))?$")
_FLOAT = re.compile(r"^float\s*(?:\((\d+)\))?$")
_NEXTVAL = re.compile(r"^nextval\('(.+)'(?:::regclass)?\)$", re.IGNORECASE)
_FALLBACK_SCHEMA = "public"
#: a canonical index expression that casts a bare column: ``CAST(z AS INT)``
_CAST_OF_COLUMN = re.compile(r"^CAST\((\w+) AS ([^()]+(?:\([\d, ]+\))?)\)$")
_TRAILING_NAME = re.compile(r"^(.*?\S)\s*\b([A-Za-z_][A-Za-z0-9_]*)$", re.DOTALL)


class PostgresqlRules(DialectRules):
    name: ClassVar[str] = "postgresql"
    features: ClassVar[frozenset[str]] = DialectRules.features | {
        "sequences",
        "materialized_views",
        "extensions",
        "domains",
        "policies",
        "partitions",
        "grants",
        "roles",
    }
    sequences: ClassVar[SequenceRules | None] = PostgresqlSequences()
    sync_siblings: ClassVar[dict[str, SyncSibling]] = {
        "psycopg_async": SyncSibling("psycopg", "psycopg", same_query=True),
        # asyncpg's query keys (ssl=, prepared_statement_cache_size=) are not libpq's
        "asyncpg": SyncSibling("psycopg", "psycopg", same_query=False),
    }
    family: ClassVar[str] = "postgresql"
    alembic_dialect: ClassVar[str] = "postgresql"
    needs_current_schema: ClassVar[bool] = True
    schemas_in_database: ClassVar[bool] = True
    index_opclasses: ClassVar[bool] = True
    alembic_utils_ops: ClassVar[bool] = True
    views_block_column_changes: ClassVar[bool] = True
    type_aliases: ClassVar[dict[str, str]] = {
        **DialectRules.type_aliases,
        "bpchar": "char",
        "varbit": "bit varying",
    }

    def settle_partitions(
        self,
        conn: Connection,
        keys: Sequence[PartitionKey],
        partitions: Sequence[tuple[Partition, str]],
        default: str,
    ) -> tuple[dict[PartitionName, str | None], dict[PartitionName, tuple[str, str | None] | None]]:
        """See :func:`schemadiff.backends.postgresql.partitions.settle_partitions` (rolled
        back)."""
        from schemadiff.backends.postgresql.partitions import settle_partitions

        return settle_partitions(conn, keys, partitions, default)

    def adjust_metadata_table_options(self, table: Table, source: sa.Table) -> Table:
        """A table declared ``postgresql_partition_by`` carries its key as a table option, so
        that creating it makes it partitioned (compared as a key, see
        :mod:`schemadiff.comparators.partitions`)."""
        key = source.kwargs.get("postgresql_partition_by")
        if not key:
            return table
        options = dict(table.options)
        options[PARTITION_BY_OPTION] = repr(str(key).strip())
        return replace(table, options=tuple(sorted(options.items())))

    def settle_policies(
        self, conn: Connection, policies: Sequence[Policy], default: str
    ) -> dict[PolicyKey, tuple[str | None, str | None] | None]:
        """See :func:`schemadiff.backends.postgresql.policies.settle_policies` (rolled back)."""
        from schemadiff.backends.postgresql.policies import settle_policies

        return settle_policies(conn, policies, default)

    def unchecked_body(self, statements: tuple[str, ...]) -> tuple[str, ...]:
        """Around ``statements``: ``check_function_bodies`` off for the rest of the transaction,
        then back to its default (``SET LOCAL``: a migration runs in a transaction)."""
        return (
            "SET LOCAL check_function_bodies = off",
            *statements,
            "SET LOCAL check_function_bodies = DEFAULT",
        )

    def role_keywords(self, conn: Connection) -> dict[str, str]:
        """See :func:`schemadiff.backends.postgresql.policies.role_keywords`."""
        from schemadiff.backends.postgresql.policies import role_keywords

        return role_keywords(conn)

    def settle_triggers(
        self, conn: Connection, triggers: Sequence[Trigger], default: str
    ) -> dict[RoutineKey, str | None]:
        """See :func:`schemadiff.backends.postgresql.routines.settle_triggers` (rolled back)."""
        from schemadiff.backends.postgresql.routines import settle_triggers

        return settle_triggers(conn, triggers, default)

    def settle_functions(
        self, conn: Connection, functions: Sequence[Function]
    ) -> dict[RoutineKey, tuple[str, str | None] | None]:
        """See :func:`schemadiff.backends.postgresql.routines.settle_functions` (rolled back)."""
        from schemadiff.backends.postgresql.routines import settle_functions

        return settle_functions(conn, functions)

    def function_syntax_errors(
        self, conn: Connection, functions: Sequence[Function]
    ) -> dict[RoutineKey, str]:
        """See :func:`schemadiff.backends.postgresql.routines.function_syntax_errors`."""
        from schemadiff.backends.postgresql.routines import function_syntax_errors

        return function_syntax_errors(conn, functions)

    def settle_domains(
        self, conn: Connection, domains: Sequence[Domain]
    ) -> dict[TableKey, Domain | None]:
        """See :func:`schemadiff.backends.postgresql.domains.settle_domains` (rolled back)."""
        from schemadiff.backends.postgresql.domains import settle_domains

        return settle_domains(conn, domains)

    # --- types ---------------------------------------------------------------------------

    def settle_views(self, conn: Connection, views: Sequence[View]) -> dict[TableKey, str | None]:
        """See :func:`schemadiff.backends.postgresql.views.settle_views` (rolled back)."""
        from schemadiff.backends.postgresql.views import settle_views

        return settle_views(conn, views)

    def view_rewrite_context(self, conn: Connection) -> str | None:
        """See :func:`schemadiff.backends.postgresql.views.rewrite_context`."""
        from schemadiff.backends.postgresql.views import rewrite_context

        return rewrite_context(conn)

    def declaration_syntax_errors(
        self,
        conn: Connection,
        policies: Sequence[Policy],
        partitions: Sequence[Partition],
        domains: Sequence[Domain] = (),
    ) -> dict[tuple[str, Any], str]:
        """See :func:`schemadiff.backends.postgresql.views.declaration_syntax_errors`."""
        from schemadiff.backends.postgresql.views import declaration_syntax_errors

        return declaration_syntax_errors(conn, policies, partitions, domains)

    def view_syntax_errors(self, conn: Connection, views: Sequence[View]) -> dict[TableKey, str]:
        """See :func:`schemadiff.backends.postgresql.views.view_syntax_errors` (rolled back)."""
        from schemadiff.backends.postgresql.views import view_syntax_errors

        return view_syntax_errors(conn, views)

    def index_kwargs(self, index: Index) -> tuple[tuple[str, object], ...]:
        out: list[tuple[str, object]] = []
        if index.where:
            out.append(("postgresql_where", SqlText(index.raw_where or index.where)))
        if index.using:
            out.append(("postgresql_using", index.using))
        if index.include:
            out.append(("postgresql_include", list(index.include)))
        opclasses = {e.expr: e.opclass for e in index.elements if e.opclass and e.is_plain_column}
        if opclasses:
            out.append(("postgresql_ops", opclasses))
        if index.nulls_not_distinct:
            out.append(("postgresql_nulls_not_distinct", True))
        return tuple(out)

    def unique_kwargs(self, unique: UniqueConstraint) -> tuple[tuple[str, object], ...]:
        return (("postgresql_nulls_not_distinct", True),) if unique.nulls_not_distinct else ()

    def rename_table_sql(
        self, schema: str | None, old: str, new: str, serial_columns: Sequence[str]
    ) -> tuple[str, ...]:
        """SERIAL sequences follow their table's new name (``<table>_<column>_seq``)."""
        prefix = quote_ident(schema) + "." if schema else ""
        out = []
        for col in serial_columns:
            old_seq = quote_ident(f"{old}_{col}_seq"[:63])
            new_seq = quote_ident(f"{new}_{col}_seq"[:63])
            out.append(f"ALTER SEQUENCE IF EXISTS {prefix}{old_seq} RENAME TO {new_seq}")
        return tuple(out)

    scratch_server: ClassVar[bool] = True
    admin_database: ClassVar[str | None] = "postgres"

    def drop_database_sql(self, name: str) -> str:
        return f"DROP DATABASE IF EXISTS {self.quote_identifier(name)} WITH (FORCE)"

    read_only_session_sql: ClassVar[str | None] = (
        "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
    )

    def read_only(self, conn: Connection) -> AbstractContextManager[None]:
        from schemadiff.backends.readonly import read_only_transaction

        return read_only_transaction(conn, "SET TRANSACTION READ ONLY")

    def trace_objects(self, conn: Connection) -> set[DbObject]:
        from schemadiff.backends.postgresql.trace import trace_objects

        return trace_objects(conn)

    @contextmanager
    def migration_lock(
        self, conn: Connection, key: str, timeout: float, on_wait: Callable[[], None]
    ) -> Iterator[None]:
        """A session-level ``pg_advisory_lock`` on a number derived from ``key`` (the lock
        outlives the per-revision transactions; closing the session frees it too)."""
        number = _advisory_key(key)
        wait_for(lambda: bool(conn.execute(_TRY_LOCK, {"k": number}).scalar()), timeout, on_wait)
        conn.commit()
        try:
            yield
        finally:
            release_lock(conn, "SELECT pg_advisory_unlock(:k)", {"k": number})

    def canonical_type(self, text: str) -> ColumnType:
        """Canonical type from catalog text (``character varying(50)``, ``integer[]``) or
        from SQLAlchemy's PostgreSQL compiler (``VARCHAR(50)``, ``TIMESTAMP WITH TIME ZONE``)."""
        raw = _COLLATE.sub("", _WS.sub(" ", text.strip().lower()))
        array = _ARRAY_SUFFIX.search(raw) is not None
        raw = _ARRAY_SUFFIX.sub("", raw).strip()
        sql = _scalar_type(raw, self.type_aliases, super().canonical_type)
        return ColumnType(sql=sql + ("[]" if array else ""))

    def column_type(
        self, type_: sa.types.TypeEngine, dialect: Dialect, enum_schema: EnumSchemaOf
    ) -> ColumnType:
        """Canonical type of a SQLAlchemy type (a model's or a reflected one) on PostgreSQL.

        Named enums become ``enum(name)`` / ``enum(schema.name)``; arrays ``<item>[]``;
        collation is not part of the type (it is compared as ``Column.collation``).
        """
        impl = resolve_type(type_, dialect)

        def compute() -> ColumnType:
            python, imports = python_type_hint(type_)
            return ColumnType(self._type_sql(impl, dialect, enum_schema), python, imports)

        if isinstance(impl, sa.Enum | sa.ARRAY):  # the enum schema resolver decides: no memo
            return compute()
        return memoized(("column_type", self, *dialect_key(dialect)), type_key(type_), compute)

    def _type_sql(
        self, impl: sa.types.TypeEngine, dialect: Dialect, enum_schema: EnumSchemaOf
    ) -> str:
        if isinstance(impl, sa.Enum) and impl.native_enum and impl.name:
            schema = enum_schema(impl.schema, str(impl.name))
            return f"enum({schema + '.' if schema else ''}{impl.name})"
        if isinstance(impl, sa.ARRAY):
            item = sa.types.to_instance(impl.item_type)
            inner = self._type_sql(resolve_type(item, dialect), dialect, enum_schema)
            return inner + "[]"
        if getattr(impl, "collation", None):
            impl = copy.copy(impl)
            impl.collation = None  # type: ignore[attr-defined]
        return self.canonical_type(dialect.type_compiler_instance.process(impl)).sql

    def stored_identifier(self, name: str, dialect: Dialect | None = None) -> str:
        """Cut to the server's identifier limit in bytes (see :mod:`.postgresql_names`)."""
        return clip_identifier(name, name_limit(dialect))

    def identifier_problem(
        self, kind: str, name: str, dialect: Dialect | None = None
    ) -> str | None:
        return truncation_warning(kind, name, name_limit(dialect))

    def metadata_type(self, type_: sa.types.TypeEngine, dialect: Dialect) -> ColumnType:
        default = getattr(dialect, "default_schema_name", None) or _FALLBACK_SCHEMA
        return self.column_type(type_, dialect, lambda s, _n: None if s == default else s)

    def creates_autoincrement(self, column: sa.Column, dialect: Dialect) -> bool:
        """SERIAL only for a column without a Python-side default (an optional ``Sequence``
        aside), as SQLAlchemy's PostgreSQL DDL compiler decides."""
        default = column.default
        return default is None or (isinstance(default, sa.Sequence) and bool(default.optional))

    def metadata_enums(
        self, metadata: sa.MetaData, dialect: Dialect, schema_of: object
    ) -> tuple[Enum, ...]:
        """Named enum types ``create_all`` makes (or that the model's columns need), deduplicated
        by (schema, name), values in declared order."""
        assert callable(schema_of)
        found: dict[tuple[str | None, str], Enum] = {}
        for type_ in _metadata_types(metadata, dialect):
            if isinstance(type_, sa.Enum) and type_.native_enum and type_.name:
                enum = Enum(str(type_.name), tuple(type_.enums), schema_of(type_.schema))
                found.setdefault(enum.key, enum)
        return tuple(sorted(found.values(), key=lambda e: (e.schema or "", e.name)))

    # --- defaults and expressions ----------------------------------------------------------

    @staticmethod
    def nextval_sequence(default: str | None) -> str | None:
        """The (unqualified) sequence name of a ``nextval('...')`` default, else None."""
        match = _NEXTVAL.match(default.strip()) if default else None
        return match.group(1).rsplit(".", 1)[-1].strip('"') if match else None

    def serial_sequence(
        self, default: str | None, table: str, column: str, owned: str | None = None
    ) -> bool:
        """True when ``default`` is SERIAL's ``nextval``: of the sequence the column owns
        (``owned``, from the catalog; it keeps its name when the table is renamed) or of one
        named the way SERIAL names it (``<table>_<column>_seq``, maybe truncated to 63 bytes)."""
        seq = self.nextval_sequence(default)
        if seq is None:
            return False
        expected = f"{table}_{column}_seq"
        return seq in (owned, expected) or (len(expected) > 63 and seq.endswith("_seq"))

    # --- type changes ------------------------------------------------------------------------

    def type_change(
        self, schema: str | None, table: str, column: str, old: str, new: str
    ) -> TypeChange:
        """Never a cast that can lose data: ``USING`` only where PostgreSQL has no assignment
        cast, and a guard before every change that is not a widening (see
        :mod:`schemadiff.backends.postgresql.casts`)."""
        plan = plan_type_change(schema, table, column, old, new)
        kwargs = (("postgresql_using", plan.using),) if plan.using else ()
        note = None
        if plan.guard is not None:
            note = f"narrowing: fails, converting nothing, if a value does not fit {new} unchanged"
        return TypeChange(kwargs, plan.guard, note)

    def autoincrement_sql(
        self, schema: str | None, table: str, column: Column, add: bool
    ) -> tuple[str, ...] | None:
        """SERIAL's sequence and ``nextval`` default (see
        :mod:`schemadiff.backends.postgresql.serial`)."""
        if add:
            return add_serial(schema, table, column.name, column.type.sql)
        return drop_serial(schema, table, column.name)

    # --- identity and index details -----------------------------------------------------------

    @staticmethod
    def canonical_identity(
        always: bool,
        start: int | None,
        increment: int | None,
        minvalue: int | None = None,
        maxvalue: int | None = None,
        cycle: bool | None = None,
        type_sql: str = "integer",
    ) -> Identity:
        """What PostgreSQL fills in when an option is not given (``START 1 INCREMENT 1``, the
        type's range...) is stored as None (see :mod:`schemadiff.backends.postgresql.identity`)."""
        return canonical_identity(type_sql, always, start, increment, minvalue, maxvalue, cycle)

    def identity_options(self, identity: Identity, type_sql: str) -> dict[str, object]:
        return resolved(identity, type_sql)

    @staticmethod
    def canonical_fk_timing(
        deferrable: bool | None, initially: str | None
    ) -> tuple[bool | None, str | None]:
        """``INITIALLY DEFERRED`` implies DEFERRABLE; NOT DEFERRABLE / INITIALLY IMMEDIATE are the
        defaults and stored as None."""
        timing = initially.upper() if initially else None
        timing = None if timing == "IMMEDIATE" else timing
        return (True if deferrable or timing else None), timing

    @staticmethod
    def canonical_nulls(descending: bool, nulls: str | None) -> str | None:
        """NULLS LAST is the default for ASC, NULLS FIRST for DESC: only a non-default is kept."""
        default = "first" if descending else "last"
        return None if nulls == default else nulls

    @staticmethod
    def canonical_using(using: str | None) -> str | None:
        return None if using is None or using.lower() == "btree" else using.lower()

    # --- metadata-side adjustments ----------------------------------------------------------

    def adjust_metadata_table(self, table: Table) -> Table:
        """Mirror what PostgreSQL does implicitly: SERIAL defaults, identity start/increment
        defaults, NOT NULL identity columns, STORED generated columns, index elements that
        cast a column to its own type."""
        columns = tuple(self._adjust_column(table, c) for c in table.columns)
        fks = tuple(self._adjust_fk(fk) for fk in table.foreign_keys)
        indexes = tuple(self._adjust_index_casts(table, ix) for ix in table.indexes)
        if (
            _same_items(columns, table.columns)
            and _same_items(fks, table.foreign_keys)
            and _same_items(indexes, table.indexes)
        ):
            return table
        return replace(table, columns=columns, foreign_keys=fks, indexes=indexes)

    def _adjust_index_casts(self, table: Table, index: Index) -> Index:
        """``CAST(z AS INTEGER)`` of an integer column ``z`` is ``z``: PostgreSQL drops a cast
        to the type the value already has, and indexes the column."""
        if not any(e.is_expression for e in index.elements):
            return index
        elements = tuple(self._uncast_element(table, e) for e in index.elements)
        return index if _same_items(elements, index.elements) else replace(index, elements=elements)

    def _uncast_element(self, table: Table, element: IndexElement) -> IndexElement:
        cast = _CAST_OF_COLUMN.match(element.expr) if element.is_expression else None
        column = table.column(cast.group(1)) if cast else None
        if cast is None or column is None:
            return element
        if self.canonical_type(cast.group(2)).sql != column.type.sql:
            return element
        return replace(element, expr=column.name, is_expression=False, raw=None)

    def _adjust_fk(self, fk: ForeignKey) -> ForeignKey:
        deferrable, initially = self.canonical_fk_timing(fk.deferrable, fk.initially)
        if deferrable == fk.deferrable and initially == fk.initially:
            return fk
        return replace(fk, deferrable=deferrable, initially=initially)

    def _adjust_column(self, table: Table, col: Column) -> Column:
        if col.identity is not None:
            ident = col.identity
            col = replace(
                col,
                identity=self.canonical_identity(
                    ident.always,
                    ident.start,
                    ident.increment,
                    ident.minvalue,
                    ident.maxvalue,
                    ident.cycle,
                    col.type.sql,
                ),
                nullable=False,
                autoincrement=False,
            )
        if col.computed is not None and col.computed.persisted is None:
            col = replace(col, computed=replace(col.computed, persisted=True))
        if self.serial_sequence(col.raw_default, table.name, col.name):
            col = replace(col, server_default=None, autoincrement=True)
        return col

    def adjust_metadata_index(self, index: Index, source: sa.Index) -> Index:
        """Default ``using`` and NULLS order dropped (PostgreSQL does not report them);
        ``postgresql_nulls_not_distinct``."""
        if _nulls_not_distinct(source):
            index = replace(index, nulls_not_distinct=True)
        if index.using is None and all(el.nulls is None for el in index.elements):
            return index  # default order and method: the common case
        elements = []
        for el in index.elements:
            nulls = self.canonical_nulls(el.descending, el.nulls)
            elements.append(el if nulls == el.nulls else replace(el, nulls=nulls))
        using = self.canonical_using(index.using)
        if using == index.using and _same_items(elements, index.elements):
            return index  # nothing to adjust (the common case: no copy)
        return replace(index, elements=tuple(elements), using=using)

    def adjust_metadata_unique(
        self, unique: UniqueConstraint, source: sa.UniqueConstraint
    ) -> UniqueConstraint:
        """``postgresql_nulls_not_distinct`` (PostgreSQL 15)."""
        if _nulls_not_distinct(source):
            return replace(unique, nulls_not_distinct=True)
        return unique

    def split_index_opclass(self, text: str) -> tuple[str, str | None]:
        """``aa array_ops`` / ``(jb->'x')jsonb_path_ops``: a name after the expression is its
        operator class (PostgreSQL's grammar has no other use for it; sqlglot reads it as an
        alias, which is how it is recognized)."""
        trailing = _TRAILING_NAME.match(text)
        if trailing is None:
            return text, None
        expr, name = trailing.group(1).strip(), trailing.group(2).lower()
        if not self.canonical_index_expression(text).endswith(f" AS {name}"):
            return text, None
        return expr, name

    def index_element(
        self, expr: str, is_expression: bool, sorting: tuple[str, ...], opclass: str | None
    ) -> IndexElement:
        """An element from the inspector's ``column_sorting`` flags (``desc``, ``nulls_first``,
        ``nulls_last``) and ``postgresql_ops``."""
        descending = "desc" in sorting
        nulls = "first" if "nulls_first" in sorting else "last" if "nulls_last" in sorting else None
        text = self.canonical_index_expression(expr) if is_expression else expr
        nulls = self.canonical_nulls(descending, nulls)
        raw = expr if is_expression else None
        return IndexElement(text, is_expression, descending, nulls, opclass, raw)


def _nulls_not_distinct(source: sa.Index | sa.UniqueConstraint) -> bool:
    pg = own_options(source, "postgresql")
    return pg is not None and pg.get("nulls_not_distinct") is True


def _same_items(new: Sequence[object], old: Sequence[object]) -> bool:
    """The same objects (not merely equal: hint fields are outside equality)."""
    return len(new) == len(old) and all(a is b for a, b in zip(new, old, strict=True))


def _scalar_type(raw: str, aliases: dict[str, str], generic: Callable[[str], ColumnType]) -> str:
    """Canonical spelling of one (non-array) type."""
    if m := _DATETIME.match(raw):
        kind, precision, zone = m.groups()
        base = kind + ("tz" if zone == "with" else "")
        return base + (f"({precision})" if precision else "")
    if m := _INTERVAL.match(raw):
        precision = m.group(1) or m.group(3)
        fields = m.group(2).strip()
        return (
            "interval" + (f" {fields}" if fields else "") + (f"({precision})" if precision else "")
        )
    if m := _FLOAT.match(raw):
        bits = m.group(1)
        return "real" if bits is not None and int(bits) <= 24 else "double"
    sql = generic(raw).sql
    base, _, args = sql.partition("(")
    base = aliases.get(base, base)
    if base == "numeric" and args and "," not in args:
        return f"numeric({args.rstrip(')')},0)"
    if base == "char" and not args:
        return "char(1)"
    return base + (f"({args}" if args else "")


def resolve_type(type_: sa.types.TypeEngine, dialect: Dialect) -> sa.types.TypeEngine:
    """The type as PostgreSQL's DDL compiler sees it: variant for this dialect picked,
    ``TypeDecorator`` unwrapped, emulated types (``Interval``) turned native. Not
    ``dialect_impl`` for everything: that turns ``REAL`` into a ``FLOAT`` result type."""
    for _ in range(16):
        type_ = type_._variant_mapping.get(dialect.name, type_)
        if not isinstance(type_, sa.types.TypeDecorator):
            break
        if isinstance(type_, Emulated):
            return type_.dialect_impl(dialect)
        type_ = sa.types.to_instance(type_.load_dialect_impl(dialect))
    return type_


def _metadata_types(metadata: sa.MetaData, dialect: Dialect) -> Iterator[sa.types.TypeEngine]:
    """Every column type of the metadata (array items too), dialect implementations, plus the
    schema types SQLAlchemy 2.1 registers on the MetaData itself."""
    pending = deque(c.type for t in metadata.tables.values() for c in t.c)
    pending.extend(o for o in getattr(metadata, "_objects", ()) if isinstance(o, sa.Enum))
    while pending:
        impl = resolve_type(pending.popleft(), dialect)
        if isinstance(impl, sa.ARRAY):
            pending.append(sa.types.to_instance(impl.item_type))
        yield impl


_TRY_LOCK = sa.text("SELECT pg_try_advisory_lock(:k)")


def _advisory_key(key: str) -> int:
    """A signed 64-bit advisory-lock number for ``key`` (stable across runs and machines)."""
    digest = hashlib.sha256(f"schemadiff migration lock {key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)
