"""The fast layout of large revision bodies writes exactly what black writes.

Every shape the renderers produce (golden cases both ways, kitchen sinks created and dropped,
benchmark schemas created and changed, SQLite batch blocks) is rendered twice: black over the
whole file, and black over the template only with the bodies laid out by
:mod:`schemadiff.render.layout`. The two texts must be identical.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import black
import pytest
import sqlalchemy as sa

from bench.generate import build as bench_schema
from fixtures.cases import all_cases
from fixtures.kitchen_sink import build as kitchen_sink
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.render import layout, script
from schemadiff.render.bodies import render_bodies
from schemadiff.render.code import Code
from schemadiff.render.layout import format_body
from schemadiff.render.quotes import normalize_quotes
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources.metadata import inspect_metadata

DRIVERS = {
    "postgresql": "postgresql+psycopg://",
    "mysql": "mysql+pymysql://",
    "sqlite": "sqlite://",
}
DEFAULTS = {"postgresql": "public", "mysql": None, "sqlite": "main"}
HEADER = script.RevisionHeader("a message", "abc123", "def456", "2024-01-01 00:00:00")


def _snapshot(metadata: sa.MetaData | None, backend: str) -> Snapshot:
    dialect = sa.create_engine(DRIVERS[backend]).dialect
    if metadata is None:
        return Snapshot(dialect=backend, default_schema=DEFAULTS[backend])
    return inspect_metadata(metadata, dialect, DEFAULTS[backend])


def _as_database(snapshot: Snapshot) -> Snapshot:
    """The models' snapshot as a database would hold it: only SQLite keeps a check unnamed."""
    if snapshot.dialect == "sqlite":
        return snapshot
    tables = []
    for t in snapshot.tables:
        checks = tuple(
            replace(c, name=c.name or f"{t.name}_check{i}")
            for i, c in enumerate(t.check_constraints)
        )
        tables.append(replace(t, check_constraints=checks))
    return replace(snapshot, tables=tuple(tables))


def _scenarios() -> Iterator[tuple[str, str, sa.MetaData | None, sa.MetaData | None]]:
    for backend in DRIVERS:
        sink = kitchen_sink(backend)
        yield f"{backend}-sink-create", backend, None, sink
        yield f"{backend}-sink-drop", backend, kitchen_sink(backend), None
        yield f"{backend}-bench-create", backend, None, bench_schema(backend, 25)
        yield (
            f"{backend}-bench-change",
            backend,
            bench_schema(backend, 80),
            bench_schema(backend, 80, changed=True),
        )
        for case in all_cases():
            if backend in case.backends:
                yield f"{backend}-{case.name}", backend, case.v1(), case.v2()
                yield f"{backend}-{case.name}-back", backend, case.v2(), case.v1()


@pytest.mark.parametrize("name, backend, before, after", list(_scenarios()))
def test_layout_matches_black(
    name: str,
    backend: str,
    before: sa.MetaData | None,
    after: sa.MetaData | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, models = _as_database(_snapshot(before, backend)), _snapshot(after, backend)
    result = compute_diff(db, models, CompareOptions(metadata=after, use_entry_points=False))
    bodies = render_bodies(result, db, models)
    monkeypatch.setattr(script, "BLACK_BODY_LIMIT", 10**9)
    by_black = script.render_script(HEADER, bodies.upgrade, bodies.downgrade)
    functions_by_black = script.render_functions(bodies.upgrade, bodies.downgrade)
    monkeypatch.setattr(script, "BLACK_BODY_LIMIT", -1)
    by_layout = script.render_script(HEADER, bodies.upgrade, bodies.downgrade)
    assert by_layout == by_black
    # diff --format python: the same two functions, laid out the same way
    functions_by_layout = script.render_functions(bodies.upgrade, bodies.downgrade)
    assert functions_by_layout == functions_by_black


def _sqlite_bench_change() -> tuple[Code, Code]:
    """The bodies of an 80-table SQLite change: batch blocks with ``copy_from`` tables inside
    ``keep_triggers_and_views`` blocks."""
    db = _snapshot(bench_schema("sqlite", 80), "sqlite")
    after = bench_schema("sqlite", 80, changed=True)
    models = _snapshot(after, "sqlite")
    result = compute_diff(db, models, CompareOptions(metadata=after, use_entry_points=False))
    bodies = render_bodies(result, db, models)
    return bodies.upgrade, bodies.downgrade


def test_batch_blocks_are_laid_out_without_black(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's rebuild blocks (``with keep_triggers_and_views(...):`` and a ``with
    op.batch_alter_table(..., copy_from=sa.Table(...)) as batch_op:`` too long for one line)
    are in the layout's subset: black on each of them cost 0.1 s a block at 1,000 tables."""
    upgrade, downgrade = _sqlite_bench_change()
    assert any(line.startswith("with keep_triggers_and_views(") for line in upgrade.lines)
    assert any("copy_from=" in line for line in upgrade.lines)

    def no_black(text: str, level: int) -> list[str]:
        raise AssertionError(f"went to black: {text[:80]}")

    monkeypatch.setattr(layout, "_black_statement", no_black)
    for lines in (upgrade, downgrade):
        format_body(lines.lines, 1)


def test_large_python_diff_runs_black_on_the_skeleton_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``diff --format python`` lays out large bodies in-process, as ``revision`` does: black
    sees the imports and the two function heads, never the bodies."""
    upgrade, downgrade = _sqlite_bench_change()
    assert len("".join(upgrade.lines + downgrade.lines)) > script.BLACK_BODY_LIMIT
    seen: list[str] = []
    real = script.format_python

    def recording(text: str, *width: int) -> str:
        seen.append(text)
        return real(text, *width)

    monkeypatch.setattr(script, "format_python", recording)
    text = script.render_functions(upgrade, downgrade)
    assert "batch_alter_table" in text
    assert seen and not any("batch_alter_table" in black_input for black_input in seen)


@pytest.mark.parametrize("width", [60, 79, 100, 120])
@pytest.mark.parametrize("backend", ["postgresql", "mysql"])
def test_layout_matches_black_at_the_projects_line_length(
    backend: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project's black/ruff ``line-length``: the in-process layout still writes what black
    writes at that width (a changed schema and a kitchen sink, both directions)."""
    for before, after in (
        (None, kitchen_sink(backend)),
        (bench_schema(backend, 30), bench_schema(backend, 30, changed=True)),
    ):
        db, models = _as_database(_snapshot(before, backend)), _snapshot(after, backend)
        result = compute_diff(db, models, CompareOptions(metadata=after, use_entry_points=False))
        bodies = render_bodies(result, db, models)
        monkeypatch.setattr(script, "BLACK_BODY_LIMIT", 10**9)
        by_black = script.render_script(HEADER, bodies.upgrade, bodies.downgrade, None, width)
        monkeypatch.setattr(script, "BLACK_BODY_LIMIT", -1)
        by_layout = script.render_script(HEADER, bodies.upgrade, bodies.downgrade, None, width)
        assert by_layout == by_black
        assert by_black == black.format_str(by_black, mode=black.Mode(line_length=width))


def test_unsupported_statements_go_to_black() -> None:
    lines = [
        "x = 1 + 2",
        "op.f(('a',))",
        "op.execute('caf\u00e9 ' * 40)",
        "with op.batch_alter_table('t', schema=None) as batch_op:",
        "    batch_op.drop_column('c')",
    ]
    laid_out = "\n".join(format_body(lines, 1))
    source = "def f():\n" + "\n".join("    " + line for line in lines) + "\n"
    expected = black.format_str(source, mode=black.Mode()).split("\n", 1)[1].rstrip("\n")
    assert laid_out == expected


def test_quotes_like_black() -> None:
    rng = random.Random(7)
    alphabet = "ab'\"\\ \n\t"
    for _ in range(500):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        for literal in (repr(value), '"' + repr(value)[1:-1].replace('"', '\\"') + '"'):
            try:
                compile(literal, "<test>", "eval")
            except SyntaxError:
                continue
            expected = black.format_str(f"x = {literal}\n", mode=black.Mode())[4:-1]
            assert normalize_quotes(literal) == expected, literal
