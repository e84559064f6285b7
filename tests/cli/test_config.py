"""Config layers, later wins: alembic.ini, TOML (pyproject, schemadiff.toml), env, flags."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from schemadiff.errors import ConfigError
from schemadiff.settings.config import KEYS, Settings, load_settings

ALEMBIC_INI = """\
[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///from_ini.db

[loggers]
keys = root
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def load(cwd: Path, env: dict[str, str] | None = None, **kwargs: object) -> Settings:
    return load_settings(cwd=cwd, env=env or {}, **kwargs)  # type: ignore[arg-type]


def test_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings == Settings()
    assert settings.version_table == "alembic_version"
    assert settings.schemas is None
    assert settings.render_as_batch == "auto"


def test_settings_are_frozen(tmp_path: Path) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        load(tmp_path).url = "x"  # type: ignore[misc]


def test_alembic_ini_gives_url_and_script_location(tmp_path: Path) -> None:
    write(tmp_path / "alembic.ini", ALEMBIC_INI)
    settings = load(tmp_path)
    assert settings.url == "sqlite:///from_ini.db"
    assert settings.script_location == f"{tmp_path.resolve()}/migrations"
    assert settings.sources == ("alembic.ini",)


@pytest.mark.parametrize(
    "lines, expected",
    [
        ("prepend_sys_path = .\npath_separator = os\n", ["."]),
        (f"prepend_sys_path = .{os.pathsep}src\npath_separator = os\n", [".", "src"]),
        ("prepend_sys_path = . src\n", [".", "src"]),  # Alembic's legacy splitting
        ("prepend_sys_path = %(here)s/lib\npath_separator = newline\n", ["lib"]),
    ],
)
def test_alembic_ini_prepend_sys_path(tmp_path: Path, lines: str, expected: list[str]) -> None:
    write(tmp_path / "alembic.ini", ALEMBIC_INI.replace("[loggers]", lines + "[loggers]"))
    assert load(tmp_path).sys_path == tuple(str(tmp_path / p) for p in expected)
    assert "sys_path" not in KEYS  # read from alembic.ini only, not a schemadiff key


def test_each_layer_overrides_the_one_before(tmp_path: Path) -> None:
    write(tmp_path / "alembic.ini", ALEMBIC_INI)
    write(tmp_path / "pyproject.toml", '[tool.schemadiff]\nurl = "sqlite:///from_toml.db"\n')
    assert load(tmp_path).url == "sqlite:///from_toml.db"
    # the TOML layer does not set script_location: alembic.ini's value stays
    assert load(tmp_path).script_location is not None
    assert load(tmp_path, {"DATABASE_URL": "sqlite:///d.db"}).url == "sqlite:///d.db"
    env = {"DATABASE_URL": "sqlite:///d.db", "SCHEMADIFF_URL": "sqlite:///s.db"}
    assert load(tmp_path, env).url == "sqlite:///s.db"
    flags = load(tmp_path, env, overrides={"url": "sqlite:///flag.db", "metadata": None})
    assert flags.url == "sqlite:///flag.db"
    assert flags.metadata is None  # None means "flag not given"
    assert flags.sources == (
        "alembic.ini",
        "pyproject.toml [tool.schemadiff]",
        "$SCHEMADIFF_URL",
        "command line",
    )


def test_empty_env_var_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "schemadiff.toml", 'url = "sqlite:///t.db"\n')
    assert load(tmp_path, {"SCHEMADIFF_URL": "", "DATABASE_URL": ""}).url == "sqlite:///t.db"


def test_schemadiff_toml_top_level_keys_and_types(tmp_path: Path) -> None:
    write(
        tmp_path / "schemadiff.toml",
        """
url = "sqlite:///t.db"
metadata = "models:Base.metadata"
schemas = ["public", "audit"]
exclude_tables = ["tmp_*"]
version_table = "schema_version"
include_object = "hooks:include_object"
compare_type = false
compare_server_default = "hooks:compare_default"
comparators = ["plugins:compare_views"]
render_as_batch = true
""",
    )
    write(tmp_path / "pyproject.toml", '[tool.schemadiff]\nurl = "sqlite:///ignored.db"\n')
    s = load(tmp_path)
    assert s.url == "sqlite:///t.db"  # schemadiff.toml is preferred over pyproject.toml
    assert s.metadata == "models:Base.metadata"
    assert s.schemas == ("public", "audit")
    assert s.exclude_tables == ("tmp_*",)
    assert s.version_table == "schema_version"
    assert s.include_object == "hooks:include_object"
    assert s.compare_type is False
    assert s.compare_server_default == "hooks:compare_default"
    assert s.comparators == ("plugins:compare_views",)
    assert s.render_as_batch is True
    assert s.warnings == ()


def test_pyproject_without_our_section_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n')
    assert load(tmp_path) == Settings()


def test_config_flag_reads_that_file_instead(tmp_path: Path) -> None:
    write(tmp_path / "schemadiff.toml", 'url = "sqlite:///cwd.db"\n')
    (tmp_path / "conf").mkdir()
    write(tmp_path / "conf" / "top.toml", 'url = "sqlite:///top.db"\n')
    write(tmp_path / "conf" / "py.toml", '[tool.schemadiff]\nurl = "sqlite:///tool.db"\n')
    assert load(tmp_path, config_path="conf/top.toml").url == "sqlite:///top.db"
    assert load(tmp_path, config_path=tmp_path / "conf/py.toml").url == "sqlite:///tool.db"
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path, config_path="conf/missing.toml")


def test_config_flag_may_name_an_alembic_ini(tmp_path: Path) -> None:
    write(tmp_path / "other.ini", ALEMBIC_INI)
    assert load(tmp_path, config_path="other.ini").url == "sqlite:///from_ini.db"


ENVIRONMENTS = """
[tool.schemadiff]
url = "sqlite:///dev.db"
metadata = "app.models:Base.metadata"
exclude_tables = ["spatial_*"]

[tool.schemadiff.environments.staging]
url = "postgresql+psycopg://app@staging/app"

[tool.schemadiff.environments.production]
url = "postgresql+psycopg://app@prod/app"
version_table = "prod_version"
"""


def test_named_environment_overrides_base_keys(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", ENVIRONMENTS)
    base = load(tmp_path)
    assert base.url == "sqlite:///dev.db"
    prod = load(tmp_path, environment="production")
    assert prod.url == "postgresql+psycopg://app@prod/app"
    assert prod.version_table == "prod_version"
    assert prod.metadata == "app.models:Base.metadata"  # inherited from the base keys
    assert prod.exclude_tables == ("spatial_*",)
    assert prod.environment == "production"
    # flags still win over the environment's URL
    flag = load(tmp_path, environment="staging", overrides={"url": "sqlite:///f.db"})
    assert flag.url == "sqlite:///f.db"


@pytest.mark.parametrize("var", ["SCHEMADIFF_URL", "DATABASE_URL"])
def test_named_environment_url_wins_over_the_url_variables(tmp_path: Path, var: str) -> None:
    """Choosing -n is explicit: a stray variable must not redirect it to another database."""
    write(tmp_path / "pyproject.toml", ENVIRONMENTS)
    staging = load(tmp_path, {var: "sqlite:///e.db"}, environment="staging")
    assert staging.url == "postgresql+psycopg://app@staging/app"
    assert staging.sources[-1] == "pyproject.toml [tool.schemadiff] environment 'staging'"
    # the variable still beats the base keys, and an environment without its own url
    assert load(tmp_path, {var: "sqlite:///e.db"}).url == "sqlite:///e.db"
    write(
        tmp_path / "pyproject.toml",
        ENVIRONMENTS + '[tool.schemadiff.environments.ci]\nschemas = ["a"]\n',
    )
    assert load(tmp_path, {var: "sqlite:///e.db"}, environment="ci").url == "sqlite:///e.db"


def test_unknown_environment_lists_the_known_ones(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", ENVIRONMENTS)
    with pytest.raises(ConfigError, match="'prod'.*production, staging"):
        load(tmp_path, environment="prod")


def test_environment_without_any_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown environment 'prod'"):
        load(tmp_path, environment="prod")


def test_unknown_key_is_a_warning_not_an_error(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.schemadiff]\nurl = "sqlite:///a.db"\nexclude_table = ["x"]\nfrobnicate = 1\n'
        '[tool.schemadiff.environments.ci]\ncolour = "red"\n',
    )
    settings = load(tmp_path, environment="ci")
    assert settings.url == "sqlite:///a.db"
    assert settings.exclude_tables == ()
    assert len(settings.warnings) == 3
    assert "'exclude_table'" in settings.warnings[0]
    assert "did you mean 'exclude_tables'" in settings.warnings[0]
    assert "'frobnicate'" in settings.warnings[1] and "known keys" in settings.warnings[1]
    assert "environment 'ci'" in settings.warnings[2]


def test_malformed_toml_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.schemadiff]\nurl = "sqlite:///a.db\n')
    with pytest.raises(ConfigError, match="pyproject.toml is not valid TOML"):
        load(tmp_path)


def test_malformed_alembic_ini_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "alembic.ini", "this is not an ini file\n")
    with pytest.raises(ConfigError, match="alembic.ini is not a valid ini file"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("url = 5", "'url' must be a non-empty string"),
        ('metadata = "models.Base"', "'metadata' must look like 'module:attribute'"),
        ("schemas = [1, 2]", "'schemas' must be a list of strings"),
        ("compare_type = 3", "'compare_type' must be true, false or 'module:function'"),
        ('compare_type = "yes"', "'compare_type' must look like 'module:attribute'"),
        ('render_as_batch = "sometimes"', "'render_as_batch' must be 'auto', true or false"),
        ('comparators = ["nocolon"]', "'comparators' must look like"),
        ("environments = 3", "'environments' must be a table"),
    ],
)
def test_wrong_value_types_are_errors(tmp_path: Path, line: str, message: str) -> None:
    write(tmp_path / "schemadiff.toml", line + "\n")
    with pytest.raises(ConfigError, match=message):
        load(tmp_path)


def test_single_string_where_a_list_is_expected(tmp_path: Path) -> None:
    write(tmp_path / "schemadiff.toml", 'schemas = "audit"\n')
    assert load(tmp_path).schemas == ("audit",)


def test_command_line_values_are_validated_too(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="the command line: 'metadata'"):
        load(tmp_path, overrides={"metadata": "models"})


def test_alembic_keys_read_through_alembics_config(tmp_path: Path) -> None:
    """Every key of issue 16 §1, as Alembic's Config reads it (%(here)s, %%, path_separator)."""
    write(
        tmp_path / "alembic.ini",
        "[alembic]\nscript_location = %(here)s/m\npath_separator = ;\n"
        "version_locations = %(here)s/v1;v2\nprepend_sys_path = src;.\n"
        "recursive_version_locations = true\nfile_template = %%(year)d-%%(rev)s\n"
        "truncate_slug_length = 12\ntimezone = utc\noutput_encoding = latin-1\n"
        "revision_environment = true\nsqlalchemy.url = sqlite:///%(here)s/app.db\n\n"
        "[post_write_hooks]\nhooks = black\nblack.type = console_scripts\n"
        "black.entrypoint = black\n",
    )
    write(tmp_path / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    settings = load(tmp_path)
    here = tmp_path.resolve().as_posix()
    assert settings.script_location == f"{here}/m"
    assert settings.url == f"sqlite:///{here}/app.db"
    assert settings.version_locations == (f"{here}/v1", str(tmp_path / "v2"))
    assert settings.sys_path == (str(tmp_path / "src"), str(tmp_path / "."))
    assert settings.recursive_version_locations and settings.revision_environment
    assert settings.file_template == "%(year)d-%(rev)s"
    assert (settings.truncate_slug_length, settings.timezone) == (12, "UTC")
    assert settings.output_encoding == "latin-1"
    assert [h["_hook_name"] for h in settings.post_write_hooks] == ["black"]
    assert settings.line_length == 100


def test_tool_alembic_in_pyproject(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.alembic]\nscript_location = "%(here)s/m"\nversion_locations = ["a", "b"]\n'
        '[[tool.alembic.post_write_hooks]]\nname = "ruff"\ntype = "module"\nmodule = "ruff"\n'
        "[tool.black]\nline-length = 79\n",
    )
    settings = load(tmp_path)
    assert settings.script_location == f"{tmp_path.resolve().as_posix()}/m"
    assert settings.version_locations == (str(tmp_path / "a"), str(tmp_path / "b"))
    assert settings.post_write_hooks[0]["module"] == "ruff"
    assert settings.line_length == 79
    assert settings.sources == ("pyproject.toml [tool.alembic]",)


def test_ini_without_an_alembic_section_sets_nothing(tmp_path: Path) -> None:
    write(tmp_path / "alembic.ini", "[loggers]\nkeys = root\n")
    assert load(tmp_path).url is None


@pytest.mark.parametrize(
    "line, says",
    [
        ("timezone = Mars/Olympus", "not a known time zone"),
        ("path_separator = comma\nversion_locations = a", "path_separator"),
        ("file_template = %%(nope)s", "file_template"),
        ("output_encoding = klingon", "not a known encoding"),
    ],
)
def test_bad_alembic_values_are_config_errors(tmp_path: Path, line: str, says: str) -> None:
    write(tmp_path / "alembic.ini", f"[alembic]\nscript_location = m\n{line}\n")
    with pytest.raises(ConfigError, match=says):
        load(tmp_path)
