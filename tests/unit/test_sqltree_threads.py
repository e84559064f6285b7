"""sqlglot loads dialects and builds its generator's dispatch lazily; two threads doing it at once
(the database and the models are read in parallel) made ``CURRENT_TIMESTAMP`` come out as
``CURRENT_TIMESTAMP()`` about one run in ten: a false difference. Importing sqltree does it once."""

from __future__ import annotations

import os
import subprocess
import sys

_RACE = """
import sys
from concurrent.futures import ThreadPoolExecutor
from schemadiff.canonical.sqlexpr import canonical_sql
sys.setswitchinterval(1e-6)
with ThreadPoolExecutor(2) as pool:
    runs = [pool.submit(canonical_sql, "CURRENT_TIMESTAMP", d) for d in ("sqlite", "postgresql")]
    print(" ".join(r.result() for r in runs))
"""


def _run(code: str) -> str:
    env = {**os.environ, "SCHEMADIFF_NO_CACHE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return proc.stdout.strip()


def test_importing_sqltree_builds_the_generator_dispatch() -> None:
    code = (
        "import schemadiff.canonical.sqltree\n"
        "from sqlglot import exp\n"
        "from sqlglot.generator import _DISPATCH_CACHE\n"
        "print(any(exp.CurrentTimestamp in d for d in _DISPATCH_CACHE.values()))"
    )
    assert _run(code) == "True"


def test_first_canonicalizations_in_parallel_agree() -> None:
    outputs = {_run(_RACE) for _ in range(12)}
    assert outputs == {"CURRENT_TIMESTAMP CURRENT_TIMESTAMP"}
