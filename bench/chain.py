"""A generated chain of revisions, and ``heads`` / ``history`` timed on it.

``make_project(directory, n)`` writes a project (``pyproject.toml`` naming ``migrations``) whose
``versions/`` holds ``n`` linear revisions shaped like the ones ``revision --autogenerate`` writes
(docstring, imports, identifiers, a few ``op`` calls each way). ``time_commands`` runs the real
command line on it, ``python -m bench.chain DIR`` the in-process API (imports included).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMADIFF = ROOT / ".venv" / "bin" / "schemadiff"

_REVISION = '''"""{message}

Revision ID: {rev}
Revises: {down}
Create Date: 2024-01-01 00:{minute:02d}:00.000000

"""

from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "{rev}"
down_revision: Union[str, Sequence[str], None] = {down_repr}
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # add column t{n:05d}.note
    op.add_column("t{n:05d}", sa.Column("note", sa.String(length=200), nullable=True))
    # create index ix_t{n:05d}_note (note) on t{n:05d}
    op.create_index("ix_t{n:05d}_note", "t{n:05d}", ["note"])
    op.alter_column(
        "t{n:05d}",
        "qty",
        existing_type=sa.Integer(),
        server_default=sa.text("1"),
        existing_nullable=False,
    )


def downgrade() -> None:
    op.alter_column(
        "t{n:05d}",
        "qty",
        existing_type=sa.Integer(),
        server_default=sa.text("0"),
        existing_nullable=False,
    )
    op.drop_index("ix_t{n:05d}_note", table_name="t{n:05d}")
    op.drop_column("t{n:05d}", "note")
'''


def rev_id(n: int) -> str:
    return f"{n * 7919 % 16**12:012x}"


def make_project(directory: Path, revisions: int) -> Path:
    """Write the project; returns its directory."""
    versions = directory / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    (directory / "pyproject.toml").write_text(
        '[tool.schemadiff]\nscript_location = "migrations"\n', encoding="utf-8"
    )
    down = None
    for n in range(1, revisions + 1):
        rev = rev_id(n)
        text = _REVISION.format(
            message=f"change number {n}",
            rev=rev,
            down=down or "",
            down_repr=repr(down).replace("'", '"'),
            minute=n % 60,
            n=n,
        )
        (versions / f"{rev}_change_number_{n}.py").write_text(text, encoding="utf-8")
        down = rev
    return directory


def has_command(name: str) -> bool:
    """The command line has ``name`` (the chain commands arrived after the diff ones)."""
    if not SCHEMADIFF.exists():
        return False
    done = subprocess.run([str(SCHEMADIFF), name, "--help"], capture_output=True, check=False)
    return done.returncode == 0


def time_command(project: Path, args: list[str], repeat: int = 3) -> tuple[float, str]:
    """Median wall time of the command (interpreter start included) and its first line."""
    times, first = [], ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [str(SCHEMADIFF), *args], cwd=project, capture_output=True, text=True, check=False
        )
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise RuntimeError(f"schemadiff {' '.join(args)} failed: {done.stderr[-500:]}")
        first = (done.stdout.strip().splitlines() or [""])[0]
    return statistics.median(times), first


def time_api(project: Path, repeat: int = 3) -> float:
    """Median of ``python -m bench.chain DIR`` (imports, parse every file, heads)."""
    times = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-m", "bench.chain", str(project)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(json.loads(done.stdout)["seconds"])
    return statistics.median(times)


def main() -> None:
    """In-process: load the graph of ``argv[1]`` and compute its heads (as ``heads`` does:
    each file read up to its first function)."""
    start = time.perf_counter()
    from schemadiff.chain.graph import load_graph

    graph = load_graph(Path(sys.argv[1]) / "migrations" / "versions", quick=True)
    heads = graph.heads
    print(json.dumps({"seconds": time.perf_counter() - start, "heads": list(heads)}))


if __name__ == "__main__":
    main()
