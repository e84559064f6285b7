"""PostgreSQL sequences: their defaults, DDL and one catalog statement for all of them.

Left out of the comparison: a sequence an identity column owns (``pg_depend`` ``i``), one an
extension owns, and SERIAL's implicit sequence (owned by a column, ``a``, whose default calls
it) unless the models declare a sequence of that name: those are part of their column, which is
compared. A sequence owned by a column that does not call it is an explicit ``OWNED BY``.
"""

from __future__ import annotations

from collections.abc import Sequence as Seq
from typing import ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Dialect

from schemadiff.backends.postgresql.casts import quote_ident
from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.backends.sequences import SequenceRules
from schemadiff.snapshot.model import Sequence

_TYPE_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}

#: every sequence of the requested schemas with its options and owning column; ``serial`` is
#: true when the owning column's default calls it (SERIAL's implicit sequence)
_SEQUENCES = f"""
SELECT n.nspname::text, c.relname::text, pg_catalog.format_type(s.seqtypid, NULL),
       s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcycle, s.seqcache,
       tc.relname::text, a.attname::text,
       EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef ad JOIN pg_catalog.pg_depend dd
                 ON dd.classid = 'pg_catalog.pg_attrdef'::regclass AND dd.objid = ad.oid
                AND dd.refclassid = 'pg_catalog.pg_class'::regclass AND dd.refobjid = c.oid
               WHERE ad.adrelid = d.refobjid AND ad.adnum = d.refobjsubid)
FROM pg_catalog.pg_sequence s
JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_class'::regclass
     AND d.objid = c.oid AND d.refclassid = 'pg_catalog.pg_class'::regclass
     AND d.deptype = ANY(ARRAY['a', 'i'])
LEFT JOIN pg_catalog.pg_class tc ON tc.oid = d.refobjid
LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE n.nspname = ANY(:schemas) AND c.relpersistence <> 't'
  AND (d.deptype IS NULL OR d.deptype = 'a')
  AND {NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_class'", oid="c.oid")}
ORDER BY 1, 2
"""


class PostgresqlSequences(SequenceRules):
    has_data_type: ClassVar[bool] = True
    has_owned_by: ClassVar[bool] = True
    default_type: ClassVar[str | None] = "bigint"

    def quote(self, name: str) -> str:
        return quote_ident(name)

    def type_range(self, data_type: str | None) -> tuple[int, int]:
        return _TYPE_RANGES.get(data_type or "bigint", _TYPE_RANGES["bigint"])

    def model_type(self, seq: sa.Sequence, dialect: Dialect) -> str | None:
        if seq.data_type is None:
            return "bigint"
        from schemadiff.backends.registry import rules_for

        compiled = seq.data_type.compile(dialect=dialect)
        return rules_for("postgresql").canonical_type(compiled).sql

    def owner_sql(self, seq: Sequence) -> str | None:
        if seq.owned_by is None:
            owner = "NONE"
        else:
            table, _, column = seq.owned_by.rpartition(".")
            owner = (quote_ident(seq.schema) + "." if seq.schema else "") + quote_ident(table)
            owner += "." + quote_ident(column)
        return f"ALTER SEQUENCE {self.qualified(seq)} OWNED BY {owner}"


def fetch_sequences(
    conn: Connection, schemas: Seq[str], default_schema: str
) -> tuple[Sequence, ...]:
    """Every sequence of ``schemas`` in one statement (the default schema keyed None), SERIAL's
    marked ``implicit``."""
    rows = conn.execute(sa.text(_SEQUENCES), {"schemas": list(schemas)}).all()
    found: list[Sequence] = []
    for schema, name, type_, start, inc, low, high, cycle, cache, table, column, serial in rows:
        seq = Sequence(
            name=name,
            schema=None if schema == default_schema else schema,
            start=int(start),
            increment=int(inc),
            minvalue=int(low),
            maxvalue=int(high),
            cycle=bool(cycle),
            cache=int(cache),
            data_type=str(type_),
            owned_by=f"{table}.{column}" if table and column else None,
            implicit=bool(serial),
        )
        found.append(seq)
    return tuple(found)
