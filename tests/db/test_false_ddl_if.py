"""Objects made conditional with ``.ddl_if()`` are compared where ``create_all`` makes them and
are not wanted elsewhere: ``ddl_if(dialect=...)`` on indexes, unique, check and foreign key
constraints, and ``ddl_if(callable_=...)`` evaluated as ``create_all`` evaluates it (a callable
that cannot be evaluated without a live connection is "not compared")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.kit.false_positives import create, described, diff


@pytest.fixture(params=("sqlite", "postgresql", "mysql"))
def engine(request: pytest.FixtureRequest, backend_url: Callable[[str], str]) -> Iterator[Engine]:
    eng = sa.create_engine(backend_url(request.param))
    yield eng
    eng.dispose()


def _only_sqlite(ddl: Any, target: Any, bind: Any, **kw: Any) -> bool:
    return bool(kw["dialect"].name == "sqlite")


def _models() -> sa.MetaData:
    m = sa.MetaData()
    sa.Table("owners", m, sa.Column("id", sa.Integer, primary_key=True))
    items = sa.Table(
        "items",
        m,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer),
        sa.Column("code", sa.String(20)),
        sa.Column("qty", sa.Integer),
    )
    items.append_constraint(
        sa.UniqueConstraint("code", name="uq_items_code").ddl_if(dialect="postgresql")
    )
    items.append_constraint(
        sa.CheckConstraint("qty >= 0", name="ck_items_qty").ddl_if(dialect=("mysql", "sqlite"))
    )
    items.append_constraint(
        sa.ForeignKeyConstraint(["owner_id"], ["owners.id"], name="fk_items_owner").ddl_if(
            dialect="postgresql"
        )
    )
    sa.Index("ix_items_qty_pg", items.c.qty).ddl_if(dialect="postgresql")
    sa.Index("ix_items_code_my", items.c.code).ddl_if(dialect="mysql")
    sa.Index("ix_items_both", items.c.code, items.c.qty).ddl_if(dialect=("sqlite", "mysql"))
    sa.Index("ix_items_lite", items.c.owner_id, items.c.qty).ddl_if(callable_=_only_sqlite)
    return m


def test_conditional_objects_show_no_difference(engine: Engine) -> None:
    create(engine, _models())
    assert described(diff(engine, _models())) == []


def test_conditional_objects_are_compared_where_they_apply(engine: Engine) -> None:
    """Built without the conditional objects, the models want exactly this backend's ones."""
    bare = _models()
    for table in bare.tables.values():
        table.indexes.clear()
        for con in list(table.constraints):
            if con._ddl_if is not None:
                table.constraints.discard(con)
                for fk in getattr(con, "elements", ()):
                    table.foreign_keys.discard(fk)
    create(engine, bare)
    kinds = sorted(op.kind for op in diff(engine, _models()).ops)
    expected = {
        "sqlite": ["add_check_constraint", "create_index", "create_index"],
        "postgresql": ["add_foreign_key", "add_unique_constraint", "create_index"],
        "mysql": ["add_check_constraint", "create_index", "create_index"],
    }
    backend = "mysql" if engine.dialect.name in ("mysql", "mariadb") else engine.dialect.name
    assert kinds == expected[backend]


def test_callable_that_needs_a_connection_is_not_compared(engine: Engine) -> None:
    def asks_the_database(ddl: Any, target: Any, bind: Any, **kw: Any) -> bool:
        return bool(bind.scalar(sa.text("select 1")))

    def models() -> sa.MetaData:
        m = sa.MetaData()
        t = sa.Table(
            "t", m, sa.Column("id", sa.Integer, primary_key=True), sa.Column("a", sa.Integer)
        )
        sa.Index("ix_t_a", t.c.a).ddl_if(callable_=asks_the_database)
        return m

    create(engine, models())
    result = diff(engine, models())
    assert described(result) == []
    notes = [n.message for n in result.notices if n.level == "not_compared"]
    assert any("ix_t_a" in n for n in notes), notes


def test_ddl_run_by_event_listeners_is_not_compared(engine: Engine) -> None:
    """DDL and functions attached with event.listen build things schemadiff cannot see: each is
    listed; SQLAlchemy's own listeners (an Enum's type), CREATE SCHEMA (schemas are compared) and
    DDL for another backend are not."""

    def grant(target: Any, connection: Any, **kw: Any) -> None:
        """A user's function listening on after_create."""

    def models() -> sa.MetaData:
        m = sa.MetaData()
        t = sa.Table(
            "t",
            m,
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("kind", sa.Enum("a", "b", name="t_kind")),
        )
        sa.event.listen(t, "after_create", sa.DDL("CREATE VIEW t_view AS SELECT id FROM t"))
        sa.event.listen(m, "after_create", grant)
        sa.event.listen(m, "before_create", sa.DDL("CREATE SCHEMA IF NOT EXISTS audit"))
        sa.event.listen(m, "after_create", sa.DDL("SELECT 1").execute_if(dialect="nosuchdb"))
        return m

    result = diff(engine, models())  # the models' side lists them: nothing to create
    notes = [n.message for n in result.notices if n.level == "not_compared"]
    listed = [n for n in notes if "event.listen" in n]
    assert sorted(listed) == [
        "DDL 'CREATE VIEW t_view AS SELECT id FROM t' run at after_create of table t "
        "(event.listen): schemadiff cannot see what it builds",
        f"function {__name__}.test_ddl_run_by_event_listeners_is_not_compared.<locals>.grant "
        "run at after_create of the MetaData (event.listen): schemadiff cannot see what it builds",
    ], notes
