"""No false positives, end to end: the kitchen sink made (``create_all``, then its views, routines,
triggers, extension, domain and policy), then ``schemadiff check`` through the command line must
exit 0 on every backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from fixtures.kitchen_sink import build, create
from tests.kit.cli import run_process


@pytest.mark.parametrize("backend", ["sqlite", "postgresql", "mysql"])
def test_check_is_clean_on_the_kitchen_sink(
    backend: str, backend_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = backend_url(backend)
    engine = sa.create_engine(url)
    try:
        create(build(backend), engine)
    finally:
        engine.dispose()
    (tmp_path / "sink_models.py").write_text(
        f"from fixtures.kitchen_sink import build\n\nmetadata = build({backend!r})\n"
    )
    result = run_process(tmp_path, "check", "--db", url, "--metadata", "sink_models:metadata")
    assert result.code == 0, result
    assert result.stdout.startswith("OK: "), result
    assert "Traceback" not in result.stderr
