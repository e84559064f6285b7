"""SQLite DDL tokens exactly as sqlglot's SQLite tokenizer reads them, mostly without sqlglot.

sqlglot's tokenizer steps through the text one character at a time in Python, and importing it
costs about 65 ms: together most of the time of reflecting a SQLite database. :func:`fast_tokens`
reads the statements SQLite actually stores (bare words, plain numbers, quoted strings and
identifiers, comments, operators) with one regular expression, a match per token, and yields the
tokens :func:`sqlglot_tokens` would, quirks included: where a word or an operator may begin one of
sqlglot's multi-character keywords (``PRIMARY KEY``, ``<=``) its keyword trie walk is replayed
step for step. Anything else (``x'..'`` blobs, ``0x``/``1e5`` numbers, ``$``, ``:``, ``?``,
``@``, non-ASCII outside quotes, unterminated quotes or comments, sqlglot's "command" words) is
left to sqlglot, so a result never depends on which path read the statement.

The few tables the reader needs from sqlglot (its keyword trie, the keywords with a special token
type, its single-character tokens) are derived once per sqlglot version and kept in the
canonical-SQL memo (:mod:`schemadiff.canonical.memo`, whose file is per sqlglot version), so a run
on a
known setup never imports sqlglot at all. When sqlglot's tokenizer settings differ from the ones
this reader mirrors (another sqlglot release), the fast reader turns itself off.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, cast

from schemadiff.canonical.memo import MEMO


class Tok(NamedTuple):
    """A token: ``word`` is the upper-cased text of a bare word ("" for anything quoted).

    A named tuple rather than a frozen dataclass: a large schema has hundreds of thousands of
    tokens, and a tuple is several times cheaper to build."""

    kind: str  # "word", "ident", "string", "(", ")", ",", "other"
    text: str
    start: int
    end: int
    word: str


def split_token(kind: str | None, text: str, start: int, end: int) -> list[Tok]:
    """One sqlglot token as ours: anything without a kind of its own is a word when it starts
    like one (multi-word keywords split at their spaces), else "other"."""
    if kind is None:
        kind = "word" if text[:1].isalpha() or text[:1] == "_" else "other"
    if kind == "word":
        return [Tok(kind, p, start, end, p.upper()) for p in text.split()]
    return [Tok(kind, text, start, end, "")]


def sqlglot_tokens(sql: str) -> list[Tok]:
    """The reference reading, by sqlglot's SQLite tokenizer (raises sqlglot's errors)."""
    from sqlglot.dialects.sqlite import SQLite

    kinds = _token_kinds()
    return [
        tok
        for t in SQLite().tokenize(sql)
        for tok in split_token(kinds.get(t.token_type), t.text, t.start, t.end)
    ]


def _token_kinds() -> dict[Any, str]:
    from sqlglot.tokens import TokenType

    return {
        TokenType.L_PAREN: "(",
        TokenType.R_PAREN: ")",
        TokenType.COMMA: ",",
        TokenType.IDENTIFIER: "ident",
        TokenType.STRING: "string",
    }


# --- the tables the fast reader needs from sqlglot ------------------------------------------------

#: (kind or None, is a "command", is a command prefix) of one token type
Spec = tuple["str | None", bool, bool]
_BARE_WORD = re.compile(r"[A-Z_][A-Z0-9_]*")
_PUNCTUATION = "(),.;+*%<>=!|&~-/"  # what the regular expression reads as operators
#: sqlglot tokenizer settings the regular expression assumes (class and dialect attributes)
_ASSUMED_TOKENIZER = {
    "_QUOTES": {"'": "'"},
    "_IDENTIFIERS": {'"': '"', "[": "]", "`": "`"},
    "_STRING_ESCAPES": {"'"},
    "_IDENTIFIER_ESCAPES": set(),
    "_COMMENTS": {"--": None, "/*": "*/", "{#": "#}"},
    "NESTED_COMMENTS": False,
    "COMMENTS_TERMINATE_AT_NEWLINE_ONLY": True,
    "DASH_COMMENT_REQUIRES_BOUNDARY": False,
    "VAR_SINGLE_TOKENS": set(),
    "NUMERIC_LITERALS": {},
    "NUMERIC_ESCAPES": {},
    "NUMBERS_CAN_HAVE_DECIMALS": True,
}
#: (``NUMBERS_CAN_BE_UNDERSCORE_SEPARATED``, True from sqlglot 30.31, need not be assumed: a
#: number followed by ``_`` is left to sqlglot either way)
_ASSUMED_DIALECT = {
    "UNESCAPED_SEQUENCES": {},
    "IDENTIFIERS_CAN_START_WITH_DIGIT": False,
}


def derive_lexicon() -> dict[str, Any]:
    """The tables, read from sqlglot (JSON-ready); ``ok`` is False when sqlglot's settings are
    not the ones the fast reader mirrors."""
    from sqlglot.dialects.sqlite import SQLite

    tokenizer = SQLite.tokenizer_class
    kinds = _token_kinds()
    commands, prefixes = tokenizer.COMMANDS, tokenizer.COMMAND_PREFIX_TOKENS

    def spec(ttype: Any) -> list[Any]:
        return [kinds.get(ttype), ttype in commands, ttype in prefixes]

    missing = object()
    ok = all(getattr(tokenizer, k, missing) == v for k, v in _ASSUMED_TOKENIZER.items()) and all(
        getattr(SQLite, k, missing) == v for k, v in _ASSUMED_DIALECT.items()
    )
    ok = ok and all(c in tokenizer.SINGLE_TOKENS for c in _PUNCTUATION + "'\"`[")
    keywords = tokenizer.KEYWORDS
    trie_keys = sorted(_trie_keys(getattr(tokenizer, "_KEYWORD_TRIE", {})))
    return {
        "ok": ok and bool(trie_keys),
        "trie": trie_keys,
        "keywords": {k: spec(keywords[k]) for k in trie_keys if k in keywords},
        "words": {
            k: spec(t)
            for k, t in keywords.items()
            if _BARE_WORD.fullmatch(k) and (t in kinds or t in commands or t in prefixes)
        },
        "single": {c: spec(t) for c, t in tokenizer.SINGLE_TOKENS.items()},
        "not_keywords": sorted(
            {*tokenizer._QUOTES, *tokenizer._FORMAT_STRINGS, *tokenizer._COMMENTS}  # noqa: SLF001
        ),
    }


def _trie_keys(trie: dict[Any, Any], path: str = "") -> list[str]:
    keys = [path] if 0 in trie else []
    for c, sub in trie.items():
        if isinstance(c, str):
            keys += _trie_keys(sub, path + c)
    return keys


def build_trie(keys: list[str]) -> dict[Any, Any]:
    """sqlglot's trie shape (``sqlglot.trie.new_trie``): nested dicts, ``0`` ends a key."""
    trie: dict[Any, Any] = {}
    for key in keys:
        node = trie
        for c in key:
            node = node.setdefault(c, {})
        node[0] = True
    return trie


@dataclass(frozen=True)
class Lexicon:
    """The derived tables, in the shapes the reader looks them up in."""

    ok: bool
    trie: dict[Any, Any]
    keywords: dict[str, Spec]  # multi-character trie keywords
    words: dict[str, Spec]  # bare-word keywords with a kind, or "command" words and prefixes
    single: dict[str, Spec]
    not_keywords: frozenset[str]  # trie keys that open a string or a comment
    continued: dict[str, frozenset[str]]  # word -> characters that continue it in the trie
    plain: dict[str, Spec]  # operator characters that never start a longer trie keyword

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Lexicon:
        trie = build_trie(list(data["trie"]))
        single = {c: _spec(s) for c, s in data["single"].items()}
        return cls(
            ok=bool(data["ok"]),
            trie=trie,
            keywords={k: _spec(s) for k, s in data["keywords"].items()},
            words={k: _spec(s) for k, s in data["words"].items()},
            single=single,
            not_keywords=frozenset(data["not_keywords"]),
            continued=_continuations(trie),
            plain={c: single[c] for c in _PUNCTUATION if c not in trie and c in single},
        )


def _spec(value: list[Any]) -> Spec:
    kind, command, prefix = value
    return (kind if isinstance(kind, str) else None, bool(command), bool(prefix))


def _continuations(trie: dict[Any, Any], path: str = "") -> dict[str, frozenset[str]]:
    """Words that may begin a multi-character trie keyword (``PRIMARY`` of ``PRIMARY KEY``,
    ``X`` of ``X'``), each with the characters that continue it after the word."""
    out: dict[str, frozenset[str]] = {}
    after = frozenset(c for c in trie if isinstance(c, str) and not _is_word_char(c))
    if path and after:
        out[path] = after
    for c, sub in trie.items():
        if isinstance(c, str) and _is_word_char(c) and (path or not c.isdigit()):
            out.update(_continuations(sub, path + c))
    return out


def _is_word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


_LOCK = threading.Lock()
_LEXICON: list[Lexicon] = []


def lexicon() -> Lexicon:
    """The tables: from the memo when this sqlglot version was seen before, else from sqlglot."""
    if not _LEXICON:
        with _LOCK:
            if not _LEXICON:
                _LEXICON.append(_load())
    return _LEXICON[0]


def _load() -> Lexicon:
    try:  # a change to this reader must not meet tables derived by an older one
        version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except OSError:
        return Lexicon.from_data(derive_lexicon())
    key = ("sqlite-lexicon", "sqlite", version)
    stored = MEMO.get(key)
    if stored is not None:
        try:
            return Lexicon.from_data(json.loads(stored))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass
    data = derive_lexicon()
    MEMO.put(key, json.dumps(data, sort_keys=True))
    return Lexicon.from_data(data)


# --- the fast reader ---------------------------------------------------------------------------

# Whitespace, then one token. Only what the fast reader fully understands is matched; the last
# alternative catches any other character, and the statement then goes to sqlglot. A quoted
# token ends at a quote that is not doubled, as in sqlglot (and the pattern cannot backtrack to
# a shorter one); no possessive quantifiers, which Python 3.10 lacks.
_TOKEN = re.compile(
    r"[ \t\n\r\f\v]*(?:"
    r"([A-Za-z_][A-Za-z0-9_]*)"  # 1 bare word
    r"|([(),.;+*%<>=!|&~]|-(?!-)|/(?!\*))"  # 2 operator or punctuation
    r"|([0-9]+(?:\.[0-9]*)?)"  # 3 number
    r"|'((?:[^']|'')*)'(?!')"  # 4 string
    r'|"((?:[^"]|"")*)"(?!")'  # 5 identifiers
    r"|`((?:[^`]|``)*)`(?!`)"  # 6
    r"|\[((?:[^\]]|\]\])*)\](?!\])"  # 7
    r"|(--[^\n]*|/\*.*?\*/)"  # 8 comment
    r"|(.))?",  # 9 anything else
    re.DOTALL,
)
_IDENT_QUOTE = {5: '"', 6: "`", 7: "]"}
_UPPER = {chr(i): chr(i).upper() for i in range(97, 123)}
_new = tuple.__new__

#: bare word -> (kind, Tok.word, trie continuations, command word, command prefix)
_WordInfo = tuple[str, str, "frozenset[str] | None", bool, bool]
_WORDS: dict[str, _WordInfo] = {}
_WORDS_LIMIT = 100_000


class _Unsure(Exception):
    """The fast reader leaves this statement to sqlglot."""


def fast_tokens(sql: str) -> list[Tok] | None:
    """The tokens of :func:`sqlglot_tokens`, or None when the statement is left to sqlglot."""
    lex = lexicon()
    if not lex.ok:
        return None
    try:
        return _scan(sql, lex)
    except _Unsure:
        return None


def _word_info(text: str, lex: Lexicon) -> _WordInfo:
    word = text.upper()
    kind, command, prefix = lex.words.get(word, (None, False, False))
    kind = kind or "word"
    info = (kind, word if kind == "word" else "", lex.continued.get(word), command, prefix)
    if len(_WORDS) < _WORDS_LIMIT:
        _WORDS[text] = info
    return info


def _scan(sql: str, lex: Lexicon) -> list[Tok]:
    toks: list[Tok] = []
    append = toks.append
    # every alternative is optional, so a match never fails
    match = cast("Callable[[str, int], re.Match[str]]", _TOKEN.match)
    words = _WORDS
    plain = lex.plain
    size = len(sql)
    pos = 0
    command_position = True  # sqlglot reads the rest as a string after a first "command" word
    while True:
        m = match(sql, pos)
        group = m.lastindex
        if group is None:
            return toks
        if group == 1:  # a word; sqlglot's keyword trie may continue it past the word's end
            start, pos = m.span(1)
            text = sql[start:pos]
            info = words.get(text) or _word_info(text, lex)
            if info[2] is not None and pos < size:
                nxt = sql[pos]
                if (" " if nxt.isspace() else _UPPER.get(nxt, nxt)) in info[2]:
                    if not nxt.isspace():  # X'..', N'..', USER-DEFINED
                        raise _Unsure
                    found = _keyword_at(sql, start, lex)
                    if found is not None:
                        command_position = _add_keyword(found, start, command_position, toks)
                        pos = toks[-1].end + 1
                        continue
            if info[3] and command_position:
                raise _Unsure
            command_position = info[4]
            append(_new(Tok, (info[0], text, start, pos - 1, info[1])))
        elif group == 2:
            start, pos = m.span(2)
            char = sql[start]
            single = plain.get(char)
            if single is None:
                found = _keyword_at(sql, start, lex)
                if found is not None:
                    command_position = _add_keyword(found, start, command_position, toks)
                    pos = toks[-1].end + 1
                    continue
                single = lex.single[char]
            if single[1] and command_position:
                raise _Unsure
            append(_new(Tok, (single[0] or "other", char, start, start, "")))
            command_position = single[2]
        elif group == 3:
            start, pos = m.span(3)
            if pos < size and (sql[pos] == "." or sql[pos].isidentifier()):
                raise _Unsure  # 1.2.3, 1e5, 0x1F, 12abc: sqlglot's own number rules
            append(_new(Tok, ("other", sql[start:pos], start, pos - 1, "")))
            command_position = False
        elif group == 4:
            text = m.group(4)
            pos = m.end()
            start = pos - len(text) - 2
            append(_new(Tok, ("string", text.replace("''", "'"), start, pos - 1, "")))
            command_position = False
        elif group in _IDENT_QUOTE:
            quote = _IDENT_QUOTE[group]
            text = m.group(group)
            pos = m.end()
            start = pos - len(text) - 2
            append(_new(Tok, ("ident", text.replace(quote + quote, quote), start, pos - 1, "")))
            command_position = False
        elif group == 9:
            raise _Unsure
        else:  # a comment, not a token
            pos = m.end()


def _add_keyword(
    found: tuple[str, int, Spec], start: int, command_position: bool, toks: list[Tok]
) -> bool:
    """Append a multi-character keyword's tokens; whether a command word may follow."""
    keyword, end, (kind, command, prefix) = found
    if command and command_position:
        raise _Unsure
    toks.extend(split_token(kind, keyword, start, end - 1))
    return prefix


def _keyword_at(sql: str, start: int, lex: Lexicon) -> tuple[str, int, Spec] | None:
    """sqlglot's trie walk (``TokenizerCore._scan_keywords``) from ``start``: the keyword it
    reads there (upper-cased, spaces collapsed), the index after the text it consumed and the
    keyword's spec, or None when it reads no keyword. Kept step for step, quirks included."""
    single_tokens = lex.single
    size_sql = len(sql)
    current = start + 1
    size = 0
    word = None
    chars = sql[start]
    char = chars
    prev_space = False
    skip = False
    trie = lex.trie
    single_token = char in single_tokens
    while chars:
        if not skip:
            sub = trie.get(_UPPER.get(char, char))
            if sub is None:
                break
            trie = sub
            if 0 in trie:
                word = chars
        end = current + size
        size += 1
        if end < size_sql:
            char = sql[end]
            single_token = single_token or char in single_tokens
            is_space = char.isspace()
            if not is_space or not prev_space:
                if is_space:
                    char = " "
                chars += char
                prev_space = is_space
                skip = False
            else:
                skip = True
        else:
            char = ""
            break
    if not word:
        return None
    if word in lex.not_keywords:  # a string or comment opener the regular expression did not take
        raise _Unsure
    if prev_space or single_token or not char:
        keyword = word.upper()
        spec = lex.keywords.get(keyword)
        if spec is not None:
            return keyword, start + size, spec
    return None
