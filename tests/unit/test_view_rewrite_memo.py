"""The server's rewrites of declared view queries, remembered between runs
(:func:`schemadiff.sources.views.settle_views`): keyed by everything the rewrite depends on, so
an unchanged model asks the server nothing and any change of what the key covers asks again.
A fake server (a test dialect's rules) answers and counts the questions; no database."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest

from schemadiff.backends import registry as dialects
from schemadiff.backends.base import DialectRules
from schemadiff.canonical.views import view_calls
from schemadiff.snapshot.model import Column, ColumnType, Snapshot, Table, TableKey, View
from schemadiff.sources.views import _Relations, rewrite_dependencies, settle_views


class FakeServer(DialectRules):
    """Rewrites a query by upper-casing it; refuses queries that contain ``refused``."""

    name = "postgresql"  # how the queries parse
    features = frozenset({"views"})
    context = "server 1"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def view_rewrite_context(self, conn: Any) -> str | None:
        return self.context

    def settle_views(self, conn: Any, views: Sequence[View]) -> dict[TableKey, str | None]:
        self.asked.extend(v.name for v in views)
        return {v.key: None if "refused" in v.raw else v.raw.upper() for v in views}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    fake = FakeServer()
    monkeypatch.setitem(dialects._CACHE, "fake", fake)
    return fake


def _table(name: str, *columns: tuple[str, str]) -> Table:
    return Table(name, columns=tuple(Column(n, ColumnType(t)) for n, t in columns))


def _db(*relations: Table | View) -> Snapshot:
    tables = tuple(r for r in relations if isinstance(r, Table))
    views = tuple(r for r in relations if isinstance(r, View))
    return Snapshot("fake", "main", tables=tables, views=views)


def _stored(name: str, raw: str, reads: tuple[TableKey, ...] | None) -> View:
    return View(name, f"stored {raw}", raw=raw, reads=reads)


def _declared(name: str, raw: str, reads: tuple[TableKey, ...] | None) -> View:
    return View(name, f"declared {raw}", raw=raw, reads=reads)


def _unique() -> str:
    """A table name no other test used (the memo is the test session's)."""
    return f"t_{uuid.uuid4().hex[:10]}"


def test_unknown_functions_are_listed() -> None:
    assert view_calls("SELECT id, count(*), max(qty) FROM t GROUP BY id", "postgresql") == ()
    assert view_calls("SELECT my_func(id) FROM t", "postgresql") == ("my_func",)
    assert view_calls("SELECT app.Price_Of(id) FROM t", "mysql") == ("price_of",)
    assert view_calls("SELECT FROM WHERE (((", "postgresql") is None


def test_the_key_covers_the_columns_of_what_is_read() -> None:
    t = _unique()
    view = _declared("v", f"SELECT * FROM {t}", ((None, t),))
    stored = _stored("v", f"SELECT {t}.id FROM {t}", ((None, t),))

    def key(*columns: tuple[str, str]) -> str | None:
        return rewrite_dependencies(
            view, _Relations(_db(_table(t, *columns), stored)), "postgresql"
        )

    base = key(("id", "integer"))
    assert base is not None and base == key(("id", "integer"))
    assert key(("id", "bigint")) != base  # a retyped column
    assert key(("id", "integer"), ("b", "integer")) != base  # an added column
    assert key(("ident", "integer")) != base  # a renamed column
    other = _declared("v", f"SELECT id FROM {t}", ((None, t),))
    assert (
        rewrite_dependencies(other, _Relations(_db(_table(t, ("id", "integer")))), "postgresql")
        != base
    )


def test_views_over_views_are_keyed_by_what_they_read_in_turn() -> None:
    t = _unique()
    inner = _stored("inner_v", f"SELECT {t}.id FROM {t}", ((None, t),))
    view = _declared("outer_v", "SELECT * FROM inner_v", ((None, "inner_v"),))

    def key(inner_view: View, column_type: str) -> str | None:
        db = _db(_table(t, ("id", column_type)), inner_view)
        return rewrite_dependencies(view, _Relations(db), "postgresql")

    base = key(inner, "integer")
    assert base is not None
    assert key(inner, "bigint") != base  # the table under the view changed
    changed = _stored("inner_v", f"SELECT {t}.id, 1 AS one FROM {t}", ((None, t),))
    assert key(changed, "integer") != base  # the view read changed
    unknown = _stored("inner_v", "SELECT ...", None)  # what it reads is not known
    assert key(unknown, "integer") is None


@pytest.mark.parametrize(
    ("raw", "reads"),
    [
        ("SELECT my_func(id) FROM {t}", ((None, "{t}"),)),  # a user's function
        ("SELECT id FROM elsewhere", ((None, "elsewhere"),)),  # not in the snapshot
        ("SELECT id FROM other.{t}", (("other", "{t}"),)),  # another schema
        ("SELECT oid FROM pg_class", ((None, "pg_class"),)),  # a catalog's name
        ("SELECT id FROM {t}", None),  # reads unknown
    ],
)
def test_what_cannot_be_keyed_is_never_remembered(
    raw: str, reads: tuple[TableKey, ...] | None
) -> None:
    t = _unique()
    raw = raw.format(t=t)
    reads = None if reads is None else tuple((s, n.format(t=t)) for s, n in reads)
    db = _db(_table(t, ("id", "integer")), _table("pg_class", ("oid", "oid")))
    assert rewrite_dependencies(_declared("v", raw, reads), _Relations(db), "postgresql") is None


def test_an_unchanged_model_asks_nothing_the_second_time(server: FakeServer) -> None:
    t = _unique()
    raw = f"select id from {t}"
    db = _db(_table(t, ("id", "integer")), _stored("v", raw.upper(), ((None, t),)))
    models = _db(_declared("v", raw, ((None, t),)))

    first = settle_views(None, db, models)  # type: ignore[arg-type]
    assert server.asked == ["v"]
    second = settle_views(None, db, models)  # type: ignore[arg-type]
    assert server.asked == ["v"]  # answered from the memo
    assert first == second and first.views[0].settled


def test_any_change_of_the_key_asks_again(server: FakeServer) -> None:
    t = _unique()
    raw = f"select * from {t}"
    models = _db(_declared("v", raw, ((None, t),)))

    def settle(column_type: str) -> None:
        db = _db(_table(t, ("id", column_type)), _stored("v", "anything", ((None, t),)))
        settle_views(None, db, models)  # type: ignore[arg-type]

    settle("integer")
    settle("integer")
    assert server.asked == ["v"]
    settle("bigint")  # a column's type changed: asked again
    assert server.asked == ["v", "v"]
    server.context = "server 2"  # another server version, mode or user: asked again
    settle("bigint")
    assert server.asked == ["v", "v", "v"]


def test_refusals_and_unkeyed_queries_are_asked_every_time(server: FakeServer) -> None:
    t = _unique()
    db = _db(
        _table(t, ("id", "integer")),
        _stored("a", "x", ((None, t),)),
        _stored("b", "y", ((None, t),)),
    )
    models = _db(
        _declared("a", f"select id from {t} where refused", ((None, t),)),
        _declared("b", f"select my_func(id) from {t}", ((None, t),)),
    )
    for _ in range(2):
        settled = settle_views(None, db, models)  # type: ignore[arg-type]
        assert all(v.settled for v in settled.views)
    assert server.asked == ["a", "b", "a", "b"]
