"""Targets on a branched, labelled chain resolve as Alembic resolves them: from the same version
rows, ``schemadiff upgrade/downgrade TARGET`` leaves the same rows as ``alembic`` does, and
``show`` names the revisions Alembic's ``RevisionMap`` returns."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from tests.kit.chain import version_rows, write_rev
from tests.kit.cli import run_cli

#: a1 -> b1 (left) -> b2 -> b3;  a1 -> c1 (right) -> c2;  d1 (other) -> d2
CHAIN = [
    ("a1", None, None),
    ("b1", "a1", ("left",)),
    ("b2", "b1", None),
    ("b3", "b2", None),
    ("c1", "a1", ("right",)),
    ("c2", "c1", None),
    ("d1", None, ("other",)),
    ("d2", "d1", None),
]

CASES = [
    ((), "upgrade", "left@+1"),
    (("a1",), "upgrade", "left@+2"),
    (("b1",), "upgrade", "right@+1"),
    (("a1",), "upgrade", "b1@+1"),
    (("b3", "c1"), "upgrade", "c1@+1"),
    (("a1",), "upgrade", "left@b3"),
    (("a1",), "upgrade", "left@head"),
    (("b1",), "upgrade", "other@+1"),
    (("b1",), "upgrade", "b1+1"),
    (("b3", "c2"), "downgrade", "left@-1"),
    (("b3", "c2"), "downgrade", "right@-1"),
    (("b3", "c2"), "downgrade", "left@-2"),
    (("b3", "c2"), "downgrade", "left@b1"),
    (("b3", "c2"), "downgrade", "left@base"),
    (("b3", "c2", "d2"), "downgrade", "other@base"),
    (("b3", "c2", "d2"), "downgrade", "other@-1"),
    (("b3", "c2"), "downgrade", "b3-2"),
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("SCHEMADIFF_URL", raising=False)
    # Alembic's in-process commands put prepend_sys_path ('.') first for the whole process;
    # the tests after these would then import from whatever directory they run in
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert run_cli(["init", "migrations"], tmp_path).code == 0
    for rev, down, labels in CHAIN:
        write_rev(tmp_path / "migrations" / "versions", rev, down, labels=labels)
    return tmp_path


def _alembic(project: Path) -> Config:
    config = Config(str(project / "alembic.ini"))
    config.set_main_option("script_location", str(project / "migrations"))
    return config


@pytest.mark.parametrize(("start", "direction", "target"), CASES)
def test_target_moves_the_database_as_alembic_does(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    start: tuple[str, ...],
    direction: str,
    target: str,
) -> None:
    rows = {}
    for who in ("alembic", "schemadiff"):
        url = f"sqlite:///{project / who}.db"
        monkeypatch.setenv("DATABASE_URL", url)
        monkeypatch.chdir(project)
        command.stamp(_alembic(project), list(start) or "base")
        assert sorted(version_rows(url)) == sorted(start)
        if who == "alembic":
            getattr(command, direction)(_alembic(project), target)
        else:
            result = run_cli([direction, target], project)
            assert result.code == 0, result.err
        rows[who] = sorted(version_rows(url))
    assert rows["schemadiff"] == rows["alembic"]


@pytest.mark.parametrize(
    "target",
    [
        "left@head",
        "left@heads",
        "left@-1",
        "right@-1",
        "b1@head",
        "left@b2",
        "right@heads",
        "other@base",
    ],
)
def test_show_resolves_as_the_revision_map(project: Path, target: str) -> None:
    script = ScriptDirectory.from_config(_alembic(project))
    expected = sorted(r.revision for r in script.get_revisions(target) if r is not None)
    result = run_cli(["show", target], project)
    assert result.code == 0, result.err
    shown = sorted(line.split()[1] for line in result.out.splitlines() if line.startswith("Rev:"))
    assert shown == expected


@pytest.mark.parametrize("target", ["left@c1", "nobranch@head", "right@+5"])
def test_bad_branch_targets_are_one_line(project: Path, target: str) -> None:
    (project / "db.sqlite").touch()
    result = run_cli(["upgrade", target, "--db", f"sqlite:///{project / 'db.sqlite'}"], project)
    assert result.code == 2 and len(result.err.splitlines()) == 1, result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("start", "targets"),
    [((), ("b2", "c1")), (("b3", "c2"), ("left@b1",)), (("b3",), ("c1", "d2")), (("b3",), ("a1",))],
)
def test_stamp_leaves_the_rows_alembic_leaves(
    project: Path, monkeypatch: pytest.MonkeyPatch, start: tuple[str, ...], targets: tuple[str, ...]
) -> None:
    rows = {}
    monkeypatch.chdir(project)
    for who in ("alembic", "schemadiff"):
        url = f"sqlite:///{project / who}.db"
        monkeypatch.setenv("DATABASE_URL", url)
        command.stamp(_alembic(project), list(start) or "base")
        if who == "alembic":
            command.stamp(_alembic(project), list(targets))
        else:
            result = run_cli(["stamp", *targets], project)
            assert result.code == 0, result.err
        rows[who] = sorted(version_rows(url))
    assert rows["schemadiff"] == rows["alembic"]
