"""PostgreSQL domains: one statement for every requested schema, whatever their number.

The base type (``format_type``), NOT NULL, the default expression and the CHECK constraints
(``pg_get_constraintdef``) in the server's spelling. Domains that belong to an extension are
left out (the extension stands for them). Declared domains are settled the same way: each made
again in the temporary schema in a transaction that is rolled back, and read back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from schemadiff.backends.postgresql.casts import quote_ident
from schemadiff.backends.postgresql.objects import NOT_EXTENSION_MEMBER
from schemadiff.snapshot.domains import create_domain_sql
from schemadiff.snapshot.model import Domain, DomainCheck, TableKey

_TYPE = NOT_EXTENSION_MEMBER.format(catalog="'pg_catalog.pg_type'", oid="t.oid")

_DOMAINS = f"""
SELECT n.nspname::text, t.typname::text,
       pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
       COALESCE((SELECT array_agg(c.conname::text ORDER BY c.conname)
                 FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'),
                ARRAY[]::text[]),
       COALESCE((SELECT array_agg(pg_catalog.pg_get_constraintdef(c.oid) ORDER BY c.conname)
                 FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.contype = 'c'),
                ARRAY[]::text[])
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {{where}} AND {_TYPE}
ORDER BY 1, 2
"""


def _domain(row: Sequence[Any], schema: str | None, name: str) -> Domain:
    _, _, data_type, not_null, default, names, definitions = row
    pairs: list[tuple[str, str]] = list(zip(names or (), definitions or (), strict=True))
    checks = sorted(
        (DomainCheck(str(d), str(n)) for n, d in pairs),
        key=lambda c: c.definition,
    )
    return Domain(
        name,
        str(data_type),
        schema,
        bool(not_null),
        None if default is None else str(default),
        tuple(checks),
    )


def fetch_domains(conn: Connection, schemas: Sequence[str], default: str) -> tuple[Domain, ...]:
    """Every domain of ``schemas`` (default schema keyed None) not made by an extension."""
    sql = _DOMAINS.format(where="n.nspname = ANY(:schemas)")
    rows = conn.execute(sa.text(sql), {"schemas": list(schemas)}).all()
    return tuple(_domain(r, None if r[0] == default else str(r[0]), str(r[1])) for r in rows)


def _probe_sql(name: str, domain: Domain) -> str:
    copy = replace(domain, name=name, schema="pg_temp", checks=())
    return create_domain_sql(copy, quote_ident) + "".join(f" {c.definition}" for c in domain.checks)


def settle_domains(conn: Connection, domains: Sequence[Domain]) -> dict[TableKey, Domain | None]:
    """The server's own spelling of each declared domain (base type, default, checks), learnt
    on a second connection with the same search path: each made again in the temporary schema
    (a savepoint each) in a transaction that is rolled back. None: refused."""
    search_path = conn.exec_driver_sql("SHOW search_path").scalar()
    out: dict[TableKey, Domain | None] = {}
    probes: dict[str, Domain] = {}
    with conn.engine.connect() as probe, probe.begin() as transaction:
        probe.execute(sa.text("SELECT set_config('search_path', :p, true)"), {"p": search_path})
        made = {f"schemadiff_probe_{i}": d for i, d in enumerate(domains)}
        statements = {name: _probe_sql(name, domain) for name, domain in made.items()}
        try:  # all at once (one statement whatever their number) ...
            with probe.begin_nested():
                probe.exec_driver_sql("; ".join(statements.values()).replace("%", "%%"))
            probes = made
        except sa.exc.DBAPIError:  # ... else one by one, to tell which the server refuses
            for name, domain in made.items():
                try:
                    with probe.begin_nested():
                        probe.exec_driver_sql(statements[name].replace("%", "%%"))
                except sa.exc.DBAPIError:
                    out[domain.key] = None
                    continue
                probes[name] = domain
        sql = _DOMAINS.format(where="t.typnamespace = pg_catalog.pg_my_temp_schema()")
        for row in probe.execute(sa.text(sql)):
            probed = probes.get(str(row[1]))
            if probed is not None:
                read = _domain(row, probed.schema, probed.name)
                out[probed.key] = replace(
                    read, checks=tuple(DomainCheck(c.definition) for c in read.checks)
                )
        transaction.rollback()
    return out
