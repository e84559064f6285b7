"""Convergence: the test that matters most.

For every golden case and backend: build v1 with ``create_all`` and seed rows, autogenerate the
migration to v2, apply it. The database must then equal one made by ``create_all(v2)`` (compared
by an independent description built from SQLAlchemy's inspector), our diff against v2 must be
empty, and the rows must survive. Downgrade must bring back v1, again with the rows. Everything
goes through the commands a user runs: ``init``, ``revision --autogenerate``, ``upgrade head``,
``downgrade base``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from fixtures.cases import ALL_BACKENDS, Case, all_cases
from tests.kit.cases import build_v1, diff_against, schemas_of
from tests.kit.cli import run_cli
from tests.kit.independent import describe, keep_declared_types

PARAMS = [
    pytest.param(
        case,
        backend,
        id=f"{case.name}-{backend}",
        marks=[pytest.mark.db] if backend != "sqlite" else [],
    )
    for case in all_cases()
    for backend in ALL_BACKENDS
    if backend in case.backends
]


def make_project(folder: Path, url: str, case: Case, backend: str) -> Path:
    """A project folder whose models are the case's v2, set up with ``schemadiff init``."""
    folder.mkdir()
    module = f"models_{case.name}_{backend}"
    (folder / f"{module}.py").write_text(
        f"from fixtures.cases import load_case\n\nmetadata = load_case({case.name!r}).v2()\n"
    )
    (folder / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "{module}:metadata"\nscript_location = "migrations"\n'
    )
    assert cli(folder, "init", "migrations").code == 0
    return folder


def cli(folder: Path, *args: str) -> Any:
    result = run_cli(list(args), folder)
    assert result.code in (0, 1), (args, result)
    return result


def autogenerate(folder: Path, case: Case) -> str:
    """``schemadiff revision --autogenerate`` with the case's rename hints; the script text."""
    args = ["revision", "--autogenerate", "-m", case.name, "--rev-id", "0001"]
    for schema, old, new in case.rename_tables:
        args += ["--rename-table", f"{schema + '.' if schema else ''}{old}={new}"]
    for _schema, table, old, new in case.rename_columns:
        args += ["--rename-column", f"{table}.{old}={new}"]
    result = cli(folder, *args)
    assert result.code == 0, result
    scripts = sorted((folder / "migrations" / "versions").glob("0001_*.py"))
    assert len(scripts) == 1, result
    return scripts[0].read_text()


def reference(url: str, metadata: sa.MetaData, schemas: list[str]) -> dict[str, Any]:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for schema in schemas:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
                elif conn.dialect.name in ("mysql", "mariadb"):
                    conn.execute(sa.text(f"CREATE DATABASE IF NOT EXISTS `{schema}`"))
            metadata.create_all(conn)
        with engine.connect() as conn:
            return describe(conn, [None, *schemas])
    finally:
        engine.dispose()


Rows = dict[str, list[dict[str, Any]]]


def rows_after(engine: Engine, case: Case, renamed: bool) -> Rows:
    """The seeded rows as they read now, keyed by their v1 table and column names (the names
    they have now are found through the case's renames)."""
    table_map = {old: new for _, old, new in case.rename_tables} if renamed else {}
    target = case.v2() if renamed else case.v1()
    for t in target.tables.values():
        if renamed and t.info.get("renamed_from"):
            table_map[t.info["renamed_from"]] = t.name
    out: Rows = {}
    with engine.connect() as conn:
        for table, rows in sorted(case.rows.items()):
            name = table_map.get(table, table)
            if name not in target.tables:
                continue
            cols = _surviving_columns(case, target.tables[name], rows[0].keys(), renamed)
            if not cols:
                continue
            pk = [c.name for c in target.tables[name].primary_key.columns] or [cols[0][1]]
            query = (
                sa.select(*[sa.column(new) for _, new in cols])
                .select_from(sa.table(name, schema=target.tables[name].schema))
                .order_by(*[sa.column(c) for c in pk])
            )
            out[table] = [
                dict(zip([old for old, _ in cols], r, strict=True)) for r in conn.execute(query)
            ]
    return out


def _surviving_columns(
    case: Case, table: sa.Table, seeded: Any, renamed: bool
) -> list[tuple[str, str]]:
    col_map = {(t, old): new for _, t, old, new in case.rename_columns}
    for c in table.columns:
        if renamed and c.info.get("renamed_from"):
            col_map[(table.name, c.info["renamed_from"])] = c.name
    out = []
    for col in sorted(seeded):
        new = col_map.get((table.name, col), col) if renamed else col
        if new in table.c:
            out.append((col, new))
    return out


def assert_rows_kept(before: Rows, after: Rows, script: str) -> None:
    """Every row is still there; values compare equal as text where the column survived."""
    for table, rows in after.items():
        old = before.get(table, [])
        assert len(rows) == len(old), (table, script)
        for a, b in zip(old, rows, strict=True):
            for col in a.keys() & b.keys():
                assert _same(a[col], b[col]), (table, col, a[col], b[col], script)


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


@pytest.mark.parametrize(("case", "backend"), PARAMS)
def test_convergence(
    case: Case, backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    schemas = schemas_of(case.v1(), case.v2())
    want_v2 = reference(backend_url(backend, 1), case.v2(), schemas)
    engine = sa.create_engine(url)
    try:
        build_v1(engine, case)
        with engine.connect() as conn:
            v1_state = describe(conn, [None, *schemas])
        rows_v1 = rows_after(engine, case, renamed=False)

        folder = make_project(tmp_path / "project", url, case, backend)
        script = autogenerate(folder, case)
        assert cli(folder, "upgrade", "head").code == 0
        same_storage = case.keeps_declared_type.get(backend, [])
        with engine.connect() as conn:
            got = keep_declared_types(describe(conn, [None, *schemas]), same_storage)
        assert got == keep_declared_types(want_v2, same_storage), script
        leftover = diff_against(engine, case, case.v2())
        assert [op.describe() for op in leftover.ops] == [], script
        rows_v2 = rows_after(engine, case, renamed=True)
        assert_rows_kept(rows_v1, rows_v2, script)

        assert cli(folder, "downgrade", "base").code == 0
        with engine.connect() as conn:
            assert describe(conn, [None, *schemas]) == v1_state, script
        back = rows_after(engine, case, renamed=False)
        # what the upgrade kept must come back (a dropped column's values cannot)
        kept = {
            t: [{c: v for c, v in row.items() if c in rows_v2[t][0]} for row in r]
            for t, r in back.items()
            if rows_v2.get(t)
        }
        assert_rows_kept(rows_v1, kept, script)
    finally:
        engine.dispose()
