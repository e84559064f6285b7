"""Revision scripts: a Mako template (Alembic's variables, so a project's own ``script.py.mako``
works unchanged) filled with rendered ops, then formatted by black in-process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemadiff.renderers.alembic_ops import Code

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


def render_script(
    header: RevisionHeader,
    upgrade: Code,
    downgrade: Code,
    template: str | None = None,
) -> str:
    """The complete revision file text, black-formatted."""
    from mako.template import Template  # alembic's own dependency

    imports = sorted((upgrade.imports | downgrade.imports) - _BASE_IMPORTS)
    text = Template(template or DEFAULT_TEMPLATE).render_unicode(
        message=header.message,
        up_revision=header.rev_id,
        down_revision=_unwrap(header.down_revision),
        branch_labels=_unwrap(header.branch_labels),
        depends_on=_unwrap(header.depends_on),
        create_date=header.create_date,
        comma=_comma,
        imports="\n".join(imports),
        upgrades=_indent(upgrade.lines),
        downgrades=_indent(downgrade.lines),
    )
    return format_python(text)


def render_functions(upgrade: Code, downgrade: Code) -> str:
    """Just the imports and the two functions (``diff --format python``), black-formatted."""
    imports = sorted(upgrade.imports | downgrade.imports | _BASE_IMPORTS)
    text = "\n".join(imports) + "\n\n\n"
    text += "def upgrade() -> None:\n    " + _indent(upgrade.lines) + "\n\n\n"
    text += "def downgrade() -> None:\n    " + _indent(downgrade.lines) + "\n"
    return format_python(text)


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


def format_python(text: str) -> str:
    """Format with black's library API; a template black cannot parse is left as written."""
    import black

    try:
        return black.format_str(text, mode=black.Mode())
    except black.InvalidInput:
        return text
