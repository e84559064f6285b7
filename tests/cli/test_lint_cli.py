"""``schemadiff lint`` end to end: revision selection (ranges, ``--since`` with a real git
repository), inline suppression, output formats, exit codes, and scripts written by our own
``revision --autogenerate``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.kit.chain import write_rev
from tests.kit.cli import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "example_app"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a migrations environment (no database configured)."""
    for var in ("SCHEMADIFF_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "schemadiff.toml").write_text('script_location = "migrations"\n')
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    return tmp_path


def versions(project: Path) -> Path:
    return project / "migrations" / "versions"


def chain(project: Path) -> None:
    """a1 creates the tables; b2 drops a column; c3 renames a table; d4 adds an index."""
    v = versions(project)
    write_rev(
        v,
        "a1",
        upgrade="op.create_table('users', sa.Column('id', sa.Integer), sa.Column('nick', sa.Text))"
        "\nop.create_index('ix_users_nick', 'users', ['nick'])",
    )
    write_rev(v, "b2", "a1", upgrade="op.drop_column('users', 'nick')")
    write_rev(v, "c3", "b2", upgrade="op.rename_table('users', 'people')")
    write_rev(v, "d4", "c3", upgrade="op.create_index('ix_people_id', 'people', ['id'])")


def lint_json(project: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = run_cli(["lint", "--format", "json", *args], project)
    assert result.code in (0, 1), result
    return result.code, json.loads(result.out)


def found(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["revision"], f["code"]) for f in report["findings"]]


# --- selection -------------------------------------------------------------------------------


def test_default_lints_every_revision(project: Path) -> None:
    chain(project)
    code, report = lint_json(project, "--dialect", "postgresql")
    assert code == 1
    assert found(report) == [("b2", "SD102"), ("c3", "SD401"), ("d4", "SD301")]
    assert report["summary"]["revisions"] == 4


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("b2:c3", [("b2", "SD102"), ("c3", "SD401")]),
        ("c3:", [("c3", "SD401"), ("d4", "SD301")]),
        (":b2", [("b2", "SD102")]),
        ("base:b2", [("b2", "SD102")]),
        ("c3", [("c3", "SD401")]),
        ("head", [("d4", "SD301")]),
    ],
)
def test_revision_range(project: Path, spec: str, expected: list[tuple[str, str]]) -> None:
    chain(project)
    _, report = lint_json(project, spec, "--dialect", "postgresql")
    assert found(report) == expected


def test_unknown_revision_is_bad_input(project: Path) -> None:
    chain(project)
    result = run_cli(["lint", "zz9:"], project)
    assert result.code == 2 and "zz9" in result.err


def _git(folder: Path, *args: str) -> None:
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *ident, *args], cwd=folder, check=True, capture_output=True)


def test_since_git_ref_lints_only_added_revision_files(project: Path) -> None:
    v = versions(project)
    write_rev(v, "a1", upgrade="op.create_table('users', sa.Column('id', sa.Integer))")
    write_rev(v, "b2", "a1", upgrade="op.drop_table('old_stuff')")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "first")
    _git(project, "tag", "v1")
    write_rev(v, "c3", "b2", upgrade="op.drop_column('users', 'id')")
    _, report = lint_json(project, "--since", "HEAD")
    assert found(report) == [("c3", "SD102")]  # b2's drop is older than HEAD
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "second")
    write_rev(v, "d4", "c3", upgrade="op.rename_table('users', 'people')")
    _, report = lint_json(project, "--since", "v1")
    assert found(report) == [("c3", "SD102"), ("d4", "SD401")]  # committed since v1, and new
    code, report = lint_json(project, "--since", "HEAD", ":c3")
    assert (code, found(report)) == (0, [])
    assert "no revision file was added since HEAD" in report["notes"]


def test_since_looks_in_every_version_location(project: Path) -> None:
    """``version_locations`` with two folders, ``recursive_version_locations`` on, a SQLite
    URL: files added since the ref count in each folder and in nested ones, not only in the
    first (the default ``versions/``)."""
    (project / "schemadiff.toml").unlink()
    (project / "alembic.ini").write_text(
        "[alembic]\n"
        "script_location = %(here)s/migrations\n"
        "path_separator = os\n"
        "version_locations = %(here)s/migrations/versions:%(here)s/branches\n"
        "recursive_version_locations = true\n"
        "sqlalchemy.url = sqlite:///%(here)s/app.db\n"
    )
    v, branches = versions(project), project / "branches"
    write_rev(v, "a1", upgrade="op.create_table('users', sa.Column('id', sa.Integer))")
    write_rev(branches, "b2", "a1", upgrade="op.drop_table('old_stuff')")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "first")
    _git(project, "tag", "v1")
    _, report = lint_json(project, "--since", "v1")
    assert found(report) == [] and report["summary"]["revisions"] == 0
    write_rev(branches / "nested" / "deeper", "c3", "b2", upgrade="op.drop_column('users', 'id')")
    write_rev(v, "d4", "c3", upgrade="op.rename_table('users', 'people')")
    _, report = lint_json(project, "--since", "v1")
    assert found(report) == [("c3", "SD102"), ("d4", "SD401")]  # untracked, in both locations
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "second")
    write_rev(branches / "nested", "e5", "d4", upgrade="op.drop_column('people', 'id')")
    _, report = lint_json(project, "--since", "v1")
    assert found(report) == [("c3", "SD102"), ("d4", "SD401"), ("e5", "SD102")]
    _, report = lint_json(project, "--since", "HEAD")
    assert found(report) == [("e5", "SD102")]  # the nested file added after the commit
    _, report = lint_json(project)
    assert found(report) == [("b2", "SD101"), ("c3", "SD102"), ("d4", "SD401"), ("e5", "SD102")]


def test_since_outside_git_or_with_unknown_ref_is_bad_input(project: Path) -> None:
    chain(project)
    result = run_cli(["lint", "--since", "main"], project)
    assert result.code == 2 and "not inside a git repository" in result.err
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-q", "-m", "first")
    result = run_cli(["lint", "--since", "no-such-branch"], project)
    assert result.code == 2 and "unknown git ref 'no-such-branch'" in result.err


# --- suppression -----------------------------------------------------------------------------

SUPPRESSED = """\
op.drop_column('users', 'a')  # schemadiff: ignore[SD102]
# schemadiff: ignore[SD102]
op.drop_column('users', 'b')
op.drop_column('users', 'c')  # schemadiff: ignore[SD101]
op.drop_table('t1')  # schemadiff: ignore
op.create_index('ix_u', 'users', ['x'], unique=True)  # schemadiff: ignore[SD202, sd301]
op.drop_table('t2')  # schemadiff: ignore[SD101]
op.drop_table('t3')
op.drop_column(
    'users',
    'd',
)  # schemadiff: ignore[SD102]
# schemadiff: ignore[SD102]

op.drop_column('users', 'e')"""


def test_inline_suppression(project: Path) -> None:
    write_rev(versions(project), "a1", upgrade=SUPPRESSED)
    code, report = lint_json(project, "--dialect", "postgresql")
    assert code == 1
    left = [(f["code"], f["message"].split(":")[0]) for f in report["findings"]]
    assert left == [
        ("SD102", "drop column users.c"),  # a comment for another code
        ("SD101", "drop table t3"),  # the trailing comment above belongs to t2's line
        ("SD102", "drop column users.e"),  # a blank line between comment and call
    ]
    assert report["summary"]["suppressed"] == 7


def test_ignore_option_and_unknown_codes(project: Path) -> None:
    chain(project)
    _, report = lint_json(project, "--dialect", "postgresql", "--ignore", "SD401,sd301")
    assert found(report) == [("b2", "SD102")]
    result = run_cli(["lint", "--ignore", "SD999"], project)
    assert result.code == 2 and "SD999" in result.err


# --- dialect ---------------------------------------------------------------------------------


def test_dialect_comes_from_the_configured_url(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain(project)
    _, report = lint_json(project, "d4")
    assert (found(report), report["dialect"]) == ([], None)
    assert "SD301-SD303" in report["notes"][0]
    # never connects: the URL only names the backend
    monkeypatch.setenv("SCHEMADIFF_URL", "postgresql+psycopg://u:secret@nowhere.invalid/db")
    _, report = lint_json(project, "d4")
    assert (found(report), report["dialect"], report["notes"]) == (
        [("d4", "SD301")],
        "postgresql",
        [],
    )
    monkeypatch.setenv("SCHEMADIFF_URL", "sqlite:///app.db")
    _, report = lint_json(project, "d4")
    assert (found(report), report["dialect"]) == ([], "sqlite")
    _, report = lint_json(project, "d4", "--dialect", "postgres")
    assert report["dialect"] == "postgresql"
    result = run_cli(["lint", "--dialect", "oracle"], project)
    assert result.code == 2 and "unknown --dialect 'oracle'" in result.err


# --- formats and exit codes ------------------------------------------------------------------


def test_clean_chain_exits_0(project: Path) -> None:
    write_rev(versions(project), "a1", upgrade="op.create_table('t', sa.Column('id', sa.Integer))")
    result = run_cli(["lint", "--dialect", "postgresql"], project)
    assert (result.code, result.out.strip()) == (0, "no findings in 1 revision")


def test_text_format(project: Path) -> None:
    chain(project)
    result = run_cli(["lint", "--dialect", "postgresql"], project)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith(
        "migrations/versions/b2_rev.py:18  SD102 error  drop column users.nick"
    )
    assert lines[0].endswith("(revision b2)")
    assert lines[-1] == "3 findings (1 error(s), 2 warning(s)) in 4 revisions"


def test_json_format(project: Path) -> None:
    chain(project)
    code, report = lint_json(project, "--dialect", "postgresql")
    assert code == 1
    assert list(report) == ["format", "dialect", "findings", "summary", "notes"]
    assert report["format"] == "schemadiff.lint/1"
    first = report["findings"][0]
    assert list(first) == ["code", "revision", "file", "line", "message", "severity"]
    assert first["file"] == "migrations/versions/b2_rev.py" and first["line"] == 18
    assert first["severity"] == "error"
    assert report["summary"] == {
        "revisions": 4,
        "findings": 3,
        "errors": 1,
        "warnings": 2,
        "suppressed": 0,
        "codes": {"SD102": 1, "SD301": 1, "SD401": 1},
    }


def test_github_annotations_point_at_the_op_line(project: Path) -> None:
    chain(project)
    result = run_cli(["lint", "--format", "github", "--dialect", "postgresql"], project)
    assert result.code == 1
    annotations = [line for line in result.out.splitlines() if line.startswith("::")]
    assert annotations[0] == (
        "::error file=migrations/versions/b2_rev.py,line=18,title=SD102 drop column::"
        "SD102 drop column users.nick: its values are lost and code still reading it fails; "
        "stop using it in a release first, then drop it in a later one"
    )
    assert annotations[1].startswith("::warning file=migrations/versions/c3_rev.py,line=18,")
    for line in annotations:
        path, lineno = line.split("file=")[1].split(",")[0], line.split("line=")[1].split(",")[0]
        source = (project / path).read_text().splitlines()[int(lineno) - 1]
        assert source.strip().startswith("op.")


def test_github_paths_are_relative_to_the_workspace(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_rev(versions(project), "a1", upgrade="op.drop_table('t')\nop.drop_table('a,b:c%')")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(project.parent))
    result = run_cli(["lint", "--format", "github"], project)
    lines = result.out.splitlines()
    assert lines[0].startswith(
        f"::error file={project.name}/migrations/versions/a1_rev.py,line=18,"
    )
    assert lines[1].endswith(
        "::SD101 drop table a,b:c%25: its rows are lost and code still "
        "using it fails; stop using it in a release first, and keep a backup"
    )


def test_markdown_format(project: Path) -> None:
    chain(project)
    result = run_cli(["lint", "--format", "markdown", "--dialect", "postgresql", "b2"], project)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] == "### schemadiff lint: 1 finding (1 error(s), 0 warning(s)) in 1 revision"
    assert lines[-1].startswith("| **error** | SD102 | `migrations/versions/b2_rev.py:18` | `b2` |")


def test_unknown_format_and_missing_location(project: Path, tmp_path: Path) -> None:
    chain(project)
    result = run_cli(["lint", "--format", "xml"], project)
    assert result.code == 2 and "unknown --format 'xml'" in result.err
    (project / "schemadiff.toml").write_text("")
    result = run_cli(["lint"], project)
    assert result.code == 2 and "script_location" in result.err


# --- our own scripts -------------------------------------------------------------------------


def test_autogenerated_example_app_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The example app's migration (v1 database -> v2 models) drops users.nickname: SD102, at the
    batch_op.drop_column line; widening username and adding a nullable column are fine."""
    for var in ("SCHEMADIFF_URL", "DATABASE_URL"):
        monkeypatch.delenv(var, raising=False)
    app = tmp_path / "app"
    shutil.copytree(EXAMPLE, app, ignore=shutil.ignore_patterns("*.db", "__pycache__"))
    subprocess.run([sys.executable, "make_db.py"], cwd=app, check=True, capture_output=True)
    module = f"example_models_{os.getpid()}"  # a fresh name: imports are cached across tests
    shutil.copy(app / "models.py", app / f"{module}.py")
    assert run_cli(["init", "migrations"], app).code == 0
    revision = ["revision", "--autogenerate", "-m", "v2", "--metadata", f"{module}:Base.metadata"]
    assert run_cli(revision, app).code == 0
    code, report = lint_json(app)
    assert code == 1 and report["dialect"] == "sqlite"
    [finding] = report["findings"]
    assert finding["code"] == "SD102" and "users.nickname" in finding["message"]
    source = (app / finding["file"]).read_text().splitlines()
    assert source[finding["line"] - 1].strip() == 'batch_op.drop_column("nickname")'
    # the same script on PostgreSQL also needs CONCURRENTLY for the index on existing posts
    _, report = lint_json(app, "--dialect", "postgresql")
    assert [f["code"] for f in report["findings"]] == ["SD102", "SD301"]


def test_range_from_the_database_current_revision(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chain(project)
    monkeypatch.setenv("SCHEMADIFF_URL", f"sqlite:///{project / 'app.db'}")
    (project / "app.db").touch()
    assert run_cli(["stamp", "b2"], project).code == 0
    _, report = lint_json(project, "current:", "--dialect", "postgresql")
    assert found(report) == [("b2", "SD102"), ("c3", "SD401"), ("d4", "SD301")]  # like history
