"""The canonical-SQL memo: kept between runs, keyed by a fingerprint of the rules, never
changing a result, and sparing a later run sqlglot's import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from schemadiff import exprmemo

_PROBE = """
import sys
from schemadiff.sqlexpr import canonical_sql
from schemadiff.dialects.mysql import MysqlRules
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


def test_another_fingerprint_starts_a_new_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    (new,) = tmp_path.iterdir()
    assert new != old  # the stale file is removed when the new one is written
