"""A view's text with MySQL's view options (``ALGORITHM=MERGE SQL SECURITY INVOKER SELECT ...``)
or the whole ``CREATE VIEW`` statement was written into ``CREATE VIEW v AS <text>``: the script
failed on the server halfway through the upgrade. View options are not supported (neither
written nor compared): the declaration is refused with one error line naming the view."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.objects import View
from tests.kit.cli import one_error, run_cli


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("ALGORITHM=MERGE SQL SECURITY INVOKER SELECT id FROM t", "ALGORITHM is a view option"),
        ("  sql   security definer SELECT id FROM t", "SQL SECURITY is a view option"),
        ("DEFINER=`root`@`%` SELECT id FROM t", "DEFINER is a view option"),
        ("CREATE VIEW v AS SELECT id FROM t", "not the CREATE VIEW statement"),
        ("create or replace view v as select id from t", "not the CREATE VIEW statement"),
    ],
)
def test_view_options_are_refused(text: str, said: str) -> None:
    with pytest.raises(ValueError, match=said):
        View(sa.MetaData(), "v", text)
    with pytest.raises(ValueError, match=said):
        View(sa.MetaData(), "v", sa.text(text))


def test_queries_are_accepted() -> None:
    metadata = sa.MetaData()
    for i, text in enumerate(["SELECT 1", " WITH a AS (SELECT 1) SELECT * FROM a", "(SELECT 1)"]):
        View(metadata, f"v{i}", text)
    View(metadata, "algorithms", "SELECT algorithm FROM t")


def test_the_command_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "models_opts.py").write_text(
        "import sqlalchemy as sa\nfrom schemadiff.objects import View\n"
        "metadata = sa.MetaData()\n"
        'sa.Table("orders", metadata, sa.Column("id", sa.Integer, primary_key=True))\n'
        'View(metadata, "order_ids", "ALGORITHM=MERGE SELECT id FROM orders")\n'
    )
    db = tmp_path / "app.db"
    (folder / "schemadiff.toml").write_text(
        f'url = "sqlite:///{db}"\nmetadata = "models_opts:metadata"\n'
    )
    one_error(run_cli(["diff"], folder), "order_ids", "ALGORITHM is a view option")
    assert not db.exists()
