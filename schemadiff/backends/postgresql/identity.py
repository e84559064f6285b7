"""PostgreSQL identity columns: their sequence options, canonical and resolved.

PostgreSQL fills in what ``GENERATED ... AS IDENTITY`` leaves out: increment 1; minimum 1 and
maximum the type's largest value for an ascending sequence, the type's smallest value and -1 for a
descending one; start at the minimum (ascending) or maximum (descending); no cycle. The snapshot
stores an option as None when it has that default value, so the catalog (which reports every
value) and a model (which names a few) compare with plain equality; a script that changes an
identity spells every option out (:func:`resolved`), so that going back to a default is a real
``SET`` too.
"""

from __future__ import annotations

from schemadiff.snapshot.model import Identity

_RANGES = {
    "smallint": (-(2**15), 2**15 - 1),
    "integer": (-(2**31), 2**31 - 1),
    "bigint": (-(2**63), 2**63 - 1),
}


def _defaults(type_sql: str, increment: int) -> tuple[int, int]:
    low, high = _RANGES.get(type_sql, _RANGES["bigint"])
    return (1, high) if increment > 0 else (low, -1)


def canonical_identity(
    type_sql: str,
    always: bool,
    start: int | None,
    increment: int | None,
    minvalue: int | None = None,
    maxvalue: int | None = None,
    cycle: bool | None = None,
) -> Identity:
    """An identity with every option that has PostgreSQL's default value stored as None."""
    inc = increment if increment not in (None, 0) else 1
    default_min, default_max = _defaults(type_sql, inc)
    low = default_min if minvalue is None else minvalue
    high = default_max if maxvalue is None else maxvalue
    default_start = low if inc > 0 else high
    return Identity(
        always=bool(always),
        start=None if start in (None, default_start) else start,
        increment=None if inc == 1 else inc,
        minvalue=None if low == default_min else low,
        maxvalue=None if high == default_max else high,
        cycle=bool(cycle),
    )


def resolved(identity: Identity, type_sql: str) -> dict[str, object]:
    """Every option of ``identity`` with its value (defaults filled in), as ``sa.Identity``
    keyword arguments."""
    inc = identity.increment if identity.increment is not None else 1
    default_min, default_max = _defaults(type_sql, inc)
    low = default_min if identity.minvalue is None else identity.minvalue
    high = default_max if identity.maxvalue is None else identity.maxvalue
    start = identity.start if identity.start is not None else (low if inc > 0 else high)
    return {
        "always": identity.always,
        "start": start,
        "increment": inc,
        "minvalue": low,
        "maxvalue": high,
        "cycle": identity.cycle,
    }
