"""Connect arguments suit the driver in the URL: a connect timeout where the driver has one that
bounds only the connection (psycopg, PyMySQL), nothing where it has none (pg8000's ``timeout``
would also cut every long statement short), and any driver of a supported backend works."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.backends.connect import CONNECT_TIMEOUT, connect, create_engine
from tests.kit.chain import table_names, version_rows, write_rev
from tests.kit.cli import run_cli

pytestmark = pytest.mark.db


def with_driver(url: str, driver: str) -> str:
    parsed = sa.make_url(url)
    return parsed.set(drivername=f"{parsed.get_backend_name()}+{driver}").render_as_string(
        hide_password=False
    )


def test_pg8000_url_runs_every_kind_of_command(
    backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = with_driver(backend_url("postgresql"), "pg8000")
    up = "op.create_table('items', sa.Column('id', sa.Integer, primary_key=True))"
    write_rev(tmp_path / "m" / "versions", "aaa111", upgrade=up, downgrade="op.drop_table('items')")
    (tmp_path / "schemadiff.toml").write_text(f'url = "{url}"\nscript_location = "m"\n')
    upgraded = run_cli(["upgrade", "head"], tmp_path)
    assert upgraded.code == 0, upgraded
    assert version_rows(url) == ["aaa111"] and "items" in table_names(url)
    snap = run_cli(["snapshot", "-o", "snap.json"], tmp_path)
    assert snap.code == 0, snap
    assert "items" in json.dumps(json.loads((tmp_path / "snap.json").read_text()))
    assert run_cli(["current"], tmp_path).out.startswith("aaa111")


@pytest.mark.parametrize(
    "backend, driver", [("postgresql", "psycopg"), ("mysql", "pymysql")], ids=str
)
def test_connect_timeout_where_the_driver_takes_one(
    backend_url: Callable[[str], str], backend: str, driver: str
) -> None:
    engine = create_engine(with_driver(backend_url(backend), driver))
    try:
        with connect(engine) as conn:
            raw = conn.connection.dbapi_connection
            if driver == "psycopg":
                assert f"connect_timeout={CONNECT_TIMEOUT}" in raw.info.dsn  # type: ignore[union-attr]
            else:
                assert raw.connect_timeout == CONNECT_TIMEOUT  # type: ignore[union-attr]
    finally:
        engine.dispose()


def test_the_urls_own_connect_timeout_wins(backend_url: Callable[[str], str]) -> None:
    url = sa.make_url(backend_url("postgresql")).update_query_dict({"connect_timeout": "3"})
    engine = create_engine(url)
    try:
        with connect(engine) as conn:
            assert "connect_timeout=3" in conn.connection.dbapi_connection.info.dsn  # type: ignore[union-attr]
    finally:
        engine.dispose()
