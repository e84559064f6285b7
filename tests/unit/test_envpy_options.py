"""What schemadiff takes from a project's env.py: which env.py is the project's own (ours, as
``init`` writes it, keeps the fast path), and the ``configure()`` options it honours."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from schemadiff.chain.env_template import ENV_PY
from schemadiff.settings.envpy import EnvPyError, env_options, foreign_env_py, merged_metadata


def test_our_env_py_keeps_the_fast_path(tmp_path: Path) -> None:
    assert foreign_env_py(str(tmp_path)) is None  # no env.py at all
    env_py = tmp_path / "env.py"
    env_py.write_text(ENV_PY.replace("\n", "\r\n"), newline="")  # line endings do not matter
    assert foreign_env_py(str(tmp_path)) is None
    env_py.write_text(ENV_PY.replace("target_metadata = None", "target_metadata = models.md"))
    assert foreign_env_py(str(tmp_path)) == env_py  # edited: the project's configuration now
    assert foreign_env_py("migrations", cwd=tmp_path) is None  # relative to cwd
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "env.py").write_text("from alembic import context\n")
    assert foreign_env_py("migrations", cwd=tmp_path) is not None


def test_configure_options() -> None:
    md = sa.MetaData()

    def hook(*args: object) -> None:
        return None

    found = env_options(
        {
            "target_metadata": md,
            "version_table": "my_versions",
            "version_table_schema": "ops",
            "include_schemas": True,
            "include_object": hook,
            "include_name": hook,
            "compare_type": hook,
            "compare_server_default": False,
            "render_as_batch": True,
            "user_module_prefix": "app.types.",
        }
    )
    assert found.metadata is md and found.version_table == "ops.my_versions"
    assert found.include_schemas and found.include_object is hook and found.include_name is hook
    assert found.compare_type is hook and found.compare_server_default is False
    assert found.render_as_batch is True and found.user_module_prefix == "app.types."
    assert env_options({"version_table_schema": "ops"}).version_table == "ops.alembic_version"
    bare = env_options({})
    assert bare.metadata is None and bare.version_table is None and bare.render_as_batch is None


def test_a_list_of_metadata_is_compared_as_one() -> None:
    a, b = sa.MetaData(naming_convention={"pk": "pk_%(table_name)s"}), sa.MetaData()
    users = sa.Table("users", a, sa.Column("id", sa.Integer, primary_key=True))
    audit = sa.Table("audit", b, sa.Column("id", sa.Integer), schema="log")
    numbers = sa.Sequence("numbers", metadata=b, schema="log")
    merged = merged_metadata([a, b])
    assert merged is not None
    assert merged.tables["users"] is users and merged.tables["log.audit"] is audit
    assert merged._sequences == {"log.numbers": numbers}  # standalone sequences come along
    assert users.metadata is a  # the table keeps its own naming convention
    assert merged_metadata([a]) is a and merged_metadata(None) is None


def test_bad_target_metadata_is_one_clear_error() -> None:
    a, b = sa.MetaData(), sa.MetaData()
    sa.Table("t", a, sa.Column("id", sa.Integer))
    sa.Table("t", b, sa.Column("id", sa.Integer))
    with pytest.raises(EnvPyError, match="'t' is in two of the MetaData"):
        merged_metadata([a, b])
    with pytest.raises(EnvPyError, match="pass a MetaData or a list of MetaData"):
        merged_metadata("models:metadata")
