"""``check --format json|markdown|github``: the JSON contract plus the drift section, a Markdown
PR comment, and GitHub annotations that point at the models' source lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from schemadiff.check.drift import ChangeLabel, Drift
from schemadiff.check.result import CheckReport
from schemadiff.check.sourcemap import Location
from schemadiff.diff.result import DiffResult, Notice
from schemadiff.ops import DropColumn
from schemadiff.report.github import command, escape_data, escape_property
from schemadiff.report.markdown import render_markdown
from schemadiff.snapshot.model import Column, ColumnType
from tests.kit.check import execute, unique_module
from tests.kit.cli import run_cli

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Timestamped:
    created_at: Mapped[str | None] = mapped_column(sa.String(30))


class User(Timestamped, Base):
    __tablename__ = "users"
    __table_args__ = (sa.Index("ix_users_email", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(100))
    display: Mapped[str | None] = mapped_column("display_name", sa.String(50))


audit = sa.Table(
    "audit",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("message", sa.Text),
)
"""
ANNOTATION = re.compile(r"^::(?P<level>\w+) (?P<props>[^:]*)::(?P<message>.*)$")


def line_of(snippet: str) -> int:
    """1-based line of the first line of MODELS containing ``snippet``."""
    return next(i for i, line in enumerate(MODELS.splitlines(), 1) if snippet in line)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """The models above and a SQLite database that differs from them in every way we locate."""
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)
    for var in ("SCHEMADIFF_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    module = unique_module(tmp_path, MODELS, "annotated_models")
    url = f"sqlite:///{tmp_path / 'app.db'}"
    execute(
        url,
        "CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL, "
        "legacy INTEGER)",
        "CREATE TABLE audit (id INTEGER NOT NULL PRIMARY KEY)",
        "CREATE TABLE old_stuff (id INTEGER PRIMARY KEY)",
    )
    (tmp_path / "schemadiff.toml").write_text(
        f'url = "sqlite:///app.db"\nmetadata = "{module}:Base.metadata"\n'
    )
    return tmp_path, f"{module}.py"


def parse_annotations(out: str) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for line in out.splitlines():
        m = ANNOTATION.match(line)
        assert m is not None, line
        props = dict(p.split("=", 1) for p in m["props"].split(",") if p)
        found.append((m["level"], props, m["message"]))
    return found


def test_github_annotations_point_at_the_models_lines(project: tuple[Path, str]) -> None:
    folder, file = project
    result = run_cli(["check", "--format", "github"], folder)
    assert result.code == 1, result
    errors = {msg: props for level, props, msg in parse_annotations(result.out) if level == "error"}
    where = {msg.split(" [")[0]: (p.get("file"), p.get("line")) for msg, p in errors.items()}
    assert where == {
        # a column from a mixin: the mixin's line
        "add column users.created_at varchar(30)": (file, str(line_of("created_at: Mapped"))),
        # a column whose attribute name differs from its column name
        "add column users.display_name varchar(50)": (file, str(line_of("display: Mapped"))),
        # a named index in __table_args__: the line of its name
        "create index ix_users_email (email) on users": (file, str(line_of('"ix_users_email"'))),
        # a column only in the database: the class line
        "drop column users.legacy": (file, str(line_of("class User("))),
        # a Core Table(...) column
        "add column audit.message text": (file, str(line_of('sa.Column("message"'))),
        # a table only in the database: the models' file, no line
        "drop table old_stuff": (file, None),
    }
    assert all(p["title"] == "schemadiff" for p in errors.values())
    assert "drop column users.legacy [destructive]" in errors
    notices = [msg for level, _, msg in parse_annotations(result.out) if level == "notice"]
    assert notices[-1].startswith("DRIFT: sqlite:///app.db differs from the models: 6 changes")


def test_markdown_report(project: tuple[Path, str]) -> None:
    folder, _ = project
    result = run_cli(["check", "--format", "markdown"], folder)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "### ❌ schemadiff check: drift"
    assert "`sqlite:///app.db` differs from the models: **6 changes (2 destructive)**" in lines
    assert "| | Change |" in lines  # no drift column: nothing was classified
    rows = [line for line in lines if line.startswith("| ") and "`" in line]
    assert len(rows) == 6
    assert "| ⚠️ **destructive** | `drop table old_stuff` |" in rows
    assert "| ➕ | `add column users.created_at varchar(30)` |" in rows
    assert lines[-1].startswith("_drift not classified: no script\\_location configured")
    ok = run_cli(["check", "--format", "markdown", "--db", "sqlite:///nowhere.db"], folder)
    assert ok.code == 2  # errors stay one line on stderr, whatever the format


def test_json_report_shape(project: tuple[Path, str]) -> None:
    folder, _ = project
    result = run_cli(["check", "--format", "json"], folder)
    report = json.loads(result.out)
    assert list(report)[:5] == ["format", "dialect", "changes", "summary", "notices"]
    assert list(report)[5:] == ["database", "against", "drift"]
    assert report["format"] == "schemadiff.diff/1"
    assert report["summary"] == {"changes": 6, "destructive": 2}
    drift = report["drift"]
    assert list(drift) == [
        "classified",
        "note",
        "revision",
        "heads",
        "pending_revisions",
        "counts",
        "changes",
    ]
    assert len(drift["changes"]) == len(report["changes"])
    for change, labelled in zip(report["changes"], drift["changes"], strict=True):
        assert {k: change[k] for k in ("op", "schema", "table", "name")} == {
            k: labelled[k] for k in ("op", "schema", "table", "name")
        }
        assert labelled["label"] == "unclassified" and labelled["also"] == []


def test_escaping_follows_githubs_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("warning", "x: y, z\n", Location("dir,1/m:o.py", 7), root="/nowhere")
    assert line == "::warning file=dir%2C1/m%3Ao.py,line=7,title=schemadiff::x: y, z%0A"
    assert command("notice", "plain") == "::notice title=schemadiff::plain"


def test_markdown_escapes_cells_and_lists_notices() -> None:
    column = Column("a|b", ColumnType("integer"))
    result = DiffResult(
        "sqlite",
        (DropColumn(None, "t", column),),
        (Notice("warning", "possible <rename> of *t*"),),
    )
    drift = Drift(True, (ChangeLabel("out-of-band"),), revision=("r1",), heads=("r1",))
    text = render_markdown([CheckReport("db", "sqlite:///x.db", result=result, drift=drift)], False)
    assert "| ⚠️ **destructive** | `drop column t.a\\|b` | out-of-band |" in text
    assert "- **warning**: possible &lt;rename&gt; of \\*t\\*" in text
    assert "_drift: 1 out-of-band (database at r1, head r1)_" in text
