"""Declarations the server cannot even parse (a typo in a policy's expression, in a partition's
bounds): marked ``refused`` on the models' side, so the comparators warn that the migration
would fail, instead of proposing it without a word. Asked without changing anything
(``DialectRules.declaration_syntax_errors``); only what the migration would create or change
is asked about."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.registry import rules_for
from schemadiff.snapshot.model import Snapshot


def mark_syntax_errors(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with ``refused`` set on the new or changed policies, partitions and domains
    whose SQL the server cannot parse."""
    old_policies = {p.key: p for p in db.policies}
    old_parts = {p.key: (p.bounds, p.partition_by) for p in db.partitions}
    policies = [p for p in models.policies if old_policies.get(p.key) != p]
    parts = [p for p in models.partitions if old_parts.get(p.key) != (p.bounds, p.partition_by)]
    old_domains = {d.key: d for d in db.domains}
    domains = [d for d in models.domains if old_domains.get(d.key) != d]
    if not (policies or parts or domains):
        return models
    try:
        found = rules_for(db.dialect).declaration_syntax_errors(conn, policies, parts, domains)
    except sa.exc.SQLAlchemyError:
        return models
    if not found:
        return models
    return replace(
        models,
        policies=tuple(
            replace(p, refused=found[("policy", p.key)]) if ("policy", p.key) in found else p
            for p in models.policies
        ),
        partitions=tuple(
            replace(p, refused=found[("partition", p.key)]) if ("partition", p.key) in found else p
            for p in models.partitions
        ),
        domains=tuple(
            replace(d, refused=found[("domain", d.key)]) if ("domain", d.key) in found else d
            for d in models.domains
        ),
    )
