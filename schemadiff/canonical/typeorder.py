"""Which canonical type changes only widen a column (no data can be lost).

Works on the canonical type text of :class:`schemadiff.snapshot.model.ColumnType` (``varchar(50)``,
``numeric(10,2)``, ``integer``). Anything not known to widen is treated as narrowing, so the
destructive flag errs on the side of caution.
"""

from __future__ import annotations

import re

_INT_RANK = {"tinyint": 1, "smallint": 2, "mediumint": 3, "integer": 4, "bigint": 5}
_FLOAT_RANK = {"real": 1, "double": 2}
_TEXT_RANK = {"tinytext": 1, "text": 2, "mediumtext": 3, "longtext": 4}
_BLOB_RANK = {"tinyblob": 1, "blob": 2, "mediumblob": 3, "longblob": 4}
_TYPE_RE = re.compile(r"^([a-z_ ]+?)(?:\((.*)\))?(\[\])?$")


def split_type(sql: str) -> tuple[str, tuple[str, ...]]:
    """``numeric(10,2)`` -> (``numeric``, (``10``, ``2``))."""
    m = _TYPE_RE.match(sql)
    if not m or m.group(3):
        return sql, ()
    args = tuple(a.strip() for a in m.group(2).split(",")) if m.group(2) else ()
    return m.group(1), args


def _int(args: tuple[str, ...], i: int) -> int | None:
    try:
        return int(args[i])
    except (IndexError, ValueError):
        return None


def is_widening(old: str, new: str) -> bool:
    """True if every value of type ``old`` fits in type ``new`` unchanged."""
    if old == new:
        return True
    (a, aa), (b, ba) = split_type(old), split_type(new)
    for ranks in (_INT_RANK, _FLOAT_RANK, _TEXT_RANK, _BLOB_RANK):
        if a in ranks and b in ranks:
            return ranks[a] <= ranks[b]
    if b == "text" and (a in _INT_RANK or a in ("numeric", "boolean")):
        return True  # every such value has a text form that reads back as the same value
    if a in _INT_RANK and b == "numeric":
        return not ba or ((_int(ba, 0) or 0) - (_int(ba, 1) or 0)) >= 20
    if a in ("varchar", "char") and b in ("varchar", "text", "mediumtext", "longtext"):
        if b != "varchar":
            return True
        if not ba:
            return True
        return aa != () and (_int(aa, 0) or 0) <= (_int(ba, 0) or 0)
    if a == "varbinary" and b == "varbinary":
        return (_int(aa, 0) or 0) <= (_int(ba, 0) or 0)
    if a == "numeric" and b == "numeric":
        if not ba:
            return True
        if not aa:
            return False
        p1, s1 = _int(aa, 0) or 0, _int(aa, 1) or 0
        p2, s2 = _int(ba, 0) or 0, _int(ba, 1) or 0
        return s2 >= s1 and (p2 - s2) >= (p1 - s1)
    if a in ("timestamp", "timestamptz", "datetime") and b == a:
        # no precision: 6 on the new side (PostgreSQL's default), 0 on the old (MySQL's);
        # an explicit 0 is a precision like any other
        old_p, new_p = _int(aa, 0), _int(ba, 0)
        return (0 if old_p is None else old_p) <= (6 if new_p is None else new_p)
    return False
