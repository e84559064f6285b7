"""Every object a database holds, by kind and name, read from the catalog in a few bulk queries.

The stairway in ``verify`` compares these sets before a revision's upgrade and after its downgrade,
and at base against the freshly created scratch database: whatever is left over (an enum type a
downgrade forgot, a sequence, an index, a schema) is named, with the revision it came from.
Reflection snapshots cannot do this alone: they cover the tables of known schemas, not standalone
types, sequences or schemas nobody asked for.
"""

from __future__ import annotations

from sqlalchemy.engine import Connection

from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import DbObject

__all__ = ["DbObject", "schemas_in", "trace"]


def trace(conn: Connection, version_table: str) -> frozenset[DbObject]:
    """Every object in the database except the version table (and what belongs to it)."""
    found = rules_for(conn.dialect.name).trace_objects(conn)
    version = version_table.rpartition(".")[2]
    return frozenset(o for o in found if version not in (o.name, o.table))


def schemas_in(objects: frozenset[DbObject]) -> list[str]:
    """The non-default schemas the trace found (PostgreSQL), for reflection."""
    return sorted(o.name for o in objects if o.kind == "schema")
