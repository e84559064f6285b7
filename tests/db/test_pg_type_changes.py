"""PostgreSQL type changes never lose data silently (issue 13, section 2).

A narrowing (``varchar(100)`` -> ``varchar(40)``, a smaller numeric scale, any change that is not a
widening) is a plain ``ALTER ... TYPE`` after a check that every value converts unchanged: rows
that do not fit make the upgrade fail and keep their data, rows that fit convert. ``USING`` is
only there for conversions PostgreSQL has no assignment cast for (text -> integer, integer ->
boolean), and those fail on a value that would change (``5`` is not a boolean) instead of
coercing it. The downgrade of a widening is a narrowing and gets the same treatment.
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable
from decimal import Decimal as D
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import Result, run_cli

pytestmark = pytest.mark.db
_MODULES = itertools.count()

MODELS = """
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
metadata = sa.MetaData()
sa.Table(
    "t", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("v", {type}),
)
"""


class Project:
    """A schemadiff project on a PostgreSQL database whose models are swapped step by step."""

    def __init__(self, folder: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder, self.url, self.step = folder, url, 0
        monkeypatch.delenv("DATABASE_URL", raising=False)
        monkeypatch.setenv("SCHEMADIFF_URL", url)
        assert self.run("init", "migrations").code == 0

    def run(self, *args: str) -> Result:
        return run_cli(list(args), self.folder)

    def models(self, type_code: str) -> str:
        self.step += 1
        name = f"pgtc_models_{next(_MODULES)}_{os.getpid()}"
        (self.folder / f"{name}.py").write_text(MODELS.format(type=type_code))
        return f"{name}:metadata"

    def revision(self, type_code: str) -> str:
        """Autogenerate toward a model where ``t.v`` has ``type_code``; the script text."""
        rev = f"r{self.step + 1}"
        ref = self.models(type_code)
        args = ("revision", "--autogenerate", "-m", rev, "--rev-id", rev, "--metadata", ref)
        result = self.run(*args)
        assert result.code == 0, result
        [script] = (self.folder / "migrations" / "versions").glob(f"{rev}_*.py")
        return script.read_text()

    def sql(self, statement: str, **params: object) -> list[tuple[object, ...]]:
        engine = sa.create_engine(self.url)
        try:
            with engine.begin() as conn:
                result = conn.execute(sa.text(statement), params)
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()

    def values(self) -> list[object]:
        return [v for (v,) in self.sql("SELECT v FROM t ORDER BY id")]

    def column_type(self) -> str:
        [(text,)] = self.sql(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 't'::regclass AND attname = 'v'"
        )
        return str(text)


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend_url: Callable[[str], str]
) -> Project:
    return Project(tmp_path, backend_url("postgresql"), monkeypatch)


def _start(project: Project, ddl_type: str, rows: list[object]) -> None:
    project.sql(f"CREATE TABLE t (id integer PRIMARY KEY, v {ddl_type})")
    for i, value in enumerate(rows, 1):
        project.sql("INSERT INTO t VALUES (:i, :v)", i=i, v=value)


NARROWINGS = [
    # (database type, model type, a value that does not fit, values that fit, what they become)
    ("varchar(100)", "sa.String(40)", "x" * 80, ["short", "y" * 40], None),
    ("numeric(10,3)", "sa.Numeric(8, 2)", "1.234", ["1.230", "99.5"], [D("1.23"), D("99.50")]),
    ("numeric(10,2)", "sa.Integer()", "12.50", ["12.00", "-3"], [12, -3]),
    ("bigint", "sa.Integer()", str(2**40), ["7"], [7]),
    (
        "timestamp(6)",
        "postgresql.TIMESTAMP(precision=0)",
        "2024-01-01 10:00:00.5",
        ["2024-01-01"],
        None,
    ),
    ("text", "sa.Integer()", "012", ["12", "-4"], [12, -4]),
    ("text", "sa.Integer()", "abc", ["1"], [1]),
    ("integer", "sa.Boolean()", "5", ["0", "1"], [False, True]),
]


@pytest.mark.parametrize(("old", "new", "bad", "good", "converted"), NARROWINGS)
def test_narrowing_fails_on_rows_that_do_not_fit_and_converts_rows_that_fit(
    project: Project, old: str, new: str, bad: str, good: list[str], converted: list[object] | None
) -> None:
    _start(project, old, [*good, bad])
    before = project.values()
    script = project.revision(new)
    assert "::varchar(40)" not in script and "::numeric(8,2)" not in script, script
    result = project.run("upgrade", "head")
    assert result.code != 0, (result, script)
    assert project.values() == before, script  # nothing converted, nothing cut
    assert project.column_type().startswith(old.split("(")[0].replace("varchar", "character"))

    project.sql("DELETE FROM t WHERE id = :i", i=len(good) + 1)
    result = project.run("upgrade", "head")
    assert result.code == 0, (result, script)
    after = project.values()
    assert after == (converted if converted is not None else before[: len(good)]), script
    diff = project.run("diff", "--metadata", project.models(new), "--format", "json")
    assert json.loads(diff.out)["changes"] == [], diff


def test_varchar_narrowing_is_a_plain_alter_type_marked_destructive(project: Project) -> None:
    _start(project, "varchar(100)", ["a"])
    ref = project.models("sa.String(40)")
    report = json.loads(project.run("diff", "--metadata", ref, "--format", "json").out)
    [change] = report["changes"]
    assert change["destructive"] is True
    text = project.run("diff", "--metadata", ref).out
    assert "(destructive)" in text
    check = project.run("check", "--metadata", ref)
    assert check.code == 1 and "destructive" in check.out
    sql = project.run("diff", "--metadata", ref, "--format", "sql").out
    assert "ALTER TABLE t ALTER COLUMN v TYPE VARCHAR(40);" in sql, sql
    assert "USING" not in sql, sql
    script = project.revision("sa.String(40)")
    upgrade = script.split("def downgrade")[0]
    assert "postgresql_using" not in upgrade, script
    assert "# narrowing" in upgrade, script


def test_downgrade_of_a_widening_is_a_narrowing_that_keeps_the_data(project: Project) -> None:
    _start(project, "varchar(40)", ["short"])
    script = project.revision("sa.String(100)")
    upgrade, downgrade = script.split("def downgrade")
    assert "# narrowing" not in upgrade and "# narrowing" in downgrade, script
    assert "destructive" in downgrade, script
    assert project.run("upgrade", "head").code == 0
    project.sql("INSERT INTO t VALUES (2, :v)", v="z" * 80)
    result = project.run("downgrade", "base")
    assert result.code != 0, (result, script)
    assert project.values() == ["short", "z" * 80]
    assert project.column_type() == "character varying(100)"
    project.sql("DELETE FROM t WHERE id = 2")
    assert project.run("downgrade", "base").code == 0
    assert project.column_type() == "character varying(40)"
    assert project.values() == ["short"]


def test_lint_flags_the_narrowing_we_render(project: Project) -> None:
    _start(project, "varchar(100)", ["a"])
    project.revision("sa.String(40)")
    result = project.run("lint", "--format", "json")
    assert result.code == 1, result
    findings = json.loads(result.out)["findings"]
    assert [f["code"] for f in findings if f["code"].startswith("SD1")] == ["SD103"], findings
    assert "the migration fails on values that do not fit" in findings[0]["message"]
