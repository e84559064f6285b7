"""Rendering an initial revision for N tables, beyond reflection: ``python -m bench.render``.

``python -m bench.render BACKEND N [URL]``: an empty database against N model tables (what
``revision --autogenerate`` writes for a project's first migration). Reflection is not timed; the
clock covers the renderers' imports, ``render_bodies`` (both directions) and ``render_script``
(Mako template plus black). Prints one JSON line. With a URL the dialect is the server's own
(connected once, nothing reflected); without one it is SQLAlchemy's default for the backend.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import sqlalchemy as sa

from bench.generate import build

_DRIVERS = {
    "postgresql": "postgresql+psycopg://",
    "mysql": "mysql+pymysql://",
    "sqlite": "sqlite://",
}


def _dialect(backend: str, url: str | None) -> sa.engine.Dialect:
    engine = sa.create_engine(url or _DRIVERS[backend])
    if url:
        with engine.connect():
            pass  # initializes the dialect (server version, MariaDB or not)
    return engine.dialect


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.render")
    parser.add_argument("backend")
    parser.add_argument("tables", type=int)
    parser.add_argument("url", nargs="?")
    args = parser.parse_args()
    metadata = build(args.backend, args.tables)
    dialect = _dialect(args.backend, args.url)

    from schemadiff.diff.engine import compute_diff
    from schemadiff.diff.options import CompareOptions
    from schemadiff.snapshot.model import Snapshot
    from schemadiff.sources.metadata import inspect_metadata

    default = dialect.default_schema_name or {"postgresql": "public", "sqlite": "main"}.get(
        args.backend
    )
    models = inspect_metadata(metadata, dialect, default)
    db = Snapshot(dialect=models.dialect, default_schema=default)
    result = compute_diff(db, models, CompareOptions(metadata=metadata))

    start = time.perf_counter()
    from schemadiff.render.bodies import render_bodies
    from schemadiff.render.script import RevisionHeader, render_script

    bodies = render_bodies(result, db, models)
    rendered = time.perf_counter()
    header = RevisionHeader("initial", "0001", None, "2024-01-01 00:00:00")
    text = render_script(header, bodies.upgrade, bodies.downgrade)
    done = time.perf_counter()
    json.dump(
        {
            "ops": len(result.ops),
            "bodies_seconds": rendered - start,
            "script_seconds": done - rendered,
            "seconds": done - start,
            "lines": text.count("\n"),
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
