"""Helpers for the lint tests: a chain with a base revision creating the tables the rules act on,
and one revision under test."""

from __future__ import annotations

from pathlib import Path

from schemadiff.chain.graph import load_graph
from schemadiff.lint import LintResult, lint_revisions
from tests.kit.chain import write_rev

#: the base revision: "existing" tables (and an enum) for the revision under test
BASE = """\
op.create_table(
    'users',
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('email', sa.String(50)),
    sa.Column('mood', sa.Enum('happy', 'sad', 'meh', name='mood')),
)
op.create_table(
    'posts',
    sa.Column('id', sa.Integer, primary_key=True),
    sa.Column('user_id', sa.Integer),
    sa.Column('title', sa.String(50)),
    sa.Column('price', sa.Numeric(10, 2)),
)
op.execute("CREATE TYPE color AS ENUM ('red', 'green', 'blue')")"""


def lint_body(
    folder: Path, body: str, dialect: str | None = "postgresql", base: str = BASE
) -> LintResult:
    """Lint revision ``b2`` (``upgrade()`` body ``body``) following the base revision ``a1``."""
    versions = folder / "versions"
    write_rev(versions, "a1", upgrade=base)
    write_rev(versions, "b2", "a1", upgrade=body)
    return lint_revisions(load_graph(versions), {"b2"}, dialect)


def codes(folder: Path, body: str, dialect: str | None = "postgresql") -> list[str]:
    return [f.code for f in lint_body(folder, body, dialect).findings]
