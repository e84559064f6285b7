"""Literal server defaults compared by value, after the cast the server applies to them.

A database reports a default the way the server stored it, after casting the literal of the DDL
to the column's type (PostgreSQL: ``'0'`` on a boolean is ``false``, ``'-1'`` on an integer is
``'-1'::integer``, ``'0'`` on an interval is ``'00:00:00'::interval``; MariaDB: ``1.5`` on a
``DECIMAL(5,2)`` is ``1.50``; SQLite keeps the DDL's text, and its column affinity decides the
value), while the models hold what the user wrote. Both sides' canonical text goes through
:func:`typed_literal`: a literal (a string, a number, ``TRUE``/``FALSE``) is parsed, cast with the
semantics of the column's :class:`Family` on that backend (each dialect's rules choose it) and
printed in one spelling. What is not a literal, what the family does not know how to cast, and
what the cast cannot read stays the canonical text it was: compared exactly, never assumed equal.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from schemadiff.canonical.sqlexpr import literal_string as string_text

_STRING = re.compile(r"^'((?:[^']|'')*)'$", re.DOTALL)
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$", re.IGNORECASE)

# kinds of Family
BOOLEAN = "boolean"  # a native boolean (PostgreSQL): strings read as boolean input
INTEGER = "integer"  # numbers rounded to an integer; TRUE/FALSE are 1/0
DECIMAL = "decimal"  # numbers rounded to the family's scale (when it has one)
FLOAT = "float"  # numbers by value
NUMBER = "number"  # SQLite's numeric affinities: a string that reads as a number is that number
STRING = "string"  # a number becomes its text
DATE = "date"
TIMESTAMP = "timestamp"  # without time zone: an offset in the text is ignored, as PostgreSQL does
TIMESTAMPTZ = "timestamptz"  # an instant: compared in UTC when the text has an offset
TIME = "time"
INTERVAL = "interval"  # PostgreSQL's: (months, days, microseconds)
UUID = "uuid"


@dataclass(frozen=True)
class Family:
    """How a backend casts a literal to one column type."""

    kind: str
    #: DECIMAL: digits after the point the type keeps (None: as many as given)
    scale: int | None = None


Value = str | Decimal | bool


@lru_cache(maxsize=65536)
def typed_literal(canonical: str, family: Family | None) -> str:
    """The canonical text of a default after the cast to ``family``; ``canonical`` unchanged when
    it is no literal, the family is unknown, or the cast cannot read the value."""
    if family is None:
        return canonical
    value = parse_literal(canonical)
    if value is None:
        return canonical
    cast = _CASTS[family.kind](value, family, canonical)
    return canonical if cast is None else cast


def parse_literal(text: str) -> Value | None:
    """A canonical literal's value: str, Decimal or bool; None for anything else."""
    if (string := _STRING.match(text)) is not None:
        return string.group(1).replace("''", "'")
    if _NUMBER.match(text):
        return Decimal(text)
    upper = text.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    return None


# --- casts: each returns the canonical text of the value, or None when it cannot tell ----------


def _to_boolean(value: Value, family: Family, text: str) -> str | None:
    if isinstance(value, bool):
        flag: bool | None = value
    elif isinstance(value, Decimal):
        flag = None if value != value.to_integral_value() else value != 0
    else:
        flag = _boolean_input(value)
    return None if flag is None else ("TRUE" if flag else "FALSE")


_TRUE_WORDS = ("true", "yes", "on")
_FALSE_WORDS = ("false", "no", "off")


def _boolean_input(text: str) -> bool | None:
    """PostgreSQL's boolean input: ``1``/``0``, or a unique prefix of true/yes/on/false/no/off
    (case and surrounding spaces ignored; ``o`` alone is ambiguous)."""
    word = text.strip().lower()
    if word in ("1", "0"):
        return word == "1"
    if not word:
        return None
    matches = {w in _TRUE_WORDS for w in _TRUE_WORDS + _FALSE_WORDS if w.startswith(word)}
    return matches.pop() if len(matches) == 1 else None


def _as_number(value: Value) -> Decimal | None:
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, Decimal):
        return value
    stripped = value.strip()
    return Decimal(stripped) if _NUMBER.match(stripped) else None


def _to_integer(value: Value, family: Family, text: str) -> str | None:
    number = _as_number(value)
    if number is None:
        return None
    try:
        return number_text(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:  # more digits than Decimal's context holds: leave it
        return None


def _to_decimal(value: Value, family: Family, text: str) -> str | None:
    number = _as_number(value)
    if number is None:
        return None
    if family.scale is not None:
        try:
            number = number.quantize(Decimal(1).scaleb(-family.scale), rounding=ROUND_HALF_UP)
        except InvalidOperation:  # more digits than Decimal's context holds: leave it
            return None
    return number_text(number)


def _to_float(value: Value, family: Family, text: str) -> str | None:
    number = _as_number(value)
    return None if number is None else number_text(number)


def _to_number(value: Value, family: Family, text: str) -> str | None:
    """SQLite's INTEGER/REAL/NUMERIC affinity: text that reads as a number is stored as one."""
    number = _as_number(value)
    if number is None:
        return None if isinstance(value, str) else text
    return number_text(number)


def _to_string(value: Value, family: Family, text: str) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        value = text.lstrip("+")
    return string_text(value)


def _to_date(value: Value, family: Family, text: str) -> str | None:
    if not isinstance(value, str):
        return None
    stamp = _datetime(value)
    if stamp is not None:
        return string_text(stamp.date().isoformat())
    return None


def _to_timestamp(value: Value, family: Family, text: str) -> str | None:
    if not isinstance(value, str):
        return None
    stamp = _datetime(value)
    if stamp is None:
        return None
    if family.kind == TIMESTAMP:
        stamp = stamp.replace(tzinfo=None)
    elif stamp.tzinfo is not None:
        stamp = stamp.astimezone(timezone.utc)
    return string_text(_trim_fraction(stamp.isoformat(sep=" ")))


def _to_time(value: Value, family: Family, text: str) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = time.fromisoformat(_pad_hour(value.strip()))
    except ValueError:
        return None
    return string_text(_trim_fraction(parsed.isoformat()))


def _to_uuid(value: Value, family: Family, text: str) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return string_text(str(uuid.UUID(value.strip())))
    except ValueError:
        return None


def _to_interval(value: Value, family: Family, text: str) -> str | None:
    parsed = interval_value(value.strip() if isinstance(value, str) else text)
    return None if parsed is None else string_text(interval_text(*parsed))


_CASTS = {
    BOOLEAN: _to_boolean,
    INTEGER: _to_integer,
    DECIMAL: _to_decimal,
    FLOAT: _to_float,
    NUMBER: _to_number,
    STRING: _to_string,
    DATE: _to_date,
    TIMESTAMP: _to_timestamp,
    TIMESTAMPTZ: _to_timestamp,
    TIME: _to_time,
    INTERVAL: _to_interval,
    UUID: _to_uuid,
}


# --- spellings -----------------------------------------------------------------------------------


def number_text(number: Decimal) -> str:
    """``0.00`` -> ``0``, ``1e3`` -> ``1000``, ``1.50`` -> ``1.5``, ``-0`` -> ``0``."""
    if number == 0:
        return "0"
    return format(number.normalize(), "f")


def _trim_fraction(text: str) -> str:
    """``00:00:00.500000`` -> ``00:00:00.5`` (the offset, if any, kept)."""
    head, dot, rest = text.partition(".")
    if not dot:
        return text
    split = len(rest) - len(rest.lstrip("0123456789"))
    digits, zone = rest[:split].rstrip("0"), rest[split:]
    return head + ("." + digits if digits else "") + zone


_HOUR = re.compile(r"^(\d):")


def _pad_hour(text: str) -> str:
    return _HOUR.sub(r"0\1:", text)


_SHORT_ZONE = re.compile(r"([+-]\d\d)$")


def _datetime(text: str) -> datetime | None:
    """ISO dates and timestamps (``2020-01-01``, ``2020-01-01 00:00:00[.f][+00[:00]]``)."""
    text = _SHORT_ZONE.sub(r"\1:00", text.strip())
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.combine(date.fromisoformat(text), time())
    except ValueError:
        return None


# --- PostgreSQL intervals ---------------------------------------------------------------------

_UNITS = {
    "microsecond": (0, 0, 1),
    "millisecond": (0, 0, 1_000),
    "second": (0, 0, 1_000_000),
    "minute": (0, 0, 60_000_000),
    "hour": (0, 0, 3_600_000_000),
    "day": (0, 1, 0),
    "week": (0, 7, 0),
    "month": (1, 0, 0),
    "year": (12, 0, 0),
    "decade": (120, 0, 0),
    "century": (1200, 0, 0),
    "millennium": (12000, 0, 0),
}
_ALIASES = {
    "us": "microsecond",
    "usec": "microsecond",
    "usecs": "microsecond",
    "ms": "millisecond",
    "msec": "millisecond",
    "msecs": "millisecond",
    "s": "second",
    "sec": "second",
    "secs": "second",
    "m": "minute",
    "min": "minute",
    "mins": "minute",
    "h": "hour",
    "hr": "hour",
    "hrs": "hour",
    "d": "day",
    "w": "week",
    "mon": "month",
    "mons": "month",
    "y": "year",
    "yr": "year",
    "yrs": "year",
    "centuries": "century",
    "millennia": "millennium",
}
_CLOCK = re.compile(r"^([+-]?)(\d+):(\d{1,2})(?::(\d{1,2}(?:\.\d+)?))?$")
_PAIR = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([a-z]+)")


def interval_value(text: str) -> tuple[int, int, int] | None:
    """(months, days, microseconds) of PostgreSQL interval input in the forms catalogs and
    models use: a bare number of seconds, ``[-]H:MM[:SS[.f]]``, ``N unit`` pairs (``1 day``,
    ``2 hours 30 mins``, ``1 mon 2 days 03:00:00``); None for anything else (ISO 8601, ``ago``)."""
    words = text.strip().lower().lstrip("@").strip()
    if not words:
        return None
    if _NUMBER.match(words):
        return _scaled(Decimal(words), (0, 0, 1_000_000))
    months = days = micros = 0
    rest = words
    clock = re.search(r"[+-]?\d+:\d[\d:.]*$", rest)
    if clock is not None:
        parsed = _clock(clock.group(0))
        if parsed is None:
            return None
        micros += parsed
        rest = rest[: clock.start()].strip()
    pos = 0
    for pair in _PAIR.finditer(rest):
        if rest[pos : pair.start()].strip():
            return None
        pos = pair.end()
        unit = _unit(pair.group(2))
        if unit is None:
            return None
        m, d, u = _scaled(Decimal(pair.group(1)), _UNITS[unit])
        months, days, micros = months + m, days + d, micros + u
    if rest[pos:].strip():
        return None
    if not rest and clock is None:
        return None
    return months, days, micros


def _unit(word: str) -> str | None:
    if word in _UNITS:
        return word
    if word.endswith("s") and word[:-1] in _UNITS:
        return word[:-1]
    return _ALIASES.get(word)


def _clock(text: str) -> int | None:
    match = _CLOCK.match(text)
    if match is None:
        return None
    sign, hours, minutes, seconds = match.groups()
    total = (int(hours) * 3600 + int(minutes) * 60) * 1_000_000
    total += int(Decimal(seconds or "0") * 1_000_000)
    return -total if sign == "-" else total


def _scaled(amount: Decimal, unit: tuple[int, int, int]) -> tuple[int, int, int]:
    """``amount`` of one unit; a fraction of a month spills into days (30 a month) and a fraction
    of a day into microseconds, as PostgreSQL's input does."""
    months_d = amount * unit[0]
    months = int(months_d)
    days_d = amount * unit[1] + (months_d - months) * 30
    days = int(days_d)
    micros = int(amount * unit[2] + (days_d - days) * 86_400_000_000)
    return months, days, micros


def interval_text(months: int, days: int, micros: int) -> str:
    """PostgreSQL's own output style: ``1 year 2 mons 3 days 04:05:06.5``, ``00:00:00``."""
    parts = []
    years, mons = divmod(abs(months), 12)
    sign = "-" if months < 0 else ""
    if years:
        parts.append(f"{sign}{years} year{'s' if years != 1 else ''}")
    if mons:
        parts.append(f"{sign}{mons} mon{'s' if mons != 1 else ''}")
    if days:
        parts.append(f"{days} day{'s' if abs(days) != 1 else ''}")
    if micros or not parts:
        sign = "-" if micros < 0 else ""
        seconds, fraction = divmod(abs(micros), 1_000_000)
        minutes, secs = divmod(seconds, 60)
        hours, mins = divmod(minutes, 60)
        clock = f"{sign}{hours:02d}:{mins:02d}:{secs:02d}"
        if fraction:
            clock += ("." + f"{fraction:06d}").rstrip("0")
        parts.append(clock)
    return " ".join(parts)
