"""Canonical forms of function signatures, bodies and trigger definitions.

PostgreSQL keeps a function's body as written (``pg_proc.prosrc``) but spells its argument and
result types its own way (``int`` is ``integer``, ``varchar(20)`` is ``character varying``,
``timestamptz`` is ``timestamp with time zone``); a trigger comes back from
``pg_get_triggerdef`` with its events in a fixed order, ``FOR EACH STATEMENT`` written out and its
``WHEN`` condition rewritten. Both sides go through the functions below, so a declaration and the
object it created compare equal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from schemadiff.canonical.sqlexpr import canonical_sql

_WS = re.compile(r"\s+")

#: type spellings PostgreSQL replaces with its own (lower case, no type modifier)
_TYPE_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "serial": "integer",
    "bigserial": "bigint",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "float8": "double precision",
    "float": "double precision",
    "float4": "real",
    "decimal": "numeric",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
    "varbit": "bit varying",
}
#: multi-word type names (an argument written with one of these has no name)
_MULTIWORD = {
    "double precision",
    "character varying",
    "bit varying",
    "timestamp with time zone",
    "timestamp without time zone",
    "time with time zone",
    "time without time zone",
}
_MODES = ("in", "out", "inout", "variadic")


def collapse(text: str) -> str:
    """``text`` stripped, each run of whitespace one space."""
    return _WS.sub(" ", text).strip()


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """``text`` split on ``sep`` outside parentheses and quotes."""
    parts: list[str] = []
    depth = 0
    quote = ""
    start = 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@lru_cache(maxsize=4096)
def canonical_type_name(text: str) -> str:
    """A type as PostgreSQL names it in a signature: lower case (unless quoted), aliases
    resolved, modifiers dropped (``varchar(20)`` is ``character varying``), arrays kept."""
    text = collapse(text)
    suffix = ""
    while text.endswith("[]"):
        suffix += "[]"
        text = text[:-2].rstrip()
    text = re.sub(r"\s*\([^)]*\)", "", text) if '"' not in text else text
    if '"' not in text:
        text = text.lower()
    # ``timestamp(3) with time zone`` lost its modifier above
    text = _TYPE_ALIASES.get(text, text)
    if text.startswith("pg_catalog."):
        text = text.removeprefix("pg_catalog.")
        text = _TYPE_ALIASES.get(text, text)
    return text + suffix


def _split_arg(
    arg: str, type_name: Callable[[str], str] = canonical_type_name
) -> tuple[str, str | None, str]:
    """(mode, name or None, type) of one argument, its default removed; ``type_name`` gives a
    type's canonical spelling."""
    arg = re.split(r"\s+default\s+|\s*=\s*", arg, maxsplit=1, flags=re.IGNORECASE)[0].strip()
    words = arg.split(None, 1)
    mode = "in"
    if len(words) == 2 and words[0].lower() in _MODES:
        mode = words[0].lower()
        arg = words[1]
    words = arg.split(None, 1)
    if len(words) == 1:
        return mode, None, type_name(arg)
    whole = canonical_type_name(arg)
    if whole in _MULTIWORD or whole.removesuffix("[]") in _MULTIWORD:
        return mode, None, type_name(arg)
    return mode, words[0], type_name(words[1])


def identity_args(
    text: str, type_name: Callable[[str], str] | None = None, keep_out: bool = False
) -> str:
    """The identity arguments of an argument list (``pg_get_function_identity_arguments``'
    form): OUT arguments (unless ``keep_out``) and defaults left out, ``IN`` implied, types
    canonical (PostgreSQL's names, or ``type_name``'s)."""
    if type_name is None and not keep_out:
        return _pg_identity_args(text)
    return _identity_args(text, type_name or canonical_type_name, keep_out)


@lru_cache(maxsize=4096)
def _pg_identity_args(text: str) -> str:
    return _identity_args(text, canonical_type_name, False)


def _identity_args(text: str, type_name: Callable[[str], str], keep_out: bool) -> str:
    out = []
    for arg in split_top_level(text):
        mode, name, type_ = _split_arg(arg, type_name)
        if mode == "out" and not keep_out:
            continue
        prefix = "" if mode == "in" else mode.upper() + " "
        out.append(prefix + (f"{name} {type_}" if name else type_))
    return ", ".join(out)


@lru_cache(maxsize=4096)
def canonical_returns(text: str | None) -> str | None:
    """A result type as ``pg_get_function_result`` writes it."""
    if text is None:
        return None
    text = collapse(text)
    match = re.fullmatch(r"(?i)setof\s+(.+)", text)
    if match:
        return "SETOF " + canonical_type_name(match.group(1))
    match = re.fullmatch(r"(?is)table\s*\((.*)\)", text)
    if match:
        cols = []
        for col in split_top_level(match.group(1)):
            name, _, type_ = col.partition(" ")
            cols.append(f"{name} {canonical_type_name(type_)}")
        return f"TABLE({', '.join(cols)})"
    return canonical_type_name(text)


def canonical_body(text: str) -> str:
    """A function body compared by its meaning as text: whitespace runs collapsed."""
    return collapse(text)


# --- triggers ------------------------------------------------------------------------------

_IDENT = r'(?:"[^"]*"|`[^`]*`|\[[^\]]*\]|[^\s.(]+)'
_QUALIFIED = rf"{_IDENT}(?:\s*\.\s*{_IDENT})?"
_CREATE = re.compile(
    rf"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?(?:TEMP(?:ORARY)?\s+)?"
    rf"(?:DEFINER\s*=\s*\S+\s+)?TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?{_QUALIFIED}\s+",
    re.IGNORECASE | re.DOTALL,
)
_TIMING = re.compile(r"^(BEFORE|AFTER|INSTEAD\s+OF)\s+", re.IGNORECASE)
#: what may follow a trigger's events (PostgreSQL, SQLite, MySQL)
_TAIL = re.compile(
    r"\s(?:ON\s+" + _QUALIFIED + r"\s+)?(?=(?:FOR|REFERENCING|FROM|NOT|DEFERRABLE|INITIALLY|WHEN"
    r"|EXECUTE|BEGIN|FOLLOWS|PRECEDES)\b)",
    re.IGNORECASE,
)
_ON_END = re.compile(r"\s+ON\s+" + _QUALIFIED + r"\s*$", re.IGNORECASE)
#: the order pg_get_triggerdef writes events in
_EVENT_ORDER = {"INSERT": 0, "DELETE": 1, "UPDATE": 2, "TRUNCATE": 3}


class TriggerSyntaxError(ValueError):
    """A trigger definition we cannot split into its timing, events and the rest."""


def split_trigger(text: str, keep_layout: bool = False) -> tuple[str, str]:
    """(timing and events, everything after ``ON table``) of a trigger definition, written with
    or without its ``CREATE TRIGGER name`` head and its ``ON table``; ``keep_layout``: the
    second part as written (a body's string literals keep their spaces), else collapsed."""
    text = _CREATE.sub("", text.strip(), count=1).strip().rstrip(";").strip()
    if not _TIMING.match(text):
        raise TriggerSyntaxError("a trigger starts with BEFORE, AFTER or INSTEAD OF")
    match = _TAIL.search(text)
    if match is None:
        head, tail = _ON_END.sub("", text), ""
    else:
        head, tail = text[: match.start()], text[match.end() :]
    return collapse(head), tail.strip() if keep_layout else collapse(tail)


def canonical_trigger_head(head: str) -> str:
    """Timing and events upper case, events in the catalog's order."""
    match = _TIMING.match(head)
    assert match is not None
    timing = collapse(match.group(1)).upper()
    events = []
    for event in re.split(r"\s+OR\s+", head[match.end() :], flags=re.IGNORECASE):
        verb, _, columns = event.strip().partition(" ")
        verb = verb.upper()
        if columns:
            cols = re.sub(r"(?i)^OF\s+", "", columns.strip())
            names = ", ".join(c.strip().strip('"`').lower() for c in cols.split(","))
            events.append((verb, f"{verb} OF {names}"))
        else:
            events.append((verb, verb))
    events.sort(key=lambda e: _EVENT_ORDER.get(e[0], 9))
    return f"{timing} {' OR '.join(text for _, text in events)}"


_LEVEL = re.compile(r"\bFOR\s+(?:EACH\s+)?(ROW|STATEMENT)\b", re.IGNORECASE)
_WHEN = re.compile(r"\bWHEN\s*\((.*)\)\s*(?=EXECUTE\b)", re.IGNORECASE | re.DOTALL)


def canonical_pg_trigger_tail(tail: str) -> tuple[str, bool]:
    """PostgreSQL: the part after ``ON table`` as ``pg_get_triggerdef`` writes it, and whether
    that is certain: a ``WHEN`` condition is compared in its canonical SQL form, but only the
    server's own rewrite of a declared one (or of a schema-qualified function) is sure to match
    the stored one."""
    text = collapse(tail)
    text = re.sub(r"(?i)\bEXECUTE\s+PROCEDURE\b", "EXECUTE FUNCTION", text)
    text = _LEVEL.sub(lambda m: f"FOR EACH {m[1].upper()}", text)
    text = re.sub(r"(?i)\bEXECUTE\s+FUNCTION\b", "EXECUTE FUNCTION", text)
    text = re.sub(r"(?i)\bWHEN\s*\(", "WHEN (", text, count=1)
    if "FOR EACH" not in text:
        at = re.search(r"\b(WHEN|EXECUTE)\b", text)
        pos = at.start() if at else len(text)
        text = f"{text[:pos]}FOR EACH STATEMENT {text[pos:]}".strip()
    when = _WHEN.search(text)
    if when:
        condition = canonical_sql(when.group(1), "postgresql")
        text = f"{text[: when.start()]}WHEN ({condition}) {text[when.end() :]}"
    # the function call: no space before its parentheses, name unquoted where plain
    text = re.sub(r"EXECUTE FUNCTION\s+(\S+?)\s*\(", r"EXECUTE FUNCTION \1(", text)
    # a qualified function: the server leaves out a schema on its search path (``public.f()``
    # reads back ``f()``), so only its own rewrite is sure
    qualified = re.search(r"EXECUTE FUNCTION\s+[^\s(]*\.", text) is not None
    return collapse(text), when is None and not qualified


def canonical_trigger(text: str, rewritten: bool) -> tuple[str, bool]:
    """The compared form of a trigger definition, and whether it is sure to be the server's
    (see :func:`canonical_pg_trigger_tail`). ``rewritten``: the server keeps its own spelling
    (PostgreSQL), else the text as written."""
    head, tail = split_trigger(text)
    head = canonical_trigger_head(head)
    if rewritten:
        tail, comparable = canonical_pg_trigger_tail(tail)
        return f"{head} {tail}", comparable
    return f"{head} {collapse(tail).rstrip(';')}", True
