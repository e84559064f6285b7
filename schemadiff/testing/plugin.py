"""A pytest plugin (entry point ``pytest11``): the ``verify`` checks as opt-in tests.

``pytest --schemadiff`` (or ``schemadiff = true`` in the ini options) adds four tests, like
pytest-alembic's: ``test_single_head``, ``test_upgrade``, ``test_model_definitions_match_ddl`` and
``test_up_down_consistency`` (defined in :mod:`schemadiff.testing.checks`). They read the project's
configuration from the rootdir (``[tool.schemadiff]``, ``schemadiff.toml`` or ``alembic.ini``) and
run the chain in a scratch database on the server of ``--schemadiff-url`` / ini ``schemadiff_url``
/ the ``scratch_url`` setting / the configured ``url``, or a temporary SQLite file. A project's
``conftest.py`` may instead override the ``schemadiff_url`` fixture to hand over an empty test
database of its own.

Nothing here imports SQLAlchemy at load time: the plugin is loaded by every pytest run of any
environment where schemadiff is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from schemadiff.testing.project import SchemadiffProject

#: node id of the collector holding the built-in tests
NODE_ID = "schemadiff"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("schemadiff", "schemadiff migration checks")
    group.addoption(
        "--schemadiff",
        action="store_true",
        dest="schemadiff_enabled",
        default=False,
        help="add schemadiff's migration tests (single head, upgrade, models match, up/down)",
    )
    group.addoption(
        "--schemadiff-url",
        dest="schemadiff_url",
        metavar="URL",
        default=None,
        help="server on which the migration tests create (and drop) a scratch database",
    )
    parser.addini("schemadiff", "add schemadiff's migration tests", type="bool", default=False)
    parser.addini("schemadiff_url", "server for schemadiff's scratch databases", default="")


def enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("schemadiff_enabled") or config.getini("schemadiff"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the built-in tests (before ``-k``/``-m`` selection, which then applies to them)."""
    if not enabled(config):
        return
    from schemadiff.testing import checks as pytest_tests

    module = pytest.Module.from_parent(session, path=Path(pytest_tests.__file__), nodeid=NODE_ID)
    items.extend(item for item in module.collect() if isinstance(item, pytest.Item))


@pytest.fixture(scope="session")
def schemadiff_project(pytestconfig: pytest.Config) -> SchemadiffProject:
    """The configuration found in the rootdir, as the command line would read it there."""
    from schemadiff.chain.project import project_from
    from schemadiff.errors import SchemadiffError
    from schemadiff.settings.config import load_settings

    root = Path(pytestconfig.rootpath)
    try:
        settings = load_settings(cwd=root)
        project = project_from(settings, cwd=root)
    except SchemadiffError as exc:
        pytest.fail(f"schemadiff configuration: {exc}", pytrace=False)
    return SchemadiffProject(settings, project, root)


@pytest.fixture(scope="session")
def schemadiff_server(
    pytestconfig: pytest.Config, schemadiff_project: SchemadiffProject
) -> tuple[str | None, str]:
    """(server URL or None for SQLite, dialect) where scratch databases are made."""
    from schemadiff.verify.gate import scratch_target

    given = pytestconfig.getoption("schemadiff_url") or pytestconfig.getini("schemadiff_url")
    return scratch_target(schemadiff_project.settings, given or None)


@pytest.fixture
def schemadiff_url(schemadiff_server: tuple[str | None, str]) -> Iterator[str]:
    """An empty database for one test, dropped afterwards; override to use your own (empty)."""
    from schemadiff.backends.scratch import scratch_database

    server, dialect = schemadiff_server
    with scratch_database(server, dialect) as url:
        yield url
