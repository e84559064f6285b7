"""Malformed files the user hands schemadiff (config TOML, revision template, snapshot JSON) give
one clear line (what is wrong, which file, what to do) and exit 2, never "unexpected ... please
report it". Each case runs the real command line in a subprocess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import one_error, run_process

MODELS = """\
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(MODELS)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE users (id INTEGER PRIMARY KEY)")
    engine.dispose()
    return tmp_path


TOML_CASES = {
    "tool is a string": ('tool = "x"\n', "'tool' must be a table (it is a string)"),
    "tool is a number": ("tool = 3\n", "'tool' must be a table (it is an integer)"),
    "section is a string": (
        '[tool]\nschemadiff = "x"\n',
        "[tool.schemadiff] must be a table (it is a string)",
    ),
    "section is a list": (
        "[tool]\nschemadiff = [1]\n",
        "[tool.schemadiff] must be a table (it is an array)",
    ),
    "key of the wrong type": ("[tool.schemadiff]\nmetadata = 3\n", "'metadata' must be a"),
    "invalid TOML": ("[tool.schemadiff\n", "is not valid TOML"),
}


@pytest.mark.parametrize("file", ["pyproject.toml", "schemadiff.toml", "custom.toml"])
@pytest.mark.parametrize("name", sorted(TOML_CASES))
def test_bad_config_file(project: Path, file: str, name: str) -> None:
    text, expect = TOML_CASES[name]
    (project / file).write_text(text)
    args = ("--config", file) if file == "custom.toml" else ()
    one_error(run_process(project, *args, "check", "--db", "sqlite:///app.db"), file, expect)


def test_config_file_not_utf8(project: Path) -> None:
    (project / "schemadiff.toml").write_bytes(b'metadata = "mod\xe9ls:Base.metadata"\n')
    one_error(run_process(project, "check"), "schemadiff.toml is not UTF-8 text", "save it")


@pytest.fixture
def chain(project: Path) -> Path:
    (project / "schemadiff.toml").write_text('script_location = "migrations"\n')
    assert run_process(project, "init", "migrations").code == 0
    return project


def test_template_not_utf8(chain: Path) -> None:
    template = chain / "migrations" / "script.py.mako"
    template.write_bytes(template.read_bytes().replace(b"${message}", b"${message} \xe9t\xe9", 1))
    one_error(
        run_process(chain, "revision", "-m", "x"),
        str(template),
        "is not valid utf-8 text",
        "save it as UTF-8",
    )
    assert not list((chain / "migrations" / "versions").glob("*.py"))


def test_template_with_a_mako_coding_line(chain: Path) -> None:
    """What Mako (and so Alembic) accepts is read the same way."""
    template = chain / "migrations" / "script.py.mako"
    text = template.read_bytes().replace(b"${message}", b"${message} \xe9t\xe9", 1)
    template.write_bytes(b"## -*- coding: latin-1 -*-\n" + text)
    result = run_process(chain, "revision", "-m", "x", "--rev-id", "r1")
    assert result.code == 0, result
    written = next((chain / "migrations" / "versions").glob("r1_*.py"))
    assert written.read_text(encoding="utf-8").startswith('"""x été')


def _snapshot(project: Path) -> dict[str, object]:
    result = run_process(project, "snapshot", "--db", "sqlite:///app.db", "-o", "good.json")
    assert result.code == 0, result
    data: dict[str, object] = json.loads((project / "good.json").read_text())
    return data


SNAPSHOT_CASES = {
    "table name is a number": (
        lambda d: d["tables"][0].update(name=5),
        "snapshot.tables[0].name must be a string, got the number 5",
    ),
    "nullable is a string": (
        lambda d: d["tables"][0]["columns"][0].update(nullable="no"),
        "snapshot.tables[0].columns[0].nullable must be true or false",
    ),
    "tables is an object": (
        lambda d: d.update(tables={"users": {}}),
        "snapshot.tables must be a list, got an object",
    ),
    "column is a list": (
        lambda d: d["tables"][0].update(columns=[["id"]]),
        "snapshot.tables[0].columns[0] must be an object, got a list",
    ),
    "dialect is a number": (lambda d: d.update(dialect=1), "snapshot.dialect must be a string"),
}


@pytest.mark.parametrize("command", ["diff", "lint"])
@pytest.mark.parametrize("name", sorted(SNAPSHOT_CASES))
def test_malformed_snapshot(project: Path, name: str, command: str) -> None:
    change, expect = SNAPSHOT_CASES[name]
    data = _snapshot(project)
    change(data)  # type: ignore[no-untyped-call]
    (project / "bad.json").write_text(json.dumps(data))
    args = ("--metadata", "models:Base.metadata") if command == "diff" else ()
    if command == "lint":
        (project / "migrations" / "versions").mkdir(parents=True)
        (project / "schemadiff.toml").write_text('script_location = "migrations"\n')
    one_error(run_process(project, command, "--db", "bad.json", *args), "bad.json: ", expect)


@pytest.mark.parametrize("inner", ["[", '{"a": '], ids=["lists", "objects"])
def test_deeply_nested_snapshot(project: Path, inner: str) -> None:
    depth = 100_000
    close = "]" if inner == "[" else "}"
    text = '{"format": "schemadiff.snapshot/1", "tables": ' + inner * depth + "1" + close * depth
    (project / "deep.json").write_text(text + "}")
    result = run_process(project, "diff", "--db", "deep.json", "--metadata", "models:Base.metadata")
    one_error(result, "deep.json: not a schemadiff snapshot (its JSON is nested too deeply)")


def test_snapshot_not_utf8(project: Path) -> None:
    (project / "bad.json").write_bytes(b'{"format": "\xe9"}')
    result = run_process(project, "diff", "--db", "bad.json", "--metadata", "models:Base.metadata")
    one_error(result, "bad.json: not a schemadiff snapshot (not UTF-8 text")


def test_verify_with_a_deeply_nested_snapshot_url(project: Path) -> None:
    """verify only peeks at the snapshot's dialect; the file's fault is check's to report."""
    depth = 100_000
    (project / "deep.json").write_text("[" * depth + "]" * depth)
    (project / "migrations" / "versions").mkdir(parents=True)
    (project / "schemadiff.toml").write_text(
        'url = "deep.json"\nmetadata = "models:Base.metadata"\nscript_location = "migrations"\n'
    )
    result = run_process(project, "verify")
    assert result.code == 1, result  # the models' table is missing from the (empty) chain
    assert "unexpected" not in result.stderr
