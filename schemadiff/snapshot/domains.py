"""The DDL of a PostgreSQL domain, shared by the renderer and the server probe that settles the
declared ones (names quoted with the backend's ``quote``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from schemadiff.snapshot.model import Domain, DomainCheck


def domain_name(domain: Domain, quote: Callable[[str], str]) -> str:
    return (quote(domain.schema) + "." if domain.schema else "") + quote(domain.name)


def check_names(domain: Domain, taken: frozenset[str] = frozenset()) -> tuple[DomainCheck, ...]:
    """``domain``'s checks, each with a name: its own, else PostgreSQL's default
    (``<domain>_check``, ``<domain>_check1``...) not in ``taken`` nor used by another."""
    used = set(taken) | {c.name for c in domain.checks if c.name}
    out = []
    n = 0
    for check in domain.checks:
        if check.name:
            out.append(check)
            continue
        while (name := f"{domain.name}_check" + (str(n) if n else "")) in used:
            n += 1
        used.add(name)
        out.append(DomainCheck(check.definition, name))
    return tuple(out)


def create_domain_sql(domain: Domain, quote: Callable[[str], str]) -> str:
    """``CREATE DOMAIN name AS type [DEFAULT d] [NOT NULL] [CONSTRAINT c CHECK (...)]...``."""
    sql = f"CREATE DOMAIN {domain_name(domain, quote)} AS {domain.data_type}"
    if domain.default is not None:
        sql += f" DEFAULT {domain.default}"
    if domain.not_null:
        sql += " NOT NULL"
    for check in check_names(domain):
        sql += f" CONSTRAINT {quote(check.name)} {check.definition}"
    return sql


def alter_domain_sql(old: Domain, new: Domain, quote: Callable[[str], str]) -> list[str]:
    """The ``ALTER DOMAIN`` statements from ``old`` to ``new`` (same base type): default,
    NOT NULL, the checks ``old`` has and ``new`` not dropped by name, the new ones added (named
    as in ``new``, see :func:`name_checks`)."""
    name = domain_name(new, quote)
    out = []
    if old.default != new.default:
        if new.default is None:
            out.append(f"ALTER DOMAIN {name} DROP DEFAULT")
        else:
            out.append(f"ALTER DOMAIN {name} SET DEFAULT {new.default}")
    if old.not_null != new.not_null:
        out.append(f"ALTER DOMAIN {name} {'SET' if new.not_null else 'DROP'} NOT NULL")
    kept = {c.definition for c in new.checks}
    for check in check_names(old):
        if check.definition not in kept:
            out.append(f"ALTER DOMAIN {name} DROP CONSTRAINT {quote(check.name)}")
    had = {c.definition for c in old.checks}
    for check in check_names(new, frozenset(c.name for c in check_names(old))):
        if check.definition not in had:
            out.append(f"ALTER DOMAIN {name} ADD CONSTRAINT {quote(check.name)} {check.definition}")
    return out


def name_checks(old: Domain, new: Domain) -> Domain:
    """``new`` with a name on every check: the one ``old`` has for the same definition, else a
    default name no check of ``old`` uses (so the upgrade and its reverse agree on names)."""
    names = {c.definition: c.name for c in check_names(old)}
    checks = tuple(DomainCheck(c.definition, names.get(c.definition, c.name)) for c in new.checks)
    named = Domain(new.name, new.data_type, new.schema, new.not_null, new.default, checks)
    return replace(new, checks=check_names(named, frozenset(names.values())))
