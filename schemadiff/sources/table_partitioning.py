"""The models' table partitioning settled against the server: a declared bound the catalog
keeps evaluated (MySQL's ``VALUES LESS THAN (TO_DAYS('2024-01-01'))`` reads back as
``739251``) is replaced by the server's value of it, asked in one statement that changes
nothing, and only when such a bound differs from the database's."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Connection

from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import Snapshot
from schemadiff.snapshot.table_partitioning import TablePartitioning


def settle_partitioning(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    stored = {p.key: p for p in db.table_partitioning}
    pending = [p for p in models.table_partitioning if _unsure(p, stored.get(p.key))]
    if not pending:
        return models
    settled = {p.key: p for p in rules_for(db.dialect).settle_table_partitioning(conn, pending)}
    out = tuple(settled.get(p.key, p) for p in models.table_partitioning)
    return replace(models, table_partitioning=out)


def _unsure(p: TablePartitioning, old: TablePartitioning | None) -> bool:
    """A declared bound to evaluate: not comparable, and not the database's as it is."""
    if old is None:
        return False
    bounds = {q.name: q.bound for q in old.partitions}
    return any(not q.comparable and bounds.get(q.name) != q.bound for q in p.partitions)
