"""The models' domains: those declared with :class:`schemadiff.objects.Domain`, settled in the
server's spelling where it can be asked."""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.registry import rules_for
from schemadiff.objects.domains import declared_domains
from schemadiff.snapshot.model import Domain, DomainCheck, Snapshot


def metadata_domains(metadata: sa.MetaData, default_schema: str | None) -> tuple[Domain, ...]:
    """Every declared domain as written (unsettled), sorted by key."""
    out = []
    for decl in declared_domains(metadata):
        checks = sorted((DomainCheck(f"CHECK ({c})") for c in decl.checks), key=_by_definition)
        out.append(
            Domain(
                decl.name,
                decl.data_type,
                None if decl.schema == default_schema else decl.schema,
                decl.not_null,
                decl.default,
                tuple(checks),
                settled=False,
            )
        )
    return tuple(sorted(out, key=lambda d: (d.schema or "", d.name)))


def _by_definition(check: DomainCheck) -> str:
    return check.definition


def settle_domains(conn: Connection, db: Snapshot, models: Snapshot) -> Snapshot:
    """``models`` with each declared domain that differs from the database's (or is new) in
    the server's own spelling, asked without changing anything (``DialectRules.settle_domains``).
    Those the server could not be asked about stay unsettled: a difference is "not compared"."""
    stored = {d.key: d for d in db.domains}
    pending = [d for d in models.domains if not d.settled and stored.get(d.key) != d]
    if not pending:
        return models
    try:
        answers = rules_for(db.dialect).settle_domains(conn, pending)
    except sa.exc.DBAPIError:
        return models
    settled = []
    for domain in models.domains:
        answer = answers.get(domain.key)
        settled.append(domain if answer is None else replace(answer, settled=True))
    return replace(models, domains=tuple(settled))
