"""From settings to a diff: reflect the target (database or snapshot file), build the models'
snapshot for the same dialect, compare. Shared by ``diff``, ``check``, ``snapshot``, ``verify``
and ``revision --autogenerate``; slow steps are named through :mod:`schemadiff.steps`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from schemadiff.backends.registry import rules_for
from schemadiff.errors import SnapshotError, UsageError
from schemadiff.settings.config import Settings
from schemadiff.steps import progress

if TYPE_CHECKING:
    import sqlalchemy as sa
    from sqlalchemy.engine import Dialect

    from schemadiff.diff.options import CompareOptions
    from schemadiff.diff.result import DiffResult, Notice
    from schemadiff.settings.envpy import EnvOptions
    from schemadiff.snapshot.model import Snapshot

RenameTable = tuple[str | None, str, str]
RenameColumn = tuple[str | None, str, str, str]


@dataclass(frozen=True)
class Target:
    """What ``--db`` named, reflected: a label for reports (masked URL or file), its dialect."""

    label: str
    snapshot: Snapshot
    dialect: Dialect
    #: non-default schemas the snapshot covers (model tables elsewhere are not compared)
    covered: frozenset[str]
    #: the version table's rows, when asked for (None: not read, unreadable, or a snapshot file)
    version_rows: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Compared:
    """One run of :func:`compare`, with the models' snapshot it built so that rendering the
    migration (``diff --format sql``, ``revision --autogenerate``) does not build it again."""

    target: Target
    #: the models for the target's dialect, every schema (a compared table may use an enum of a
    #: schema the target does not cover; rendering needs its values)
    models: Snapshot
    result: DiffResult
    #: the models compared (from the settings, or the target_metadata env.py passed)
    metadata: sa.MetaData | None = None
    #: the settings in effect (with what env.py passed to configure(): version table, batch)
    settings: Settings | None = None
    #: Alembic's MigrationContext of the env.py run that read the database (None: no env.py);
    #: ``revision`` hands it to env.py's process_revision_directives
    env_context: Any = None


def require_url(settings: Settings) -> str:
    if not settings.url:
        raise UsageError(
            "no database given; pass --db URL (or a snapshot .json file), set 'url' in "
            "pyproject.toml [tool.schemadiff] or schemadiff.toml, or set SCHEMADIFF_URL"
        )
    return settings.url


def require_metadata(settings: Settings) -> sa.MetaData:
    from schemadiff.settings.loading import load_metadata

    if not settings.metadata:
        raise UsageError(
            "no models given; pass --metadata MODULE:ATTR (e.g. models:Base.metadata) or set "
            "'metadata' in pyproject.toml [tool.schemadiff] or schemadiff.toml"
        )
    return with_entities(settings, load_metadata(settings.metadata))


def with_entities(settings: Settings, metadata: sa.MetaData) -> sa.MetaData:
    """``metadata`` with the alembic_utils entities of the ``entities`` setting attached."""
    if settings.entities:
        from schemadiff.settings.loading import load_entities

        load_entities(settings.entities, metadata)
    return metadata


def reflect_target(
    settings: Settings, metadata: sa.MetaData | None, *, versions: bool = False
) -> Target:
    """Reflect the database (or load the snapshot file) named by the settings, inside a read-only
    transaction; ``versions`` also reads the version table's rows (never creating it)."""
    return _reflect(settings, metadata, versions=versions, build_models=False)[0]


def reflect_with_models(
    settings: Settings, metadata: sa.MetaData, *, versions: bool = False
) -> tuple[Target, Snapshot]:
    """:func:`reflect_target`, and the models' snapshot for the target's dialect, built while
    the database answers (see :func:`schemadiff.sources.inspect_both`)."""
    target, models = _reflect(settings, metadata, versions=versions, build_models=True)
    if models is None:  # a snapshot file: nothing to wait for
        from schemadiff.sources.metadata import inspect_metadata

        with progress("Building the models' snapshot"):
            models = inspect_metadata(metadata, target.dialect, target.snapshot.default_schema)
    return target, models


def _reflect(
    settings: Settings, metadata: sa.MetaData | None, *, versions: bool, build_models: bool
) -> tuple[Target, Snapshot | None]:
    url = require_url(settings)
    if "://" not in url and url.endswith(".json"):
        with progress("Reading the snapshot file"):
            return _load_snapshot_file(url), None
    from schemadiff.backends.connect import connect, create_engine, mask_url
    from schemadiff.backends.readonly import read_only, read_version_rows

    engine = create_engine(url)
    try:
        with progress("Connecting to the database") as shown, connect(engine) as conn:
            shown.step("Reflecting the database")
            with read_only(conn), shown.watch(conn):
                snapshot, models, schemas = reflect_on(conn, settings, metadata, build_models)
                rows = None
                if versions:
                    rows = read_version_rows(conn, _version_table(settings.version_table))
    finally:
        engine.dispose()
    covered = frozenset(schemas) | frozenset(snapshot.schemas)
    label = mask_url(url)  # as given (an async URL may run on its synchronous sibling)
    return Target(label, snapshot, engine.dialect, covered, rows), models


def reflect_on(
    conn: sa.Connection,
    settings: Settings,
    metadata: sa.MetaData | None,
    build_models: bool,
    include_schemas: bool = False,
    include_name: Any = None,
) -> tuple[Snapshot, Snapshot | None, list[str]]:
    """Reflect on an open (read-only) connection: the database's snapshot, the models' one when
    asked for, and the extra schemas reflected. ``include_schemas`` (Alembic's option): every
    schema of the database, those ``include_name`` keeps."""
    from schemadiff.sources import UnsupportedDialect, inspect_both, inspect_database

    default = conn.dialect.default_schema_name
    if default is None and rules_for(conn.dialect.name).needs_current_schema:
        raise UsageError(_NO_SCHEMA.format(user=conn.engine.url.username or "the user"))
    schemas = wanted_schemas(settings, metadata, default)
    only = extension_only_schemas(settings, metadata, default)
    if include_schemas and settings.schemas is None:
        import sqlalchemy as sa

        every = set(sa.inspect(conn).get_schema_names()) - {"information_schema"}
        if include_name is not None:
            every = {n for n in every if include_name(n, "schema", {})}
        schemas = sorted((every | set(schemas)) - {default})
        only -= every
    models: Snapshot | None = None
    try:
        if build_models and metadata is not None:
            snapshot, models = inspect_both(conn, schemas, metadata)
        else:
            snapshot = inspect_database(conn, schemas)
    except UnsupportedDialect as exc:
        raise UsageError(f"{exc}; schemadiff cannot reflect this database") from exc
    if only:
        snapshot = _without_contents(snapshot, only)
    return snapshot, models, schemas


_NO_SCHEMA = (
    "{user} has no current schema on this database (no USAGE privilege on any schema of its "
    "search_path), so every table would look missing; GRANT USAGE ON SCHEMA public TO {user}, "
    "or set the role's search_path"
)


def _version_table(setting: str) -> sa.Table:
    """The version table named by the ``version_table`` setting (``[schema.]name``)."""
    from schemadiff.chain.versions import version_table

    schema, dot, name = setting.rpartition(".")
    return version_table(name, schema=schema if dot else None)


def snapshot_targets(settings: Settings) -> tuple[tuple[str | None, Target], ...]:
    """Reflect for ``snapshot``: configured schemas, else those the models name (if configured).
    One (None, target) pair; a multidb env.py gives one (database name, target) per database."""
    if uses_env_py(settings):
        return _snapshot_through_env(settings)
    wants_models = settings.metadata is not None and settings.schemas is None
    return ((None, reflect_target(settings, require_metadata(settings) if wants_models else None)),)


def _snapshot_through_env(settings: Settings) -> tuple[tuple[str | None, Target], ...]:
    """``snapshot`` for a project with its own env.py: on its connection, the schemas its
    ``include_schemas`` / models name (read-only, as :func:`compare_through_env`)."""
    from schemadiff.backends.connect import mask_url
    from schemadiff.settings.envpy import env_options, read_through_env

    def work(context: Any, heads: tuple[str, ...]) -> tuple[str | None, Target]:
        conn = _env_connection(context)
        env = env_options(context.opts)
        metadata = None
        if settings.schemas is None:
            metadata = require_metadata(settings) if settings.metadata else env.metadata
        with progress("Reflecting the database"):
            snapshot, _, schemas = reflect_on(
                conn, settings, metadata, False, env.include_schemas, env.include_name
            )
        covered = frozenset(schemas) | frozenset(snapshot.schemas)
        target = Target(mask_url(conn.engine.url), snapshot, conn.dialect, covered, heads)
        return database_name(context.opts), target

    read = read_through_env(settings, work)
    if len(read.rounds) == 1:  # one database: one file, named as asked
        return ((None, read.rounds[0][1]),)
    return read.rounds


def _env_connection(context: Any) -> sa.Connection:
    """The connection env.py passed to ``configure()``; its offline path passes none."""
    conn: sa.Connection | None = context.connection
    if conn is None:
        raise UsageError(
            "env.py configured no connection (only a URL); schemadiff reads the database "
            "through the connection env.py passes to context.configure(connection=...)"
        )
    return conn


def wanted_schemas(
    settings: Settings, metadata: sa.MetaData | None, default: str | None
) -> list[str]:
    """Extra schemas to reflect: the configured list, else every schema the models name; with
    the schemas declared extensions are installed into, in both cases (created when missing,
    which only reflecting them tells: see :func:`extension_only_schemas`)."""
    names = _named_schemas(settings, metadata) | _extension_schemas(metadata, default)
    return sorted(n for n in names if n and n != default)


def _named_schemas(settings: Settings, metadata: sa.MetaData | None) -> set[str]:
    """The configured schemas, else those the models' tables, sequences, functions and domains
    name."""
    if settings.schemas is not None:
        return set(settings.schemas)
    if metadata is None:
        return set()
    from schemadiff.objects import declared_domains, declared_functions
    from schemadiff.objects.declarative_extensions import (
        attach_declarative_extensions,
        declared_schema_names,
    )

    attach_declarative_extensions(metadata)  # sqlalchemy-declarative-extensions' schemas
    names = {t.schema for t in metadata.tables.values() if t.schema}
    names |= set(declared_schema_names(metadata))
    names |= {s.schema for s in metadata._sequences.values() if s.schema}
    names |= {f.schema for f in declared_functions(metadata) if f.schema}
    names |= {d.schema for d in declared_domains(metadata) if d.schema}
    return {n for n in names if n}


def _extension_schemas(metadata: sa.MetaData | None, default: str | None) -> set[str]:
    if metadata is None:
        return set()
    from schemadiff.sources.extensions import metadata_extensions

    return {e.schema for e in metadata_extensions(metadata, default) if e.schema}


def extension_only_schemas(
    settings: Settings, metadata: sa.MetaData | None, default: str | None
) -> set[str]:
    """Schemas reflected only because a declared extension is installed into them: the
    database's snapshot keeps their names (so a missing one is created before the extension,
    an existing one is not) but none of their objects. What an extension made is the
    extension's anyway, and whatever else lives there (Supabase keeps its own helper functions
    in ``extensions``) is not the models' to drop: list the schema in ``schemas``, or declare a
    table, function... in it, to compare it."""
    return _extension_schemas(metadata, default) - _named_schemas(settings, metadata) - {default}


def _without_contents(snapshot: Snapshot, names: set[str]) -> Snapshot:
    """``snapshot`` without the objects of the schemas ``names`` (their names kept)."""

    def kept(schema: str | None) -> bool:
        return schema not in names

    tables = tuple(t for t in snapshot.tables if kept(t.schema))
    types = " ".join(c.type.sql for t in tables for c in t.columns)
    return replace(
        snapshot,
        tables=tables,
        # an enum there that a kept column uses stays (as reflection keeps one of any schema)
        enums=tuple(e for e in snapshot.enums if kept(e.schema) or e.name in types),
        sequences=tuple(s for s in snapshot.sequences if kept(s.schema)),
        views=tuple(v for v in snapshot.views if kept(v.schema)),
        uncompared=tuple(o for o in snapshot.uncompared if kept(o.schema)),
        functions=tuple(f for f in snapshot.functions if kept(f.schema)),
        triggers=tuple(t for t in snapshot.triggers if kept(t.schema)),
        domains=tuple(d for d in snapshot.domains if kept(d.schema)),
        policies=tuple(p for p in snapshot.policies if kept(p.schema)),
        row_security=tuple(r for r in snapshot.row_security if kept(r.schema)),
    )


def compare(
    settings: Settings,
    renames: tuple[Sequence[str], Sequence[str]] = ((), ()),
    *,
    versions: bool = False,
    questioner: Any = None,
    env_py: bool = True,
) -> Compared:
    """The whole ``diff`` pipeline: database (or snapshot) versus models. ``questioner`` asks
    about possible renames (see :mod:`schemadiff.cli.questioner`); None only warns. A project
    with its own env.py is read through it unless ``env_py`` is False (a database schemadiff
    made itself, which env.py's own engine would not reach)."""
    from schemadiff.diff.engine import compute_diff
    from schemadiff.perf import gc_paused

    if env_py and uses_env_py(settings):
        return _only(compare_through_env(settings, renames, questioner=questioner))
    metadata = require_metadata(settings)
    # one pause for the whole run: between its steps the collector would otherwise walk every
    # snapshot and the models once more (about 25 ms at 1,000 tables)
    with gc_paused(), progress("Reflecting the database") as shown:
        target, models = reflect_with_models(settings, metadata, versions=versions)
        db = target.snapshot
        compared, skipped = restrict_to_covered(models, target.covered)
        options = compare_options(settings, metadata, renames)
        if questioner is not None:
            options = replace(options, questioner=shown.before_prompt(questioner))
        shown.step("Comparing")
        result = compute_diff(db, compared, options)
    if skipped:
        result = replace(result, notices=tuple(result.notices) + skipped)
    return Compared(target, models, result, metadata, settings)


def _only(found: Databases) -> Compared:
    """The comparison of a single-database project; several databases are an error here (the
    commands that cover each use :func:`compare_databases`), never a silently partial answer."""
    if found.multidb:
        names = ", ".join(str(d.name) for d in found.items)
        raise UsageError(
            f"env.py configures several databases ({names}); this command compares one "
            "database (diff, check, snapshot and revision --autogenerate cover each)"
        )
    compared = found.items[0].compared
    assert compared is not None
    return compared


def uses_env_py(settings: Settings) -> bool:
    """The project has an env.py of its own (not the one ``init`` writes) and the target is a
    live database: read through env.py (:func:`compare_through_env`)."""
    url = settings.url or ""
    if "://" not in url and url.endswith(".json"):
        return False
    from schemadiff.settings.envpy import foreign_env_py

    return foreign_env_py(settings.script_location) is not None


@dataclass(frozen=True)
class Database:
    """One database a project's env.py configures: Alembic's multidb template configures
    several, each with its own ``upgrade_token`` (the template slot of its bodies)."""

    #: the database's name (``upgrade_token`` without ``_upgrades``); None: the only one
    name: str | None
    #: what the database side is (masked URL)
    label: str
    #: None: env.py passes no target_metadata for this database, so it is not compared
    compared: Compared | None
    upgrade_token: str = "upgrades"
    downgrade_token: str = "downgrades"
    #: the revisions in its version table, as Alembic read them
    heads: tuple[str, ...] = ()

    @property
    def skipped(self) -> str | None:
        """Why it was not compared (None: it was)."""
        return None if self.compared is not None else f"no target_metadata for {self.name}"


@dataclass(frozen=True)
class Databases:
    """What :func:`compare_databases` compared: one :class:`Database`, or one per database of
    a multidb env.py, with what the revision template gets besides the bodies."""

    items: tuple[Database, ...]
    #: env.py's ``context.configure(template_args={...})``
    template_args: Mapping[str, Any] = field(default_factory=dict)
    #: the Alembic ``Config`` env.py ran with (None: no env.py ran)
    config: Any = None

    @property
    def multidb(self) -> bool:
        return any(d.name is not None for d in self.items)

    @property
    def is_empty(self) -> bool:
        """Nothing to change in any database (one not compared changes nothing)."""
        return all(d.compared is None or d.compared.result.is_empty for d in self.items)


def database_name(opts: Mapping[str, Any]) -> str | None:
    """The database a ``configure()`` round is about: None for a single-database env.py
    (``upgrade_token`` left at ``"upgrades"``), else the token without ``_upgrades``."""
    token = str(opts.get("upgrade_token", "upgrades"))
    return None if token == "upgrades" else token.removesuffix("_upgrades")


def compare_databases(
    settings: Settings,
    renames: tuple[Sequence[str], Sequence[str]] = ((), ()),
    *,
    versions: bool = False,
    questioner: Any = None,
) -> Databases:
    """:func:`compare` for every database the project configures: through a multidb env.py,
    each database on its own connection; otherwise the one database."""
    if uses_env_py(settings):
        return compare_through_env(settings, renames, questioner=questioner)
    compared = compare(settings, renames, versions=versions, questioner=questioner, env_py=False)
    rows = compared.target.version_rows or ()
    return Databases((Database(None, compared.target.label, compared, heads=rows),))


def compare_through_env(
    settings: Settings,
    renames: tuple[Sequence[str], Sequence[str]] = ((), ()),
    *,
    questioner: Any = None,
) -> Databases:
    """:func:`compare` for a project with its own env.py: run it (read-only, see
    :func:`schemadiff.settings.envpy.read_through_env`) and, on the connection it hands to
    ``configure()``, reflect and compare with what it configured; for a multidb env.py, each
    database with its own target_metadata. The version rows are those Alembic read from
    env.py's version table."""
    from schemadiff.backends.connect import mask_url
    from schemadiff.settings.envpy import read_through_env

    def work(context: Any, heads: tuple[str, ...]) -> Database:
        conn = _env_connection(context)
        opts = context.opts
        name = database_name(opts)
        label = mask_url(conn.engine.url)
        tokens = {
            "upgrade_token": str(opts.get("upgrade_token", "upgrades")),
            "downgrade_token": str(opts.get("downgrade_token", "downgrades")),
        }
        if name is not None:
            if settings.metadata:
                raise UsageError(
                    f"env.py configures several databases ({name} and more); --metadata / the "
                    "'metadata' setting names one set of models, so leave it out and pass each "
                    "database's MetaData in env.py's target_metadata"
                )
            if opts.get("target_metadata") is None:
                return Database(name, label, None, heads=heads, **tokens)
        compared = _compare_on(settings, renames, questioner, context, heads)
        return Database(name, label, compared, heads=heads, **tokens)

    read = read_through_env(settings, work)
    return Databases(read.rounds, read.template_args, read.config)


def _compare_on(
    settings: Settings,
    renames: tuple[Sequence[str], Sequence[str]],
    questioner: Any,
    context: Any,
    heads: tuple[str, ...],
) -> Compared:
    """Reflect and compare on the connection of one ``configure()`` round of env.py."""
    from schemadiff.backends.connect import mask_url
    from schemadiff.diff.engine import compute_diff
    from schemadiff.perf import gc_paused
    from schemadiff.settings.envpy import env_options

    conn = _env_connection(context)
    env = env_options(context.opts)
    effective, metadata = _env_settings(settings, env)
    with gc_paused(), progress("Reflecting the database") as shown:
        snapshot, models, schemas = reflect_on(
            conn, effective, metadata, True, env.include_schemas, env.include_name
        )
        assert models is not None
        if env.user_module_prefix:
            from schemadiff.render.user_types import with_user_module_prefix

            models = with_user_module_prefix(models, env.user_module_prefix)
        covered = frozenset(schemas) | frozenset(snapshot.schemas)
        target = Target(mask_url(conn.engine.url), snapshot, conn.dialect, covered, heads)
        compared, skipped = restrict_to_covered(models, covered)
        options = _env_compare_options(effective, metadata, renames, env, context)
        if questioner is not None:
            options = replace(options, questioner=shown.before_prompt(questioner))
        shown.step("Comparing")
        result = compute_diff(snapshot, compared, options)
    if skipped:
        result = replace(result, notices=tuple(result.notices) + skipped)
    return Compared(target, models, result, metadata, effective, context)


def _env_settings(settings: Settings, env: EnvOptions) -> tuple[Settings, sa.MetaData]:
    """The settings with what env.py configured; schemadiff's own config still wins for the
    models (``metadata`` / ``--metadata``)."""
    if settings.metadata:
        metadata = require_metadata(settings)
    elif env.metadata is not None:
        metadata = with_entities(settings, env.metadata)
    else:
        raise UsageError(
            "no models given; env.py passes no target_metadata to context.configure() (set it "
            "there, or pass --metadata MODULE:ATTR)"
        )
    effective = replace(
        settings,
        version_table=env.version_table or settings.version_table,
        render_as_batch=(
            settings.render_as_batch if env.render_as_batch is None else env.render_as_batch
        ),
    )
    return effective, metadata


def _env_compare_options(
    settings: Settings,
    metadata: sa.MetaData,
    renames: tuple[Sequence[str], Sequence[str]],
    env: EnvOptions,
    context: Any,
) -> CompareOptions:
    """Compare options from the settings, with env.py's filters and hooks where schemadiff's own
    config sets none (env.py's hooks keep Alembic's signatures)."""
    from schemadiff.comparators.alembic_hooks import AlembicHook, ReflectedColumns

    options = compare_options(settings, metadata, renames)
    reflected = ReflectedColumns(context.connection)

    def hook(ours: bool | str, theirs: Any, kind: str) -> Any:
        if isinstance(ours, str) or theirs is None:
            return None
        if isinstance(theirs, bool) or not callable(theirs):
            return bool(theirs)
        return AlembicHook(theirs, kind, context, metadata, reflected)

    changes: dict[str, Any] = {}
    compare_type = hook(settings.compare_type, env.compare_type, "type")
    if compare_type is not None:
        changes["compare_type"] = compare_type
    default = hook(settings.compare_server_default, env.compare_server_default, "server_default")
    if default is not None:
        changes["compare_server_default"] = default
    if settings.include_object is None and env.include_object is not None:
        changes["include_object"] = env.include_object
    if settings.include_name is None and env.include_name is not None:
        changes["include_name"] = env.include_name
    return replace(options, **changes)


def compare_options(
    settings: Settings,
    metadata: sa.MetaData | None,
    renames: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> CompareOptions:
    """CompareOptions from settings, importing the configured hooks."""
    from schemadiff.diff.options import CompareOptions
    from schemadiff.settings.plugins import load_callable

    def hook(value: bool | str, key: str) -> Any:
        return value if isinstance(value, bool) else load_callable(value, key)

    def optional(value: str | None, key: str) -> Any:
        return None if value is None else load_callable(value, key)

    return CompareOptions(
        compare_type=hook(settings.compare_type, "compare_type"),
        compare_server_default=hook(settings.compare_server_default, "compare_server_default"),
        include_object=optional(settings.include_object, "include_object"),
        include_name=optional(settings.include_name, "include_name"),
        exclude_tables=settings.exclude_tables,
        version_table=settings.version_table,
        rename_tables=tuple(parse_rename_table(v) for v in renames[0]),
        rename_columns=tuple(parse_rename_column(v) for v in renames[1]),
        comparators=tuple(load_callable(ref, "comparators") for ref in settings.comparators),
        metadata=metadata,
    )


_NAME = r"[^.=\s]+"
_RENAME_TABLE = re.compile(rf"^(?:(?P<schema>{_NAME})\.)?(?P<old>{_NAME})=(?P<new>{_NAME})$")
_RENAME_COLUMN = re.compile(
    rf"^(?:(?P<schema>{_NAME})\.)?(?P<table>{_NAME})\.(?P<old>{_NAME})=(?P<new>{_NAME})$"
)


def parse_rename_table(value: str) -> RenameTable:
    """``[SCHEMA.]OLD=NEW`` -> (schema, old, new)."""
    m = _RENAME_TABLE.match(value.strip())
    if m is None:
        raise UsageError(f"--rename-table {value!r} must look like OLD=NEW (or SCHEMA.OLD=NEW)")
    return m["schema"], m["old"], m["new"]


def parse_rename_column(value: str) -> RenameColumn:
    """``[SCHEMA.]TABLE.OLD=NEW`` -> (schema, table, old, new)."""
    m = _RENAME_COLUMN.match(value.strip())
    if m is None:
        raise UsageError(
            f"--rename-column {value!r} must look like TABLE.OLD=NEW (or SCHEMA.TABLE.OLD=NEW)"
        )
    return m["schema"], m["table"], m["old"], m["new"]


def restrict_to_covered(
    models: Snapshot, covered: frozenset[str]
) -> tuple[Snapshot, tuple[Notice, ...]]:
    """Drop model tables in schemas the target does not cover, with a "not compared" notice."""
    from schemadiff.diff.result import Notice

    models, skipped = _functions_covered(models, covered)
    outside = sorted({t.schema for t in models.tables if t.schema and t.schema not in covered})
    only_sequences = sorted(
        {s.schema for s in models.sequences if s.schema and s.schema not in covered} - set(outside)
    )
    if not outside and not only_sequences:
        return models, skipped
    keep = tuple(t for t in models.tables if t.schema is None or t.schema in covered)
    enums = tuple(e for e in models.enums if e.schema is None or e.schema in covered)
    sequences = tuple(s for s in models.sequences if s.schema is None or s.schema in covered)
    functions = tuple(f for f in models.functions if f.schema is None or f.schema in covered)
    domains = tuple(d for d in models.domains if d.schema is None or d.schema in covered)
    triggers = tuple(t for t in models.triggers if t.schema is None or t.schema in covered)
    policies = tuple(p for p in models.policies if p.schema is None or p.schema in covered)
    row_security = tuple(r for r in models.row_security if r.schema is None or r.schema in covered)
    partitioning = tuple(
        p for p in models.table_partitioning if p.schema is None or p.schema in covered
    )
    privileges = tuple(p for p in models.privileges if p.schema is None or p.schema in covered)
    schemas = tuple(s for s in models.schemas if s in covered)
    views = tuple(v for v in models.views if v.schema is None or v.schema in covered)
    partitions = tuple(p for p in models.partitions if p.schema is None or p.schema in covered)
    partition_keys = tuple(
        k for k in models.partition_keys if k.schema is None or k.schema in covered
    )
    notices = tuple(
        Notice(
            "not_compared",
            f"{what} in schema {name!r}: the database side does not cover that schema "
            "(add it to 'schemas' or --schema)",
            schema=name,
        )
        for what, names in (("tables", outside), ("sequences", only_sequences))
        for name in names
    )
    models = replace(
        models,
        functions=functions,
        triggers=triggers,
        sequences=sequences,
        views=views,
        domains=domains,
        policies=policies,
        row_security=row_security,
        table_partitioning=partitioning,
        partitions=partitions,
        partition_keys=partition_keys,
        privileges=privileges,
    )
    return replace(models, tables=keep, enums=enums, schemas=schemas), skipped + notices


def _functions_covered(
    models: Snapshot, covered: frozenset[str]
) -> tuple[Snapshot, tuple[Notice, ...]]:
    """Model functions in schemas the target does not cover taken out, with a notice each."""
    from schemadiff.diff.result import Notice

    outside = sorted({f.schema for f in models.functions if f.schema and f.schema not in covered})
    if not outside:
        return models, ()
    kept = tuple(f for f in models.functions if f.schema is None or f.schema in covered)
    notices = tuple(
        Notice(
            "not_compared",
            f"functions in schema {name!r}: the database side does not cover that schema "
            "(add it to 'schemas' or --schema)",
            schema=name,
        )
        for name in outside
    )
    return replace(models, functions=kept), notices


def _load_snapshot_file(path: str) -> Target:
    from schemadiff.snapshot import io as snapshot_io

    snapshot = snapshot_io.load_file(path)
    covered = frozenset(snapshot.schemas) | {t.schema for t in snapshot.tables if t.schema}
    return Target(path, snapshot, offline_dialect(snapshot), frozenset(covered))


def offline_dialect(snapshot: Snapshot) -> Dialect:
    """A SQLAlchemy dialect for the snapshot's backend (no driver or connection needed)."""
    from sqlalchemy.dialects import registry
    from sqlalchemy.exc import NoSuchModuleError

    try:
        dialect: Dialect = registry.load(snapshot.dialect)()
    except NoSuchModuleError as exc:
        raise SnapshotError(f"snapshot dialect {snapshot.dialect!r} is unknown") from exc
    version = snapshot.server_version or ""
    parse = getattr(dialect, "_parse_server_version", None)
    if version and parse is not None:
        try:
            parse(version)  # MySQL/MariaDB: also sets is_mariadb
            return dialect
        except (NotImplementedError, ValueError, TypeError):
            pass
    numbers = tuple(int(n) for n in re.findall(r"\d+", version.split(" ")[0])[:3])
    if numbers:
        dialect.server_version_info = numbers
    return dialect
