"""The normalized, immutable schema model that every source produces and every comparator reads.

Sources (live database, SQLAlchemy metadata, snapshot file) all build these frozen dataclasses, and
all dialect quirks are removed before a value lands here: types are canonical lowercase SQL
(``varchar(50)``, ``integer``, ``timestamp``), SQL text (defaults, checks, predicates, index
and computed expressions) is canonical text from :mod:`schemadiff.canonical.sqlexpr`. Comparators
therefore compare plain values and never need to know which backend a snapshot came from.

Names: ``schema`` is ``None`` for the connection's default schema, so a model without
``schema=`` and a reflected table in ``public`` share a key. Constraint names are ``None`` when
the source had no name (metadata without a naming convention, SQLite's anonymous constraints);
comparators then match by structure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from schemadiff.snapshot.entities import EntitySource
from schemadiff.snapshot.grants import Privilege, RelationOwner, RoleState
from schemadiff.snapshot.partitions import Partition, PartitionKey
from schemadiff.snapshot.policies import Policy, RowSecurity
from schemadiff.snapshot.routines import Function, Trigger
from schemadiff.snapshot.table_partitioning import TablePartitioning

TableKey = tuple[str | None, str]


@dataclass(frozen=True)
class ColumnType:
    """A column type.

    ``sql`` is the canonical form compared for equality (``varchar(50)``, ``numeric(10,2)``,
    ``enum(mood)`` for a named PostgreSQL enum, ``enum('a','b')`` for MySQL inline enums).
    ``python`` is how a renderer writes the type in a script (``sa.String(length=50)``) and
    ``imports`` the import lines that expression needs; both are hints and never compared.
    Hint fields (``compare=False``) never take part in equality. ``known`` is False when
    the source could not understand the type (an unknown server-side type): such columns are
    reported as "not compared", never silently equal. ``storage`` is how the backend stores
    values of the type when that is coarser than the type itself (SQLite's type affinity: FLOAT,
    DOUBLE and REAL are all ``real``); two types with the same storage hold every value alike.
    """

    sql: str
    python: str | None = field(default=None, compare=False)
    imports: tuple[str, ...] = field(default=(), compare=False)
    known: bool = True
    storage: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Identity:
    """An identity column (``GENERATED {ALWAYS|BY DEFAULT} AS IDENTITY``); an option is None
    when it has the backend's default value."""

    always: bool = False
    start: int | None = None
    increment: int | None = None
    minvalue: int | None = None
    maxvalue: int | None = None
    cycle: bool = False


@dataclass(frozen=True)
class Computed:
    """A generated column; ``sqltext`` is canonical SQL, ``persisted`` None: backend default."""

    sqltext: str
    persisted: bool | None = None
    raw: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Column:
    """A table column. ``server_default`` is canonical SQL text or None.

    ``autoincrement`` records that the column takes its value from a sequence / AUTO_INCREMENT /
    SERIAL (a backend implementation detail that is never a diff by itself).
    ``renamed_from`` is a rename hint read from ``Column.info`` (metadata side only).
    ``raw_default`` keeps the source's own default text for rendering and messages.
    ``collation`` None is the default one (the type's, or on MySQL the table's).
    """

    name: str
    type: ColumnType
    nullable: bool = True
    server_default: str | None = None
    comment: str | None = None
    identity: Identity | None = None
    computed: Computed | None = None
    collation: str | None = None
    autoincrement: bool = False
    renamed_from: str | None = None
    raw_default: str | None = field(default=None, compare=False)
    #: MySQL/MariaDB, database side: the column's character set even where ``collation`` is
    #: None (the table's); models that name only a character set are compared against it
    charset: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PrimaryKey:
    columns: tuple[str, ...]
    name: str | None = None


@dataclass(frozen=True)
class UniqueConstraint:
    """``nulls_not_distinct``: PostgreSQL 15's ``NULLS NOT DISTINCT`` (NULLs collide)."""

    columns: tuple[str, ...]
    name: str | None = None
    nulls_not_distinct: bool = False


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key. ``ondelete``/``onupdate`` are upper case; ``NO ACTION`` is stored as None
    (it is every backend's default); ``referred_schema`` None means the default schema."""

    columns: tuple[str, ...]
    referred_schema: str | None
    referred_table: str
    referred_columns: tuple[str, ...]
    name: str | None = None
    ondelete: str | None = None
    onupdate: str | None = None
    deferrable: bool | None = None
    initially: str | None = None
    #: MySQL/MariaDB: the index the server created for this key (hidden from comparison; it must
    #: be dropped with the key, since the server keeps it when the key goes)
    implied_index: str | None = field(default=None, compare=False)

    @property
    def referred_key(self) -> TableKey:
        return (self.referred_schema, self.referred_table)


@dataclass(frozen=True)
class CheckConstraint:
    """``sqltext`` is canonical (compared); ``raw`` is the source's own SQL (for rendering)."""

    sqltext: str
    name: str | None = None
    raw: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class IndexElement:
    """One element of an index: a column name, or canonical SQL text when ``is_expression``.

    ``descending`` / ``nulls`` ("first"/"last"/None) give the sort order, ``opclass`` the PostgreSQL
    operator class (None for the type's default), ``length`` a MySQL prefix length (``col(10)``).
    ``default_opclass`` (reflected side only, not compared) names the default operator class the
    database uses, so that a model naming it explicitly (``aa array_ops``) is not a change.
    """

    expr: str
    is_expression: bool = False
    descending: bool = False
    nulls: str | None = None
    opclass: str | None = None
    raw: str | None = field(default=None, compare=False)
    length: int | None = None
    default_opclass: str | None = field(default=None, compare=False)

    @property
    def is_plain_column(self) -> bool:
        """A bare column in its natural order (an index can name it; anything else is text)."""
        return not (self.is_expression or self.descending or self.nulls)


@dataclass(frozen=True)
class Index:
    """An index. ``where`` is a canonical partial-index predicate; ``using`` the access method
    (None for the backend default, ``btree`` on PostgreSQL); ``include`` covering columns;
    ``nulls_not_distinct`` PostgreSQL 15's ``NULLS NOT DISTINCT`` on a unique index."""

    name: str
    elements: tuple[IndexElement, ...]
    unique: bool = False
    where: str | None = None
    using: str | None = None
    include: tuple[str, ...] = ()
    raw_where: str | None = field(default=None, compare=False)
    nulls_not_distinct: bool = False

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(e.expr for e in self.elements)


@dataclass(frozen=True)
class Table:
    """A table with everything that hangs off it; tuples are kept in a deterministic order
    (columns in table order, the rest sorted by name/columns)."""

    name: str
    schema: str | None = None
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    unique_constraints: tuple[UniqueConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    check_constraints: tuple[CheckConstraint, ...] = ()
    indexes: tuple[Index, ...] = ()
    comment: str | None = None
    renamed_from: str | None = None
    #: compared table options, as (SQLAlchemy table keyword, Python literal) sorted by keyword:
    #: ``(("sqlite_autoincrement", "True"),)``; the backends that have them fill them in
    options: tuple[tuple[str, str], ...] = ()

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)

    def column(self, name: str) -> Column | None:
        for col in self.columns:
            if col.name == name:
                return col
        return None


@dataclass(frozen=True)
class Enum:
    """A named enum type (PostgreSQL ``CREATE TYPE ... AS ENUM``); values in declared order."""

    name: str
    values: tuple[str, ...]
    schema: str | None = None

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)

    @property
    def column_type(self) -> str:
        """``ColumnType.sql`` of the columns of this type (``enum(schema.name)``)."""
        return f"enum({self.schema + '.' if self.schema else ''}{self.name})"


@dataclass(frozen=True)
class Sequence:
    """A standalone sequence (PostgreSQL, MariaDB 10.3+), every option filled in: the models'
    side gets the backend's defaults for what ``sa.Sequence`` leaves out, so both sides compare
    plain values. ``data_type`` is PostgreSQL's ``AS`` type (None where the backend has no choice);
    ``owned_by`` is PostgreSQL's ``OWNED BY`` column as ``table.column`` (same schema)."""

    name: str
    schema: str | None = None
    start: int = 1
    increment: int = 1
    minvalue: int = 1
    maxvalue: int = 9223372036854775807
    cycle: bool = False
    cache: int = 1
    data_type: str | None = None
    owned_by: str | None = None
    #: database side: SERIAL's own sequence (owned by a column whose default calls it), part of
    #: that column; compared only when the models declare a sequence of its name
    implicit: bool = field(default=False, compare=False)

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)


@dataclass(frozen=True)
class View:
    """A view. ``definition`` is the compared form of its query: canonical SQL
    (:func:`schemadiff.canonical.views.canonical_view_sql`) of the server's own spelling on the
    database side, of the declared text (or of the server's rewrite of it, see ``settled``) on
    the models' side. ``raw`` is the SELECT text a ``CREATE VIEW`` runs.

    ``reads`` are the relations (tables, views) the query reads, keyed like tables, or None
    when unknown (then every changed table is assumed read). ``settled`` (models' side): the
    definition is comparable with the database's (the server stores the text as written, or it
    was asked for its rewrite of ours); an unsettled definition that differs is "not compared".

    ``refused`` (models' side): the syntax error the server gives for the declared query.

    ``materialized``: a PostgreSQL materialized view (it holds rows: dropping it is
    destructive); ``with_data`` how the models create it; ``indexes`` the ``CREATE INDEX``
    statements of the database's indexes on it (not compared; created again with it).
    """

    name: str
    definition: str
    schema: str | None = None
    raw: str = field(default="", compare=False)
    reads: tuple[TableKey, ...] | None = field(default=(), compare=False)
    settled: bool = field(default=False, compare=False, metadata={"json": False})
    #: models' side: the server's syntax error for the declared query (the migration would fail)
    refused: str | None = field(default=None, compare=False, metadata={"json": False})
    materialized: bool = False
    with_data: bool = field(default=True, compare=False)
    indexes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def kind(self) -> str:
        return "materialized view" if self.materialized else "view"

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)


@dataclass(frozen=True)
class Extension:
    """A PostgreSQL extension (database-wide, keyed by name). ``schema`` is where its objects
    live (None: the default schema); ``version`` the installed one on the database side, the
    pinned one on the models' side (None: any version will do, not compared)."""

    name: str
    schema: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class DomainCheck:
    """A CHECK constraint of a domain: ``definition`` is ``CHECK (...)`` in the server's
    spelling (``pg_get_constraintdef``), compared; its name is not (PostgreSQL names them
    ``<domain>_check``, ``<domain>_check1``...), but kept to drop it."""

    definition: str
    name: str = field(default="", compare=False)


@dataclass(frozen=True)
class Domain:
    """A PostgreSQL domain. ``data_type`` is the base type (``format_type``), ``default`` the
    default expression, ``checks`` sorted by definition, all in the server's spelling (the
    models' are settled by asking it, see ``settled``)."""

    name: str
    data_type: str
    schema: str | None = None
    not_null: bool = False
    default: str | None = None
    checks: tuple[DomainCheck, ...] = ()
    #: models' side: the server's spelling of the declared domain is known (or it is the
    #: database's own); one unsettled that differs is "not compared"
    settled: bool = field(default=True, compare=False, metadata={"json": False})
    #: models' side: the server's syntax error for the declared domain (the migration fails)
    refused: str | None = field(default=None, compare=False, metadata={"json": False})

    @property
    def key(self) -> TableKey:
        return (self.schema, self.name)

    def describe(self) -> str:
        return f"domain {self.schema}.{self.name}" if self.schema else f"domain {self.name}"


@dataclass(frozen=True)
class LeftAlone:
    """Database objects of ``kind`` (``"view"``, materialized ones too, ``"function"``,
    ``"procedure"``, ``"trigger"``) the models leave alone although they declare others of
    that kind: every one they do not declare (``unspecified``), those an ``ignore`` glob
    matches, those no ``include`` glob matches (None: no include list). A declared object is
    always compared. Globs match the name and ``schema.name`` (the default schema's name for
    the default schema's objects). From sqlalchemy-declarative-extensions' collection options
    (``ignore_unspecified``, ``ignore``, ``include``)."""

    kind: str
    ignore: tuple[str, ...] = ()
    include: tuple[str, ...] | None = None
    unspecified: bool = False

    def leaves(self, name: str, schema: str | None, default_schema: str | None) -> bool:
        """Whether the database's undeclared object ``schema.name`` is left alone."""
        if self.unspecified:
            return True
        owner = schema or default_schema
        names = (name, f"{owner}.{name}") if owner else (name,)
        if any(fnmatchcase(n, glob) for glob in self.ignore for n in names):
            return True
        return self.include is not None and not any(
            fnmatchcase(n, glob) for glob in self.include for n in names
        )


@dataclass(frozen=True)
class DbObject:
    """An object the database holds that no comparator covers (a view, a trigger, a function,
    a partition...): listed in every report as "not compared", never silently equal.

    ``kind`` is what a user calls it (``"view"``, ``"materialized view"``, ``"partition"``);
    ``table`` is the table it hangs off (a trigger's, a policy's, a partition's parent), or for
    a table option (``"partitioning"``) the table itself. Also used by ``verify``'s catalog trace.
    """

    kind: str
    name: str
    schema: str | None = None
    table: str | None = None
    #: the CREATE statement, where the source reads it (SQLite's views and triggers: a table
    #: rebuild's offline SQL creates them again); not compared, not in a saved snapshot
    definition: str | None = field(default=None, compare=False, metadata={"json": False})

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.schema or "", self.kind, self.name, self.table or "")

    def describe(self) -> str:
        name = f"{self.schema}.{self.name}" if self.schema else self.name
        on = f" on {self.table}" if self.table and self.kind in ("index", "trigger") else ""
        return f"{self.kind} {name}{on}"


@dataclass(frozen=True)
class SourceWarning:
    """A warning a source found, and the table it is about (its key in the snapshot)."""

    message: str
    schema: str | None = None
    table: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """A whole schema as one source sees it.

    ``schemas`` lists the non-default schemas covered (None-keyed objects belong to
    ``default_schema``). ``not_compared`` holds human-readable notes about what this source could
    not see, carried into every report. ``uncompared`` lists the database's objects of kinds
    no comparator covers (views, triggers, routines...), sorted; reports count them by kind.
    """

    dialect: str
    default_schema: str | None = None
    schemas: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    enums: tuple[Enum, ...] = ()
    #: standalone sequences, where the backend compares them (``features`` has ``sequences``)
    sequences: tuple[Sequence, ...] = ()
    views: tuple[View, ...] = ()
    not_compared: tuple[str, ...] = ()
    server_version: str | None = None
    uncompared: tuple[DbObject, ...] = ()
    #: PostgreSQL functions and procedures, sorted by key
    functions: tuple[Function, ...] = ()
    #: triggers, sorted by key
    triggers: tuple[Trigger, ...] = ()
    #: PostgreSQL extensions (never plpgsql), sorted by name
    extensions: tuple[Extension, ...] = ()
    #: PostgreSQL domains, sorted by key
    domains: tuple[Domain, ...] = ()
    #: PostgreSQL row-level security policies, sorted by key
    policies: tuple[Policy, ...] = ()
    #: tables with row-level security enabled or forced, sorted by key
    row_security: tuple[RowSecurity, ...] = ()
    #: MySQL / MariaDB: the partitioning of partitioned tables, sorted by key
    table_partitioning: tuple[TablePartitioning, ...] = ()
    #: PostgreSQL partitioned tables' keys (not those of partitions), sorted by key
    partition_keys: tuple[PartitionKey, ...] = ()
    #: PostgreSQL partitions, sorted by key
    partitions: tuple[Partition, ...] = ()
    #: PostgreSQL privileges on tables and views (not their owners'), sorted by key
    privileges: tuple[Privilege, ...] = ()
    #: database side: the owner of each table and view of the covered schemas, sorted by key
    relation_owners: tuple[RelationOwner, ...] = ()
    #: PostgreSQL roles (database side: the server's, but its own ``pg_*`` ones), by name
    roles: tuple[RoleState, ...] = ()
    #: (schema, table, name) of indexes and constraints whose presence the models leave open
    #: (a ``ddl_if`` callable that needs a live connection): neither side's is compared. Not
    #: part of a saved snapshot (only the models' side has any).
    undecided: tuple[tuple[str | None, str, str], ...] = field(
        default=(), compare=False, metadata={"json": False}
    )
    #: what the models ask for that the server will not keep as written (a name PostgreSQL
    #: cuts, one MariaDB refuses): warnings for generation time. Models side only, not saved.
    warnings: tuple[SourceWarning, ...] = field(default=(), compare=False, metadata={"json": False})
    #: database objects the models leave alone although they declare others of their kind
    #: (:class:`LeftAlone`): listed as not compared, never dropped. Models side only, not saved.
    left_alone: tuple[LeftAlone, ...] = field(default=(), compare=False, metadata={"json": False})
    #: models side, a project that uses alembic_utils (an entity reached us): the entities that
    #: declare its objects (scripts render those with alembic_utils' operations); None: the
    #: project does not use alembic_utils. Not saved.
    entities: tuple[EntitySource, ...] | None = field(
        default=None, compare=False, metadata={"json": False}
    )

    def table_map(self) -> dict[TableKey, Table]:
        return {t.key: t for t in self.tables}

    def enum_map(self) -> dict[TableKey, Enum]:
        return {e.key: e for e in self.enums}

    def sequence_map(self) -> dict[TableKey, Sequence]:
        return {s.key: s for s in self.sequences}

    def view_map(self) -> dict[TableKey, View]:
        return {v.key: v for v in self.views}


def sort_tables(tables: list[Table] | tuple[Table, ...]) -> tuple[Table, ...]:
    """Deterministic table order: by schema (default first), then name."""
    return tuple(sorted(tables, key=lambda t: (t.schema or "", t.name)))
