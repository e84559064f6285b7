"""Files ``schemadiff init -t NAME`` writes besides the script template (the templates of
``alembic init -t NAME``): an Alembic ``env.py`` that runs the same chain under plain ``alembic``
(same URL, same version table), an ``alembic.ini``, and for the pyproject templates a
``[tool.alembic]`` section. Every env.py starts with :data:`MARK`, by which schemadiff knows its
own."""

from __future__ import annotations

#: the first line of every env.py schemadiff writes
MARK = "Alembic environment written by `schemadiff init`."

_DOC = f'''"""{MARK}

Plain `alembic upgrade head` runs the same chain as `schemadiff upgrade head`: the database URL
and the version table are found the way schemadiff finds them (alembic.ini, then
[tool.schemadiff] in pyproject.toml or schemadiff.toml, then SCHEMADIFF_URL / DATABASE_URL).
`alembic -x name=ENV ...` picks a named environment; `alembic -x url=URL ...` overrides the URL.
schemadiff writes the migrations itself, so Alembic's autogenerate is not used here.
"""
'''

_SETTINGS = '''
config = context.config
if config.config_file_name is not None and config.file_config.has_section("loggers"):
    fileConfig(config.config_file_name)

target_metadata = None


def _settings():
    """(url, version table, version table schema)."""
    x = context.get_x_argument(as_dictionary=True)
    try:
        from schemadiff.settings.config import load_settings
    except ImportError:  # schemadiff is not installed: Alembic's own places only
        url = os.environ.get("SCHEMADIFF_URL") or os.environ.get("DATABASE_URL")
        url = x.get("url") or url or config.get_main_option("sqlalchemy.url")
        table = "alembic_version"
    else:
        here = Path(config.config_file_name).parent if config.config_file_name else None
        settings = load_settings(cwd=here, environment=x.get("name"))
        url, table = x.get("url") or settings.url, settings.version_table
    if not url:
        raise SystemExit(
            "no database URL: set sqlalchemy.url in alembic.ini, url in [tool.schemadiff], "
            "SCHEMADIFF_URL or DATABASE_URL"
        )
    schema, _, name = table.rpartition(".")
    return url, name, schema or None


def _options(table, schema):
    return dict(
        target_metadata=target_metadata,
        version_table=table,
        version_table_schema=schema,
        transaction_per_migration=True,
    )


def run_migrations_offline():
    url, table, schema = _settings()
    context.configure(
        url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **_options(table, schema)
    )
    with context.begin_transaction():
        context.run_migrations()
'''

_MAIN = """

if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
"""

#: env.py of the ``generic`` and ``pyproject`` templates: a synchronous engine
ENV_PY = (
    _DOC
    + """
import os
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import create_engine, pool
"""
    + _SETTINGS
    + """

def run_migrations_online():
    url, table, schema = _settings()
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **_options(table, schema))
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
"""
    + _MAIN
)

#: env.py of the ``async`` and ``pyproject_async`` templates: an async engine (e.g.
#: ``postgresql+asyncpg://``, ``sqlite+aiosqlite://``), the migrations run through ``run_sync``
ASYNC_ENV_PY = (
    _DOC
    + """
import asyncio
import os
from logging.config import fileConfig
from pathlib import Path

from alembic import context
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine
"""
    + _SETTINGS
    + """

def _run_sync(connection, table, schema):
    context.configure(connection=connection, **_options(table, schema))
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(url, table, schema):
    engine = create_async_engine(url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run_sync, table, schema)
    await engine.dispose()


def run_migrations_online():
    asyncio.run(_run_async(*_settings()))
"""
    + _MAIN
)

ALEMBIC_INI = """# Written by `schemadiff init`; plain `alembic` reads it too.
# The database URL: set sqlalchemy.url here, url in [tool.schemadiff] of pyproject.toml,
# or SCHEMADIFF_URL / DATABASE_URL in the environment (kept out of files with passwords).

[alembic]
script_location = {script_location}
prepend_sys_path = .
path_separator = os
# sqlalchemy.url = postgresql+psycopg://user:password@localhost/dbname

[loggers]
keys = root,sqlalchemy,alembic

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console
qualname =

[logger_sqlalchemy]
level = WARNING
handlers =
qualname = sqlalchemy.engine

[logger_alembic]
level = INFO
handlers =
qualname = alembic

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(levelname)-5.5s [%(name)s] %(message)s
datefmt = %H:%M:%S
"""

#: alembic.ini of the pyproject templates: only the URL and logging (the rest is in
#: pyproject.toml's [tool.alembic], as Alembic's own pyproject templates have it)
PYPROJECT_INI = ALEMBIC_INI.replace(
    "script_location = {script_location}\nprepend_sys_path = .\npath_separator = os\n", ""
).replace("; plain `alembic` reads it too.", "; the rest is in pyproject.toml [tool.alembic].")

#: the section the pyproject templates add to pyproject.toml
PYPROJECT_TOML = """
[tool.alembic]
# Written by `schemadiff init`; Alembic and schemadiff read it.
script_location = '{script_location}'
prepend_sys_path = ["."]
"""

#: env.py of the ``multidb`` template: one engine per name in alembic.ini's ``databases``, every
#: database migrated in one run with the revision's ``upgrade_<name>()`` sections
MULTIDB_ENV_PY = f'''"""{MARK}

Several databases, as Alembic's multidb template: alembic.ini's `databases` names them, and each
name's URL comes from `-x NAME_url=URL`, the NAME_URL environment variable (upper case), or
`sqlalchemy.url` in the [NAME] section. A revision has an upgrade_NAME()/downgrade_NAME() pair per
database; all of them commit together, or none does.
"""

import logging
import os
import re
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

config = context.config
if config.config_file_name is not None and config.file_config.has_section("loggers"):
    fileConfig(config.config_file_name)
logger = logging.getLogger("alembic.env")

db_names = [n for n in re.split(r",\\s*", config.get_main_option("databases", "")) if n]

#: MetaData per database name, e.g. {{"engine1": app.models.metadata}}
target_metadata = {{}}


def _url(name):
    x = context.get_x_argument(as_dictionary=True)
    url = x.get(f"{{name}}_url") or os.environ.get(f"{{name.upper()}}_URL")
    url = url or config.get_section_option(name, "sqlalchemy.url")
    if not url:
        raise SystemExit(
            f"no URL for database {{name!r}}: set sqlalchemy.url in [{{name}}] of alembic.ini, "
            f"{{name.upper()}}_URL, or -x {{name}}_url=URL"
        )
    return url


def run_migrations_offline():
    for name in db_names:
        file_ = f"{{name}}.sql"
        logger.info("Writing output to %s", file_)
        with open(file_, "w") as buffer:
            context.configure(
                url=_url(name),
                output_buffer=buffer,
                target_metadata=target_metadata.get(name),
                literal_binds=True,
                dialect_opts={{"paramstyle": "named"}},
            )
            with context.begin_transaction():
                context.run_migrations(engine_name=name)


def run_migrations_online():
    records = {{}}
    for name in db_names:
        engine = create_engine(_url(name), poolclass=pool.NullPool)
        connection = engine.connect()
        records[name] = (engine, connection, connection.begin())
    try:
        for name, (_, connection, _) in records.items():
            logger.info("Migrating database %s", name)
            context.configure(
                connection=connection,
                upgrade_token=f"{{name}}_upgrades",
                downgrade_token=f"{{name}}_downgrades",
                target_metadata=target_metadata.get(name),
            )
            context.run_migrations(engine_name=name)
        for _, _, transaction in records.values():
            transaction.commit()
    except BaseException:
        for _, _, transaction in records.values():
            transaction.rollback()
        raise
    finally:
        for engine, connection, _ in records.values():
            connection.close()
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
'''

#: the databases ``init -t multidb`` names (alembic.ini's ``databases``, the script's sections)
MULTIDB_NAMES = ("engine1", "engine2")

#: alembic.ini of the multidb template: the databases and a section per database
MULTIDB_INI = (
    ALEMBIC_INI.replace(
        "path_separator = os\n",
        "path_separator = os\n# the databases; each has a [NAME] section below (or NAME_URL)\n"
        f"databases = {', '.join(MULTIDB_NAMES)}\n",
    )
    .replace("# sqlalchemy.url = postgresql+psycopg://user:password@localhost/dbname\n", "")
    .replace(
        "\n[loggers]",
        "".join(
            f"\n[{name}]\n# sqlalchemy.url = postgresql+psycopg://user:password@localhost/{name}\n"
            for name in MULTIDB_NAMES
        )
        + "\n[loggers]",
    )
)

#: script.py.mako of the multidb template: ``upgrade(engine_name)`` calls the section of that
#: database (the names are written in at init; add a pair with each new database)
MULTIDB_SCRIPT = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}

# revision identifiers, used by Alembic.
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade(engine_name):
    globals()["upgrade_%s" % engine_name]()


def downgrade(engine_name):
    globals()["downgrade_%s" % engine_name]()

## one upgrade_NAME() / downgrade_NAME() pair per database in alembic.ini's `databases`
''' + "".join(
    f'''

def upgrade_{name}():
    ${{context.get("{name}_upgrades", "pass")}}


def downgrade_{name}():
    ${{context.get("{name}_downgrades", "pass")}}
'''
    for name in MULTIDB_NAMES
)
