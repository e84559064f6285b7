"""A revision file's head: the text before its first top-level ``def``/``class``/decorator.

Listing a long chain (``heads``, ``history``) needs only each file's docstring and its four
identifiers, and parsing the ``upgrade()``/``downgrade()`` bodies was most of the time spent. The
head is used only when it is *self-sufficient*: the rest of the file never names an identifier
(so nothing there can reassign one), and the head is complete on its own (a cut inside a string or
a bracket does not parse). :func:`scan_head` reads the common shape of a head (a plain docstring,
one-line statements, literal identifiers) without building a syntax tree; anything else makes it
give up, and the caller parses the head, or the whole file, with :mod:`ast`.
"""

from __future__ import annotations

import ast
import inspect
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

#: where the head ends: the first top-level function, class or decorator
_FIRST_DEF = re.compile(
    r"^(?:(?:async[ \t]+)?def|class)[ \t]+[A-Za-z_]|^@[ \t]*[A-Za-z_]", re.MULTILINE
)
#: any mention of an identifier (a false alarm only costs a full parse)
_FIELD_WORD = re.compile(r"\b(?:revision|down_revision|branch_labels|depends_on)\b")
_BLANK = re.compile(r"[ \t]*(?:#.*)?")
_STR = r"""(?:"[^"\\\n]*"|'[^'\\\n]*')"""
_ITEMS = rf"[ \t]*(?:{_STR}[ \t]*,[ \t]*)*(?:{_STR}[ \t]*)?"
#: ``name [: annotation] = literal`` with a literal this module reads without ``ast``
_FIELD_LINE = re.compile(
    r"(?P<name>revision|down_revision|branch_labels|depends_on)[ \t]*"
    r"(?::(?P<annotation>[\w.,|\[\] \t]*))?=[ \t]*"
    rf"(?P<value>None|{_STR}|\({_ITEMS}\)|\[{_ITEMS}\])[ \t]*(?:#.*)?"
)
_STRINGS = re.compile(_STR)
#: one-line statements (imports, mostly) and annotations already checked with ``ast``: the same
#: few repeat in every file of a chain, so each distinct text is parsed once per process
_STATEMENTS: dict[str, bool] = {}
_ANNOTATIONS: dict[str, bool] = {}


@dataclass(frozen=True)
class Head:
    """What a head says: the module docstring (cleaned, as ``ast.get_docstring``) and the
    identifiers assigned in it (the last assignment of each wins, as in the whole file)."""

    docstring: str
    values: Mapping[str, object]


def head_of(source: str) -> str | None:
    """The head of ``source``, or None when the rest of the file could change the identifiers
    (it names one) or there is no rest (no top-level ``def``/``class``)."""
    found = _FIRST_DEF.search(source)
    if found is None:
        return None
    rest = source[found.start() :]
    if not rest.isascii():
        # identifiers are NFKC-normalized: a full-width letter can spell ``revision``
        rest = unicodedata.normalize("NFKC", rest)
    return None if _names_field(rest) else source[: found.start()]


def scan_head(head: str) -> Head | None:
    """Read a head of the usual shape; None for anything unusual (the caller parses it)."""
    quote = head[:3]
    if quote not in ('"""', "'''") or "\r" in head or "\0" in head:
        return None
    end = head.find(quote, 3)
    if end < 0:
        return None
    doc = head[3:end]
    if "\\" in doc:
        return None
    lines = head[end + 3 :].split("\n")
    if not _BLANK.fullmatch(lines[0]):
        return None
    values: dict[str, object] = {}
    for line in lines[1:]:
        if not line or line[0] == "#":
            continue
        field = _FIELD_LINE.fullmatch(line)
        if field is not None:
            annotation = field["annotation"]
            if annotation is not None and not _plain_annotation(annotation):
                return None
            values[field["name"]] = _value(field["value"])
        elif not (_plain_statement(line) or _BLANK.fullmatch(line)):
            return None
    return Head(inspect.cleandoc(doc), values)


def _plain_statement(line: str) -> bool:
    """A complete top-level statement on one line that assigns no identifier."""
    if not (line[:1].isalpha() and line.isascii()) or _names_field(line):
        return False
    known = _STATEMENTS.get(line)
    if known is None:
        known = _STATEMENTS[line] = _parses(line) is not None
    return known


def _names_field(text: str) -> bool:
    # plain substring tests first: far quicker than the regex over a whole file
    if "revision" in text or "branch_labels" in text or "depends_on" in text:
        return _FIELD_WORD.search(text) is not None
    return False


def _plain_annotation(annotation: str) -> bool:
    """``name: <annotation> = value`` annotates *and* assigns the value."""
    known = _ANNOTATIONS.get(annotation)
    if known is None:
        tree = _parses(f"x:{annotation}= None")
        node = tree.body[0] if tree is not None and len(tree.body) == 1 else None
        known = _ANNOTATIONS[annotation] = (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.value, ast.Constant)
            and node.value.value is None
        )
    return known


def _parses(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


def _value(text: str) -> object:
    """The value of a literal :data:`_FIELD_LINE` accepted (strings hold no escapes)."""
    if text == "None":
        return None
    if text[0] in "\"'":
        return text[1:-1]
    items = [s[1:-1] for s in _STRINGS.findall(text)]
    if text[0] == "[":
        return items
    if len(items) == 1 and "," not in _STRINGS.sub("", text):
        return items[0]  # ``("abc")`` is a string in parentheses
    return tuple(items)
