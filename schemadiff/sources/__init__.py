"""Sources of snapshots: a live database, SQLAlchemy metadata, or a snapshot file."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import import_module
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

from schemadiff.perf import gc_paused, quick_thread_switches
from schemadiff.snapshot.model import Snapshot

if TYPE_CHECKING:
    import sqlalchemy as sa

#: SQLAlchemy dialect name -> module with ``reflect(conn, schemas) -> Snapshot``
_REFLECTORS = {
    "postgresql": "schemadiff.backends.postgresql.reflect",
    "mysql": "schemadiff.backends.mysql.reflect",
    "mariadb": "schemadiff.backends.mysql.reflect",
    "sqlite": "schemadiff.backends.sqlite.reflect",
}


class UnsupportedDialect(Exception):
    """The database's backend has no reflector."""


def inspect_database(bind: Engine | Connection, schemas: Sequence[str] | None = None) -> Snapshot:
    """Reflect the database's default schema plus ``schemas`` into one Snapshot.

    Catalog queries are issued in bulk (a fixed number per run), never once per table.
    """
    name = bind.dialect.name
    module = _REFLECTORS.get(name)
    if module is None:
        supported = ", ".join(sorted(set(_REFLECTORS)))
        raise UnsupportedDialect(f"backend {name!r} is not supported (supported: {supported})")
    reflect = import_module(module).reflect
    with gc_paused():
        if isinstance(bind, Engine):
            with bind.connect() as conn:
                return reflect(conn, list(schemas or ()))
        return reflect(bind, list(schemas or ()))


def inspect_both(
    conn: Connection, schemas: Sequence[str], metadata: sa.MetaData
) -> tuple[Snapshot, Snapshot]:
    """The database's snapshot and the models' (for this connection's dialect), built at the
    same time: the models in a worker thread while this one waits for the catalog's answers
    (database drivers release the GIL while they wait). The models are keyed by the default
    schema the connection reports; in the rare case reflection finds another one, they are built
    again for it."""
    from schemadiff.sources.metadata import inspect_metadata as build_models

    default = conn.dialect.default_schema_name
    with (
        gc_paused(),
        quick_thread_switches(),
        ThreadPoolExecutor(1, thread_name_prefix="schemadiff-models") as pool,
    ):
        models = pool.submit(build_models, metadata, conn.dialect, default)
        db = inspect_database(conn, schemas)
        built = models.result()
    if db.default_schema != default:
        built = build_models(metadata, conn.dialect, db.default_schema)
    return db, settle_models(conn, db, built)


def settle_models(conn: Connection, db: Snapshot, built: Snapshot) -> Snapshot:
    """The models' snapshot with its declared functions, triggers, domains, policies,
    partitions and views in the server's spelling (asked on ``conn``; ``db`` is the
    database's snapshot)."""
    from schemadiff.backends.readonly import probes
    from schemadiff.sources.domains import settle_domains
    from schemadiff.sources.partitions import settle_partitions
    from schemadiff.sources.policies import settle_policies
    from schemadiff.sources.routines import settle_functions, settle_triggers
    from schemadiff.sources.syntax import mark_syntax_errors
    from schemadiff.sources.table_partitioning import settle_partitioning
    from schemadiff.sources.views import settle_views

    with probes():  # a second connection, rolled back: not env.py's, it may make temporaries
        settled = settle_triggers(conn, db, settle_functions(conn, db, built))
        settled = settle_domains(conn, db, settled)
        settled = settle_policies(conn, db, settled)
        settled = settle_partitioning(conn, db, settled)
        settled = settle_partitions(conn, db, settled)
        settled = settle_views(conn, db, settled)
        return mark_syntax_errors(conn, db, settled)


def inspect_metadata(*args, **kwargs) -> Snapshot:  # type: ignore[no-untyped-def]
    """See :func:`schemadiff.sources.metadata.inspect_metadata` (imported lazily)."""
    from schemadiff.sources.metadata import inspect_metadata as _inspect

    return _inspect(*args, **kwargs)
