"""Filters that decide what is compared, applied to both snapshots before any comparison.

- the version table (``options.version_table``) is never compared;
- ``exclude_tables``: globs matched (case-sensitively) against ``name`` and ``schema.name``;
- ``include_name(name, type_, parent_names)`` and
  ``include_object(object, name, type_, reflected, compare_to)`` with Alembic's signatures and
  ``type_`` strings (``"schema"``, ``"table"``, ``"column"``, ``"index"``, ``"unique_constraint"``,
  ``"foreign_key_constraint"``, ``"check_constraint"``, and ``"sequence"``, ``"view"``,
  ``"function"``, ``"procedure"``, ``"trigger"``, ``"extension"``, ``"domain"``, ``"policy"``,
  ``"partition"``, which Alembic never passes since its
  autogenerate has none of them; ``include_name`` gets ``parent_names``
  ``{"schema_name": ...}`` for a sequence). ``object`` is the SQLAlchemy object
  from ``options.metadata`` when the model has one, else the snapshot object (a
  :class:`schemadiff.snapshot.model.Table`, ``Column``, ``Index``...); ``reflected`` is True for
  objects only the database has; ``compare_to`` is the other side's object or None.

Sequences are kept in the schemas kept, unless an ``exclude_tables`` glob matches their name
(like the other relations). The objects listed as not compared (``Snapshot.uncompared``: views,
triggers, partitions...) are kept in the schemas kept, unless the table they hang off is
excluded or, for a relation (a view, a partition), an ``exclude_tables`` glob matches its own
name.

Unlike Alembic, ``include_name`` is applied to the model side too, so excluding a name never turns
into a spurious create. Columns, indexes and constraints are filtered in tables present on both
sides; a table that is created or dropped is handled whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Any, TypeVar

from schemadiff.diff.options import CompareOptions
from schemadiff.snapshot.grants import Privilege, RelationOwner
from schemadiff.snapshot.model import (
    DbObject,
    Domain,
    Extension,
    Snapshot,
    Table,
    TableKey,
    View,
)
from schemadiff.snapshot.partitions import Partition, PartitionKey, kept_partitions
from schemadiff.snapshot.policies import Policy, RowSecurity
from schemadiff.snapshot.routines import Function, Trigger
from schemadiff.snapshot.table_partitioning import TablePartitioning

_OnTable = TypeVar("_OnTable", Policy, RowSecurity, TablePartitioning, PartitionKey)
_OnRelation = TypeVar("_OnRelation", Privilege, RelationOwner)
_Named = TypeVar("_Named", View, Function, Trigger, Extension, Domain, Policy, Partition)

#: listed objects that are named like tables, so ``exclude_tables`` globs apply to their names
_RELATION_KINDS = frozenset({"view", "materialized view", "sequence", "partition"})


def apply_filters(
    db: Snapshot, models: Snapshot, options: CompareOptions
) -> tuple[Snapshot, Snapshot]:
    """Return ``(db, models)`` with everything the filters exclude removed from both."""
    if models.undecided:
        db, models = _without_undecided(db, models)
    if models.left_alone:
        db = _without_left_alone(db, models)
    f = _Filters(options, models.default_schema)
    schemas = {t.schema for s in (db, models) for t in s.tables}
    schemas |= {e.schema for s in (db, models) for e in s.enums}
    schemas |= {q.schema for s in (db, models) for q in s.sequences}
    schemas |= {f.schema for s in (db, models) for f in s.functions}
    schemas |= {d.schema for s in (db, models) for d in s.domains}
    schemas |= {v.schema for s in (db, models) for v in s.views}
    schemas |= {*db.schemas, *models.schemas, None}
    kept_schemas = {s for s in sorted(schemas, key=lambda x: x or "") if f.name(s, "schema", {})}
    db_tables = {t.key: t for t in db.tables if t.schema in kept_schemas and f.table_name(t)}
    model_tables = {t.key: t for t in models.tables if t.schema in kept_schemas and f.table_name(t)}
    for key in sorted(set(db_tables) | set(model_tables), key=lambda k: (k[0] or "", k[1])):
        d, m = db_tables.get(key), model_tables.get(key)
        if not f.table_object(d, m):
            db_tables.pop(key, None)
            model_tables.pop(key, None)
        elif d is not None and m is not None:
            db_tables[key], model_tables[key] = f.table_contents(d, m)
    db, models = f.sequences(db, models, kept_schemas)
    db, models = f.views_and_routines(db, models)
    return (
        _rebuild(db, db_tables, kept_schemas, f),
        _rebuild(models, model_tables, kept_schemas, f),
    )


def _without_undecided(db: Snapshot, models: Snapshot) -> tuple[Snapshot, Snapshot]:
    """Both sides without the indexes and constraints the models leave open (a ``ddl_if``
    that could not be evaluated): they are listed as not compared instead."""
    names: dict[TableKey, set[str]] = {}
    for schema, table, name in models.undecided:
        names.setdefault((schema, table), set()).add(name)

    def strip(table: Table) -> Table:
        gone = names.get(table.key)
        if not gone:
            return table
        return replace(
            table,
            indexes=tuple(x for x in table.indexes if x.name not in gone),
            unique_constraints=tuple(x for x in table.unique_constraints if x.name not in gone),
            foreign_keys=tuple(x for x in table.foreign_keys if x.name not in gone),
            check_constraints=tuple(x for x in table.check_constraints if x.name not in gone),
        )

    return (
        replace(db, tables=tuple(map(strip, db.tables))),
        replace(models, tables=tuple(map(strip, models.tables))),
    )


def _without_left_alone(db: Snapshot, models: Snapshot) -> Snapshot:
    """``db`` without the views, functions, procedures and triggers the models leave alone
    (``models.left_alone``) and do not declare: listed as not compared instead."""
    default = db.default_schema

    def alone(kind: str, name: str, schema: str | None) -> bool:
        return any(r.kind == kind and r.leaves(name, schema, default) for r in models.left_alone)

    declared_views = set(models.view_map())
    declared_functions = {(f.schema, f.name) for f in models.functions}
    declared_triggers = {t.key for t in models.triggers}
    views = [v for v in db.views if v.key in declared_views or not alone("view", v.name, v.schema)]
    functions = [
        f
        for f in db.functions
        if (f.schema, f.name) in declared_functions or not alone(f.kind, f.name, f.schema)
    ]
    triggers = [
        t
        for t in db.triggers
        if t.key in declared_triggers or not alone("trigger", t.name, t.schema)
    ]
    if len(views) + len(functions) + len(triggers) == (
        len(db.views) + len(db.functions) + len(db.triggers)
    ):
        return db
    kept = {id(x) for x in (*views, *functions, *triggers)}
    listed = [DbObject(v.kind, v.name, v.schema) for v in db.views if id(v) not in kept]
    listed += [
        DbObject(f.kind, f"{f.name}({f.args})", f.schema) for f in db.functions if id(f) not in kept
    ]
    listed += [
        DbObject("trigger", t.name, t.schema, t.table) for t in db.triggers if id(t) not in kept
    ]
    return replace(
        db,
        views=tuple(views),
        functions=tuple(functions),
        triggers=tuple(triggers),
        uncompared=tuple(sorted((*db.uncompared, *listed), key=DbObject.sort_key)),
    )


def _rebuild(
    snapshot: Snapshot, tables: dict[TableKey, Table], schemas: set[str | None], f: _Filters
) -> Snapshot:
    kept = tuple(tables[t.key] for t in snapshot.tables if t.key in tables)
    orphaned = _orphaned_enum_types(snapshot.tables, kept)
    known = {t.key for t in snapshot.tables}

    def kept_root(key: TableKey) -> bool:
        """Partitions go with their table (one the snapshot does not have: kept)."""
        return key[0] in schemas and (key in tables or key not in known)

    return replace(
        snapshot,
        schemas=tuple(s for s in snapshot.schemas if s in schemas),
        tables=kept,
        enums=tuple(
            e for e in snapshot.enums if e.schema in schemas and e.column_type not in orphaned
        ),
        views=tuple(
            v for v in snapshot.views if v.schema in schemas and f.relation_name(v.schema, v.name)
        ),
        uncompared=tuple(
            o for o in snapshot.uncompared if o.schema in schemas and f.uncompared_object(o)
        ),
        functions=tuple(x for x in snapshot.functions if x.schema in schemas),
        domains=tuple(x for x in snapshot.domains if x.schema in schemas),
        triggers=_kept_triggers(snapshot, tables, schemas),
        policies=_kept_on_tables(snapshot.policies, snapshot, tables, schemas),
        row_security=_kept_on_tables(snapshot.row_security, snapshot, tables, schemas),
        table_partitioning=_kept_on_tables(snapshot.table_partitioning, snapshot, tables, schemas),
        partitions=tuple(
            p
            for p in kept_partitions(snapshot.partitions, kept_root)
            if f.glob_name(p.schema, p.name)
        ),
        partition_keys=_kept_on_tables(snapshot.partition_keys, snapshot, tables, schemas),
        privileges=_kept_on_relations(snapshot.privileges, snapshot, tables, schemas, f),
        relation_owners=_kept_on_relations(snapshot.relation_owners, snapshot, tables, schemas, f),
    )


def _kept_on_relations(
    items: tuple[_OnRelation, ...],
    snapshot: Snapshot,
    tables: dict[TableKey, Table],
    schemas: set[str | None],
    f: _Filters,
) -> tuple[_OnRelation, ...]:
    """Privileges (owners) of the schemas kept, except those on a table or view the filters
    took out."""
    if not items:
        return items
    known = {t.key for t in snapshot.tables}
    views = {v.key for v in snapshot.views}
    return tuple(
        x
        for x in items
        if x.schema in schemas
        and (
            (x.schema, x.table) in tables
            or ((x.schema, x.table) in views and f.relation_name(x.schema, x.table))
            or ((x.schema, x.table) not in known and (x.schema, x.table) not in views)
        )
    )


def _kept_on_tables(
    items: tuple[_OnTable, ...],
    snapshot: Snapshot,
    tables: dict[TableKey, Table],
    schemas: set[str | None],
) -> tuple[_OnTable, ...]:
    """Policies (row-level security) of the schemas kept, except those on a table the
    filters took out."""
    known = {t.key for t in snapshot.tables}
    return tuple(
        x
        for x in items
        if x.schema in schemas
        and ((x.schema, x.table) in tables or (x.schema, x.table) not in known)
    )


def _kept_triggers(
    snapshot: Snapshot, tables: dict[TableKey, Table], schemas: set[str | None]
) -> tuple[Trigger, ...]:
    """Triggers of the schemas kept, except those on a table the filters took out."""
    known = {t.key for t in snapshot.tables}
    return tuple(
        t
        for t in snapshot.triggers
        if t.schema in schemas
        and ((t.schema, t.table) in tables or (t.schema, t.table) not in known)
    )


def _orphaned_enum_types(before: Sequence[Table], after: Sequence[Table]) -> set[str]:
    """Named enum types (``enum(name)``) only excluded tables or columns use: the filters took
    their users out of the comparison, so the types go too (else the enum comparator would
    propose dropping a type still in use, or creating one for a table nobody compares)."""
    if len(before) == len(after) and all(a is b for a, b in zip(before, after, strict=True)):
        return set()  # nothing excluded (the common case)
    return _enum_types(before) - _enum_types(after)


def _enum_types(tables: Sequence[Table]) -> set[str]:
    return {
        c.type.sql.removesuffix("[]")
        for t in tables
        for c in t.columns
        if c.type.sql.startswith("enum(")
    }


@dataclass(frozen=True)
class _Filters:
    options: CompareOptions
    default_schema: str | None

    # --- names ------------------------------------------------------------------------------

    def name(self, name: str | None, type_: str, parents: dict[str, str | None]) -> bool:
        fn = self.options.include_name
        return fn is None or bool(fn(name, type_, parents))

    def table_name(self, table: Table) -> bool:
        return self.relation_name(table.schema, table.name)

    def relation_name(self, schema: str | None, name: str) -> bool:
        qualified = f"{schema}.{name}" if schema else name
        if self.options.version_table in (name, qualified):  # "[schema.]name"
            return False
        if not self.glob_name(schema, name):
            return False
        parents = {"schema_name": schema, "schema_qualified_table_name": qualified}
        return self.name(name, "table", parents)

    def glob_name(self, schema: str | None, name: str) -> bool:
        """False when an ``exclude_tables`` glob matches ``name`` or ``schema.name``."""
        qualified = f"{schema}.{name}" if schema else name
        return not any(
            fnmatchcase(name, p) or fnmatchcase(qualified, p) for p in self.options.exclude_tables
        )

    def uncompared_object(self, obj: DbObject) -> bool:
        """A view, trigger, partition... is listed unless it hangs off an excluded table, or
        (a relation: view, sequence, partition) its own name is excluded by a glob."""
        if obj.table is not None and not self.relation_name(obj.schema, obj.table):
            return False
        return obj.kind not in _RELATION_KINDS or self.glob_name(obj.schema, obj.name)

    # --- objects ----------------------------------------------------------------------------

    def obj(self, db: Any, model: Any, name: str | None, type_: str, sa_obj: Any) -> bool:
        """Run include_object for one object (present on one side or both)."""
        fn = self.options.include_object
        if fn is None:
            return True
        if model is not None:
            return bool(fn(sa_obj if sa_obj is not None else model, name, type_, False, db))
        return bool(fn(db, name, type_, True, None))

    def table_object(self, db: Table | None, model: Table | None) -> bool:
        table = model or db
        assert table is not None
        sa_table = self.sa_table(model) if model is not None else None
        return self.obj(db, model, table.name, "table", sa_table)

    def table_contents(self, db: Table, model: Table) -> tuple[Table, Table]:
        """Both tables with the excluded columns, indexes and constraints removed."""
        if self.options.include_name is None and self.options.include_object is None:
            return db, model  # nothing below a table can be excluded (the common case: fast)
        sa_table = self.sa_table(model)
        qualified = f"{model.schema}.{model.name}" if model.schema else model.name
        parents = {
            "table_name": model.name,
            "schema_name": model.schema,
            "schema_qualified_table_name": qualified,
        }
        kinds: list[tuple[str, str, Callable[[Any], Any]]] = [
            ("columns", "column", lambda c: c.name),
            ("indexes", "index", lambda i: i.name),
            ("unique_constraints", "unique_constraint", lambda u: u.name or u.columns),
            ("foreign_keys", "foreign_key_constraint", lambda f: f.name or f.columns),
            ("check_constraints", "check_constraint", lambda c: c.name or c.sqltext),
        ]
        changes_db: dict[str, Any] = {}
        changes_model: dict[str, Any] = {}
        for field_name, type_, key in kinds:
            db_items, model_items = getattr(db, field_name), getattr(model, field_name)
            keep_db, keep_model = self.items(db_items, model_items, type_, key, parents, sa_table)
            changes_db[field_name], changes_model[field_name] = keep_db, keep_model
        return replace(db, **changes_db), replace(model, **changes_model)

    def items(
        self,
        db_items: Sequence[Any],
        model_items: Sequence[Any],
        type_: str,
        key: Callable[[Any], Any],
        parents: dict[str, str | None],
        sa_table: Any,
    ) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        db_by_key = {key(d): d for d in db_items}
        model_keys = {key(m) for m in model_items}
        dropped: set[int] = set()  # ids of excluded db items (objects are hashable, ids unique)
        keep_model = []
        for m in model_items:
            d = db_by_key.get(key(m))
            ok = self.name(m.name, type_, parents) and self.obj(
                d, m, m.name, type_, _sa_child(sa_table, type_, m)
            )
            if ok:
                keep_model.append(m)
            elif d is not None:
                dropped.add(id(d))
        keep_db = [
            d
            for d in db_items
            if id(d) not in dropped
            and self.name(d.name, type_, parents)
            and (key(d) in model_keys or self.obj(d, None, d.name, type_, None))
        ]
        return tuple(keep_db), tuple(keep_model)

    def sequences(
        self, db: Snapshot, models: Snapshot, schemas: set[str | None]
    ) -> tuple[Snapshot, Snapshot]:
        """Both sides' sequences of the kept schemas, minus those an ``exclude_tables`` glob,
        ``include_name`` or ``include_object`` (``type_="sequence"``) excludes."""
        if not db.sequences and not models.sequences:
            return db, models
        db_map, model_map = db.sequence_map(), models.sequence_map()
        kept: set[TableKey] = set()
        for key in set(db_map) | set(model_map):
            schema, name = key
            d, m = db_map.get(key), model_map.get(key)
            if (
                schema in schemas
                and self.glob_name(schema, name)
                and self.name(name, "sequence", {"schema_name": schema})
                and self.obj(d, m, name, "sequence", self.sa_sequence(key) if m else None)
            ):
                kept.add(key)
        return (
            replace(db, sequences=tuple(s for s in db.sequences if s.key in kept)),
            replace(models, sequences=tuple(s for s in models.sequences if s.key in kept)),
        )

    def views_and_routines(self, db: Snapshot, models: Snapshot) -> tuple[Snapshot, Snapshot]:
        """Both sides' views (``type_="view"``, materialized ones too), functions and procedures
        (``"function"`` / ``"procedure"``), triggers (``"trigger"``), extensions
        (``"extension"``), domains (``"domain"``), policies (``"policy"``) and partitions
        (``"partition"``) minus those ``include_object`` excludes; ``object`` is the
        snapshot's (they are no SQLAlchemy objects), named by its own name."""
        if self.options.include_object is None:
            return db, models
        views = self.paired(db.views, models.views, lambda v: v.key, lambda v: "view")
        functions = self.paired(db.functions, models.functions, lambda f: f.key, lambda f: f.kind)
        triggers = self.paired(db.triggers, models.triggers, lambda t: t.key, lambda t: "trigger")
        extensions = self.paired(
            db.extensions, models.extensions, lambda e: (e.name,), lambda e: "extension"
        )
        domains = self.paired(db.domains, models.domains, lambda d: d.key, lambda d: "domain")
        policies = self.paired(db.policies, models.policies, lambda p: p.key, lambda p: "policy")
        partitions = self.paired(
            db.partitions, models.partitions, lambda p: p.key, lambda p: "partition"
        )
        return (
            replace(
                db,
                views=views[0],
                functions=functions[0],
                triggers=triggers[0],
                extensions=extensions[0],
                domains=domains[0],
                policies=policies[0],
                partitions=partitions[0],
            ),
            replace(
                models,
                views=views[1],
                functions=functions[1],
                triggers=triggers[1],
                extensions=extensions[1],
                domains=domains[1],
                policies=policies[1],
                partitions=partitions[1],
            ),
        )

    def paired(
        self,
        db_items: tuple[_Named, ...],
        model_items: tuple[_Named, ...],
        key: Callable[[Any], tuple[str | None, ...]],
        type_: Callable[[Any], str],
    ) -> tuple[tuple[_Named, ...], tuple[_Named, ...]]:
        """The items ``include_object`` keeps, asked once per key (both sides together), in
        key order so the calls are deterministic."""
        db_map = {key(x): x for x in db_items}
        model_map = {key(x): x for x in model_items}
        kept = set()
        for k in sorted(set(db_map) | set(model_map), key=lambda k: tuple(p or "" for p in k)):
            d, m = db_map.get(k), model_map.get(k)
            item = m if m is not None else d
            assert item is not None
            if self.obj(d, m, item.name, type_(item), None):
                kept.add(k)
        return (
            tuple(x for x in db_items if key(x) in kept),
            tuple(x for x in model_items if key(x) in kept),
        )

    # --- SQLAlchemy lookups -------------------------------------------------------------------

    def sa_sequence(self, key: TableKey) -> Any:
        """The ``sa.Sequence`` of ``options.metadata`` keyed ``key`` (None: not found)."""
        metadata = self.options.metadata
        if metadata is None:
            return None
        schema, name = key
        names = [f"{schema}.{name}" if schema else name]
        if schema is None and self.default_schema:
            names.append(f"{self.default_schema}.{name}")
        for n in names:
            if n in metadata._sequences:
                return metadata._sequences[n]
        return None

    def sa_table(self, table: Table) -> Any:
        metadata = self.options.metadata
        if metadata is None:
            return None
        keys = [f"{table.schema}.{table.name}" if table.schema else table.name]
        if table.schema is None and self.default_schema:
            keys.append(f"{self.default_schema}.{table.name}")
        for k in keys:
            if k in metadata.tables:
                return metadata.tables[k]
        return None


def _sa_child(sa_table: Any, type_: str, item: Any) -> Any:
    """The SQLAlchemy column / index / constraint of ``sa_table`` matching snapshot ``item``."""
    if sa_table is None:
        return None
    candidates: Iterable[Any]
    if type_ == "column":
        candidates = sa_table.columns
    elif type_ == "index":
        candidates = sa_table.indexes
    elif type_ == "foreign_key_constraint":
        candidates = sa_table.foreign_key_constraints
    elif type_ == "check_constraint":
        import sqlalchemy as sa

        candidates = [c for c in sa_table.constraints if isinstance(c, sa.CheckConstraint)]
    else:
        import sqlalchemy as sa

        candidates = [c for c in sa_table.constraints if isinstance(c, sa.UniqueConstraint)]
    candidates = sorted(candidates, key=lambda c: str(c.name))
    for c in candidates:
        if item.name is not None and isinstance(c.name, str) and str(c.name) == item.name:
            return c
    if type_ == "column":
        return None
    columns = tuple(getattr(item, "columns", ()))
    for c in candidates:
        if columns and tuple(col.name for col in getattr(c, "columns", ())) == columns:
            return c
    return None
