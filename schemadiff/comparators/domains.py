"""PostgreSQL domains: created, dropped or altered.

A domain is keyed by schema and name. Its base type, NOT NULL, default and CHECK constraints
(as a set, by definition, not by name) are compared in the server's spelling: the declared
domain is made again in the temporary schema, in a transaction that is rolled back, and read
back. Without a server to ask (``--db snapshot.json``) a declared domain that differs is listed
as not compared, never taken as equal or changed.

Models that declare no domain at all leave the database's alone (listed as not compared):
declaring one opts the project in.
"""

from __future__ import annotations

from collections.abc import Iterator

from schemadiff.comparators.context import CompareContext, Item, refused_warning
from schemadiff.diff.result import Notice
from schemadiff.ops import AlterDomain, CreateDomain, DropDomain
from schemadiff.snapshot.domains import name_checks
from schemadiff.snapshot.model import DbObject, Snapshot, TableKey


def compare_domains(ctx: CompareContext) -> Iterator[Item]:
    if not ctx.supports("domains"):
        if ctx.models.domains:
            yield ctx.not_supported("domains")
        return
    if not ctx.models.domains:
        return  # see unmanaged_domains
    old = {d.key: d for d in ctx.db.domains}
    new = {d.key: d for d in ctx.models.domains}
    for key in sorted(new, key=_sort_key):
        if (why := new[key].refused) is not None:
            yield refused_warning(new[key].describe(), why, key[0])
    for key in sorted(set(old) | set(new), key=_sort_key):
        if key not in old:
            yield CreateDomain(new[key])
        elif key not in new:
            yield DropDomain(old[key])
        elif old[key] != new[key]:
            if not new[key].settled:
                yield Notice(
                    "not_compared",
                    f"{old[key].describe()}: the server was not asked for its spelling of the "
                    "declared one, so it was not compared",
                    old[key].schema,
                )
                continue
            named_old = old[key]
            yield AlterDomain(named_old, name_checks(named_old, new[key]))


def unmanaged_domains(db: Snapshot, models: Snapshot) -> tuple[DbObject, ...]:
    """The database's domains when the models declare none: listed as not compared."""
    if models.domains:
        return ()
    return tuple(DbObject("domain", d.name, d.schema) for d in db.domains)


def _sort_key(key: TableKey) -> tuple[str, str]:
    return (key[0] or "", key[1])
