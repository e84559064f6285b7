"""Black's layout for the statements our renderers write, without running black on each of them.

black formats about 3,000 lines a second: an initial revision of 1,000 tables (55,000 lines) took
35 s. The bodies we render are a small subset of Python (calls of ``op``/``batch_op`` with string,
number and name arguments, lists, dicts, keyword arguments, comments, ``with`` blocks), for which
black's algorithm reduces to a few rules, applied here exactly as black applies them:

- a line that fits in 88 columns (or the project's black/ruff ``line-length``) stays as it is;
- otherwise, inside brackets, it is split at its top-level commas, one item per line, with a
  trailing comma added;
- otherwise it is split at its last bracket pair: head ``name(``, body indented, tail ``)``; the
  body of a list/tuple/dict literal with several items is then always exploded one per line;
- strings get black's quote preference (double quotes unless that needs more escapes).

A ``with CALL [as name]:`` line follows the same rules, its tail being ``) as name:``.
Anything outside that subset (a keyword, an operator, a non-ASCII character, a trailing comma
before a bracket, another shape of ``with``) is handed to black itself, statement by
statement, nested to the same depth so black sees what it would see in the whole file. A test
checks that black leaves our output unchanged for every shape the renderers produce.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from schemadiff.render.quotes import normalize_quotes

LINE_LENGTH = 88
INDENT = "    "

_TOKEN = re.compile(
    r"""(?P<string>'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>[()\[\]{},.=:-])"
    r"|(?P<space>[ ]+)"
)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = set(_OPEN.values())
_NAMES_OK = {"True", "False", "None"}


class Unsupported(Exception):
    """A statement outside the subset: black formats it."""


class Tok:
    """One token; ``kind`` is string/number/name/op, ``atom`` marks a literal's opening bracket
    (a list, tuple or dict, as opposed to a call's parenthesis), ``spaced`` is the text with
    the space black puts before it when it does not start a line. (A slotted class: millions
    are made for a large revision.)"""

    __slots__ = ("atom", "kind", "spaced", "text")

    def __init__(self, kind: str, text: str, atom: bool = False, spaced: str = "") -> None:
        self.kind = kind
        self.text = text
        self.atom = atom
        self.spaced = spaced


def format_body(lines: Sequence[str], depth: int = 1, width: int = LINE_LENGTH) -> list[str]:
    """``lines`` (statements and comments, nested blocks indented by four spaces) laid out the
    way black lays them out at ``depth`` levels of indentation, ``width`` columns (the project's
    line length)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.lstrip(" ")
        level = depth + (len(line) - len(text)) // 4
        if not text:
            out.append("")
        elif text.startswith("#"):
            out.append(INDENT * level + text.rstrip())
        else:
            try:
                out.extend(format_statement(text, level, width))
            except Unsupported:
                out.extend(_black_statement(text, level, width))
        i += 1
    return out


def format_statement(text: str, level: int, width: int = LINE_LENGTH) -> list[str]:
    """One statement at ``level``; raises :class:`Unsupported` outside the subset."""
    if not text.isascii():
        raise Unsupported("width of non-ASCII text")
    if text.startswith("with ") and text.endswith(":"):
        return _with_statement(tokenize(text[5:-1]), level, width)
    if text == "pass":
        return [INDENT * level + "pass"]
    tokens = tokenize(text)
    if not tokens or tokens[0].kind != "name" or tokens[-1].text not in _CLOSE:
        raise Unsupported("not a call statement")
    return _lines(tokens, level, inside=False, explode=False, width=width)


def _with_statement(tokens: list[Tok], level: int, width: int) -> list[str]:
    """``with CALL [as name]:`` laid out as black does: whole when it fits, else split at the
    call's parentheses like any call statement, the tail being ``) as name:``."""
    if not _is_with_head(tokens):
        raise Unsupported("with statement of another shape")
    tokens[0].spaced = " " + tokens[0].text
    keyword = Tok("name", "with", spaced="with")
    colon = Tok("op", ":", spaced=":")
    lines = _lines([keyword, *tokens, colon], level, inside=False, explode=False, width=width)
    if len(lines) == 1 and len(lines[0]) > width:
        raise Unsupported("long with statement that black cannot split")
    return lines


# --- tokens --------------------------------------------------------------------------------------


def tokenize(text: str) -> list[Tok]:
    tokens: list[Tok] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() != pos:
            raise Unsupported(f"unexpected text at {pos}")
        pos = match.end()
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "space":
            continue
        prev = tokens[-1] if tokens else None
        if (
            prev is not None
            and prev.kind != "op"
            and kind != "op"
            and "as" not in (value, prev.text)
        ):
            raise Unsupported("adjacent operands (implicit concatenation, a numeric prefix)")
        if kind == "string":
            value = normalize_quotes(value)
        elif kind == "name" and value in _KEYWORDS and value not in _NAMES_OK:
            if value != "as":
                raise Unsupported(f"keyword {value}")
        elif kind == "op" and value == "." and tokens and tokens[-1].text in _CLOSE:
            raise Unsupported("attribute of a call (black may split there)")
        elif kind == "op" and value == "-" and not _unary(tokens):
            raise Unsupported("binary minus")
        atom = False
        if kind == "op" and value in _OPEN:
            atom = prev is None or not (prev.kind == "name" or prev.text in _CLOSE)
        tok = Tok(kind, value, atom)
        # spacing never depends on where lines are split: decided once, here
        tok.spaced = value if prev is None or not _space(prev, tok) else " " + value
        tokens.append(tok)
    if pos != len(text):
        raise Unsupported(f"unexpected text at {pos}")
    _check_brackets(tokens)
    return tokens


_KEYWORDS = frozenset(
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try while "
    "with yield".split()
)


def _unary(tokens: list[Tok]) -> bool:
    return not tokens or tokens[-1].text in ("(", "[", "{", ",", "=", ":")


def _check_brackets(tokens: list[Tok]) -> None:
    """Balanced, and no comma right before a closing bracket (black's magic trailing comma)."""
    stack: list[str] = []
    prev: Tok | None = None
    for tok in tokens:
        if tok.kind == "op" and tok.text in _OPEN:
            stack.append(_OPEN[tok.text])
        elif tok.kind == "op" and tok.text in _CLOSE:
            if not stack or stack.pop() != tok.text:
                raise Unsupported("unbalanced brackets")
            if prev is not None and prev.text == ",":
                raise Unsupported("magic trailing comma")
        elif tok.text == ":" and (not stack or stack[-1] != "}"):
            raise Unsupported("colon outside a dict")
        prev = tok
    if stack:
        raise Unsupported("unbalanced brackets")


def _is_with_head(tokens: list[Tok]) -> bool:
    """``CALL as name`` (``op.batch_alter_table``) or a bare ``CALL`` (SQLite's
    ``keep_triggers_and_views``): one context manager, which black leaves whole when it fits."""
    if len(tokens) >= 3 and tokens[-2].text == "as" and tokens[-1].kind == "name":
        tokens = tokens[:-2]
    return _is_call(tokens)


def _is_call(tokens: list[Tok]) -> bool:
    """A dotted name called once, with no comma outside its parentheses."""
    i = 0
    while i + 1 < len(tokens) and tokens[i].kind == "name" and tokens[i + 1].text == ".":
        i += 2
    if i + 1 >= len(tokens) or tokens[i].kind != "name" or tokens[i + 1].text != "(":
        return False
    depth = 0
    for index in range(i + 1, len(tokens)):
        text = tokens[index].text
        if text in _OPEN:
            depth += 1
        elif text in _CLOSE:
            depth -= 1
            if depth == 0:
                return index == len(tokens) - 1
    return False


def render(tokens: Sequence[Tok]) -> str:
    """Tokens joined with black's spacing for this subset."""
    if not tokens:
        return ""
    return tokens[0].text + "".join([tok.spaced for tok in tokens[1:]])


def _space(prev: Tok, tok: Tok) -> bool:
    if tok.kind == "op":
        if tok.text in (")", "]", "}", ",", ".", ":"):
            return False
        if tok.text in _OPEN and not tok.atom:
            return False  # call or subscript
        if tok.text == "=":
            return False  # keyword argument
    if prev.kind == "op":
        if prev.text in ("(", "[", "{", ".", "="):
            return False
        if prev.text == "-":
            return False  # only unary minus gets here
    return True


# --- black's splitting ---------------------------------------------------------------------------


def _lines(tokens: list[Tok], level: int, inside: bool, explode: bool, width: int) -> list[str]:
    text = render(tokens)
    if not explode and len(text) + 4 * level <= width:
        return [INDENT * level + text]
    if inside:
        items = _comma_split(tokens)
        if items is not None:
            out: list[str] = []
            for item in items:
                out.extend(_lines(item, level, inside=True, explode=False, width=width))
            return out
    split = _right_hand_split(tokens)
    if split is None:
        return [INDENT * level + text]
    head, body, tail, atom = split
    if len(render(head)) + 4 * level > width:
        raise Unsupported("long head (black would try other brackets)")
    return [
        *_lines(head, level, inside=False, explode=False, width=width),
        *_lines(body, level + 1, inside=True, explode=atom and _has_comma(body), width=width),
        *_lines(tail, level, inside=False, explode=False, width=width),
    ]


def _comma_split(tokens: list[Tok]) -> list[list[Tok]] | None:
    """Split at top-level commas (a comma ending the line does not count); None without any.
    The last item gets a trailing comma, as black adds one."""
    items: list[list[Tok]] = [[]]
    depth = 0
    found = False
    last = len(tokens) - 1
    for index, tok in enumerate(tokens):
        items[-1].append(tok)
        if tok.kind != "op":
            continue
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth -= 1
        elif tok.text == "," and depth == 0 and index != last:
            found = True
            items.append([])
    if not found:
        return None
    if not items[-1]:
        items.pop()
    if items[-1][-1].text != ",":
        items[-1].append(Tok("op", ",", spaced=","))
    return items


def _right_hand_split(
    tokens: list[Tok],
) -> tuple[list[Tok], list[Tok], list[Tok], bool] | None:
    """Head, body, tail at the last bracket pair with something inside (black skips empty
    pairs like ``()``), and whether that pair is a literal's."""
    depth_of: list[int] = []
    depth = 0
    for tok in tokens:
        if tok.kind == "op" and tok.text in _CLOSE:
            depth -= 1
        depth_of.append(depth)
        if tok.kind == "op" and tok.text in _OPEN:
            depth += 1
    for close in range(len(tokens) - 1, -1, -1):
        tok = tokens[close]
        if tok.kind != "op" or tok.text not in _CLOSE:
            continue
        opening = _matching_open(depth_of, close)
        if opening == close - 1:
            continue  # empty pair: black moves it into the tail and looks further left
        head, body, tail = tokens[: opening + 1], tokens[opening + 1 : close], tokens[close:]
        return head, body, tail, tokens[opening].atom
    return None


def _matching_open(depth_of: list[int], close: int) -> int:
    target = depth_of[close]
    index = close - 1
    while depth_of[index] != target:
        index -= 1
    return index


def _has_comma(tokens: list[Tok]) -> bool:
    """Top-level commas besides a trailing one (black's rule for exploding a literal)."""
    depth = 0
    for index, tok in enumerate(tokens):
        if tok.kind != "op":
            continue
        if tok.text in _OPEN:
            depth += 1
        elif tok.text in _CLOSE:
            depth -= 1
        elif tok.text == "," and depth == 0 and index != len(tokens) - 1:
            return True
    return False


# --- black for the rest --------------------------------------------------------------------------


def _black_statement(text: str, level: int, width: int = LINE_LENGTH) -> list[str]:
    """black on one statement, wrapped in ``level`` blocks so it is laid out at that depth."""
    import black

    wrappers = [INDENT * k + "if True:" for k in range(level)]
    is_block = text.endswith(":")
    body = [INDENT * level + text] + ([INDENT * (level + 1) + "pass"] if is_block else [])
    mode = black.Mode(line_length=width)
    formatted = black.format_str("\n".join([*wrappers, *body]) + "\n", mode=mode)
    lines = formatted.splitlines()[level:]
    return lines[:-1] if is_block else lines
