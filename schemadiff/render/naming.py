"""Names for constraints the models leave unnamed, so a script can drop what it created.

``create_all`` lets the backend name an unnamed constraint; a migration must be reversible, so
before rendering we give each unnamed constraint that an op adds to an existing table the name
PostgreSQL itself would choose (``users_email_key``, ``posts_user_id_fkey``, ``users_pkey``,
``users_check``). The upgrade creates it under that name and the downgrade drops it by name.
Comparisons are unaffected: an unnamed model constraint matches a database one by structure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from schemadiff import ops as O
from schemadiff.backends.registry import rules_for

MAX_IDENTIFIER = 63


def _fit(name: str) -> str:
    return name[:MAX_IDENTIFIER]


def name_unnamed_constraints(ops: Sequence[O.Op], dialect: str) -> list[O.Op]:
    """``ops`` with a deterministic name on every unnamed constraint they add."""
    taken: set[tuple[str | None, str, str]] = set()
    out: list[O.Op] = []
    for op in ops:
        out.append(_named(op, dialect, taken))
    return out


def _unique(
    base: str, schema: str | None, table: str, taken: set[tuple[str | None, str, str]]
) -> str:
    name, n = _fit(base), 0
    while (schema, table, name) in taken:
        n += 1
        name = _fit(base) + str(n)
    taken.add((schema, table, name))
    return name


def _named(op: O.Op, dialect: str, taken: set[tuple[str | None, str, str]]) -> O.Op:
    if isinstance(op, O.AddUniqueConstraint) and op.constraint.name is None:
        base = f"{op.table_name}_{'_'.join(op.constraint.columns)}_key"
        name = _unique(base, op.schema_name, op.table_name, taken)
        return replace(op, constraint=replace(op.constraint, name=name))
    if isinstance(op, O.AddForeignKey) and op.constraint.name is None:
        base = f"{op.table_name}_{'_'.join(op.constraint.columns)}_fkey"
        name = _unique(base, op.schema_name, op.table_name, taken)
        return replace(op, constraint=replace(op.constraint, name=name))
    if isinstance(op, O.AddCheckConstraint) and op.constraint.name is None:
        name = _unique(f"{op.table_name}_check", op.schema_name, op.table_name, taken)
        return replace(op, constraint=replace(op.constraint, name=name))
    if isinstance(op, O.AddPrimaryKey) and op.constraint.name is None:
        if not rules_for(dialect).names_primary_keys:
            return op
        name = _unique(f"{op.table_name}_pkey", op.schema_name, op.table_name, taken)
        return replace(op, constraint=replace(op.constraint, name=name))
    return op
