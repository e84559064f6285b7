"""A primary-key change over an auto-increment column (issue 13, section 3), beyond what the
golden cases compare: the key column keeps working as one. When ``id`` becomes the sole integer
key again (upgrade of ``pk_composite_to_serial``, downgrade of ``pk_serial_to_composite``), a row
inserted without an id gets the next one after those already there; when it stops being one,
PostgreSQL's owned sequence is gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from fixtures.cases import load_case
from tests.db.test_convergence import autogenerate, cli, make_project
from tests.kit.cases import build_v1

pytestmark = pytest.mark.db
BACKENDS = ["postgresql", "mysql"]


def _insert_without_id(engine: sa.Engine) -> int:
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO accounts (tenant_id, name) VALUES (9, 'new')"))
        return int(conn.execute(sa.text("SELECT MAX(id) FROM accounts")).scalar_one())


def _sequences(engine: sa.Engine) -> list[str]:
    if engine.dialect.name != "postgresql":
        return []
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT relname FROM pg_class WHERE relkind = 'S'"))
        return sorted(r[0] for r in rows)


@pytest.mark.parametrize("backend", BACKENDS)
def test_key_column_fills_itself_again_after_the_rows(
    backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    case = load_case("pk_composite_to_serial")
    url = backend_url(backend)
    engine = sa.create_engine(url)
    try:
        build_v1(engine, case)
        assert _sequences(engine) == []
        folder = make_project(tmp_path / "p", url, case, backend)
        autogenerate(folder, case)
        assert cli(folder, "upgrade", "head").code == 0
        assert _insert_without_id(engine) == 6  # the rows hold ids 1 and 5
        if backend == "postgresql":
            assert _sequences(engine) == ["accounts_id_seq"]
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM accounts WHERE id = 6"))
        assert cli(folder, "downgrade", "base").code == 0
        assert _sequences(engine) == []
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_key_column_stops_filling_itself_and_comes_back_on_downgrade(
    backend: str, backend_url: Callable[..., str], tmp_path: Path
) -> None:
    case = load_case("pk_serial_to_composite")
    url = backend_url(backend)
    engine = sa.create_engine(url)
    try:
        build_v1(engine, case)
        folder = make_project(tmp_path / "p", url, case, backend)
        script = autogenerate(folder, case)
        upgrade = script.split("def downgrade")[0]
        assert upgrade.index("autoincrement") < upgrade.index("drop_constraint"), script
        assert cli(folder, "upgrade", "head").code == 0
        assert _sequences(engine) == []
        with pytest.raises(sa.exc.DBAPIError):  # id no longer fills itself
            _insert_without_id(engine)
        assert cli(folder, "downgrade", "base").code == 0
        if backend == "postgresql":
            assert _sequences(engine) == ["accounts_id_seq"]
        assert _insert_without_id(engine) == 3  # the rows hold ids 1 and 2
    finally:
        engine.dispose()
