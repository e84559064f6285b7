"""Tokens of SQLite DDL and a cursor over them, for the CREATE-statement reader.

The tokens are those of sqlglot's SQLite tokenizer (quoted identifiers in ``"..."``, ``[...]``
and backticks, strings with doubled quotes, comments), so structure is never read out of a
string or a comment; multi-word keywords are split back into words for a simple grammar walk.
:mod:`schemadiff.backends.sqlite.lexer` reads them without sqlglot whenever it can.
"""

from __future__ import annotations

from schemadiff.backends.sqlite.lexer import Tok, fast_tokens, sqlglot_tokens

__all__ = ["DDLError", "Reader", "Tok", "names", "split_commas", "tokenize"]


class DDLError(ValueError):
    """The statement is outside the grammar this reader understands."""


_CONFLICT = {"ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE"}


def tokenize(sql: str) -> list[Tok]:
    """sqlglot's tokens, with multi-word keywords (``PRIMARY KEY``) split into words."""
    toks = fast_tokens(sql)
    if toks is not None:
        return toks
    from sqlglot.errors import SqlglotError

    try:
        return sqlglot_tokens(sql)
    except SqlglotError as exc:
        raise DDLError(f"cannot tokenize: {exc}") from exc


class Reader:
    """A cursor over one token list with the few moves the grammar needs (indexing the list
    directly: these run once per token of every statement)."""

    def __init__(self, sql: str, toks: list[Tok]) -> None:
        self.sql, self.toks, self.i = sql, toks, 0

    def peek(self, ahead: int = 0) -> Tok | None:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else None

    def kind(self) -> str:
        """The next token's kind ("" at the end)."""
        i = self.i
        return self.toks[i].kind if i < len(self.toks) else ""

    def word(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.toks[j].word if j < len(self.toks) else ""

    def take(self) -> Tok:
        i = self.i
        if i >= len(self.toks):
            raise DDLError("statement ends too early")
        self.i = i + 1
        return self.toks[i]

    def expect(self, *words: str) -> None:
        for w in words:
            tok = self.take()
            if tok.word != w:
                raise DDLError(f"expected {w}, found {tok.text!r}")

    def accept(self, *words: str) -> bool:
        toks, i = self.toks, self.i
        for k, w in enumerate(words):
            j = i + k
            if (toks[j].word if j < len(toks) else "") != w:
                return False
        self.i = i + len(words)
        return True

    def group(self) -> list[Tok]:
        """Consume a parenthesized group; return the tokens inside it."""
        if self.take().kind != "(":
            raise DDLError("expected (")
        toks, start, depth = self.toks, self.i, 1
        for j in range(start, len(toks)):
            kind = toks[j].kind
            if kind == "(":
                depth += 1
            elif kind == ")":
                depth -= 1
                if not depth:
                    self.i = j + 1
                    return toks[start:j]
        self.i = len(toks)
        raise DDLError("statement ends too early")

    def skip_to_group(self) -> None:
        """Move to the next ``(`` (or the end)."""
        toks, i = self.toks, self.i
        while i < len(toks) and toks[i].kind != "(":
            i += 1
        self.i = i

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
    items: list[list[Tok]] = []
    depth = start = 0
    for j, tok in enumerate(toks):
        kind = tok.kind
        if kind == "(":
            depth += 1
        elif kind == ")":
            depth -= 1
        elif kind == "," and depth == 0:
            if j > start:
                items.append(toks[start:j])
            start = j + 1
    if len(toks) > start:
        items.append(toks[start:])
    return items


def names(toks: list[Tok]) -> tuple[str, ...]:
    """Column names of an indexed-column list (``a COLLATE x DESC, b``): first token of each."""
    return tuple(item[0].text for item in split_commas(toks))
