"""Reading a revision file from its head only (``quick=True``, what ``heads``/``history`` do on a
long chain) gives exactly what reading the whole file gives, and falls back to the whole file
whenever the head alone cannot tell. No database."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from schemadiff.chain.graph import load_graph
from schemadiff.chain.script_head import head_of, scan_head
from schemadiff.chain.scripts import Script, load_scripts, parse_source, parse_whole
from schemadiff.errors import RevisionError
from schemadiff.render.code import Code
from schemadiff.render.script import RevisionHeader, render_script
from tests.kit.chain import REV_TEMPLATE

PATH = Path("/versions/x_rev.py")

ALEMBIC_HEAD = '''"""add things

Revision ID: ab12
Revises: 9f00
Create Date: 2024-05-01 10:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'ab12'
down_revision: Union[str, Sequence[str], None] = {down}
branch_labels: Union[str, Sequence[str], None] = {labels}
depends_on: Union[str, Sequence[str], None] = {depends}
'''

BODY = '''

def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("t", sa.Column("note", sa.String(200)))


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_column("t", "note")
'''


def reading(source: str, how: str) -> Script | str:
    """What a reading gives: the Script, or the error message."""
    try:
        if how == "head":
            return parse_source(source, PATH, quick=True)
        return parse_source(source, PATH)
    except RevisionError as exc:
        return f"error: {exc}"


def assert_same(source: str) -> Script | str:
    got = reading(source, "head")
    assert got == reading(source, "whole")
    return got


def fast(source: str) -> bool:
    """The head is used and read without ``ast`` (the path a generated chain takes)."""
    head = head_of(source)
    return head is not None and scan_head(head) is not None


# --- the styles revision files come in --------------------------------------------------------


@pytest.mark.parametrize(
    "down, labels, depends",
    [
        ("'9f00'", "None", "None"),
        ("None", "('feature',)", "None"),
        ("('a1', 'b2')", "None", "'c3'"),
        ("['a1', 'b2']", "'lbl'", "('c3', 'd4')"),
        ('"9f00"', '["x", "y",]', '("c3")'),
        ("('a1',)", "()", "[]"),
        ('("a,b")', "None", "None"),
    ],
)
def test_alembic_style_heads_read_fast_and_exactly(down: str, labels: str, depends: str) -> None:
    source = ALEMBIC_HEAD.format(down=down, labels=labels, depends=depends) + BODY
    assert isinstance(assert_same(source), Script)
    assert fast(source)


def test_real_alembic_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files Alembic itself writes from its default ``script.py.mako`` (annotated identifiers),
    including a branch label, a dependency and a merge."""
    from alembic import command

    # Alembic's commands put prepend_sys_path (".") first on sys.path for the whole process
    monkeypatch.setattr(sys, "path", list(sys.path))
    from alembic.config import Config

    config = Config(str(tmp_path / "alembic.ini"))
    command.init(config, str(tmp_path / "mig"))
    config.set_main_option("script_location", str(tmp_path / "mig"))
    command.revision(config, "first", rev_id="aaa1")
    command.revision(config, "second", rev_id="bbb2")
    command.revision(config, "side", rev_id="ccc3", head="aaa1", splice=True, branch_label="side")
    command.revision(config, "needs side", rev_id="ddd4", head="bbb2", depends_on="ccc3")
    command.merge(config, ["ccc3", "ddd4"], message="join", rev_id="eee5")
    files = sorted((tmp_path / "mig" / "versions").glob("*.py"))
    assert len(files) == 5
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert parse_source(source, path, quick=True) == parse_whole(source, path)
        assert fast(source), path.name
    versions = tmp_path / "mig" / "versions"
    assert load_scripts(versions, quick=True) == load_scripts(versions)
    merge = [s for s in load_scripts(versions, quick=True) if s.revision == "eee5"]
    assert set(merge[0].down_revisions) == {"ccc3", "ddd4"} and merge[0].message == "join"


@pytest.mark.parametrize(
    "down, labels, depends",
    [
        (None, None, None),
        ("9f00", ("feature",), None),
        (("a1b2c3d4e5f6", "b2c3d4e5f6a1", "c3d4e5f6a1b2", "d4e5f6a1b2c3"), None, ("x1",)),
    ],
)
def test_our_template(
    down: str | tuple[str, ...] | None,
    labels: tuple[str, ...] | None,
    depends: tuple[str, ...] | None,
) -> None:
    header = RevisionHeader("add a table", "ab12", down, "2024-01-01 00:00:00", labels, depends)
    body = Code(("op.execute('select 1')",))
    source = render_script(header, body, body)
    script = assert_same(source)
    assert isinstance(script, Script) and script.revision == "ab12"


@pytest.mark.parametrize("down", [None, "a1", ("a1", "b2")])
def test_plain_assignments_of_the_test_kit(down: str | tuple[str, ...] | None) -> None:
    source = REV_TEMPLATE.format(
        message="m",
        rev="ab12",
        down=down,
        down_text="",
        labels=("x",),
        depends=None,
        date="2024-01-01 00:00:00",
        upgrade="    pass",
        downgrade="    pass",
    )
    assert isinstance(assert_same(source), Script)
    assert fast(source)


def test_code_after_the_functions_that_reassigns_nothing() -> None:
    source = (
        ALEMBIC_HEAD.format(down="'9f00'", labels="None", depends="None")
        + BODY
        + "\n\nHELPER = 1\n\n\nclass Thing:\n    pass\n\n\nif HELPER:\n    other = 2\n"
    )
    assert isinstance(assert_same(source), Script)
    assert fast(source)


# --- heads the scanner leaves to ast (same result, no fast path) -------------------------------

UNUSUAL_HEADS = [
    # docstring with an escape, other quotes, raw prefix, none at all, a comment first
    '"""add \\"x\\"\\ttab"""\nrevision = "r1"\ndown_revision = None\n',
    "'''single'''\nrevision = 'r1'\n",
    'r"""raw \\d"""\nrevision = "r1"\n',
    'revision = "r1"\ndown_revision = None\n',
    '# -*- coding: utf-8 -*-\n"""doc"""\nrevision = "r1"\n',
    # identifiers split over lines, chained, with semicolons, duplicated, inside a block
    '"""d"""\nrevision = "r1"\ndown_revision = (\n    "a1",\n    "b2",\n)\n',
    '"""d"""\nrevision = "r1"; down_revision = "a1"\n',
    '"""d"""\nx = revision = "r1"\n',
    '"""d"""\nrevision = "r0"\nrevision = "r1"\n',
    '"""d"""\nrevision = "r1"\nif True:\n    down_revision = "a1"\n',
    '"""d"""\nrevision = "r1"\ndown_revision = "a" "1"\n',
    '"""d"""\nrevision = "r1"\ndown_revision = r"a1"\n',
    '"""d"""\nrevision = "r1"\ndown_revision = "a\\x31"\n',
    # annotations: string, Optional, PEP 604, one that only annotates
    '"""d"""\nrevision: "str" = "r1"\n',
    '"""d"""\nfrom typing import Optional\nrevision: Optional[str] = "r1"\n',
    '"""d"""\nrevision: str | None = "r1"\ndown_revision: tuple[str, ...] = ("a1",)\n',
    '"""d"""\nrevision = "r1"\ndown_revision: x <= "a1"\n',
    '"""d"""\nrevision = "r1"\ndown_revision: str\n',
    # future import, a __dunder__ line, a non-ASCII name, a form feed, Windows line ends
    '"""d"""\nfrom __future__ import annotations\nrevision = "r1"\n',
    '"""d"""\n__all__ = []\nrevision = "r1"\n',
    '"""d"""\nrévision = "x"\nrevision = "r1"\n',
    '"""d"""\n\x0c\nrevision = "r1"\n',
    '"""doc\r\n\r\nCreate Date: 2024\r\n"""\r\nrevision = "r1"\r\n',
    '"""doc\r\nmore"""\nrevision = "r1"\n',
    # code on the docstring's last line, a full-width letter spelling an identifier
    '"""d"""; down_revision = "a1"\nrevision = "r1"\n',
    '"""d"""\nrevision = "r1"\nｒevision = "r2"\n',
]


@pytest.mark.parametrize("head", UNUSUAL_HEADS)
def test_unusual_heads_give_the_same_reading(head: str) -> None:
    source = head + BODY
    assert_same(source)
    assert not fast(source) or "\\" not in head  # the scanner never reads an escape itself


def test_only_ast_reads_these() -> None:
    """The scanner gives up where its shortcut could differ from the parser."""
    for head in (UNUSUAL_HEADS[0], UNUSUAL_HEADS[7], UNUSUAL_HEADS[16], UNUSUAL_HEADS[-1]):
        cut = head_of(head + BODY)
        assert cut is not None and scan_head(cut) is None


def test_annotation_that_only_annotates_is_not_an_assignment() -> None:
    source = '"""d"""\nrevision = "r1"\ndown_revision: x <= "a1"\n' + BODY
    script = assert_same(source)
    assert isinstance(script, Script) and script.down_revisions == ()


# --- when only the whole file can tell ---------------------------------------------------------

WHOLE_FILE_NEEDED = [
    # no top-level def: there is no head
    '"""d"""\nrevision = "r1"\ndown_revision = "a1"\n',
    # an identifier (re)assigned after the first def
    '"""d"""\nrevision = "r1"\n' + BODY + '\ndown_revision = "a1"\n',
    '"""d"""\nrevision = "r0"\n' + BODY + '\nrevision = "r1"\n',
    '"""d"""\nrevision = "r1"\n' + BODY + '\nx = depends_on = "a1"\n',
    # spelled with a full-width letter: the same identifier to Python
    '"""d"""\nrevision = "r1"\n' + BODY + '\nｄown_revision = "a1"\n',
    # the first "def" is inside the docstring
    '"""d\n\ndef is a keyword\n"""\nrevision = "r1"\n' + BODY,
    # the first "@" is inside a bracket, the first "class" inside a string
    '"""d"""\nrevision = "r1"\nx = (1\n@ 2\n)\n' + BODY,
    '"""d"""\nrevision = "r1"\nx = """\nclass\n"""\n' + BODY,
    # a class that merely mentions an identifier (a false alarm: still the same reading)
    '"""d"""\nrevision = "r1"\nclass Helper:\n    revision = "no"\n' + BODY,
]


@pytest.mark.parametrize("source", WHOLE_FILE_NEEDED)
def test_falls_back_to_the_whole_file(source: str) -> None:
    got = assert_same(source)
    assert isinstance(got, Script) and got.revision == "r1"


@pytest.mark.parametrize("first", ["@decorate\ndef f():\n    pass\n", "class C:\n    pass\n"])
def test_the_head_ends_at_a_decorator_or_class(first: str) -> None:
    source = '"""d"""\nrevision = "r1"\n' + first + BODY + '\nx = "after"\n'
    assert head_of(source) == '"""d"""\nrevision = "r1"\n'
    assert isinstance(assert_same(source), Script) and fast(source)


def test_reassignment_after_def_wins() -> None:
    got = assert_same(WHOLE_FILE_NEEDED[1])
    assert isinstance(got, Script) and got.down_revisions == ("a1",)
    assert head_of(WHOLE_FILE_NEEDED[1]) is None
    fullwidth = assert_same(WHOLE_FILE_NEEDED[4])
    assert isinstance(fullwidth, Script) and fullwidth.down_revisions == ("a1",)


def test_a_head_cut_inside_a_string_is_not_used() -> None:
    source = WHOLE_FILE_NEEDED[5]
    got = assert_same(source)
    assert isinstance(got, Script) and "def is a keyword" in got.docstring


# --- broken heads: the same error as reading the whole file ------------------------------------

BROKEN_HEADS = [
    '"""d"""\nrevision = "r1"\ndown_revision = (\n\n',
    '"""d"""\nrevision = "r1"\ndown_revision = compute()\n',
    '"""d"""\ndown_revision = None\n',
    '"""d"""\nrevision = ""\n',
    '"""d"""\nrevision = "r1"\ndown_revision = 5\n',
    '"""d"""\nrevision = "r1"\ndown_revision = ("a1", "")\n',
    '"""d"""\nrevision = "r1"\nimport\n',
    '"""d"""\nrevision = "r1"\n  indented = 1\n',
    '"""unterminated\nrevision = "r1"\n',
    'revision = "r1"\x00\n',
]


@pytest.mark.parametrize("head", BROKEN_HEADS)
def test_broken_heads_fail_as_the_whole_file_does(head: str) -> None:
    got = assert_same(head + BODY)
    assert isinstance(got, str) and got.startswith("error: ") and str(PATH) in got


def test_broken_head_error_names_the_line() -> None:
    got = assert_same(BROKEN_HEADS[6] + BODY)
    assert isinstance(got, str) and "line 3: syntax error" in got


def test_a_broken_body_is_seen_by_whole_readings_only(tmp_path: Path) -> None:
    """The trade-off of listing: a syntax error inside ``upgrade()`` is not seen by ``heads`` or
    ``history``; every other command reads whole files (the default) and reports it."""
    source = '"""d"""\nrevision = "r1"\n\n\ndef upgrade(:\n    pass\n'
    script = reading(source, "head")
    assert isinstance(script, Script) and script.revision == "r1"
    (tmp_path / "r1_broken.py").write_text(source)
    with pytest.raises(RevisionError, match="r1_broken.py line 5: syntax error"):
        load_graph(tmp_path)
    assert load_graph(tmp_path, quick=True).heads == ("r1",)


def test_quick_is_opt_in() -> None:
    source = '"""d"""\nrevision = "r1"\n\n\ndef upgrade(:\n    pass\n'
    with pytest.raises(RevisionError, match="syntax error"):
        parse_source(source, PATH)


# --- many combinations --------------------------------------------------------------------------

PIECES = [
    "",
    "# comment mentioning nothing\n",
    "import os\n",
    "from typing import Sequence, Union\n",
    'revision = "r2"\n',
    "down_revision: Union[str, Sequence[str], None] = 'a1'\n",
    "branch_labels = ('b',)\n",
    "depends_on: str = 'c1'  # trailing comment\n",
    "x = 1\n",
    "  # indented comment\n",
    "\n",
]


@pytest.mark.parametrize("first", range(len(PIECES)))
def test_combinations(first: int) -> None:
    for second in PIECES:
        for third in PIECES:
            head = '"""msg\n\nCreate Date: 2024-01-01\n"""\nrevision = "r1"\n'
            source = head + PIECES[first] + second + third + BODY
            assert isinstance(assert_same(source), Script)
            assert fast(source)
