"""The fast SQLite DDL reader yields exactly sqlglot's tokens, or leaves the statement to sqlglot.

Every statement is checked against the reference reading (:func:`sqlglot_tokens`), so the
reflected snapshot never depends on which path read a CREATE statement.
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
from sqlglot.dialects.sqlite import SQLite

from schemadiff.backends.sqlite import lexer as sqlite_lexer
from schemadiff.backends.sqlite.ddl import parse_create_index, parse_create_table
from schemadiff.backends.sqlite.lexer import (
    Lexicon,
    Tok,
    build_trie,
    derive_lexicon,
    fast_tokens,
    sqlglot_tokens,
)
from schemadiff.backends.sqlite.tokens import DDLError, Reader, split_commas, tokenize

#: statements the fast reader reads itself (each one real SQLite DDL or a piece of it)
FAST = [
    'CREATE TABLE "we ird" ("a ""b""" TEXT, [c d] INT, `e``f` INT)',
    "CREATE TABLE t (a INT, -- a comment, with ( and )\n b INT /* ) , ( */, c INT)",
    "CREATE TABLE t (a INT CHECK (a IN (1, (2), ((3)))) DEFAULT (abs(-(1))))",
    "CREATE TABLE t (a TEXT DEFAULT 'x, (y)' CHECK (a <> ')' AND a <> ','))",
    "CREATE TABLE t (a TEXT DEFAULT 'it''s', b TEXT DEFAULT '')",
    'CREATE TABLE t (a INT CONSTRAINT a_pos CHECK (a > 0), CONSTRAINT "odd, name" UNIQUE (a))',
    'CREATE TABLE t (a TEXT COLLATE NOCASE, b TEXT COLLATE "RTRIM")',
    "CREATE TABLE t (a INT, b INT GENERATED ALWAYS AS (a * 2) STORED, c AS (a || 'x') VIRTUAL)",
    "CREATE TABLE t (a INT PRIMARY KEY) WITHOUT ROWID",
    "CREATE TABLE t (a INT PRIMARY KEY, b ANY) STRICT",
    "CREATE TABLE t (a INT PRIMARY KEY) WITHOUT ROWID, STRICT",
    "CREATE TABLE t (a INT PRIMARY\n\t  KEY, b DOUBLE  PRECISION, c CHAR VARYING(3))",
    "CREATE TABLE t (a INT, FOREIGN KEY(a) REFERENCES p (id) ON DELETE SET NULL DEFERRABLE)",
    "CREATE TABLE t (a INT CHECK (a <= 1 OR a >= 2 OR a <> 3 OR a != 4 OR a == 5 OR a || 'x'))",
    "CREATE TABLE t (a REAL DEFAULT 1.5, b REAL DEFAULT 1., c INT DEFAULT -1, d INT DEFAULT +2)",
    "CREATE TABLE t (a JSON CHECK (a ->> '$.x' > 0 AND a -> 'y' IS NOT NULL))",
    "CREATE TABLE t (primary_key INT, keys INT, begin INT, order_no INT)",
    'CREATE UNIQUE INDEX ix ON t (lower(a) DESC, "b", c COLLATE NOCASE ASC) WHERE a > 0',
    "CREATE TABLE t (a TEXT DEFAULT 'é', b TEXT CHECK (b <> 'ü')) -- é: fine in quotes",
    "lower('x')",
    "CURRENT_TIMESTAMP",
    "'new'",
    "-1",
    "",
    "   \n\t",
]

#: statements left to sqlglot (the fast reader is unsure of them)
LEFT_TO_SQLGLOT = [
    "CREATE TABLE t (a INT DEFAULT 1_000)",  # underscore-separated (sqlglot 30.31+ reads one)
    "CREATE TABLE t (a BLOB DEFAULT x'41')",  # blob literal
    "CREATE TABLE t (a INT DEFAULT 0x1F)",  # hexadecimal number
    "CREATE TABLE t (a REAL DEFAULT 1e5)",  # exponent
    "CREATE TABLE t (a INT DEFAULT $x)",  # parameter-like
    "CREATE TABLE éè (a INT)",  # non-ASCII outside quotes
    "CREATE TABLE t (a TEXT DEFAULT 'unterminated)",
    "CREATE TABLE t (a INT /* unterminated",
    "replace(a, 'b', 'c')",  # a sqlglot "command" word first
    "CREATE TABLE t (begin replace)",  # a command word after BEGIN
    "CREATE TABLE t (a USER-DEFINED)",
]


#: the newest sqlglot release the fast reader was checked against: on a newer one whose
#: tokenizer settings differ, the reader turns itself off (sqlglot reads everything, results
#: unchanged) and the tests of the fast path are skipped with that reason, not failed
VERIFIED_UP_TO = (30, 31)


@pytest.fixture
def fast_reader_on() -> None:
    if derive_lexicon()["ok"]:
        return
    version = tuple(int(n) for n in re.findall(r"\d+", sqlglot.__version__)[:2])
    if version > VERIFIED_UP_TO:
        pytest.skip(
            f"sqlglot {sqlglot.__version__} changed tokenizer settings the SQLite fast reader "
            "mirrors: it is off (sqlglot reads all DDL); update sqlite_lexer._ASSUMED_*"
        )
    pytest.fail(f"the fast reader is off on sqlglot {sqlglot.__version__}, a verified release")


@pytest.mark.usefixtures("fast_reader_on")
@pytest.mark.parametrize("sql", FAST)
def test_the_fast_reader_reads_tricky_ddl_as_sqlglot_does(sql: str) -> None:
    toks = fast_tokens(sql)
    assert toks is not None
    assert toks == sqlglot_tokens(sql)
    assert tokenize(sql) == toks


@pytest.mark.parametrize("sql", LEFT_TO_SQLGLOT)
def test_what_the_fast_reader_is_unsure_of_goes_to_sqlglot(sql: str) -> None:
    assert fast_tokens(sql) is None
    try:
        expected: object = sqlglot_tokens(sql)
    except Exception as exc:  # noqa: BLE001 - sqlglot's own error, rewrapped by tokenize
        with pytest.raises(DDLError, match="cannot tokenize"):
            tokenize(sql)
        assert str(exc)
        return
    assert tokenize(sql) == expected


def test_quoted_tokens_keep_their_quotes_in_the_span_and_lose_them_in_the_text() -> None:
    sql = """CREATE TABLE "a ""q"" b" ([x y] TEXT DEFAULT 'it''s (,)', `z``z` INT)"""
    toks = tokenize(sql)
    quoted = [t for t in toks if t.kind in ("ident", "string")]
    assert [(t.kind, t.text) for t in quoted] == [
        ("ident", 'a "q" b'),
        ("ident", "x y"),
        ("string", "it's (,)"),
        ("ident", "z`z"),
    ]
    assert [sql[t.start : t.end + 1] for t in quoted] == [
        '"a ""q"" b"',
        "[x y]",
        "'it''s (,)'",
        "`z``z`",
    ]


def test_multi_word_keywords_are_split_into_words_sharing_one_span() -> None:
    sql = "CREATE TABLE t (a INT PRIMARY \n KEY, b DOUBLE PRECISION)"
    toks = tokenize(sql)
    primary, key = toks[6], toks[7]
    assert (primary.text, key.text) == ("PRIMARY", "KEY")
    assert (primary.start, primary.end) == (key.start, key.end)
    assert sql[primary.start : primary.end + 1] == "PRIMARY \n KEY"
    assert [t.word for t in toks if t.kind == "word"][-2:] == ["DOUBLE", "PRECISION"]


def test_comments_and_whitespace_are_not_tokens() -> None:
    toks = tokenize("a -- x, y (\n/* ) , ( */ b")
    assert [t.text for t in toks] == ["a", "b"]
    assert toks[1] == Tok("word", "b", 24, 24, "B")


@pytest.mark.usefixtures("fast_reader_on")
def test_random_statements_read_alike_on_both_paths() -> None:
    """Seeded random mixes of the pieces DDL is made of: whenever the fast reader reads a
    statement, it reads it as sqlglot does (the rest goes to sqlglot anyway)."""
    pieces = [
        "CREATE", "TABLE", "t", "a_1", "PRIMARY", "KEY", "KEYS", "primary", "DOUBLE",
        "PRECISION", "CHAR", "VARYING", "GROUP", "BY", "ORDER", "BEGIN", "REPLACE", "x", "N",
        "'s'", "'it''s'", "''", "'", '"q q"', '"a""b"', '"', "`b`", "[c d]", "[", "]",
        "0", "12", "1.5", "1.", ".5", "1e5", "0x1F", "(", ")", ",", ".", ";", "+", "-", "*",
        "/", "%", "<", ">", "=", "!", "|", "&", "~", "<=", ">=", "<>", "!=", "==", "||", "->",
        "->>", "::", "--", "-- c\n", "/*", "*/", "/* c */", "/**/", " ", "\n", "\t", "\r\n",
    ]  # fmt: skip
    rng = random.Random(20240611)
    read = 0
    for _ in range(4000):
        sql = rng.choice(["", " ", "\n"]).join(
            rng.choice(pieces) for _ in range(rng.randint(1, 10))
        )
        toks = fast_tokens(sql)
        if toks is None:
            continue
        read += 1
        assert toks == sqlglot_tokens(sql), sql
    assert read > 1000


@pytest.mark.usefixtures("fast_reader_on")
def test_the_lexicon_mirrors_sqlglot_and_survives_the_memo() -> None:
    data = derive_lexicon()
    assert data["ok"]
    assert build_trie(data["trie"]) == SQLite.tokenizer_class._KEYWORD_TRIE  # noqa: SLF001
    stored = Lexicon.from_data(json.loads(json.dumps(data, sort_keys=True)))
    assert stored == Lexicon.from_data(data)
    assert stored.continued["PRIMARY"] == frozenset({" "})
    assert "(" in stored.plain and "<" not in stored.plain  # "<" may start "<=", "<>"...


def test_when_sqlglot_differs_everything_goes_to_sqlglot(monkeypatch: pytest.MonkeyPatch) -> None:
    sql = FAST[5]
    expected = parse_create_table(sql)
    data = {**derive_lexicon(), "ok": False}
    monkeypatch.setattr(sqlite_lexer, "_LEXICON", [Lexicon.from_data(data)])
    assert fast_tokens(sql) is None
    assert tokenize(sql) == sqlglot_tokens(sql)
    assert parse_create_table(sql) == expected


def test_the_grammar_reads_strict_without_rowid_and_comments() -> None:
    ddl = parse_create_table(
        "CREATE TABLE t (\n  id INTEGER PRIMARY KEY, -- the key, (really)\n"
        "  n TEXT /* , */ COLLATE NOCASE CHECK (n <> ',(' ),\n"
        "  g INT GENERATED ALWAYS AS ((id + (1))) STORED\n) WITHOUT ROWID, STRICT"
    )
    assert ddl.without_rowid
    assert ddl.collations == (("n", "NOCASE"),)
    assert ddl.checks == ((None, "n <> ',('"),)
    assert ddl.generated == (("g", "(id + (1))", True),)
    index = parse_create_index("CREATE INDEX ix ON t (coalesce(n, ')') DESC) WHERE n <> ','")
    assert index.elements == (("coalesce(n, ')')", None),)
    assert index.where == "n <> ','"


def test_reader_groups_and_commas_follow_nesting() -> None:
    toks = tokenize("(a, (b, c), f(d, (e))) , x")
    r = Reader("", toks)
    inner = r.group()
    assert [[t.text for t in item] for item in split_commas(inner)] == [
        ["a"],
        ["(", "b", ",", "c", ")"],
        ["f", "(", "d", ",", "(", "e", ")", ")"],
    ]
    assert r.take().kind == ","
    with pytest.raises(DDLError, match="expected \\("):
        r.group()
    with pytest.raises(DDLError, match="ends too early"):
        Reader("", tokenize("(a, (b)")).group()


_PROBE = """
import sys
import sqlalchemy as sa
from schemadiff.sources import inspect_database
with sa.create_engine(sys.argv[1]).connect() as conn:
    (table,) = inspect_database(conn, []).tables
print([c.name for c in table.columns], [c.name for c in table.check_constraints])
print("sqlglot" in sys.modules)
"""


@pytest.mark.usefixtures("fast_reader_on")
def test_a_known_sqlglot_version_reflects_sqlite_without_importing_sqlglot(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with sqlite3.connect(db) as con:
        con.execute(
            "CREATE TABLE t (id INTEGER PRIMARY KEY,"
            " n TEXT DEFAULT 'x' CONSTRAINT n_ok CHECK (n <> ''))"
        )
    con.close()

    def run(**env: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE, f"sqlite:///{db}"],
            env={**os.environ, "SCHEMADIFF_CACHE_DIR": str(tmp_path / "memo"), **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.splitlines()

    reflected = "['id', 'n'] ['n_ok']"
    assert run() == [reflected, "True"]  # first run: the lexicon is derived from sqlglot
    assert run() == [reflected, "False"]  # later runs read it from the memo
    assert run(SCHEMADIFF_NO_CACHE="1") == [reflected, "True"]
