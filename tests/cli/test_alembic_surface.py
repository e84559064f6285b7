"""Alembic's command surface, compared with the installed ``alembic`` on the same project files
(real processes): ``revision`` without ``-m``, ``stamp --sql``, ``history -i``, ``heads
--resolve-dependencies``, ``current --check-heads``, ``ensure_version`` (and ``--sql``), ``edit``,
``list_templates``."""

from __future__ import annotations

import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import version_rows, write_rev
from tests.kit.cli import Result, run_alembic, run_process


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """``schemadiff init migrations``: a project both commands can run."""
    assert run_process(tmp_path, "init", "migrations").code == 0
    return tmp_path


def versions(project: Path) -> Path:
    return project / "migrations" / "versions"


def both(
    project: Path, url: str, *args: str, env: dict[str, str] | None = None
) -> tuple[Result, Result]:
    """The same command run by schemadiff and by alembic."""
    env = {"DATABASE_URL": url, **(env or {})}
    return run_process(project, *args, env=env), run_alembic(project, *args, env=env)


def sqlite_url(project: Path) -> str:
    return f"sqlite:///{project / 'app.db'}"


def linear(project: Path) -> None:
    write_rev(versions(project), "a1")
    write_rev(versions(project), "b2", "a1", message="second")


# --- revision without -m ---------------------------------------------------------------------


def test_revision_without_message_is_named_like_alembics(project: Path, tmp_path: Path) -> None:
    ours = run_process(project, "revision", "--rev-id", "a1")
    assert ours.code == 0, ours.err
    theirs = run_alembic(project, "revision", "--rev-id", "b2")
    assert theirs.code == 0, theirs.err
    names = sorted(p.name for p in versions(project).glob("*.py"))
    assert names == ["a1_.py", "b2_.py"]  # an empty slug, as Alembic names it
    for name in names:
        assert (versions(project) / name).read_text().startswith('"""empty message\n')
    merged = run_process(project, "heads")
    assert merged.out == "b2 (head)\n"


# --- stamp --sql and ensure_version ----------------------------------------------------------

OFFLINE = [
    ("stamp", "a1", "--sql"),
    ("stamp", "b2:a1", "--sql"),
    ("stamp", "heads", "--sql"),
    ("stamp", "base", "--sql"),
    ("stamp", "b2:base", "--sql"),
    ("ensure_version", "--sql"),
]
#: our header naming the MySQL-family target, and RETURNING (which our MariaDB target, of a known
#: server version, has while Alembic's version-less dialect does not)
_OURS_ONLY = re.compile(r"^-- target: .*\n\n|(?<=\)) RETURNING alembic_version\.version_num", re.M)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_offline_stamp_and_ensure_version_print_alembics_sql(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = sqlite_url(project) if backend == "sqlite" else backend_url(backend)
    linear(project)
    for args in OFFLINE:
        ours, theirs = both(project, url, *args)
        assert ours.code == 0 == theirs.code, (args, ours.err, theirs.err)
        assert _OURS_ONLY.sub("", ours.out) == _OURS_ONLY.sub("", theirs.out), args
    if backend != "sqlite":
        ours, _ = both(project, url, "stamp", "a1", "--sql")
        assert "alembic_version" in ours.out and version_rows(url) == []  # nothing ran


def test_stamp_sql_refuses_two_starts_and_purge(project: Path) -> None:
    linear(project)
    url = sqlite_url(project)
    two = run_process(project, "stamp", "a1:b2", "b2:a1", "--sql", env={"DATABASE_URL": url})
    assert two.code == 2 and "one starting revision" in two.err
    purge = run_process(project, "stamp", "a1", "--sql", "--purge", env={"DATABASE_URL": url})
    assert purge.code == 2 and "--purge cannot be used with --sql" in purge.err
    assert len(two.err.splitlines()) == 1 == len(purge.err.splitlines())


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_ensure_version_creates_the_table_alembic_reads(
    project: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = sqlite_url(project) if backend == "sqlite" else backend_url(backend)
    linear(project)
    env = {"DATABASE_URL": url}
    first = run_process(project, "ensure_version", env=env)
    assert first.code == 0 and "created" in first.out, first.err
    engine = sa.create_engine(url)
    try:
        columns = {c["name"] for c in sa.inspect(engine).get_columns("alembic_version")}
        pk = sa.inspect(engine).get_pk_constraint("alembic_version")
    finally:
        engine.dispose()
    assert columns == {"version_num"} and pk["constrained_columns"] == ["version_num"]
    again = run_process(project, "ensure_version", env=env)
    assert again.code == 0 and "already exists" in again.out
    assert run_alembic(project, "current", env=env).code == 0  # Alembic takes it as its own
    assert run_alembic(project, "stamp", "a1", env=env).code == 0
    assert version_rows(url) == ["a1"]


# --- history -i, heads --resolve-dependencies, current --check-heads -------------------------


def test_history_indicate_current_matches_alembic(project: Path) -> None:
    linear(project)
    url = sqlite_url(project)
    assert run_alembic(project, "upgrade", "a1", env={"DATABASE_URL": url}).code == 0
    for args in (("history", "-i"), ("history", "--indicate-current", "-r", "base:heads")):
        ours, theirs = both(project, url, *args)
        assert ours.code == 0 == theirs.code, ours.err
        assert ours.out == theirs.out
        assert "<base> -> a1 (current), revision a1" in ours.out
    verbose = run_process(project, "history", "-i", "-v", env={"DATABASE_URL": url})
    assert "Rev: a1 (current)" in verbose.out


def test_history_indicate_current_on_branches_marks_the_tree(project: Path) -> None:
    write_rev(versions(project), "a1")
    write_rev(versions(project), "b1", "a1")
    write_rev(versions(project), "c1", "a1")
    url = sqlite_url(project)
    assert run_process(project, "upgrade", "b1", env={"DATABASE_URL": url}).code == 0
    tree = run_process(project, "history", "-i", env={"DATABASE_URL": url})
    assert tree.code == 0, tree.err
    assert "b1 (head) (current), revision b1" in tree.out
    assert "c1 (head), revision c1" in tree.out


def test_heads_resolve_dependencies_matches_alembic(project: Path) -> None:
    write_rev(versions(project), "a1", labels=("one",))
    write_rev(versions(project), "b1", labels=("two",), depends="a1")
    url = sqlite_url(project)
    plain_ours, plain_theirs = both(project, url, "heads")
    assert plain_ours.out == plain_theirs.out == "a1 (one) (effective head)\nb1 (two) (head)\n"
    ours, theirs = both(project, url, "heads", "--resolve-dependencies")
    assert ours.code == 0 == theirs.code, ours.err
    assert ours.out == theirs.out == "b1 (two) (head)\n"


def test_current_check_heads(project: Path) -> None:
    linear(project)
    url = sqlite_url(project)
    env = {"DATABASE_URL": url}
    assert run_process(project, "upgrade", "a1", env=env).code == 0
    behind = run_process(project, "current", "--check-heads", env=env)
    assert behind.code == 1 and behind.out == ""
    assert behind.err.splitlines() == [
        "error: Database is not on all head revisions (it is at a1, the heads are b2); "
        "run 'schemadiff upgrade heads'"
    ]
    assert run_alembic(project, "current", "--check-heads", env=env).code != 0
    assert run_process(project, "upgrade", env=env).code == 0
    ours, theirs = both(project, url, "current", "--check-heads")
    assert ours.code == 0 == theirs.code and ours.out == theirs.out == "b2 (head)\n"


# --- edit and list_templates -----------------------------------------------------------------


def _editor(tmp_path: Path) -> Path:
    """An editor that appends a marker line to the file it is given."""
    script = tmp_path / "editor.sh"
    script.write_text('#!/bin/sh\necho "# edited" >> "$1"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_edit_opens_the_revision_file(project: Path, tmp_path: Path) -> None:
    linear(project)
    editor = str(_editor(tmp_path))
    url = sqlite_url(project)
    result = run_process(project, "edit", "a1", env={"EDITOR": editor})
    assert result.code == 0, result.err
    assert (versions(project) / "a1_rev.py").read_text().endswith("# edited\n")
    assert not (versions(project) / "b2_rev.py").read_text().endswith("# edited\n")
    assert run_process(project, "edit", "head", env={"EDITOR": editor}).code == 0
    assert (versions(project) / "b2_rev.py").read_text().endswith("# edited\n")
    env = {"EDITOR": editor, "DATABASE_URL": url}
    assert run_process(project, "upgrade", "a1", env=env).code == 0
    assert run_process(project, "edit", "current", env=env).code == 0
    assert (versions(project) / "a1_rev.py").read_text().count("# edited") == 2


def test_edit_errors_are_one_line(project: Path, tmp_path: Path) -> None:
    linear(project)
    missing = run_process(project, "edit", "zz9", env={"EDITOR": "true"})
    assert missing.code == 2 and "unknown revision 'zz9'" in missing.err
    no_editor = run_process(
        project, "edit", "a1", env={"EDITOR": str(tmp_path / "none"), "PATH": str(tmp_path)}
    )
    assert no_editor.code == 2 and len(no_editor.err.splitlines()) == 1
    assert "set EDITOR" in no_editor.err and "Traceback" not in no_editor.err


def test_list_templates_lists_alembics_templates(tmp_path: Path) -> None:
    ours = run_process(tmp_path, "list_templates")
    theirs = run_alembic(tmp_path, "list_templates")
    assert ours.code == 0 == theirs.code, ours.err
    pattern = re.compile(r"^(\w+) - (.+)$", re.M)
    assert dict(pattern.findall(ours.out)) == dict(pattern.findall(theirs.out))
    assert ours.out.startswith("Available templates:\n\n")
    assert "schemadiff init --template generic ./migrations" in ours.out
