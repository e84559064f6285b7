"""Output integrity: a write that fails (full disk, ``ulimit -f``) is exit 2 with one line, never a
truncated report with a verdict; files are written all or nothing; a reader that went away is no
error. Everything runs the real command line into real sinks: ``/dev/full`` (ENOSPC) and a file
under ``ulimit -f`` (EFBIG), with outputs far bigger than any buffer."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import ROOT, run_process

TABLES = 100
COLUMNS = 16
#: ``ulimit -f`` in 1024-byte blocks: far less than any of the outputs below
LIMIT_BLOCKS = 16
ENOSPC = "No space left on device"
EFBIG = "File too large"

#: ``metadata``: the database's tables with other columns (many ops, for every report);
#: ``created``: only new tables, for ``--format sql`` (SQLite's batch rebuilds, which column
#: changes need, take many seconds to render at this size)
MODELS = f"""
import sqlalchemy as sa

metadata = sa.MetaData()
created = sa.MetaData()
for i in range({TABLES}):
    columns = [sa.Column(f"c{{j}}", sa.String(50), server_default="x") for j in range({COLUMNS})]
    sa.Table(f"t{{i:04d}}", metadata, sa.Column("id", sa.Integer, primary_key=True), *columns)
for i in range({2 * TABLES}):
    columns = [sa.Column(f"c{{j}}", sa.String(50), server_default="x") for j in range({COLUMNS})]
    sa.Table(f"n{{i:04d}}", created, sa.Column("id", sa.Integer, primary_key=True), *columns)
"""


def _database_metadata() -> sa.MetaData:
    """The database side: the same tables with other columns, so every command has a lot to say."""
    metadata = sa.MetaData()
    for i in range(TABLES):
        sa.Table(
            f"t{i:04d}",
            metadata,
            sa.Column("id", sa.Integer, primary_key=True),
            *[sa.Column(f"x{j}", sa.Integer, server_default="0") for j in range(COLUMNS)],
        )
    return metadata


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with ``models.py`` and ``db.sqlite`` (``TABLES`` tables, all different)."""
    folder = tmp_path_factory.mktemp("output")
    (folder / "models.py").write_text(MODELS, encoding="utf-8")
    engine = sa.create_engine(f"sqlite:///{folder / 'db.sqlite'}")
    _database_metadata().create_all(engine)
    engine.dispose()
    return folder


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A one-table SQLite database: every output fits in the stdio buffer."""
    url = f"sqlite:///{tmp_path_factory.mktemp('small') / 'small.sqlite'}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("create table t0000 (id integer primary key)"))
    engine.dispose()
    return url


SQLITE = ("--db", "sqlite:///db.sqlite")
MODELS_OPT = ("--metadata", "models:metadata")
STDOUT_COMMANDS = {
    "snapshot": ("snapshot", *SQLITE, "-o", "-"),
    "diff-json": ("diff", *SQLITE, *MODELS_OPT, "--format", "json"),
    "diff-sql": ("diff", *SQLITE, "--metadata", "models:created", "--format", "sql"),
    "diff-text": ("diff", *SQLITE, *MODELS_OPT),
    "check-json": ("check", *SQLITE, *MODELS_OPT, "--format", "json"),
}


def _env(unbuffered: bool = False, **extra: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("SCHEMADIFF_URL", "DATABASE_URL")}
    clean.update({"NO_COLOR": "1", "PYTHONPATH": str(ROOT), **extra})
    clean.pop("PYTHONUNBUFFERED", None)
    if unbuffered:
        clean["PYTHONUNBUFFERED"] = "1"
    return clean


def _shell(
    cwd: Path,
    args: tuple[str, ...],
    redirect: str,
    *,
    limit: int | None = None,
    unbuffered: bool = False,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """``[ulimit -f LIMIT;] python -m schemadiff ARGS REDIRECT`` in bash; stderr captured (a
    pipe, which no file-size limit applies to)."""
    command = shlex.join([sys.executable, "-m", "schemadiff", *args]) + " " + redirect
    if limit is not None:
        command = f"ulimit -f {limit}; {command}"
    return subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=_env(unbuffered, **env),
        capture_output=True,
        text=True,
        timeout=300,
    )


def _one_error(stderr: str, expected: str) -> None:
    assert stderr.splitlines() == [expected], stderr
    assert "Traceback" not in stderr


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_outputs_are_large(project: Path, name: str) -> None:
    """The premise of this module: each output is far bigger than a pipe or stdio buffer."""
    result = run_process(project, *STDOUT_COMMANDS[name])
    assert result.code == (0 if name == "snapshot" else 1), result.stderr
    assert len(result.stdout.encode()) > 100_000


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_full_disk_on_stdout_is_exit_2(project: Path, name: str) -> None:
    result = _shell(project, STDOUT_COMMANDS[name], "> /dev/full")
    assert result.returncode == 2
    _one_error(result.stderr, f"error: could not write standard output: {ENOSPC}")


@pytest.mark.parametrize(
    ("name", "unbuffered"),
    [*((name, False) for name in STDOUT_COMMANDS), ("snapshot", True), ("diff-text", True)],
)
def test_file_size_limit_on_stdout_is_exit_2(project: Path, name: str, unbuffered: bool) -> None:
    """``ulimit -f``: the first writes succeed, then EFBIG. With ``PYTHONUNBUFFERED=1`` the
    stock stdout dropped the rest of the short write and ``snapshot -o -`` exited 0."""
    out = project / f"stdout-{name}.txt"
    result = _shell(
        project,
        STDOUT_COMMANDS[name],
        f"> {shlex.quote(out.name)}",
        limit=LIMIT_BLOCKS,
        unbuffered=unbuffered,
    )
    assert result.returncode == 2
    _one_error(result.stderr, f"error: could not write standard output: {EFBIG}")
    assert out.stat().st_size == LIMIT_BLOCKS * 1024
    out.unlink()


def test_full_disk_on_a_short_output_is_exit_2(project: Path, small_db: str) -> None:
    """Output small enough to stay in the buffer until the command ends: the final flush used to
    be swallowed before the shutdown shortcut (perf.spare_final_collection), then Python's own
    shutdown flush failed with ``Exception ignored`` and exit code 120."""
    for args in (("diff", "--db", small_db, *MODELS_OPT, "--format", "json"), ("--version",)):
        result = _shell(project, args, "> /dev/full")
        assert result.returncode == 2, args
        _one_error(result.stderr, f"error: could not write standard output: {ENOSPC}")


def test_closed_stdout_is_exit_2(project: Path) -> None:
    """Started with stdout closed (``>&-``): one line, not an unexpected AttributeError."""
    result = _shell(project, STDOUT_COMMANDS["diff-json"], ">&-")
    assert result.returncode == 2
    _one_error(result.stderr, "error: could not write standard output: Bad file descriptor")


def test_stderr_full_too_still_exit_2(project: Path) -> None:
    """When even the error line cannot be written, the exit code still says it (no 120)."""
    result = _shell(project, STDOUT_COMMANDS["diff-json"], "> /dev/full 2>&1")
    assert result.returncode == 2
    assert result.stderr == ""


def _reader_goes_away(
    cwd: Path, args: tuple[str, ...], read: Callable[[subprocess.Popen[bytes]], None]
) -> tuple[int, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "schemadiff", *args],
        cwd=cwd,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    read(proc)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    return proc.wait(timeout=300), stderr


def test_reader_that_went_away_is_quiet(project: Path, small_db: str) -> None:
    """``schemadiff ... | head -c 100``: no error line, no traceback, exit 1 (as before, and as
    Python's advice on SIGPIPE has it), mid-output as well as before the first write (where a
    short snapshot used to end with ``Exception ignored ... BrokenPipeError`` and exit 120)."""

    def read_some(proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        assert len(proc.stdout.read(100)) == 100

    for name in ("snapshot", "diff-text"):
        code, stderr = _reader_goes_away(project, STDOUT_COMMANDS[name], read_some)
        assert (code, stderr) == (1, ""), name
    for args in (("--version",), ("snapshot", "--db", small_db, "-o", "-")):
        code, stderr = _reader_goes_away(project, args, lambda proc: None)
        assert (code, stderr) == (1, ""), args


def test_snapshot_file_is_all_or_nothing(project: Path, tmp_path: Path) -> None:
    """``snapshot -o FILE`` that cannot be written in full keeps the old file and leaves no
    ``FILE.tmp`` (or any other temporary) behind."""
    folder = tmp_path / "snapshots"
    folder.mkdir()
    (folder / "schema.json").write_text("{}\n", encoding="utf-8")
    args = ("snapshot", "--db", f"sqlite:///{project / 'db.sqlite'}", "-o", "schema.json")
    result = _shell(folder, args, "> /dev/null", limit=LIMIT_BLOCKS)
    assert result.returncode == 2
    _one_error(result.stderr, f"error: could not write schema.json: {EFBIG}")
    assert _listing(folder) == ["schema.json"]
    assert (folder / "schema.json").read_text(encoding="utf-8") == "{}\n"
    # and with room to write it, the same command replaces it
    result = _shell(folder, args, "> /dev/null")
    assert result.returncode == 0, result.stderr
    assert _listing(folder) == ["schema.json"]
    assert (folder / "schema.json").stat().st_size > 100_000


def test_revision_file_is_all_or_nothing(project: Path, tmp_path: Path) -> None:
    """A revision script that cannot be written in full leaves neither a partial script (which
    would break the chain) nor ``.<rev>.py.tmp``."""
    folder = tmp_path / "chain"
    folder.mkdir()
    (folder / "models.py").write_text(MODELS, encoding="utf-8")
    assert run_process(folder, "init", "migrations").code == 0
    db = ("--db", f"sqlite:///{project / 'db.sqlite'}")
    created = ("--metadata", "models:created")
    args = ("revision", "--autogenerate", "-m", "big", "--rev-id", "abc", *db, *created)
    result = _shell(folder, args, "> /dev/null", limit=LIMIT_BLOCKS)
    assert result.returncode == 2
    versions = folder / "migrations" / "versions"
    _one_error(result.stderr, f"error: could not write {versions / 'abc_big.py'}: {EFBIG}")
    assert os.listdir(versions) == []
    result = _shell(folder, args, "> /dev/null")
    assert result.returncode == 0, result.stderr
    assert os.listdir(versions) == ["abc_big.py"]


def test_init_is_all_or_nothing(tmp_path: Path) -> None:
    """``init DIR`` that fails half-way leaves no DIR (the next ``init`` would refuse a
    non-empty one), no alembic.ini and no temporary folder."""
    result = _shell(tmp_path, ("init", "migrations"), "> /dev/null", limit=1)
    assert result.returncode == 2
    _one_error(result.stderr, f"error: could not write {tmp_path / 'migrations'}: {EFBIG}")
    assert _listing(tmp_path) == []
    result = _shell(tmp_path, ("init", "migrations"), "> /dev/null")
    assert result.returncode == 0, result.stderr
    assert "alembic.ini" in _listing(tmp_path)


def test_memo_write_failure_leaves_no_temporary(project: Path, tmp_path: Path) -> None:
    """The canonical-SQL memo is a cache: failing to write it is no error, and leaves nothing."""
    cache = tmp_path / "cache"
    args = STDOUT_COMMANDS["diff-json"]
    result = _shell(project, args, "> /dev/null", limit=0, SCHEMADIFF_CACHE_DIR=str(cache))
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    assert _listing(cache) == []
    result = _shell(project, args, "> /dev/null", SCHEMADIFF_CACHE_DIR=str(cache))
    assert [p.name.startswith("canonical-sql-") for p in cache.iterdir()] == [True]


def test_postgresql_snapshot_on_a_full_disk(
    backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url("postgresql")
    engine = sa.create_engine(url)
    _database_metadata().create_all(engine)
    engine.dispose()
    result = _shell(tmp_path, ("snapshot", "--db", url, "-o", "-"), "> /dev/full")
    assert result.returncode == 2
    _one_error(result.stderr, f"error: could not write standard output: {ENOSPC}")
    complete = run_process(tmp_path, "snapshot", "--db", url, "-o", "-")
    assert complete.code == 0, complete.stderr
    assert len(complete.stdout.encode()) > 100_000
