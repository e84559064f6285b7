"""Every output format is byte-identical from run to run and across hash seeds: ``diff`` and
``check`` in each format, the ``revision --autogenerate`` script and its ``upgrade --sql``, on
SQLite (where the changes need a table rebuild carrying several CHECK/UNIQUE/FOREIGN KEY
constraints and indexes), PostgreSQL and MariaDB. The real command line runs in subprocesses with
different ``PYTHONHASHSEED`` values."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.kit.cli import run_process

SEEDS = ("0", "1", "2", "12345")
DIFF_FORMATS = ("text", "json", "sql", "python")
CHECK_FORMATS = ("text", "json", "markdown", "github")

OLD = """\
import sqlalchemy as sa

md = sa.MetaData()
sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("code", sa.String(10)), sa.UniqueConstraint("code", name="uq_parent_code"))
sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True))
sa.Table(
    "child", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("a", sa.Integer),
    sa.Column("b", sa.String(10)),
    sa.Column("c", sa.Integer),
    sa.Column("d", sa.Integer),
    sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
    sa.Column("oid", sa.Integer, sa.ForeignKey("other.id", name="fk_child_other")),
    sa.Column("pcode", sa.String(10)),
    sa.CheckConstraint("a >= 0", name="ck_a"),
    sa.CheckConstraint("c < 100", name="ck_c"),
    sa.UniqueConstraint("a", "b", name="uq_ab"),
    sa.UniqueConstraint("c", name="uq_c"),
    sa.Index("ix_b", "b"),
    sa.Index("ix_pid", "pid"),
)
sa.Table("gone", md, sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))
"""

NEW = """\
import sqlalchemy as sa

md = sa.MetaData()
sa.Table("parent", md, sa.Column("id", sa.Integer, primary_key=True),
         sa.Column("code", sa.String(10)), sa.UniqueConstraint("code", name="uq_parent_code"))
sa.Table("other", md, sa.Column("id", sa.Integer, primary_key=True))
sa.Table(
    "child", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("a", sa.Integer, nullable=False),
    sa.Column("b", sa.String(20)),
    sa.Column("c", sa.Integer),
    sa.Column("d", sa.Integer),
    sa.Column("pid", sa.Integer, sa.ForeignKey("parent.id", name="fk_child_parent")),
    sa.Column("oid", sa.Integer, sa.ForeignKey("other.id", name="fk_child_other")),
    sa.Column("pcode", sa.String(10), sa.ForeignKey("parent.code", name="fk_child_pcode")),
    sa.Column("e", sa.Integer, server_default="0", nullable=False),
    sa.CheckConstraint("a > 0", name="ck_a"),
    sa.CheckConstraint("c < 100", name="ck_c"),
    sa.CheckConstraint("d <> 3", name="ck_d"),
    sa.UniqueConstraint("a", "b", name="uq_ab"),
    sa.UniqueConstraint("c", name="uq_c"),
    sa.UniqueConstraint("d", "c", name="uq_dc"),
    sa.Index("ix_b", "b", "c"),
    sa.Index("ix_cd", "c", "d"),
    sa.Index("ix_pid", "pid"),
    sa.Index("ix_e", "e"),
)
sa.Table(
    "fresh", md,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("p", sa.Integer, sa.ForeignKey("parent.id", name="fk_fresh_parent")),
    sa.Column("o", sa.Integer, sa.ForeignKey("other.id", name="fk_fresh_other")),
    sa.Column("n", sa.String(30), nullable=False),
    sa.CheckConstraint("length(n) > 1", name="ck_fresh_n"),
    sa.CheckConstraint("p <> o", name="ck_fresh_po"),
    sa.UniqueConstraint("n", name="uq_fresh_n"),
    sa.UniqueConstraint("p", "o", name="uq_fresh_po"),
    sa.Index("ix_fresh_o", "o"),
    sa.Index("ix_fresh_np", "n", "p"),
)
"""


def _outputs(project: Path, seed: str) -> dict[str, str]:
    """Every output, run with ``PYTHONHASHSEED=seed``."""
    env = {"PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1700000000"}
    out: dict[str, str] = {}
    for fmt in DIFF_FORMATS:
        result = run_process(project, "diff", "--format", fmt, env=env)
        assert result.code == 1, result
        out[f"diff {fmt}"] = result.stdout + result.stderr
    for fmt in CHECK_FORMATS:
        result = run_process(project, "check", "--format", fmt, env=env)
        assert result.code == 1, result
        out[f"check {fmt}"] = result.stdout + result.stderr
    result = run_process(
        project, "revision", "--autogenerate", "-m", "det", "--rev-id", "r1", env=env
    )
    assert result.code == 0, result
    [script] = (project / "migrations" / "versions").glob("r1_*.py")
    out["revision --autogenerate"] = script.read_text(encoding="utf-8")
    result = run_process(project, "upgrade", "--sql", env=env)
    assert result.code == 0, result
    out["upgrade --sql"] = result.stdout
    script.unlink()
    return out


@pytest.mark.db
@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_every_format_is_the_same_across_hash_seeds(
    tmp_path: Path, backend_url: Callable[[str], str], backend: str
) -> None:
    url = backend_url(backend)
    old: dict[str, object] = {}
    exec(OLD, old)  # noqa: S102 - the test's own schema
    engine = sa.create_engine(url)
    try:
        old["md"].create_all(engine)  # type: ignore[attr-defined]
    finally:
        engine.dispose()
    (tmp_path / "models.py").write_text(NEW)
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "schemadiff.toml").write_text(
        f'url = "{url}"\nmetadata = "models:md"\nscript_location = "migrations"\n'
    )
    first = _outputs(tmp_path, SEEDS[0])
    if backend == "sqlite":
        assert "_alembic_tmp_child" in first["diff sql"]  # the rebuild is really exercised
    for seed in SEEDS[1:]:
        again = _outputs(tmp_path, seed)
        for name, text in first.items():
            assert again[name] == text, f"{name} differs with PYTHONHASHSEED={seed}"
