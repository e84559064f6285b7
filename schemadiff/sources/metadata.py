"""Build a Snapshot from SQLAlchemy ``MetaData``, compiled for the target dialect.

Types, defaults and expressions are compiled by SQLAlchemy for the same backend the database runs
on, then put through that backend's :class:`~schemadiff.backends.base.DialectRules`, exactly like
the reflected side. Naming conventions are applied the way ``create_all`` applies them, and rename
hints are read from ``Table.info`` / ``Column.info`` (``{"renamed_from": "old_name"}``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from functools import partial

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql.elements import False_, Null, TextClause, True_, _truncated_label
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.schema import (
    CheckConstraint as SACheck,
)
from sqlalchemy.sql.schema import DefaultClause
from sqlalchemy.sql.schema import (
    ForeignKeyConstraint as SAForeignKey,
)
from sqlalchemy.sql.schema import (
    UniqueConstraint as SAUnique,
)

from schemadiff.backends.base import DialectRules, own_options, type_key
from schemadiff.backends.registry import rules_for
from schemadiff.objects.declarative_extensions import (
    attach_declarative_extensions,
    declared_schema_names,
    declext_notes,
    left_alone,
)
from schemadiff.perf import without_gc
from schemadiff.snapshot.model import (
    CheckConstraint,
    Column,
    Computed,
    ForeignKey,
    Identity,
    Index,
    IndexElement,
    PrimaryKey,
    Snapshot,
    Table,
    UniqueConstraint,
    sort_tables,
)
from schemadiff.sources.domains import metadata_domains
from schemadiff.sources.entities import metadata_entities
from schemadiff.sources.extensions import metadata_extensions
from schemadiff.sources.grants import grant_notes, metadata_privileges, metadata_roles
from schemadiff.sources.listeners import listener_notes
from schemadiff.sources.partitions import metadata_partition_keys, metadata_partitions
from schemadiff.sources.policies import metadata_policies, metadata_row_security
from schemadiff.sources.routines import metadata_functions, metadata_triggers
from schemadiff.sources.sequences import model_sequences
from schemadiff.sources.stored_names import store_names
from schemadiff.sources.views import entity_notes, metadata_views


@without_gc
def inspect_metadata(
    metadata: sa.MetaData,
    dialect: Dialect,
    default_schema: str | None = None,
) -> Snapshot:
    """Snapshot of ``metadata`` as ``create_all`` would build it on ``dialect``.

    ``default_schema`` is the database's default schema: tables that name it explicitly are keyed
    as ``schema=None``, like the reflected side.
    """
    rules = rules_for(dialect.name)
    # sqlalchemy-declarative-extensions' declarations, read as ours (when the MetaData has any)
    attach_declarative_extensions(metadata, definer_by_default=rules.routines_definer_by_default)
    builder = _Builder(dialect, rules, default_schema)
    sorted_tables = metadata.sorted_tables
    tables = [builder.table(t) for t in sorted_tables]
    builder.not_compared.extend(listener_notes(metadata, sorted_tables, dialect.name))
    sequences = model_sequences(metadata, dialect, rules, builder.schema)
    schemas = sorted(
        {t.schema for t in tables if t.schema}
        | {s.schema for s in sequences if s.schema}
        | {n for n in declared_schema_names(metadata) if n != default_schema}
    )
    snapshot = Snapshot(
        dialect=rules.name,
        default_schema=default_schema,
        schemas=tuple(schemas),
        tables=sort_tables(tables),
        enums=rules.metadata_enums(metadata, dialect, builder.schema),
        sequences=sequences,
        views=metadata_views(metadata, dialect, rules, default_schema),
        not_compared=(
            *builder.not_compared,
            *entity_notes(metadata),
            *declext_notes(metadata),
            *grant_notes(metadata),
        ),
        undecided=tuple(builder.undecided),
        functions=metadata_functions(metadata, rules, default_schema),
        triggers=metadata_triggers(metadata, rules, default_schema),
        extensions=metadata_extensions(metadata, default_schema),
        domains=metadata_domains(metadata, default_schema),
        policies=metadata_policies(metadata, default_schema),
        row_security=metadata_row_security(metadata, default_schema),
        left_alone=left_alone(metadata),
        entities=metadata_entities(metadata, default_schema),
        table_partitioning=rules.metadata_table_partitioning(
            metadata, sorted_tables, builder.schema
        ),
        partition_keys=metadata_partition_keys(metadata, rules, default_schema),
        partitions=metadata_partitions(metadata, rules, default_schema),
        privileges=metadata_privileges(metadata, default_schema),
        roles=metadata_roles(metadata),
    )
    # last: every name as the server will store it (PostgreSQL cuts long ones), with warnings
    return store_names(rules.adjust_metadata_snapshot(snapshot), rules, dialect)


class _Builder:
    def __init__(self, dialect: Dialect, rules: DialectRules, default_schema: str | None):
        self.dialect = dialect
        self.rules = rules
        self.default_schema = default_schema
        self.ddl = dialect.ddl_compiler(dialect, None)  # type: ignore[arg-type]
        self.preparer = self.ddl.preparer
        #: no constraint or index name this long is truncated (nor rejected) by the dialect
        self.short_name = min(
            dialect.max_identifier_length,
            dialect.max_index_name_length or dialect.max_identifier_length,
            dialect.max_constraint_name_length or dialect.max_identifier_length,
        )
        #: columns by :func:`_column_key`: models repeat the same few dozen column definitions
        #: (``id``, ``created_at``, ``name String(100)``) across thousands of tables
        self.known_columns: dict[Hashable, Column] = {}
        #: compiled SQL of plain ``text()`` clauses (no bound parameters) by their text
        self.known_texts: dict[str, str] = {}
        #: notes on objects whose ``ddl_if`` cannot be evaluated without a live connection
        self.not_compared: list[str] = []
        #: (schema, table, name) of those objects (see ``Snapshot.undecided``)
        self.undecided: list[tuple[str | None, str, str]] = []

    def schema(self, name: str | None) -> str | None:
        return None if name == self.default_schema else name

    def compile(self, clause: sa.ClauseElement | str) -> str:
        if isinstance(clause, str):
            return clause
        if type(clause) is TextClause and not clause._bindparams:
            # its SQL is a function of its text alone (``\\:`` unescaped, ``%`` doubled for
            # some drivers): compiled once per distinct text, not once per table
            known = self.known_texts.get(clause.text)
            if known is None:
                known = self.known_texts[clause.text] = self._compile(clause)
            return known
        return self._compile(clause)

    def _compile(self, clause: sa.ClauseElement) -> str:
        return str(
            # include_table=False: DDL never qualifies columns (``CHECK (age >= 0)``)
            clause.compile(
                dialect=self.dialect,
                compile_kwargs={"literal_binds": True, "include_table": False},
            )
        )

    def constraint_name(self, constraint: sa.Constraint | sa.Index) -> str | None:
        name = constraint.name
        if name is None:
            return None
        if isinstance(name, str) and len(name) <= self.short_name:
            # what SQLAlchemy returns for a name it need not truncate: a plain, quoted or
            # convention-made (``conv``) name as it is (not-yet-named constraints are no str)
            return str(name)
        if isinstance(name, str) and not isinstance(name, _truncated_label):
            # a long name the model spells out: SQLAlchemy would raise IdentifierError here
            # (and in create_all); kept as written, :func:`store_names` makes it the name the
            # server stores or warns that the server refuses it
            return str(name)
        name = self.preparer.format_constraint(constraint, _alembic_quote=False)
        return str(name) if name is not None else None

    def table(self, t: sa.Table) -> Table:
        autoincrement = t.autoincrement_column  # a property that searches: once per table
        if autoincrement is not None and not self.rules.creates_autoincrement(
            autoincrement, self.dialect
        ):
            autoincrement = None
        # a ``system=True`` column (PostgreSQL's ``xmin``) is the server's: never created
        columns = tuple(self.column(t, c, c is autoincrement) for c in t.columns if not c.system)
        pk = None
        if t.primary_key is not None and len(t.primary_key.columns) > 0:
            pk = PrimaryKey(
                columns=_pk_columns(t.primary_key), name=self.constraint_name(t.primary_key)
            )
        uniques, checks, fks = [], [], []
        # column-level CHECKs (``Column(..., CheckConstraint(...))``) live on the column only
        column_checks = [con for c in t.columns for con in c.constraints]
        for con in [*t.constraints, *column_checks]:
            # only what create_all emits here: a type's own CHECK (Boolean/Enum
            # create_constraint) is skipped on backends with native booleans/enums, ddl_if too
            if not self.created(con, t, partial(con._should_create_for_compiler, self.ddl)):
                continue
            if isinstance(con, SAUnique):
                unique = UniqueConstraint(
                    tuple(c.name for c in con.columns), self.constraint_name(con)
                )
                uniques.append(self.rules.adjust_metadata_unique(unique, con))
            elif isinstance(con, SACheck):
                raw = self.compile(con.sqltext)
                checks.append(
                    CheckConstraint(
                        self.rules.canonical_expression(raw), self.constraint_name(con), raw
                    )
                )
            elif isinstance(con, SAForeignKey):
                fks.append(self.foreign_key(con))
        indexes = [
            self.index(ix) for ix in t.indexes if ix._ddl_if is None or self.index_wanted(ix, t)
        ]
        table = Table(
            name=t.name,
            schema=self.schema(t.schema),
            columns=columns,
            primary_key=pk,
            unique_constraints=tuple(sorted(uniques, key=_unique_key)),
            foreign_keys=tuple(sorted(fks, key=_fk_key)),
            check_constraints=tuple(sorted(checks, key=lambda c: (c.name or "", c.sqltext))),
            indexes=tuple(sorted(indexes, key=lambda i: i.name)),
            comment=self.rules.canonical_comment(t.comment),
            renamed_from=t.info.get("renamed_from"),
        )
        return self.rules.adjust_metadata_table_options(self.rules.adjust_metadata_table(table), t)

    def index_wanted(self, ix: sa.Index, t: sa.Table) -> bool:
        """Whether ``create_all`` creates this ``ddl_if`` index on this dialect: it asks the
        condition with its connection (``CreateIndex`` runs on its own), we with none."""
        cond = ix._ddl_if
        assert cond is not None
        if isinstance(cond.dialect, str) and cond.dialect != self.dialect.name:
            return False
        if isinstance(cond.dialect, tuple | list | set) and self.dialect.name not in cond.dialect:
            return False
        if cond.callable_ is None:
            return True
        call = cond.callable_
        return self.created(
            ix,
            t,
            # the arguments create_all passes for a CREATE INDEX, with no connection (it passes
            # no ``checkfirst`` there either)
            lambda: call(  # type: ignore[call-arg]
                CreateIndex(ix), ix, None, state=cond.state, dialect=self.dialect, compiler=None
            ),
        )

    def created(self, item: sa.Constraint | sa.Index, t: sa.Table, ask: Callable[[], bool]) -> bool:
        """``ask()`` (a ``ddl_if`` condition); when it fails (it needs a live connection, say),
        the object is left out and listed as not compared."""
        try:
            return bool(ask())
        except Exception as exc:  # noqa: BLE001 - the user's callable: anything can go wrong
            kind = "index" if isinstance(item, sa.Index) else "constraint"
            name = self.constraint_name(item) or "(unnamed)"
            self.undecided.append((self.schema(t.schema), t.name, name))
            self.not_compared.append(
                f"{kind} {name} on {t.fullname}: its ddl_if(callable_=...) cannot be evaluated "
                f"without a database connection ({type(exc).__name__}: {exc})"
            )
            return False

    def column(self, t: sa.Table, c: sa.Column, is_autoincrement: bool) -> Column:
        key = _column_key(c, is_autoincrement)
        if key is None:
            return self.new_column(c, is_autoincrement)
        column = self.known_columns.get(key)
        if column is None:
            column = self.known_columns[key] = self.new_column(c, is_autoincrement)
        return column

    def new_column(self, c: sa.Column, is_autoincrement: bool) -> Column:
        ctype = self.rules.metadata_type(c.type, self.dialect)
        default_text = None
        if c.server_default is not None and not isinstance(
            c.server_default, sa.Computed | sa.Identity
        ):
            default_text = self.ddl.get_column_default_string(c)
        identity = None
        if isinstance(c.identity, sa.Identity):
            ident = c.identity
            identity = Identity(
                always=bool(ident.always),
                start=ident.start,
                increment=ident.increment,
                minvalue=None if ident.nominvalue else ident.minvalue,
                maxvalue=None if ident.nomaxvalue else ident.maxvalue,
                cycle=bool(ident.cycle),
            )
        computed = None
        if isinstance(c.computed, sa.Computed):
            raw = self.compile(c.computed.sqltext)
            computed = Computed(self.rules.canonical_expression(raw), c.computed.persisted, raw)
        autoinc = is_autoincrement and identity is None
        collation = getattr(c.type, "collation", None)
        return Column(
            name=c.name,
            type=ctype,
            nullable=bool(c.nullable),
            server_default=self.rules.typed_default(
                self.rules.canonical_default(default_text), ctype.sql
            ),
            comment=self.rules.canonical_comment(c.comment),
            identity=identity,
            computed=computed,
            collation=collation,
            autoincrement=autoinc,
            renamed_from=c.info.get("renamed_from"),
            raw_default=default_text,
        )

    def foreign_key(self, con: SAForeignKey) -> ForeignKey:
        ref = con.elements[0].column.table
        deferrable = con.deferrable if con.deferrable is not None else None
        return ForeignKey(
            columns=tuple(c.name for c in con.columns),
            referred_schema=self.schema(ref.schema),
            referred_table=ref.name,
            referred_columns=tuple(e.column.name for e in con.elements),
            name=self.constraint_name(con),
            ondelete=self.rules.canonical_fk_action(con.ondelete),
            onupdate=self.rules.canonical_fk_action(con.onupdate),
            deferrable=bool(deferrable) if deferrable else None,
            initially=con.initially.upper() if con.initially else None,
        )

    def index(self, ix: sa.Index) -> Index:
        own = own_options(ix, self.dialect.name)
        pg = own if self.rules.index_opclasses else None
        ops = pg.get("ops") if pg is not None else None
        elements = [
            self.index_element(sa.text(expr) if isinstance(expr, str) else expr, ops, ix.table)
            for expr in ix.expressions
        ]
        where = raw_where = None
        if own is not None and "partial_indexes" in self.rules.features:
            if own.get("where") is not None:  # a partial index
                raw_where = self.compile(own["where"])
                where = self.rules.canonical_expression(raw_where)
        using = None
        include: tuple[str, ...] = ()
        if pg is not None:
            using = pg.get("using")
            include = tuple(c if isinstance(c, str) else c.name for c in pg.get("include") or ())
        index = Index(
            name=str(self.constraint_name(ix) or ix.name),
            elements=tuple(elements),
            unique=bool(ix.unique),
            where=where,
            using=using.lower() if using else None,
            include=include,
            raw_where=raw_where,
        )
        return self.rules.adjust_metadata_index(index, ix)

    def index_element(
        self,
        expr: sa.ClauseElement,
        ops: dict[str, str] | None = None,
        table: sa.Table | None = None,
    ) -> IndexElement:
        """One element; ``ops``: PostgreSQL operator classes by column (or label) key.

        Text is read the way the backend reads it: a trailing ``ASC``/``DESC``/``NULLS ...``
        is the element's order, an operator class written after the expression (PostgreSQL's
        ``aa array_ops``) is its operator class, and text (or ``sa.column``) naming one of the
        table's columns is that column, as the backend reports it."""
        # as SQLAlchemy's DDL: the element's own key (a column's, a label's), so that
        # ``x.desc()`` takes no operator class from ``postgresql_ops``
        key = getattr(expr, "key", None)
        opclass = ops.get(key) if ops and isinstance(key, str) else None
        descending = False
        nulls = None
        inner: sa.ClauseElement = expr
        # unwrap .desc() / .nulls_last() modifiers
        while isinstance(inner, sa.sql.elements.UnaryExpression):
            mod = inner.modifier
            if mod is sa.sql.operators.desc_op:
                descending = True
            elif mod is sa.sql.operators.nulls_first_op:
                nulls = "first"
            elif mod is sa.sql.operators.nulls_last_op:
                nulls = "last"
            elif mod is not sa.sql.operators.asc_op:
                break
            inner = inner.element
        if isinstance(inner, sa.Column) or (
            isinstance(inner, sa.sql.elements.ColumnClause) and inner.table is not None
        ):
            return IndexElement(inner.name, False, descending, nulls, opclass)
        raw = self.compile(inner)
        if isinstance(inner, TextClause) or getattr(inner, "is_literal", False):
            order = _TEXT_ORDER.match(raw)
            if order is not None and (order.group(2) or order.group(3)):
                raw, direction, nulls_word = order.groups()
                descending = direction.lower() == "desc" if direction else descending
                nulls = nulls_word.lower() if nulls_word else nulls
            raw, written = self.rules.split_index_opclass(raw)
            opclass = written or opclass
        column = _column_named(raw, table)
        if column is not None:
            return IndexElement(column, False, descending, nulls, opclass)
        return IndexElement(
            self.rules.canonical_index_expression(raw), True, descending, nulls, opclass, raw
        )


def _pk_columns(pk: sa.PrimaryKeyConstraint) -> tuple[str, ...]:
    """The key's columns in the order ``create_all`` writes them: a key made from the columns'
    ``primary_key=True`` flags puts its autoincrement column first (``autoincrement=True`` on
    the second column of a composite key: MySQL needs it first)."""
    implicit = getattr(pk, "_implicit_generated", False)
    return tuple(c.name for c in (pk.columns_autoinc_first if implicit else pk.columns))


#: an element written as text with its order: ``version_major DESC``, ``x ASC NULLS LAST``
_TEXT_ORDER = re.compile(
    r"^(.+?)(?:\s+(asc|desc))?(?:\s+nulls\s+(first|last))?\s*$", re.IGNORECASE | re.DOTALL
)
_QUOTED_NAME = re.compile(r'^(?:"([^"]+)"|`([^`]+)`|\[([^\]]+)\])$')


def _column_named(raw: str, table: sa.Table | None) -> str | None:
    """The table's column that ``raw`` (an element's SQL) names by itself, quoted or not."""
    if table is None:
        return None
    text = raw.strip()
    quoted = _QUOTED_NAME.match(text)
    name = next(g for g in quoted.groups() if g) if quoted else text
    return name if any(c.name == name for c in table.c) else None


def _column_key(c: sa.Column, is_autoincrement: bool) -> Hashable | None:
    """Everything :meth:`_Builder.new_column` reads from ``c``, hashable; None (build it anew)
    for what this does not cover: identity and computed columns, defaults :func:`_default_key`
    cannot key, types :func:`type_key` cannot key."""
    if c.identity is not None or c.computed is not None:
        return None
    tkey = type_key(c.type)
    if tkey is None:
        return None
    default = c.server_default
    dkey: Hashable = None
    if default is not None:
        if type(default) is not DefaultClause:
            return None
        dkey = _default_key(default.arg)
        if dkey is None:
            return None
    info = c.__dict__.get("info")  # ``info`` is created on first access: do not create it
    renamed_from = info.get("renamed_from") if info else None
    return (c.name, tkey, bool(c.nullable), dkey, c.comment, is_autoincrement, renamed_from)


def _default_key(arg: object) -> Hashable | None:
    """What a server default compiles from, hashable: a string, a plain ``text()``,
    ``true()``/``false()``/``null()``, or an argument-less function (``func.now()``); None for
    anything else (compiled every time)."""
    if isinstance(arg, str):
        return ("str", arg)
    kind = type(arg)
    if isinstance(arg, TextClause) and kind is TextClause:
        return ("text", arg.text) if not arg._bindparams else None
    if kind in _CONSTANTS:
        return (kind,)
    # ``Sequence.next_value()`` is a function element without argument clauses: not keyed
    clauses = getattr(arg, "clauses", None) if isinstance(arg, FunctionElement) else None
    if clauses is not None and not clauses.clauses:
        return ("function", kind, getattr(arg, "name", None), getattr(arg, "packagenames", None))
    return None


_CONSTANTS = (True_, False_, Null)


def _unique_key(u: UniqueConstraint) -> tuple[str, tuple[str, ...]]:
    return (u.name or "", u.columns)


def _fk_key(fk: ForeignKey) -> tuple[str, tuple[str, ...], str]:
    return (fk.name or "", fk.columns, fk.referred_table)
