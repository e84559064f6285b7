"""Real Alembic projects (made by the installed ``alembic init``, then edited as projects are) with
no schemadiff configuration: schemadiff reads alembic.ini / ``[tool.alembic]`` as Alembic does, so
the chain commands name the same revisions as ``alembic``'s, and new files are named, placed and
formatted as ``alembic revision`` would."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests.kit.cli import Result, run_process

ALEMBIC = str(Path(sys.executable).with_name("alembic"))
REV = re.compile(r"\b[0-9a-f]{12}\b")


def alembic(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        [ALEMBIC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert proc.returncode == 0, f"alembic {args}: {proc.stderr}"
    return proc.stdout + proc.stderr


def schemadiff(cwd: Path, *args: str) -> Result:
    result = run_process(cwd, *args)
    assert result.code == 0, f"schemadiff {args}: {result.err}"
    return result


def revs(text: str) -> set[str]:
    return set(REV.findall(text))


def set_ini(project: Path, **keys: str) -> None:
    """Set ``[alembic]`` keys of alembic.ini (replacing a line or its commented example)."""
    ini = project / "alembic.ini"
    text = ini.read_text()
    for key, value in keys.items():
        line = re.compile(rf"^#? ?{re.escape(key)} = .*$", re.MULTILINE)
        if line.search(text):
            text = line.sub(f"{key} = {value}".replace("\\", "\\\\"), text, count=1)
        else:
            text = text.replace("[alembic]\n", f"[alembic]\n{key} = {value}\n", 1)
    ini.write_text(text)


@pytest.fixture(scope="module")
def two_locations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``alembic init`` (generic), two version locations with a branch in each (one of them
    with a branch point), the URL as ``sqlite:///%(here)s/app.db``, upgraded by alembic."""
    project = tmp_path_factory.mktemp("two_locations")
    alembic(project, "init", "alembic")
    set_ini(
        project,
        version_locations="%(here)s/alembic/versions:%(here)s/extra",
        **{"sqlalchemy.url": "sqlite:///%(here)s/app.db"},
    )
    (project / "extra").mkdir()
    head = ["--head", "base"]
    alembic(project, "revision", "-m", "a1", *head, "--branch-label", "a", "--version-path",
            "alembic/versions")  # fmt: skip
    alembic(project, "revision", "-m", "b1", *head, "--branch-label", "b", "--version-path",
            "extra")  # fmt: skip
    alembic(project, "revision", "-m", "a2", "--head", "a@head")
    alembic(project, "revision", "-m", "b2", "--head", "b@head")
    b1_id = next(p.name[:12] for p in (project / "extra").glob("*_b1.py"))
    alembic(project, "revision", "-m", "b3", "--head", b1_id, "--splice")  # a branch point
    alembic(project, "upgrade", "heads")
    return project


def test_two_version_locations_give_alembics_answers(two_locations: Path) -> None:
    project = two_locations
    for command in (["heads"], ["history"], ["branches"], ["current"]):
        expected = revs(alembic(project, *command))
        assert expected, command
        assert revs(schemadiff(project, *command).out) == expected, command
    shown = next(iter(revs(alembic(project, "heads"))))
    assert shown in revs(schemadiff(project, "show", shown).out)
    # the four files of two folders: history lists all of them
    assert len(revs(alembic(project, "history"))) == 5


def test_revision_goes_where_alembic_puts_it(two_locations: Path) -> None:
    project = two_locations
    wrote = schemadiff(project, "revision", "-m", "a next", "--head", "a@head").out
    assert re.search(r"wrote alembic/versions/[0-9a-f]{12}_a_next\.py", wrote), wrote
    b2_id = next((project / "extra").glob("*_b2.py")).name[:12]
    wrote = schemadiff(project, "revision", "-m", "b next", "--head", b2_id).out
    assert "wrote extra/" in wrote, wrote
    # a new base has no folder to follow: --version-path says which, as with Alembic
    args = ("revision", "-m", "c1", "--head", "base", "--branch-label", "c")
    refused = run_process(project, *args)
    assert refused.code == 2 and "--version-path" in refused.err, refused.err
    assert len(refused.err.strip().splitlines()) == 1
    outside = run_process(project, *args, "--version-path", "elsewhere")
    assert outside.code == 2 and "not one of the version locations" in outside.err
    wrote = schemadiff(project, *args, "--version-path", "extra").out
    assert "wrote extra/" in wrote
    assert revs(schemadiff(project, "heads").out) == revs(alembic(project, "heads"))
    assert len(revs(alembic(project, "heads"))) == 4  # a, b's two heads, c


def test_merge_goes_where_alembics_merge_goes(two_locations: Path, tmp_path: Path) -> None:
    theirs = shutil.copytree(two_locations, tmp_path / "theirs")
    ours = shutil.copytree(two_locations, tmp_path / "ours")
    before = {p.relative_to(theirs) for p in theirs.rglob("*.py")}
    alembic(theirs, "merge", "heads", "-m", "join")
    [made] = {p.relative_to(theirs) for p in theirs.rglob("*.py")} - before
    wrote = schemadiff(ours, "merge", "heads", "-m", "join").out
    assert f"wrote {made.parent}/" in wrote, (made, wrote)
    assert revs(alembic(ours, "heads")) == revs(schemadiff(ours, "heads").out)


def test_pyproject_recursive_locations_give_alembics_answers(tmp_path: Path) -> None:
    """``alembic init -t pyproject`` ([tool.alembic]), recursive version locations, revisions in
    nested folders (file_template puts each in a year folder)."""
    alembic(tmp_path, "init", "-t", "pyproject", "migrations")
    with (tmp_path / "pyproject.toml").open("a") as toml:
        toml.write(
            'version_locations = ["%(here)s/migrations/versions", "%(here)s/other"]\n'
            "recursive_version_locations = true\n"
            'file_template = "%%(year)d/%%(month).2d/%%(rev)s_%%(slug)s"\n'
        )
    (tmp_path / "other").mkdir()
    base = ("--head", "base")
    alembic(tmp_path, "revision", "-m", "x1", *base, "--branch-label", "x", "--version-path",
            "migrations/versions")  # fmt: skip
    alembic(tmp_path, "revision", "-m", "y1", *base, "--branch-label", "y", "--version-path",
            "other")  # fmt: skip
    # the head's folder (other/YYYY/MM) is no location: Alembic needs --version-path, as we do
    alembic(tmp_path, "revision", "-m", "y2", "--head", "y@head", "--version-path", "other")
    y2 = next((tmp_path / "other").rglob("*_y2.py"))
    (tmp_path / "other" / "a" / "b").mkdir(parents=True)
    y2.rename(tmp_path / "other" / "a" / "b" / y2.name)  # deeper still
    expected = revs(alembic(tmp_path, "heads"))
    assert y2.name[:12] in expected and len(expected) == 2
    assert revs(schemadiff(tmp_path, "heads").out) == expected
    for command in (["history"], ["branches"]):
        assert revs(schemadiff(tmp_path, *command).out) == revs(alembic(tmp_path, *command))
    refused = run_process(tmp_path, "revision", "-m", "x2", "--head", "x@head")
    assert refused.code == 2 and "--version-path" in refused.err
    args = ("revision", "-m", "x2", "--head", "x@head", "--version-path", "migrations/versions")
    wrote = schemadiff(tmp_path, *args).out
    now = datetime.now()
    assert f"wrote migrations/versions/{now.year}/{now.month:02d}/" in wrote, wrote


def test_file_template_timezone_and_slug_length(tmp_path: Path) -> None:
    alembic(tmp_path, "init", "alembic")
    set_ini(
        tmp_path,
        file_template="%%(year)d_%%(month).2d_%%(day).2d-%%(rev)s_%%(slug)s",
        timezone="UTC",
        truncate_slug_length="10",
    )
    run = run_process(tmp_path, "revision", "-m", "add the users table", "--rev-id", "r1")
    assert run.code == 0, run.err
    [path] = (tmp_path / "alembic" / "versions").glob("*.py")
    date = re.search(r"Create Date: (\S+ \S+)", path.read_text())
    assert date and date[1].endswith("+00:00")
    day = datetime.fromisoformat(date[1]).strftime("%Y_%m_%d")
    assert path.name == f"{day}-r1_add_the_.py"
    assert "r1 (head)" in alembic(tmp_path, "heads")


#: 88 columns: black's default keeps it on one line, ``-l 79`` splits it
LONG_LINE = (
    'FORMATTED = ["aaaaaaaaaaaa", "bbbbbbbbbbbb", "cccccccccccc", "dddddddddddd", "eeeeeeee"]'
)
SPLIT = 'FORMATTED = [\n    "aaaaaaaaaaaa",\n'


def test_post_write_hooks_run_as_alembics(tmp_path: Path) -> None:
    """The project's black hook (``-l 79``) formats the file; without it the file is laid out
    at black's default 88 columns."""
    alembic(tmp_path, "init", "alembic")
    mako = tmp_path / "alembic" / "script.py.mako"
    mako.write_text(mako.read_text() + f"\n{LONG_LINE}\n")
    schemadiff(tmp_path, "revision", "-m", "plain", "--rev-id", "r1")
    plain = next((tmp_path / "alembic" / "versions").glob("r1_*.py")).read_text()
    assert LONG_LINE in plain
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        ini.read_text().replace(
            "[post_write_hooks]\n",
            "[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
            "black.entrypoint = black\nblack.options = -l 79 REVISION_SCRIPT_FILENAME\n",
        )
    )
    schemadiff(tmp_path, "revision", "-m", "hooked", "--rev-id", "r2")
    hooked = next((tmp_path / "alembic" / "versions").glob("r2_*.py")).read_text()
    assert SPLIT in hooked


def test_broken_hook_is_one_line(tmp_path: Path) -> None:
    alembic(tmp_path, "init", "alembic")
    ini = tmp_path / "alembic.ini"
    ini.write_text(
        ini.read_text().replace(
            "[post_write_hooks]\n", "[post_write_hooks]\nhooks = fmt\nfmt.type = no_such_runner\n"
        )
    )
    run = run_process(tmp_path, "revision", "-m", "x", "--rev-id", "r1")
    assert run.code == 2, run.err
    assert len(run.err.strip().splitlines()) == 1
    assert "'fmt'" in run.err and "no_such_runner" in run.err


def test_bad_percent_in_tool_alembic_is_one_line(tmp_path: Path) -> None:
    alembic(tmp_path, "init", "-t", "pyproject", "migrations")
    toml = tmp_path / "pyproject.toml"
    toml.write_text(toml.read_text().replace("%(here)s/migrations", "%(nowhere)s/migrations"))
    run = run_process(tmp_path, "heads")
    assert run.code == 2
    [line] = run.err.strip().splitlines()
    assert "[tool.alembic] script_location" in line and "%%" in line


@pytest.mark.parametrize("tool", ["black", "ruff"])
def test_projects_line_length_without_hooks(tmp_path: Path, tool: str) -> None:
    """No hook: the file is laid out at the project's own ``line-length``, so its formatter's
    check passes on it."""
    alembic(tmp_path, "init", "alembic")
    mako = tmp_path / "alembic" / "script.py.mako"
    mako.write_text(mako.read_text() + f"\n{LONG_LINE}\n")
    (tmp_path / "pyproject.toml").write_text(f"[tool.{tool}]\nline-length = 79\n")
    schemadiff(tmp_path, "revision", "-m", "narrow", "--rev-id", "r1")
    [path] = (tmp_path / "alembic" / "versions").glob("r1_*.py")
    assert SPLIT in path.read_text()
    check = [sys.executable, "-m", "black", "--check", "-l", "79", str(path)]
    assert subprocess.run(check, capture_output=True, check=False).returncode == 0
