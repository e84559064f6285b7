"""Where schemadiff's time goes, phase by phase, in one fresh interpreter (for profiling work).

``python -m bench.phases BACKEND URL N [--changed] [--schemas S]``
"""

from __future__ import annotations

import argparse
import gc
import time

import sqlalchemy as sa

from bench.generate import build


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench.phases")
    parser.add_argument("backend")
    parser.add_argument("url")
    parser.add_argument("tables", type=int)
    parser.add_argument("--schemas", type=int, default=0)
    parser.add_argument("--changed", action="store_true")
    parser.add_argument("--no-gc", action="store_true", help="disable the cyclic GC first")
    args = parser.parse_args()
    metadata = build(args.backend, args.tables, changed=args.changed, schemas=args.schemas)
    schemas = sorted({t.schema for t in metadata.tables.values() if t.schema})
    gc.collect()
    if args.no_gc:
        gc.disable()
    marks = [("start", time.perf_counter())]

    def mark(name: str) -> None:
        marks.append((name, time.perf_counter()))

    from schemadiff.diff.engine import compute_diff
    from schemadiff.diff.options import CompareOptions
    from schemadiff.sources import inspect_database
    from schemadiff.sources.metadata import inspect_metadata

    mark("imports")
    engine = sa.create_engine(args.url)
    conn = engine.connect()
    mark("engine+connect")
    db = inspect_database(conn, schemas)
    mark("inspect_database")
    models = inspect_metadata(metadata, conn.dialect, db.default_schema)
    mark("inspect_metadata")
    conn.close()
    engine.dispose()
    result = compute_diff(db, models, CompareOptions(metadata=metadata))
    mark("compute_diff")
    for (_, before), (name, at) in zip(marks, marks[1:], strict=False):
        print(f"{name:18} {at - before:7.3f}")
    print(f"{'total':18} {marks[-1][1] - marks[0][1]:7.3f}   ops={len(result.ops)}")


if __name__ == "__main__":
    main()
