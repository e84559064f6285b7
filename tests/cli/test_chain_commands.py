"""The migration commands end to end on SQLite: init, revision, upgrade/downgrade, current,
history, heads, branches, show, stamp, merge, offline SQL, and the bad-input table."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.chain.graph import load_graph
from tests.kit.chain import table_names, table_ops, version_rows, write_rev
from tests.kit.cli import Result, run_cli


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised project with an (empty) SQLite database as SCHEMADIFF_URL."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("SCHEMADIFF_URL", f"sqlite:///{tmp_path / 'app.db'}")
    (tmp_path / "app.db").touch()
    result = run_cli(["init", "migrations"], tmp_path)
    assert result.code == 0, result.err
    return tmp_path


def url_of(project: Path) -> str:
    return f"sqlite:///{project / 'app.db'}"


def versions(project: Path) -> Path:
    return project / "migrations" / "versions"


def ok(project: Path, *args: str) -> Result:
    result = run_cli(args, project)
    assert result.code == 0, f"{args}: {result.err}"
    return result


def three_tables(project: Path) -> None:
    """t1 -> t2 -> t3, each creating a table of the same name."""
    down = None
    for rev in ("t1", "t2", "t3"):
        up, down_body = table_ops(rev)
        write_rev(versions(project), rev, down, upgrade=up, downgrade=down_body)
        down = rev


# --- init and revision -----------------------------------------------------------------------


def test_init_writes_an_environment(project: Path) -> None:
    assert (project / "migrations" / "versions").is_dir()
    assert (project / "migrations" / "env.py").is_file()
    assert (project / "migrations" / "script.py.mako").is_file()
    assert "script_location = %(here)s/migrations" in (project / "alembic.ini").read_text()
    again = run_cli(["init", "migrations"], project)
    assert again.code == 2 and "already exists" in again.err
    other = ok(project, "init", "other")
    assert "alembic.ini exists and was left as it is" in other.out


def test_revision_chain_and_listing(project: Path) -> None:
    ok(project, "revision", "-m", "create users", "--rev-id", "aaa1")
    ok(project, "revision", "-m", "Add posts: table!", "--rev-id", "bbb2")
    files = sorted(p.name for p in versions(project).iterdir())
    assert files == ["aaa1_create_users.py", "bbb2_add_posts_table.py"]
    assert ok(project, "heads").out == "bbb2 (head)\n"
    assert ok(project, "history").out == (
        "aaa1 -> bbb2 (head), Add posts: table!\n<base> -> aaa1, create users\n"
    )
    shown = ok(project, "show", "aaa").out
    assert "Rev: aaa1" in shown and "Parent: <base>" in shown and "create users" in shown
    assert "Rev: bbb2 (head)" in ok(project, "history", "-v").out


def test_custom_template_is_used(project: Path) -> None:
    mako = project / "migrations" / "script.py.mako"
    mako.write_text(
        '"""${message}"""\n# author: me\nrevision = ${repr(up_revision)}\n'
        "down_revision = ${repr(down_revision)}\n"
    )
    ok(project, "revision", "-m", "hello", "--rev-id", "c0ffee")
    text = (versions(project) / "c0ffee_hello.py").read_text()
    assert "# author: me" in text and 'revision = "c0ffee"' in text


# --- upgrade / downgrade / current / stamp ---------------------------------------------------


def test_upgrade_downgrade_current(project: Path) -> None:
    three_tables(project)
    url = url_of(project)
    result = ok(project, "upgrade", "+1")
    assert "Running upgrade <base> -> t1" in result.out
    assert version_rows(url) == ["t1"] and "t1" in table_names(url)
    ok(project, "upgrade")
    assert version_rows(url) == ["t3"] and {"t1", "t2", "t3"} <= table_names(url)
    assert ok(project, "current").out == "t3 (head)\n"
    assert "nothing to do" in ok(project, "upgrade", "head").out
    ok(project, "downgrade", "-1")
    assert version_rows(url) == ["t2"] and "t3" not in table_names(url)
    assert "Path:" in ok(project, "current", "-v").out
    assert ok(project, "history", "-r", "-1:current").out.splitlines() == [
        "t1 -> t2, revision t2",
        "<base> -> t1, revision t1",
    ]
    ok(project, "downgrade", "base")
    assert version_rows(url) == [] and not {"t1", "t2", "t3"} & table_names(url)
    assert "alembic_version" in table_names(url)  # kept, as Alembic keeps it
    assert ok(project, "current").out == ""


def test_stamp_and_purge(project: Path) -> None:
    three_tables(project)
    url = url_of(project)
    assert "stamped: base -> t2" in ok(project, "stamp", "t2").out
    assert version_rows(url) == ["t2"] and "t1" not in table_names(url)  # no script ran
    ok(project, "upgrade")
    assert table_names(url) >= {"t3"} and "t2" not in table_names(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'gone'"))
    engine.dispose()
    bad = run_cli(["current"], project)
    assert bad.code == 2 and "stamped with revision gone, which is not in the chain" in bad.err
    assert run_cli(["stamp", "t1"], project).code == 2
    ok(project, "stamp", "--purge", "t1")
    assert version_rows(url) == ["t1"]


# --- branches, merge, splice -----------------------------------------------------------------


def test_branches_merge_and_splice(project: Path) -> None:
    ok(project, "revision", "-m", "base one", "--rev-id", "a1")
    ok(project, "revision", "-m", "two", "--rev-id", "a2")
    ok(project, "revision", "-m", "three", "--rev-id", "a3")
    not_head = run_cli(["revision", "-m", "x", "--head", "a2"], project)
    assert not_head.code == 2 and "a2 is not a head; pass --splice" in not_head.err
    ok(
        project,
        "revision",
        "-m",
        "side",
        "--rev-id",
        "s1",
        "--head",
        "a2",
        "--splice",
        "--branch-label",
        "side",
    )
    ok(
        project,
        "revision",
        "-m",
        "other base",
        "--rev-id",
        "o1",
        "--head",
        "base",
        "--branch-label",
        "other",
    )
    ok(
        project,
        "revision",
        "-m",
        "needs side",
        "--rev-id",
        "o2",
        "--head",
        "other@head",
        "--depends-on",
        "s1",
    )
    graph = load_graph(versions(project))
    assert set(graph.heads) == {"a3", "s1", "o2"}
    assert graph.scripts["o2"].depends_on == ("s1",)
    several = run_cli(["revision", "-m", "y"], project)
    assert several.code == 2 and "multiple heads" in several.err
    assert ok(project, "branches").out.startswith("a2 (branchpoint), two\n    -> a3 (head)")
    tree = ok(project, "history").out
    assert "a2 (branchpoint), two" in tree and "o2 (head) (depends on s1)" in tree
    ok(project, "upgrade", "side@head")
    assert version_rows(url_of(project)) == ["s1"]
    ok(project, "merge", "heads", "-m", "join all", "--rev-id", "m1")
    graph = load_graph(versions(project))
    assert graph.heads == ("m1",) and set(graph.scripts["m1"].down_revisions) == {"a3", "s1", "o2"}
    ok(project, "upgrade")
    assert version_rows(url_of(project)) == ["m1"]
    ok(project, "downgrade", "a3")
    assert version_rows(url_of(project)) == ["a3", "o2"]  # o2 covers s1, its dependency
    assert ok(project, "current").out == "a3\no2\n"


# --- offline SQL -----------------------------------------------------------------------------


def test_offline_sql(project: Path) -> None:
    three_tables(project)
    out = ok(project, "upgrade", "--sql").out
    assert out.index("CREATE TABLE alembic_version") < out.index("CREATE TABLE t1")
    assert "INSERT INTO alembic_version (version_num) VALUES ('t1')" in out
    assert (
        "UPDATE alembic_version SET version_num='t3' WHERE alembic_version.version_num = 't2'"
        in out
    )
    part = ok(project, "upgrade", "--sql", "t1:t2").out
    assert "CREATE TABLE t2" in part and "t1 (" not in part and "alembic_version (" not in part
    down = ok(project, "downgrade", "--sql", "t3:t1").out
    assert "DROP TABLE t3" in down and "DROP TABLE t2" in down and "t1;" not in down
    assert version_rows(url_of(project)) == []  # nothing ran
    pg = ok(project, "upgrade", "--sql", "--db", "postgresql+psycopg://u:pw@nohost/db").out
    assert pg.count("BEGIN;") == 3 and pg.count("COMMIT;") == 3


# --- bad input: one line on stderr, exit 2, nothing changed -----------------------------------

BAD_INPUT = [
    (["upgrade", "zzz"], "unknown revision 'zzz'", None),
    (["upgrade", "t"], "prefix 't' is ambiguous: it matches t1, t2, t3", None),
    (["downgrade", "-1"], "below base", None),
    # a bare step goes one way only (an anchored one like t1+1 names a revision)
    (["downgrade", "+1"], "downgrade +1: a relative downgrade must be negative (-1)", None),
    (["upgrade", "-1"], "upgrade -1: a relative upgrade must be positive (+1)", None),
    (["upgrade", "--sql", "-2"], "a relative upgrade must be positive (+2)", None),
    (["downgrade", "--sql", "t3:+1"], "a relative downgrade must be negative (-1)", None),
    (["upgrade", "--bogus"], "no such option: --bogus", None),
    (["downgrade", "t3+1"], "'t3+1' goes 1 step(s) past the head t3; no revision follows", None),
    (["downgrade", "--sql", "t1"], "downgrade --sql needs FROM:TO", None),
    (["upgrade", "head"], "multiple heads", "branch"),
    (["upgrade", "head"], "cycle: ", "cycle"),
    (["heads"], "down_revision 'nope' is not a revision", "dangling"),
    (["history"], "line 3: syntax error", "syntax"),
    (["upgrade"], "stamped with revision ghost, which is not in the chain", "ghost"),
    (["revision", "-m", "x", "--rev-id", "t1"], "revision 't1' already exists", None),
    (["revision", "-m", "x", "--depends-on", "nope"], "unknown revision 'nope'", None),
    (["revision", "-m", "x", "--rev-id", "bad/id"], "--rev-id 'bad/id' is not usable", None),
    (["revision", "-m", "x", "--rev-id", ".."], "--rev-id '..' is not usable", None),
    (["revision", "-m", "x", "--rev-id", "a-b"], "--rev-id 'a-b' is not usable", None),
    (["merge", "t3", "x1", "-m", "x", "--rev-id", "x/y"], "--rev-id 'x/y' is not usable", "branch"),
    (["merge", "t3", "-m", "x"], "merge needs at least two revisions", None),
    # reading commands refuse a missing SQLite file (upgrade creates it: tests/test_first_run.py)
    (["current", "--db", "sqlite:///missing.db"], "does not exist", None),
]


def _spoil(project: Path, how: str | None) -> None:
    folder = versions(project)
    if how == "branch":
        write_rev(folder, "x1", "t1")
    elif how == "cycle":
        write_rev(folder, "t1", "t3", upgrade=table_ops("t1")[0], downgrade=table_ops("t1")[1])
    elif how == "dangling":
        write_rev(folder, "x1", "nope")
    elif how == "syntax":
        # in the head (identifiers, imports): listing reads a file up to its first def only
        (folder / "broken.py").write_text(
            "revision = 'b'\n\nx = (:\n\n\ndef upgrade():\n    pass\n"
        )
    elif how == "ghost":
        engine = sa.create_engine(url_of(project))
        with engine.begin() as conn:
            conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            conn.execute(sa.text("INSERT INTO alembic_version VALUES ('ghost')"))
        engine.dispose()


@pytest.mark.parametrize("args, message, spoil", BAD_INPUT, ids=[m for _, m, _ in BAD_INPUT])
def test_bad_input(project: Path, args: list[str], message: str, spoil: str | None) -> None:
    three_tables(project)
    _spoil(project, spoil)
    before_files = sorted(versions(project).iterdir())
    before_tables = table_names(url_of(project))
    result = run_cli(args, project)
    assert result.code == 2, result.out
    assert message in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("error: ")
    assert sorted(versions(project).iterdir()) == before_files
    assert table_names(url_of(project)) == before_tables


def test_long_chain_lists_without_importing(project: Path) -> None:
    """heads/history read files with ast: a script that would fail on import is never run."""
    down = None
    for i in range(300):
        rev = f"r{i:04d}"
        path = write_rev(versions(project), rev, down)
        path.write_text(path.read_text() + "\nraise RuntimeError('imported!')\n")
        down = rev
    assert ok(project, "heads").out == "r0299 (head)\n"
    assert len(ok(project, "history").out.splitlines()) == 300
    failing = run_cli(["upgrade", "+1"], project)
    assert failing.code == 2 and "importing revision file" in failing.err
    assert "r0000_rev.py" in failing.err and version_rows(url_of(project)) == []


def test_named_environment_has_its_own_version_table(project: Path) -> None:
    three_tables(project)
    (project / "pyproject.toml").write_text(
        '[tool.schemadiff.environments.other]\nversion_table = "other_versions"\n'
    )
    url = url_of(project)
    ok(project, "-n", "other", "upgrade", "t1")
    assert version_rows(url, "other_versions") == ["t1"] and version_rows(url) == []
    assert ok(project, "-n", "other", "current").out == "t1\n"
    assert ok(project, "current").out == ""
