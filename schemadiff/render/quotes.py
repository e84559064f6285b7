"""black's quote preference for the string literals :mod:`schemadiff.render.layout` writes
(a copy of ``black.strings.normalize_string_quotes`` for plain, single-line literals)."""

from __future__ import annotations

import re
from functools import lru_cache

_ESCAPED_DOUBLE = re.compile(r'([^\\]|^)\\((?:\\\\)*)"')
_ESCAPED_SINGLE = re.compile(r"([^\\]|^)\\((?:\\\\)*)'")
_UNESCAPED_DOUBLE = re.compile(r'(([^\\]|^)(\\\\)*)"')
_UNESCAPED_SINGLE = re.compile(r"(([^\\]|^)(\\\\)*)'")


@lru_cache(maxsize=8192)
def normalize_quotes(literal: str) -> str:
    """black's ``normalize_string_quotes`` for a plain (unprefixed, single-line) literal:
    double quotes, unless that needs more backslashes."""
    body = literal[1:-1]
    if "\\" not in body and "'" not in body and '"' not in body:
        return f'"{body}"'  # the common case: nothing to escape either way
    if literal[0] == '"':
        orig, new = '"', "'"
        escaped_new, escaped_orig, unescaped_new = (
            _ESCAPED_SINGLE,
            _ESCAPED_DOUBLE,
            _UNESCAPED_SINGLE,
        )
    else:
        orig, new = "'", '"'
        escaped_new, escaped_orig, unescaped_new = (
            _ESCAPED_DOUBLE,
            _ESCAPED_SINGLE,
            _UNESCAPED_DOUBLE,
        )
    body = literal[1:-1]
    new_body = _sub_twice(escaped_new, rf"\1\2{new}", body)
    if body != new_body:
        body = new_body
        literal = f"{orig}{body}{orig}"
    new_body = _sub_twice(escaped_orig, rf"\1\2{orig}", new_body)
    new_body = _sub_twice(unescaped_new, rf"\1\\{new}", new_body)
    orig_escapes = body.count("\\")
    new_escapes = new_body.count("\\")
    if new_escapes > orig_escapes:
        return literal
    if new_escapes == orig_escapes and orig == '"':
        return literal
    return f"{new}{new_body}{new}"


def _sub_twice(regex: re.Pattern[str], replacement: str, text: str) -> str:
    """Overlapping matches need a second pass (as in black)."""
    return regex.sub(replacement, regex.sub(replacement, text))
