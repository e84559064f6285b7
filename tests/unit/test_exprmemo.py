"""The canonical-SQL memo: kept between runs, keyed by a fingerprint of the rules, never
changing a result, and sparing a later run sqlglot's import."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from schemadiff.canonical import memo as exprmemo

_PROBE = """
import sys
from schemadiff.canonical.sqlexpr import canonical_sql
from schemadiff.backends.mysql.rules import MysqlRules
mysql = MysqlRules()
print(canonical_sql("((age >= 0))", "postgresql"), canonical_sql("now()", "mysql"))
print(mysql.canonical_expression("_utf8mb4'a' = `b`"), mysql.canonical_default("now()"))
print("sqlglot" in sys.modules)
"""


def _run(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.splitlines()


def test_a_second_run_reads_the_memo_and_skips_sqlglot(tmp_path: Path) -> None:
    env = {"SCHEMADIFF_CACHE_DIR": str(tmp_path)}
    first = _run(env)
    mysql = "'a' = b CURRENT_TIMESTAMP"
    assert first == ["age >= 0 CURRENT_TIMESTAMP", mysql, "True"]
    (memo,) = tmp_path.glob("canonical-sql-*.json")
    assert json.loads(memo.read_text())["sql\x1fpostgresql\x1f((age >= 0))"] == "age >= 0"
    assert _run(env) == ["age >= 0 CURRENT_TIMESTAMP", mysql, "False"]  # MySQL's rules too


def test_turned_off_writes_nothing(tmp_path: Path) -> None:
    env = {"SCHEMADIFF_CACHE_DIR": str(tmp_path), "SCHEMADIFF_NO_CACHE": "1"}
    assert _run(env)[-1] == "True"
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_or_unwritable_memo_only_means_parsing(tmp_path: Path) -> None:
    path = exprmemo.memo_path()
    assert path is not None
    env = {"SCHEMADIFF_CACHE_DIR": str(tmp_path)}
    _run(env)
    (memo,) = tmp_path.glob("canonical-sql-*.json")
    memo.write_text("{not json")
    assert _run(env) == ["age >= 0 CURRENT_TIMESTAMP", "'a' = b CURRENT_TIMESTAMP", "True"]
    blocked = tmp_path / "file"
    blocked.write_text("")
    assert _run({"SCHEMADIFF_CACHE_DIR": str(blocked / "sub")})[0] == "age >= 0 CURRENT_TIMESTAMP"


def test_another_fingerprint_starts_a_new_file_and_leaves_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two checkouts or versions sharing one cache directory (a user's ~/.cache/schemadiff) each
    keep their own file; only a file unused for weeks is removed."""
    monkeypatch.setenv("SCHEMADIFF_CACHE_DIR", str(tmp_path))
    memo = exprmemo.PersistentMemo()
    memo.put(("sql", "postgresql", "x"), "x")
    memo.save()
    (old,) = tmp_path.iterdir()
    monkeypatch.setattr(exprmemo, "_sqlglot_version", lambda: "0.0-other")
    other = exprmemo.PersistentMemo()
    assert other.get(("sql", "postgresql", "x")) is None
    other.put(("sql", "postgresql", "y"), "y")
    other.save()
    assert len(list(tmp_path.iterdir())) == 2 and old.exists()
    month_ago = old.stat().st_mtime - (exprmemo._STALE_DAYS + 1) * 86400
    os.utime(old, (month_ago, month_ago))
    other.put(("sql", "postgresql", "z"), "z")
    other.save()
    (new,) = tmp_path.iterdir()
    assert new != old


#: modules that decide canonical text besides sqlexpr/sqltree (the old fingerprint's list missed
#: them: two codes differing there shared one memo file)
_RULE_HOMES = (
    "backends/base.py",
    "backends/sqlite/rules.py",
    "backends/postgresql/rules.py",
    "backends/sqlite/lexer.py",
    "diff/rewrite.py",
    "canonical/sqltree.py",
)


@pytest.mark.parametrize("module", _RULE_HOMES)
def test_a_change_to_any_module_starts_a_new_memo_file(tmp_path: Path, module: str) -> None:
    package = Path(exprmemo.__file__).parents[1]
    copy = tmp_path / "schemadiff"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = exprmemo.fingerprint()
    target = copy / module
    assert target.exists()
    target.write_text(target.read_text() + "\n# another rule\n")
    code = "from schemadiff.canonical.memo import fingerprint; print(fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() != before


def test_a_value_two_runs_computed_differently_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A nondeterministic computation (sqlglot's lazy set-up racing between threads once made
    ``CURRENT_TIMESTAMP`` read ``CURRENT_TIMESTAMP()``) must not become every later run's answer:
    when runs disagree, the entry goes and the next run parses again."""
    monkeypatch.setenv("SCHEMADIFF_CACHE_DIR", str(tmp_path))
    key = ("sql", "sqlite", "CURRENT_TIMESTAMP")
    first, second = exprmemo.PersistentMemo(), exprmemo.PersistentMemo()
    assert first.get(key) is None and second.get(key) is None  # both started before a save
    first.put(key, "CURRENT_TIMESTAMP()")
    first.put(("sql", "sqlite", "1"), "1")
    first.save()
    second.put(key, "CURRENT_TIMESTAMP")
    second.save()
    third = exprmemo.PersistentMemo()
    assert third.get(key) is None
    assert third.get(("sql", "sqlite", "1")) == "1"


def test_entries_a_run_only_read_are_not_written_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bad entry removed from the file (by hand, or dropped as above) does not come back from
    a run that had loaded it before."""
    monkeypatch.setenv("SCHEMADIFF_CACHE_DIR", str(tmp_path))
    bad = ("sql", "sqlite", "CURRENT_TIMESTAMP")
    seed = exprmemo.PersistentMemo()
    seed.put(bad, "CURRENT_TIMESTAMP()")
    seed.save()
    reader = exprmemo.PersistentMemo()
    assert reader.get(bad) == "CURRENT_TIMESTAMP()"
    path = exprmemo.memo_path()
    assert path is not None
    path.write_text("{}")
    reader.put(("sql", "sqlite", "2"), "2")
    reader.save()
    assert json.loads(path.read_text()) == {"sql\x1fsqlite\x1f2": "2"}


def test_a_run_whose_code_changed_meanwhile_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint is read when the memo loads, the rule modules are imported later: an edit
    in between (a developer saving a file during a test run) must not file old results under the
    new code's fingerprint."""
    monkeypatch.setenv("SCHEMADIFF_CACHE_DIR", str(tmp_path))
    memo = exprmemo.PersistentMemo()
    assert memo.get(("sql", "sqlite", "x")) is None
    monkeypatch.setattr(exprmemo, "_sqlglot_version", lambda: "0.0-edited")
    memo.put(("sql", "sqlite", "x"), "x")
    memo.save()
    assert list(tmp_path.iterdir()) == []


_SESSION_TEST = """
from schemadiff.canonical.sqlexpr import canonical_sql


def test_canonicalizes() -> None:
    assert canonical_sql("((a >= 0))", "postgresql") == "a >= 0"
"""


def test_a_test_session_leaves_no_memo_directory_behind(tmp_path: Path) -> None:
    """The suite's own memo directory (tests/conftest.py) is gone after the session, although
    the session's memo is written at exit, after pytest's last hook."""
    root = Path(__file__).resolve().parents[2]
    probe = tmp_path / "test_memo_probe.py"
    probe.write_text(_SESSION_TEST)
    temp = tmp_path / "tmp"
    temp.mkdir()
    args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest", str(probe)]
    done = subprocess.run(
        [sys.executable, *args, "--rootdir", str(tmp_path)],
        cwd=root,
        env={**os.environ, "TMPDIR": str(temp)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(temp.glob("schemadiff-test-memo-*")) == []
