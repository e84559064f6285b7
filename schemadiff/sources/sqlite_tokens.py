"""Tokens of SQLite DDL and a cursor over them, for the CREATE-statement reader.

sqlglot's SQLite tokenizer does the lexing (quoted identifiers in ``"..."``, ``[...]`` and
backticks, strings with doubled quotes, comments), so structure is never read out of a string or
a comment; multi-word keywords are split back into words for a simple grammar walk.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot.dialects.sqlite import SQLite
from sqlglot.errors import SqlglotError
from sqlglot.tokens import TokenType


class DDLError(ValueError):
    """The statement is outside the grammar this reader understands."""


@dataclass(frozen=True)
class Tok:
    """A token: ``word`` is the upper-cased keyword of a bare word ("" for anything quoted)."""

    kind: str  # "word", "ident", "string", "(", ")", ",", "other"
    text: str
    start: int
    end: int

    @property
    def word(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


_KINDS = {
    TokenType.L_PAREN: "(",
    TokenType.R_PAREN: ")",
    TokenType.COMMA: ",",
    TokenType.IDENTIFIER: "ident",
    TokenType.STRING: "string",
}
_CONFLICT = {"ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"}


def tokenize(sql: str) -> list[Tok]:
    """sqlglot's tokens, with multi-word keywords (``PRIMARY KEY``) split into words."""
    try:
        raw = SQLite().tokenize(sql)
    except SqlglotError as exc:
        raise DDLError(f"cannot tokenize: {exc}") from exc
    toks: list[Tok] = []
    for t in raw:
        kind = _KINDS.get(t.token_type)
        if kind is None:
            kind = "word" if t.text[:1].isalpha() or t.text[:1] == "_" else "other"
        parts = t.text.split() if kind == "word" else [t.text]
        toks.extend(Tok(kind, p, t.start, t.end) for p in parts)
    return toks


class Reader:
    """A cursor over one token list with the few moves the grammar needs."""

    def __init__(self, sql: str, toks: list[Tok]) -> None:
        self.sql, self.toks, self.i = sql, toks, 0

    def peek(self, ahead: int = 0) -> Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def kind(self) -> str:
        """The next token's kind ("" at the end)."""
        tok = self.peek()
        return tok.kind if tok else ""

    def word(self, ahead: int = 0) -> str:
        tok = self.peek(ahead)
        return tok.word if tok else ""

    def take(self) -> Tok:
        tok = self.peek()
        if tok is None:
            raise DDLError("statement ends too early")
        self.i += 1
        return tok

    def expect(self, *words: str) -> None:
        for w in words:
            tok = self.take()
            if tok.word != w:
                raise DDLError(f"expected {w}, found {tok.text!r}")

    def accept(self, *words: str) -> bool:
        if all(self.word(k) == w for k, w in enumerate(words)):
            self.i += len(words)
            return True
        return False

    def group(self) -> list[Tok]:
        """Consume a parenthesized group; return the tokens inside it."""
        if self.take().kind != "(":
            raise DDLError("expected (")
        start, depth = self.i, 1
        while depth:
            tok = self.take()
            depth += {"(": 1, ")": -1}.get(tok.kind, 0)
        return self.toks[start : self.i - 1]

    def text(self, toks: list[Tok]) -> str:
        if not toks:
            raise DDLError("empty expression")
        return self.sql[toks[0].start : toks[-1].end + 1]

    def conflict_clause(self) -> None:
        if self.accept("ON", "CONFLICT"):
            if self.take().word not in _CONFLICT:
                raise DDLError("bad ON CONFLICT clause")


def split_commas(toks: list[Tok]) -> list[list[Tok]]:
    """Split a token list at the commas that are not nested in parentheses."""
    items: list[list[Tok]] = [[]]
    depth = 0
    for tok in toks:
        depth += {"(": 1, ")": -1}.get(tok.kind, 0)
        if tok.kind == "," and depth == 0:
            items.append([])
        else:
            items[-1].append(tok)
    return [item for item in items if item]


def names(toks: list[Tok]) -> tuple[str, ...]:
    """Column names of an indexed-column list (``a COLLATE x DESC, b``): first token of each."""
    return tuple(item[0].text for item in split_commas(toks))
