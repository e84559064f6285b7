"""env.py's ``process_revision_directives`` on ``schemadiff revision``, on a project made by
``alembic init`` whose env.py passes the hook (from ``hooks.py``) to ``context.configure()``:
schemadiff hands it Alembic's ``MigrationScript`` and writes what the hook left, named and placed
as ``alembic revision`` does on a twin of the project (same files, same database); what it cannot
write exactly is one line, exit 2, and no file. ``revision_environment = true`` runs env.py (and
so the hook) for a plain ``revision`` too."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.chain import table_names
from tests.kit.cli import Result, run_alembic, run_process

pytestmark = pytest.mark.db

MODELS = """\
import sqlalchemy as sa

metadata = sa.MetaData()
sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50)),
)
"""
AUDIT = """
sa.Table(
    "audit", metadata,
    sa.Column("id", sa.Integer, primary_key=True), sa.Column("note", sa.String(20)),
)
"""

#: the cookbook hook: sequential ids, no file for an empty autogenerate
SEQUENTIAL = """\
from alembic.script import ScriptDirectory


def process_revision_directives(context, revision, directives):
    script = directives[0]
    if context.config.cmd_opts.autogenerate and script.upgrade_ops.is_empty():
        directives[:] = []
        return
    head = ScriptDirectory.from_config(context.config).get_current_head()
    script.rev_id = "%04d" % (1 if head is None else int(head) + 1)
"""

HEADER = """\
from pathlib import Path


def process_revision_directives(context, revision, directives):
    script = directives[0]
    script.rev_id = "ab" + script.message.replace(" ", "")
    script.message = "[app] " + script.message
    script.version_path = str(Path(context.config.config_file_name).resolve().parent / "extra")
    script.branch_label = "app"
    script.imports.add("import json")
"""


def make_project(root: Path, url: str, hooks: str, *ini: str) -> Path:
    """``alembic init migrations``; the models, ``hooks.py``, env.py passing its hook; ``ini``
    lines added to ``[alembic]``."""
    root.mkdir(parents=True, exist_ok=True)
    done = run_alembic(root, "init", "migrations")
    assert done.code == 0, done.err
    config = root / "alembic.ini"
    text = config.read_text().replace("driver://user:pass@localhost/dbname", url)
    extra = "".join(f"{line}\n" for line in ini)
    text = text.replace("[alembic]\n", f"[alembic]\n{extra}", 1)
    config.write_text(text)
    (root / "models.py").write_text(MODELS)
    (root / "hooks.py").write_text(hooks)
    env_py = root / "migrations" / "env.py"
    text = env_py.read_text()
    text = text.replace("target_metadata = None", "from models import metadata as target_metadata")
    online = "connection=connection, target_metadata=target_metadata\n"
    assert text.count(online) == 1
    text = text.replace(
        online,
        "connection=connection, target_metadata=target_metadata,\n"
        "            process_revision_directives=hooks.process_revision_directives,\n",
    )
    env_py.write_text("import hooks\n" + text)
    return root


def twin(project: Path, where: Path) -> Path:
    """A copy of the project (same database) for Alembic's own answer."""
    shutil.copytree(project, where)
    return where


def files(project: Path) -> set[str]:
    found = set(project.glob("migrations/versions/*.py")) | set(project.glob("extra/*.py"))
    return {p.relative_to(project).as_posix() for p in found}


def schemadiff(project: Path, *args: str) -> Result:
    return run_process(project, *args)


def alembic(project: Path, *args: str) -> Result:
    done = run_alembic(project, *args)
    assert done.code == 0, done.err
    return done


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> str:
    return backend_url(request.param)


def test_sequential_ids_and_no_empty_revision(tmp_path: Path, url: str) -> None:
    project = make_project(tmp_path / "p", url, SEQUENTIAL)
    other = twin(project, tmp_path / "twin")

    done = schemadiff(project, "revision", "--autogenerate", "-m", "first")
    assert done.code == 0, done.err
    alembic(other, "revision", "--autogenerate", "-m", "first")
    assert files(project) == files(other) == {"migrations/versions/0001_first.py"}
    assert 'revision: str = "0001"' in (project / "migrations/versions/0001_first.py").read_text()
    alembic(project, "upgrade", "head")

    (project / "models.py").write_text(MODELS + AUDIT)
    (other / "models.py").write_text(MODELS + AUDIT)
    shutil.rmtree(other / "migrations" / "versions")
    shutil.copytree(project / "migrations" / "versions", other / "migrations" / "versions")
    done = schemadiff(project, "revision", "--autogenerate", "-m", "second")
    assert done.code == 0, done.err
    alembic(other, "revision", "--autogenerate", "-m", "second")
    assert files(project) == files(other)
    assert "migrations/versions/0002_second.py" in files(project)
    text = (project / "migrations/versions/0002_second.py").read_text()
    assert 'down_revision: Union[str, Sequence[str], None] = "0001"' in text
    alembic(project, "upgrade", "head")
    assert schemadiff(project, "check").code == 0

    # nothing to change: schemadiff's own answer; with --allow-empty the hook drops the file,
    # as it does under Alembic
    done = schemadiff(project, "revision", "--autogenerate", "-m", "third")
    assert (done.code, done.out.strip()) == (0, "No changes detected")
    done = schemadiff(project, "revision", "--autogenerate", "-m", "third", "--allow-empty")
    assert done.code == 0, done.err
    assert done.out.strip() == (
        "env.py's process_revision_directives removed the revision; nothing written"
    )
    shutil.rmtree(other / "migrations" / "versions")
    shutil.copytree(project / "migrations" / "versions", other / "migrations" / "versions")
    alembic(other, "revision", "--autogenerate", "-m", "third")
    assert files(project) == files(other)
    assert len(files(project)) == 2


def test_header_changes_are_honoured(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    # two version locations: without the hook's version_path, revision could not choose
    locations = "version_locations = %(here)s/migrations/versions:%(here)s/extra"
    project = make_project(tmp_path / "p", url, HEADER, locations)
    (project / "extra").mkdir()
    other = twin(project, tmp_path / "twin")
    done = schemadiff(project, "revision", "--autogenerate", "-m", "new users")
    assert done.code == 0, done.err
    alembic(other, "revision", "--autogenerate", "-m", "new users")
    assert files(project) == files(other) == {"extra/abnewusers_app_new_users.py"}
    text = (project / "extra/abnewusers_app_new_users.py").read_text()
    assert text.startswith('"""[app] new users\n')
    assert "import json\n" in text
    assert 'branch_labels: Union[str, Sequence[str], None] = "app"' in text
    alembic(project, "upgrade", "head")
    assert alembic(project, "heads").out.strip() == "abnewusers (app) (head)"


def test_revision_environment_runs_the_hook_for_a_plain_revision(tmp_path: Path, url: str) -> None:
    project = make_project(tmp_path / "p", url, SEQUENTIAL, "revision_environment = true")
    other = twin(project, tmp_path / "twin")
    done = schemadiff(project, "revision", "-m", "x")
    assert done.code == 0, done.err
    alembic(other, "revision", "-m", "x")
    assert files(project) == files(other) == {"migrations/versions/0001_x.py"}
    # a second base, then a merge: env.py runs for it too, but Alembic calls no hook for a merge
    done = schemadiff(project, "revision", "-m", "y", "--head", "base")
    assert done.code == 0, done.err
    alembic(other, "revision", "-m", "y", "--head", "base")
    assert (
        files(project)
        == files(other)
        == {
            "migrations/versions/0001_x.py",
            "migrations/versions/0002_y.py",
        }
    )
    done = schemadiff(project, "merge", "heads", "-m", "join")
    assert done.code == 0, done.err
    alembic(other, "merge", "heads", "-m", "join")
    for made in (project, other):
        assert [n for n in files(made) if re.fullmatch(r".*/[0-9a-f]{12}_join\.py", n)]
    alembic(project, "upgrade", "head")
    assert alembic(project, "heads").out.strip().endswith("(head)")

    # without revision_environment env.py does not run for a plain revision (as in Alembic)
    plain = make_project(tmp_path / "plain", f"sqlite:///{tmp_path}/plain.db", SEQUENTIAL)
    done = schemadiff(plain, "revision", "-m", "x")
    assert done.code == 0, done.err
    (name,) = files(plain)
    assert re.fullmatch(r"migrations/versions/[0-9a-f]{12}_x\.py", name)


KEEP_USERS = """\
def process_revision_directives(context, revision, directives):
    script = directives[0]
    for ops in (script.upgrade_ops, script.downgrade_ops):
        ops.ops = [op for op in ops.ops if "audit" not in op.to_diff_tuple()[2]]
"""


def test_removing_changes_from_both_directions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    project = make_project(tmp_path / "p", url, KEEP_USERS)
    (project / "models.py").write_text(MODELS + AUDIT)
    done = schemadiff(project, "revision", "--autogenerate", "-m", "users only")
    assert done.code == 0, done.err
    assert "kept 1 of the 2 changes" in done.out
    (name,) = files(project)
    text = (project / name).read_text()
    assert '"users"' in text and "audit" not in text
    alembic(project, "upgrade", "head")
    alembic(project, "downgrade", "base")


REWRITER = """\
    from alembic.autogenerate.rewriter import Rewriter
    from alembic.operations import ops

    writer = Rewriter()

    @writer.rewrites(ops.CreateTableOp)
    def create_table(context, revision, op):
        assert op.table_name in ("users", "audit")
"""
RUN_REWRITER = "    writer(context, revision, directives)\n"


def test_a_rewriter_that_changes_nothing_is_fine(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    code = "def process_revision_directives(context, revision, directives):\n"
    code += REWRITER + "        return op\n" + RUN_REWRITER
    project = make_project(tmp_path / "p", url, code)
    done = schemadiff(project, "revision", "--autogenerate", "-m", "x")
    assert done.code == 0, done.err
    (name,) = files(project)
    assert 'op.create_table(\n        "users",' in (project / name).read_text()


@pytest.mark.parametrize(
    ("hook", "says"),
    [
        (
            "    from alembic.operations import ops\n"
            "    directives[0].upgrade_ops.ops.append(ops.ExecuteSQLOp('SELECT 1'))\n",
            "added an op of Alembic's (ExecuteSQLOp)",
        ),
        ("    directives[0].upgrade_ops.ops.reverse()\n", "reordered"),
        ("    del directives[0].upgrade_ops.ops[0]\n", "from one of upgrade_ops/downgrade_ops"),
        ("    directives.append(directives[0])\n", "left 2 MigrationScripts"),
        ("    directives[0].rev_id = 'no way'\n", "--rev-id 'no way' is not usable"),
        ("    directives[0].head = 'nowhere'\n", "nowhere"),
        ("    raise ValueError('boom')\n", "failed: ValueError: boom"),
        ("    directives[0].upgrade_ops.ops[0].table_name = 'x'\n", "changed an op in place"),
        ("    directives[0].upgrade_ops.ops[0].columns\n", "has no 'columns'"),
        (
            REWRITER + "        return [op, ops.ExecuteSQLOp('SELECT 1')]\n" + RUN_REWRITER,
            "ExecuteSQLOp",
        ),
    ],
)
def test_what_cannot_be_written_exactly_is_refused(tmp_path: Path, hook: str, says: str) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    code = "def process_revision_directives(context, revision, directives):\n" + hook
    project = make_project(tmp_path / "p", url, code)
    (project / "models.py").write_text(MODELS + AUDIT)
    done = schemadiff(project, "revision", "--autogenerate", "-m", "x")
    assert done.code == 2, done.out + done.err
    assert done.err.count("\n") == 1 and "Traceback" not in done.err, done.err
    assert "env.py's process_revision_directives" in done.err and says in done.err, done.err
    assert files(project) == set()


#: an Alembic-style filter: never drop tables (the recreating op leaves the downgrade too), and
#: checks the structure Alembic's autogenerate gives (column changes in a ModifyTableOps)
NO_DROPS = """\
from alembic.operations import ops


def process_revision_directives(context, revision, directives):
    script = directives[0]
    (modify,) = [op for op in script.upgrade_ops.ops if isinstance(op, ops.ModifyTableOps)]
    (add,) = [op for op in modify.ops if isinstance(op, ops.AddColumnOp)]
    assert modify.table_name == "users" and isinstance(add, ops.AddColumnOp), modify.ops
    assert add.column.name == "email" and add.table_name == "users"
    assert not hasattr(add, "constraint_name")  # as on Alembic's AddColumnOp
    script.upgrade_ops.ops = [
        op for op in script.upgrade_ops.ops if not isinstance(op, ops.DropTableOp)
    ]
    script.downgrade_ops.ops = [
        op for op in script.downgrade_ops.ops
        if not (isinstance(op, ops.CreateTableOp) and op.table_name == "legacy")
    ]
"""


#: the same filter, the downgrade rebuilt from what is left of the upgrade
NO_DROPS_REVERSED = """\
from alembic.operations import ops


def process_revision_directives(context, revision, directives):
    script = directives[0]
    script.upgrade_ops.ops = [
        op for op in script.upgrade_ops.ops if not isinstance(op, ops.DropTableOp)
    ]
    script.downgrade_ops = script.upgrade_ops.reverse()
"""


@pytest.mark.parametrize("hook", [NO_DROPS, NO_DROPS_REVERSED], ids=["filter", "reverse"])
def test_hooks_see_alembics_op_classes(tmp_path: Path, url: str, hook: str) -> None:
    project = make_project(tmp_path / "p", url, hook)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
        conn.execute(sa.text("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(50))"))
    engine.dispose()
    email = '    sa.Column("email", sa.String(100)),\n)\n'
    (project / "models.py").write_text((MODELS + AUDIT).replace("\n)\n", "\n" + email, 1))
    other = twin(project, tmp_path / "twin")
    done = schemadiff(project, "revision", "--autogenerate", "-m", "no drops")
    assert done.code == 0, done.err
    assert "kept 2 of the 3 changes" in done.out, done.out
    alembic(other, "revision", "--autogenerate", "-m", "no drops")
    for made in (project, other):
        (name,) = files(made)
        text = (made / name).read_text()
        assert "legacy" not in text and "audit" in text and "email" in text, text
    alembic(project, "upgrade", "head")
    assert {"legacy", "users", "audit"} <= table_names(url)
    alembic(project, "downgrade", "base")
    assert "audit" not in table_names(url)


ALTER = """\
from alembic.operations import ops


def process_revision_directives(context, revision, directives):
    (modify,) = directives[0].upgrade_ops.ops
    (alter,) = modify.ops
    assert isinstance(alter, ops.AlterColumnOp) and alter.column_name == "name", alter
    assert (alter.modify_nullable, alter.existing_nullable) == (False, True)
    (back,) = directives[0].downgrade_ops.ops[0].ops
    assert (back.modify_nullable, back.existing_nullable) == (True, False)
"""


def test_alter_column_ops(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50))")
        )
    engine.dispose()
    project = make_project(tmp_path / "p", url, ALTER)
    models = MODELS.replace("sa.String(50)", "sa.String(50), nullable=False")
    (project / "models.py").write_text(models)
    done = schemadiff(project, "revision", "--autogenerate", "-m", "x")
    assert done.code == 0, done.err
    (name,) = files(project)
    (project / name).unlink()
    # an attribute of Alembic's op that schemadiff does not fill in: an error, not a default
    (project / "hooks.py").write_text(ALTER + "    alter.modify_type\n")
    done = schemadiff(project, "revision", "--autogenerate", "-m", "x")
    assert done.code == 2 and "has no 'modify_type'" in done.err, done.err
    assert files(project) == set()


#: writes what the hook sees: for each op (inside ModifyTableOps too), Alembic's class and names
DUMP = """\
import json

from alembic.operations import ops

NAMES = ("table_name", "source_table", "index_name", "constraint_name", "constraint_type", "unique")


def walk(container):
    for op in container.ops:
        if isinstance(op, ops.ModifyTableOps):
            yield from ([op.table_name, *item] for item in walk(op))
            continue
        base = next(c for c in type(op).__mro__ if c.__module__ == "alembic.operations.ops")
        yield [base.__name__, {n: getattr(op, n) for n in NAMES if hasattr(op, n)}]


def process_revision_directives(context, revision, directives):
    script = directives[0]
    seen = {"up": list(walk(script.upgrade_ops)), "down": list(walk(script.downgrade_ops))}
    with open("seen.json", "w") as f:
        json.dump(seen, f)
"""


def test_index_and_constraint_ops(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            sa.text("CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50))")
        )
        conn.execute(
            sa.text("CREATE TABLE posts (id INTEGER NOT NULL PRIMARY KEY, user_id INTEGER)")
        )
    engine.dispose()
    project = make_project(tmp_path / "p", url, DUMP)
    models = MODELS.replace(
        "sa.String(50)),", 'sa.String(50)),\n    sa.Index("ix_users_name", "name"),'
    )
    models += (
        'sa.Table("posts", metadata, sa.Column("id", sa.Integer, primary_key=True),\n'
        '    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", name="fk_posts_user")))\n'
    )
    (project / "models.py").write_text(models)
    done = schemadiff(project, "revision", "--autogenerate", "-m", "x")
    assert done.code == 0, done.err
    seen = json.loads((project / "seen.json").read_text())
    index = {"table_name": "users", "index_name": "ix_users_name"}
    fk = {"constraint_name": "fk_posts_user"}
    foreign = {"constraint_type": "foreignkey"}
    assert sorted(seen["up"]) == sorted(
        [
            ["posts", "CreateForeignKeyOp", {**fk, "source_table": "posts", **foreign}],
            ["users", "CreateIndexOp", {**index, "unique": False}],
        ]
    )
    assert sorted(seen["down"]) == sorted(
        [
            [
                "posts",
                "DropConstraintOp",
                {**fk, "table_name": "posts", "constraint_type": "foreignkey"},
            ],
            ["users", "DropIndexOp", index],
        ]
    )
