"""The server's rewrites of declared view queries remembered between runs, on real servers
(:func:`schemadiff.sources.views.settle_views`): a second run over the same models and database
asks the server nothing and finds the same; a change to a table a view reads asks again, and a
view whose rewrite changed with it is a change, never equal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.objects import View
from schemadiff.snapshot.model import Snapshot
from schemadiff.sources import inspect_both
from tests.db.test_views import build

BACKENDS = [
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.db),
    pytest.param("mysql", id="mysql", marks=pytest.mark.db),
]
OPTIONS = CompareOptions(use_entry_points=False)


def models(*extra: sa.Column, view_sql: str) -> sa.MetaData:
    metadata = sa.MetaData()
    sa.Table(
        "items",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(40)),
        *extra,
    )
    View(metadata, "item_view", view_sql)
    return metadata


@contextmanager
def probes(engine: sa.Engine) -> Iterator[list[str]]:
    """The ``CREATE ... VIEW`` statements sent to learn the server's rewrites."""
    sent: list[str] = []

    def count(*args: object) -> None:
        if "VIEW" in str(args[2]).upper() and "CREATE" in str(args[2]).upper():
            sent.append(str(args[2]))

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def settle(engine: sa.Engine, metadata: sa.MetaData) -> tuple[Snapshot, Snapshot]:
    with engine.connect() as conn:
        return inspect_both(conn, [], metadata)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_second_run_asks_the_server_nothing(
    backend: str, backend_url: Callable[..., str]
) -> None:
    url = backend_url(backend)
    metadata = models(view_sql="SELECT id, label FROM items WHERE id > 2")
    build(url, metadata)
    engine = sa.create_engine(url)
    try:
        with probes(engine) as sent:
            db, first = settle(engine, metadata)
        assert len(sent) == 1, "the server rewrites this query: it must have been asked once"
        with probes(engine) as sent:
            again, second = settle(engine, metadata)
        assert sent == []
    finally:
        engine.dispose()
    assert first.views == second.views == db.views == again.views
    assert all(v.settled for v in second.views)
    assert compute_diff(again, second, OPTIONS).ops == ()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_column_added_under_select_star_is_a_change(
    backend: str, backend_url: Callable[..., str]
) -> None:
    """``SELECT *`` lists a table's columns of the moment the view was made: after a column is
    added to the table (by hand), the stored view still lacks it while the declared query made
    now has it. The remembered rewrite (without the column) must not answer: the view is
    replaced, and the server was asked again."""
    url = backend_url(backend)
    before = models(view_sql="SELECT * FROM items")
    build(url, before)
    engine = sa.create_engine(url)
    try:
        db, settled = settle(engine, before)
        assert compute_diff(db, settled, OPTIONS).ops == ()
        with engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE items ADD COLUMN extra INTEGER")
        after = models(sa.Column("extra", sa.Integer), view_sql="SELECT * FROM items")
        with probes(engine) as sent:
            db, settled = settle(engine, after)
        assert len(sent) == 1
    finally:
        engine.dispose()
    ops = compute_diff(db, settled, OPTIONS).ops
    assert [op.kind for op in ops] == ["replace_view"], ops


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_retyped_column_read_by_a_view_asks_again(
    backend: str, backend_url: Callable[..., str]
) -> None:
    url = backend_url(backend)
    sql = "SELECT id, label FROM items WHERE label <> 'x'"
    metadata = models(view_sql=sql)
    build(url, metadata)
    engine = sa.create_engine(url)
    try:
        settle(engine, metadata)
        with probes(engine) as sent:
            settle(engine, metadata)
        assert sent == []
        alter = (
            "ALTER TABLE items ALTER COLUMN label TYPE varchar(80)"
            if backend == "postgresql"
            else "ALTER TABLE items MODIFY label VARCHAR(80)"
        )
        with engine.begin() as conn:  # PostgreSQL refuses to retype a column a view reads
            conn.exec_driver_sql("DROP VIEW item_view")
            conn.exec_driver_sql(alter)
            conn.exec_driver_sql(f"CREATE VIEW item_view AS {sql}")
        with probes(engine) as sent:
            db, settled = settle(engine, metadata)
        assert len(sent) == 1  # the table it reads changed: the server is asked again
    finally:
        engine.dispose()
    # the table differs from the models (varchar(80) against 40): the view is dropped and
    # created again around the change, its query unchanged
    kinds = [op.kind for op in compute_diff(db, settled, OPTIONS).ops]
    assert "replace_view" not in kinds, kinds


@pytest.mark.db
def test_postgresql_asks_for_every_rewrite_in_one_statement(
    backend_url: Callable[..., str],
) -> None:
    """The probe views are made by one statement; a refused query makes it fall back to one
    statement (and savepoint) per view, with the same answers. A query ending in a comment
    does not swallow the next one."""
    from schemadiff.backends.postgresql.views import settle_views as ask
    from schemadiff.snapshot.model import View as Stored

    views = [
        Stored("a", "", raw="SELECT 1 AS x -- a comment"),
        Stored("b", "", raw="SELECT '50%' AS y"),
        Stored("c", "", raw="SELECT 2 AS z"),
    ]
    refused = Stored("d", "", raw="SELECT no_such_column")
    engine = sa.create_engine(backend_url("postgresql"))
    try:
        with engine.connect() as conn, probes(engine) as sent:
            together = ask(conn, views)
            assert len(sent) == 1
            one_by_one = ask(conn, [*views, refused])
    finally:
        engine.dispose()
    assert together == {
        (None, "a"): "SELECT 1 AS x",
        (None, "b"): "SELECT '50%'::text AS y",
        (None, "c"): "SELECT 2 AS z",
    }
    assert one_by_one == {**together, (None, "d"): None}
