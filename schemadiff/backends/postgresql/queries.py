"""The catalog queries behind PostgreSQL reflection: one statement per object kind, covering every
requested schema at once (``nspname = ANY(:schemas)``), so the count depends on neither the number
of tables nor the number of schemas.

These replace SQLAlchemy's ``Inspector.get_multi_*``, which run the same kind of bulk queries but
then build a dict and a SQLAlchemy type object per column (about half of a 1,000-table diff), and
which run once per schema (200 schemas: 1,400 statements). Here rows stay tuples, grouped by
table; :mod:`schemadiff.backends.postgresql.convert` turns them into snapshot objects.

Server versions: PostgreSQL 10 and later (identity columns); generated columns (12),
``INCLUDE`` columns (11) are read where the server has them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER

TableKey = tuple[str, str]  # (schema, table): the real schema name, also for the default one

#: the tables reflected: ordinary, partitioned and foreign tables, no temporary ones (what
#: SQLAlchemy's inspector lists as tables), and no partitions (the parent is compared; its
#: partitions are listed as not compared, see :mod:`schemadiff.backends.postgresql.objects`)
_TABLES_WHERE = (
    "n.nspname = ANY(:schemas) AND c.relkind = ANY(ARRAY['r', 'p', 'f']) "
    "AND c.relpersistence <> 't' AND NOT c.relispartition"
)
_TABLES_FROM = "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"

#: a table that belongs to an extension (PostGIS's ``spatial_ref_sys``) is the extension's: never
#: compared, never dropped (the other statements' rows for it are dropped by :func:`_grouped`)
_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, d.description
FROM {_TABLES_FROM}
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE {_TABLES_WHERE}
  AND {NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")}
ORDER BY n.nspname, c.relname
"""

# Default and identity come from scalar subqueries run only for the columns that have one
# (faster than outer joins, as SQLAlchemy found too).
# "char" catalog columns are selected as text: drivers return "char" differently (asyncpg as
# bytes, and the empty one as b"\\x00"), text the same everywhere.
_COLUMNS = """
SELECT a.attrelid, a.attnum, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  a.attnotnull,
  CASE WHEN a.atthasdef THEN (
    SELECT pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) FROM pg_catalog.pg_attrdef ad
    WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum) END,
  {generated},
  CASE WHEN a.attidentity <> '' THEN (
    SELECT ARRAY[s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle::int]
    FROM pg_catalog.pg_sequence s
    WHERE s.seqrelid = pg_catalog.pg_get_serial_sequence(
      a.attrelid::regclass::text, a.attname)::regclass::oid) END,
  a.attidentity = 'a',
  d.description,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname::text END,
  t.typtype::text, tn.nspname::text, t.typname::text,
  et.typtype::text, etn.nspname::text, et.typname::text,
  CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
  t.typnotnull, t.typdefault
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_description d
  ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass
  AND d.objsubid = a.attnum
WHERE {where} AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""

_CONSTRAINTS = f"""
SELECT cn.conrelid, cn.conname::text, cn.contype::text,
  cn.conkey, rn.nspname::text, rc.relname::text,
  CASE WHEN cn.contype = 'f' THEN
    ARRAY(SELECT (SELECT a.attname::text FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = cn.confrelid AND a.attnum = k.attnum)
          FROM unnest(cn.confkey) WITH ORDINALITY AS k(attnum, ord) ORDER BY k.ord) END,
  cn.confupdtype::text, cn.confdeltype::text, cn.condeferrable, cn.condeferred,
  CASE WHEN cn.contype = 'c' THEN pg_catalog.pg_get_constraintdef(cn.oid, true) END,
  {{nulls_not_distinct}}
FROM pg_catalog.pg_constraint cn
JOIN {_TABLES_FROM} ON c.oid = cn.conrelid
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = cn.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
{{index_join}}
WHERE {_TABLES_WHERE} AND cn.contype = ANY(ARRAY['p', 'u', 'f', 'c']) {{not_cloned}}
ORDER BY cn.conrelid, cn.conname
"""

# Expression elements need pg_get_indexdef (slow when called for every column, so only then);
# operator classes come as oids, named by :data:`_OPCLASSES` (looking each up here costs more).
_INDEXES = f"""
SELECT ix.indrelid, i.relname::text, ix.indisunique, {{key_count}}, am.amname::text,
  CASE WHEN ix.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) END,
  ix.indoption::int2[],
  EXISTS (SELECT 1 FROM pg_catalog.pg_constraint cn
          WHERE cn.conrelid = ix.indrelid AND cn.conindid = ix.indexrelid
          AND cn.contype = ANY(ARRAY['p', 'u', 'x'])),
  ix.indkey::int2[],
  CASE WHEN 0 = ANY(ix.indkey::int2[]) THEN
    ARRAY(SELECT CASE WHEN k.attnum = 0
                      THEN pg_catalog.pg_get_indexdef(ix.indexrelid, k.ord::int, true) END
          FROM unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ORDER BY k.ord) END,
  ix.indclass::oid[],
  {{nulls_not_distinct}}
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = i.relam
JOIN {_TABLES_FROM} ON c.oid = ix.indrelid
WHERE {_TABLES_WHERE} AND NOT ix.indisprimary
ORDER BY ix.indrelid, i.relname
"""


#: every operator class (a few hundred, whatever the schema): an index element's is named here,
#: and whether it is its type's default (which the models may name or leave out); qualified by
#: its schema when the search path does not reach it (an extension's own schema), as an index
#: made again must name it
_OPCLASSES = """
SELECT oc.oid,
       CASE WHEN pg_catalog.pg_opclass_is_visible(oc.oid) THEN oc.opcname::text
            ELSE pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(oc.opcname)
       END,
       oc.opcdefault
FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace n ON n.oid = oc.opcnamespace
"""

#: which sequence each column owns (SERIAL makes one, and it keeps its name when the table or
#: column is renamed, so a ``nextval`` default cannot be recognized by its name alone); this walks
#: ``pg_depend``, which grows with the whole database, so it runs once, and only when some
#: column's default calls ``nextval``
_OWNED_SEQUENCES = """
SELECT n.nspname, c.relname, a.attname, s.relname
FROM pg_catalog.pg_depend d
JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
JOIN pg_catalog.pg_class c ON c.oid = d.refobjid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.refobjsubid
WHERE d.classid = 'pg_catalog.pg_class'::regclass
AND d.refclassid = 'pg_catalog.pg_class'::regclass
AND d.deptype = 'a' AND n.nspname = ANY(:schemas)
"""


class ColumnRow(NamedTuple):
    attnum: int
    name: str
    format_type: str | None
    not_null: bool
    default: str | None
    #: ``s`` stored, ``v`` virtual, empty: not generated
    generated: str
    #: [start, increment, min, max, cycle (0/1)] of an identity column's sequence, else None
    identity: list[int] | None
    identity_always: bool
    comment: str | None
    #: the column's collation when it is not its type's default one
    collation: str | None
    #: ``typtype``: ``b`` base, ``e`` enum, ``d`` domain, ``r`` range, ``c`` composite ...
    type_kind: str
    type_schema: str
    type_name: str
    #: for an array type, the element's kind, schema and name
    element_kind: str | None
    element_schema: str | None
    element_name: str | None
    #: for a domain: its base type's text, whether it forbids NULL, its default
    domain_base: str | None
    domain_not_null: bool
    domain_default: str | None


class ConstraintRow(NamedTuple):
    name: str
    #: ``p`` primary key, ``u`` unique, ``f`` foreign key, ``c`` check
    kind: str
    #: the constrained columns' numbers (``attnum``), in the constraint's order
    columns: list[int]
    referred_schema: str | None
    referred_table: str | None
    referred_columns: list[str] | None
    #: ``confupdtype``/``confdeltype`` (``a`` no action, ``r`` restrict, ``c`` cascade, ...)
    on_update: str
    on_delete: str
    deferrable: bool
    deferred: bool
    definition: str | None
    #: a unique constraint's ``NULLS NOT DISTINCT`` (PostgreSQL 15); None for other kinds
    nulls_not_distinct: bool | None = None


class IndexRow(NamedTuple):
    name: str
    unique: bool
    #: how many elements are key columns (the rest are ``INCLUDE`` columns)
    key_count: int
    method: str
    where: str | None
    #: per key element: bit 1 DESC, bit 2 NULLS FIRST
    options: list[int]
    backs_constraint: bool
    #: the elements' column numbers, 0 for an expression (key elements, then INCLUDE columns)
    attnums: list[int]
    #: the expressions' text where ``attnums`` is 0; None when there is no expression
    elements: list[str | None] | None
    #: per key element: the operator class's oid (see :attr:`CatalogRows.opclasses`)
    opclasses: list[int]
    #: ``NULLS NOT DISTINCT`` (PostgreSQL 15; always False before)
    nulls_not_distinct: bool


@dataclass(frozen=True)
class CatalogRows:
    """Everything read, by table, in the catalog's order (tables by schema and name)."""

    tables: dict[TableKey, str | None]  # table -> comment
    columns: dict[TableKey, list[ColumnRow]]
    constraints: dict[TableKey, list[ConstraintRow]]
    indexes: dict[TableKey, list[IndexRow]]
    #: operator class oid -> (name, is its type's default); empty when there is no index
    opclasses: dict[int, tuple[str, bool]]


def fetch_catalog(conn: Connection, schemas: Sequence[str]) -> CatalogRows:
    """Four statements, whatever the number of tables and schemas (five with indexes)."""
    version = conn.dialect.server_version_info or (10,)
    params = {"schemas": list(schemas)}
    keys: dict[int, TableKey] = {}
    tables: dict[TableKey, str | None] = {}
    for oid, schema, name, comment in _run(conn, _TABLES, params):
        keys[oid] = (schema, name)
        tables[(schema, name)] = comment
    generated = "a.attgenerated::text" if version >= (12,) else "''"
    columns_sql = _COLUMNS.format(generated=generated, where=_TABLES_WHERE)
    key_count = "ix.indnkeyatts" if version >= (11,) else "ix.indnatts"
    nulls = version >= (15,)
    constraints_sql = _CONSTRAINTS.format(
        nulls_not_distinct="uix.indnullsnotdistinct" if nulls else "NULL::boolean",
        index_join=(
            "LEFT JOIN pg_catalog.pg_index uix ON uix.indexrelid = cn.conindid AND cn.contype = 'u'"
            if nulls
            else ""
        ),
        # a foreign key that refers to a partitioned table has a clone per partition of it
        # (``conparentid`` its own): the server's bookkeeping, not constraints of their own
        not_cloned="AND cn.conparentid = 0" if version >= (11,) else "",
    )
    indexes_sql = _INDEXES.format(
        key_count=key_count,
        nulls_not_distinct="ix.indnullsnotdistinct" if nulls else "false",
    )
    indexes = _grouped(_run(conn, indexes_sql, params), keys, IndexRow)
    opclasses = (
        {oid: (name, default) for oid, name, default in _run(conn, _OPCLASSES, {})}
        if indexes
        else {}
    )
    return CatalogRows(
        tables=tables,
        columns=_grouped(_run(conn, columns_sql, params), keys, ColumnRow),
        constraints=_grouped(_run(conn, constraints_sql, params), keys, ConstraintRow),
        indexes=indexes,
        opclasses=opclasses,
    )


def _run(conn: Connection, sql: str, params: dict[str, Any]) -> list[Any]:
    """All rows at once (the driver's ``fetchall``: iterating fetches them one call each)."""
    return list(conn.execute(sa.text(sql), params).all())


def _grouped(rows: list[Any], keys: dict[int, TableKey], kind: Any) -> dict[TableKey, list[Any]]:
    """Rows (relation oid first) by table; rows of tables not listed are dropped (a table
    created between the statements)."""
    found: dict[TableKey, list[Any]] = defaultdict(list)
    for oid, *rest in rows:
        key = keys.get(oid)
        if key is not None:
            found[key].append(kind(*rest))
    return dict(found)


def fetch_owned_sequences(
    conn: Connection, schemas: Sequence[str]
) -> dict[TableKey, dict[str, str]]:
    """(schema, table) -> column -> the name of the sequence it owns."""
    found: dict[TableKey, dict[str, str]] = defaultdict(dict)
    for schema, table, column, sequence in _run(conn, _OWNED_SEQUENCES, {"schemas": list(schemas)}):
        found[(schema, table)][column] = sequence
    return dict(found)
