"""MySQL/MariaDB triggers, from the rows of the objects statement (no statement of their own):
the server keeps a trigger's body as written (``ACTION_STATEMENT``), so the compared form is
timing, event, level and that body with its layout normalized. The order among triggers of one
timing and event (``FOLLOWS``/``PRECEDES``) is not compared."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from schemadiff.canonical.routines import canonical_trigger, split_trigger
from schemadiff.snapshot.routines import Trigger


def mysql_triggers(rows: Iterable[Sequence[object]], default: str) -> tuple[Trigger, ...]:
    """The triggers among the objects rows (kind, schema, name, table, definition), the
    default database keyed None, sorted by key."""
    out = []
    for kind, schema, name, table, text in rows:
        if kind != "trigger":
            continue
        text = str(text or "")
        definition, _ = canonical_trigger(text, rewritten=False)
        head, tail = split_trigger(text, keep_layout=True)
        on = _quote(str(table))
        if schema != default:
            on = f"{_quote(str(schema))}.{on}"
        raw = f"CREATE TRIGGER {_quote(str(name))} {head} ON {on} {tail}"
        key = None if schema == default else str(schema)
        out.append(Trigger(str(name), str(table), definition, key, True, raw))
    return tuple(sorted(out, key=lambda t: (t.schema or "", t.table, t.name)))


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
