"""Revision scripts: a Mako template (Alembic's variables, so a project's own ``script.py.mako``
works unchanged) filled with rendered ops, then formatted by black in-process."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from schemadiff.perf import without_gc
from schemadiff.render.code import Code
from schemadiff.render.layout import LINE_LENGTH

DEFAULT_TEMPLATE = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision: str = ${repr(up_revision)}
down_revision: Union[str, Sequence[str], None] = ${repr(down_revision)}
branch_labels: Union[str, Sequence[str], None] = ${repr(branch_labels)}
depends_on: Union[str, Sequence[str], None] = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
'''

#: imports every template already has
_BASE_IMPORTS = frozenset({"import sqlalchemy as sa", "from alembic import op"})


@dataclass(frozen=True)
class RevisionHeader:
    """The identifying fields of a revision file."""

    message: str
    rev_id: str
    down_revision: str | tuple[str, ...] | None
    create_date: str
    branch_labels: tuple[str, ...] | None = None
    depends_on: tuple[str, ...] | None = None


@without_gc
def render_script(
    header: RevisionHeader,
    upgrade: Code,
    downgrade: Code,
    template: str | None = None,
    line_length: int = LINE_LENGTH,
    template_args: Mapping[str, Any] | None = None,
    sections: Mapping[str, Code] | None = None,
) -> str:
    """The complete revision file text, black-formatted at ``line_length`` columns.

    black formats about 3,000 lines a second; past :data:`BLACK_BODY_LIMIT` characters of body it
    formats only the template (with a placeholder for each body) and the bodies are laid out by
    :mod:`schemadiff.render.layout`, which writes what black would for the calls we render.

    ``template_args`` are more template variables, as Alembic passes them (``config``, env.py's
    ``context.configure(template_args=...)``); the standard ones win over them. ``sections``:
    the bodies of a multidb revision by template token (``engine1_upgrades``, ...), each
    rendered as its own variable; black then formats the whole file.
    """
    if sections:
        merged = Code()
        for body in sections.values():
            merged = merged + Code((), body.imports, body.helpers)
        text = _fill(header, upgrade + merged, downgrade, template, None, template_args, sections)
        return format_python(text, line_length)
    return _format_large(
        upgrade,
        downgrade,
        lambda marks: _fill(header, upgrade, downgrade, template, marks, template_args),
        line_length,
    )


def _format_large(
    upgrade: Code,
    downgrade: Code,
    fill: Callable[[tuple[str, str] | None], str],
    line_length: int = LINE_LENGTH,
) -> str:
    """black over ``fill(None)`` (the text with both bodies) while the bodies are short; past
    :data:`BLACK_BODY_LIMIT` black over ``fill(marks)`` only, with a placeholder line for each
    body, which :mod:`schemadiff.render.layout` then lays out at ``line_length`` columns."""
    if _size(upgrade) + _size(downgrade) <= BLACK_BODY_LIMIT:
        return format_python(fill(None), line_length)
    marked = format_python(fill((_UPGRADE_MARK, _DOWNGRADE_MARK)), line_length)
    text = _put_body(marked, _UPGRADE_MARK, upgrade, line_length)
    if text is not None:
        text = _put_body(text, _DOWNGRADE_MARK, downgrade, line_length)
    if text is None:  # a template that hides the placeholders: black formats everything
        return format_python(fill(None), line_length)
    return text


#: bodies longer than this (in characters) are laid out without running black on them. In
#: characters, not lines: one SQLite batch line (a ``copy_from`` table) becomes 50 lines
BLACK_BODY_LIMIT = 10_000
_UPGRADE_MARK = "__schemadiff_upgrade_body__"
_DOWNGRADE_MARK = "__schemadiff_downgrade_body__"


def _fill(
    header: RevisionHeader,
    upgrade: Code,
    downgrade: Code,
    template: str | None,
    marks: tuple[str, str] | None = None,
    template_args: Mapping[str, Any] | None = None,
    sections: Mapping[str, Code] | None = None,
) -> str:
    """The template filled in: with the bodies, or with a placeholder line for each."""
    from mako.template import Template  # alembic's own dependency

    imports = sorted((upgrade.imports | downgrade.imports) - _BASE_IMPORTS)
    imports += _helpers(upgrade, downgrade)
    extra = dict(template_args or {})
    for token, body in (sections or {}).items():
        extra[token] = _indent(body.lines) if body.lines else "pass"
    return str(
        Template(template or DEFAULT_TEMPLATE).render_unicode(
            **{
                **extra,
                "message": docstring_safe(header.message),
                "up_revision": header.rev_id,
                "down_revision": _unwrap(header.down_revision),
                "branch_labels": _unwrap(header.branch_labels),
                "depends_on": _unwrap(header.depends_on),
                "create_date": header.create_date,
                "comma": _comma,
                "imports": "\n".join(imports),
                "upgrades": marks[0] if marks else _indent(upgrade.lines),
                "downgrades": marks[1] if marks else _indent(downgrade.lines),
            }
        )
    )


def docstring_safe(message: str) -> str:
    """``message`` escaped so that, put inside the template's ``\"\"\"...\"\"\"`` docstring,
    the file parses and the docstring reads back as ``message``: backslashes doubled, a ``"``
    escaped where it could end the string (before another ``"`` or at the end), and control
    characters other than newline and tab written as escapes (a file cannot hold them as-is)."""
    out = []
    for i, char in enumerate(message):
        if char == "\\":
            out.append("\\\\")
        elif char == '"' and (i + 1 == len(message) or message[i + 1] == '"'):
            out.append('\\"')
        elif char not in "\n\t" and (ord(char) < 32 or ord(char) == 127):
            out.append(f"\\x{ord(char):02x}")
        elif 0xD800 <= ord(char) <= 0xDFFF:  # an undecodable byte of the command line
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def _size(body: Code) -> int:
    return sum(len(line) for line in body.lines)


def _put_body(text: str, mark: str, body: Code, width: int) -> str | None:
    """Replace the placeholder line ``mark`` with the laid-out body (None if it is not there
    exactly once, alone on its line)."""
    from schemadiff.render.layout import format_body

    lines = text.split("\n")
    found = [i for i, line in enumerate(lines) if line.strip() == mark]
    if len(found) != 1 or text.count(mark) != 1:
        return None
    index = found[0]
    indent = len(lines[index]) - len(lines[index].lstrip(" "))
    if indent % 4:
        return None
    lines[index : index + 1] = format_body(body.lines, indent // 4, width)
    return "\n".join(lines)


def render_functions(upgrade: Code, downgrade: Code) -> str:
    """Just the imports and the two functions (``diff --format python``), black-formatted
    (large bodies laid out in-process, as :func:`render_script` does)."""
    imports = sorted(upgrade.imports | downgrade.imports | _BASE_IMPORTS)
    imports += _helpers(upgrade, downgrade)

    def fill(marks: tuple[str, str] | None) -> str:
        up = marks[0] if marks else _indent(upgrade.lines)
        down = marks[1] if marks else _indent(downgrade.lines)
        text = "\n".join(imports) + "\n\n\n"
        text += "def upgrade() -> None:\n    " + up + "\n\n\n"
        return text + "def downgrade() -> None:\n    " + down + "\n"

    return _format_large(upgrade, downgrade, fill)


def render_sections(sections: Sequence[tuple[str, Code, Code]]) -> str:
    """``diff --format python`` for several databases: the imports, then an
    ``upgrade_NAME()`` / ``downgrade_NAME()`` pair per database (the functions of Alembic's
    multidb template), black-formatted."""
    merged = Code()
    for _, up, down in sections:
        merged = merged + Code((), up.imports | down.imports, up.helpers | down.helpers)
    imports = sorted(merged.imports | _BASE_IMPORTS) + _helpers(merged, Code())
    text = "\n".join(imports) + "\n"
    for name, up, down in sections:
        text += f"\n\ndef upgrade_{name}() -> None:\n    " + (_indent(up.lines) or "pass")
        text += f"\n\n\ndef downgrade_{name}() -> None:\n    " + (_indent(down.lines) or "pass")
        text += "\n"
    return format_python(text)


def _helpers(upgrade: Code, downgrade: Code) -> list[str]:
    """Module-level helper code, after the imports (in the template's ``imports`` slot: the
    only one at module level)."""
    return [f"\n\n{text}" for text in sorted(upgrade.helpers | downgrade.helpers)]


def _unwrap(value: str | Sequence[str] | None) -> str | tuple[str, ...] | None:
    if value is None or isinstance(value, str):
        return value
    items = tuple(value)
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def _comma(value: str | Sequence[str] | None) -> str:
    """Alembic's ``comma`` template filter: a tuple of revisions as ``a, b``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return ", ".join(value)


def _indent(lines: Sequence[str]) -> str:
    return "\n    ".join(lines)


def format_python(text: str, line_length: int = LINE_LENGTH) -> str:
    """Format with black's library API; a template black cannot parse is left as written."""
    import black

    try:
        return black.format_str(text, mode=black.Mode(line_length=line_length))
    except black.InvalidInput:
        return text
