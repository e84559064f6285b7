"""``user_module_prefix`` from env.py: a user type is written with the prefix, not imported."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from schemadiff.render.user_types import with_user_module_prefix
from schemadiff.sources.metadata import inspect_metadata


class Money(sa.types.TypeDecorator[int]):
    impl = sa.Integer
    cache_ok = True


def test_user_types_get_the_prefix() -> None:
    metadata = sa.MetaData()
    sa.Table(
        "prices",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("amount", Money()),
    )
    snapshot = inspect_metadata(metadata, postgresql.dialect(), "public")
    before = {c.name: c.type for c in snapshot.tables[0].columns}
    assert any(line.endswith("import Money") for line in before["amount"].imports)

    after = with_user_module_prefix(snapshot, "app.types.")
    found = {c.name: c.type for c in after.tables[0].columns}
    assert found["amount"].python == "app.types." + str(before["amount"].python)
    assert not any(line.endswith("import Money") for line in found["amount"].imports)
    assert found["id"] == before["id"] and found["id"].python == before["id"].python
    assert after.tables[0] == snapshot.tables[0]  # hints only: comparisons are unchanged
