"""Functions and triggers without a database: canonical forms, declarations, alembic_utils
entities, ops and their reverses, rendered DDL."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from schemadiff import ops as O
from schemadiff.canonical.routines import (
    TriggerSyntaxError,
    canonical_returns,
    canonical_trigger,
    identity_args,
    split_trigger,
)
from schemadiff.diff.engine import compute_diff
from schemadiff.objects import (
    Function,
    Procedure,
    Trigger,
    declared_functions,
    declared_triggers,
    function_from_entity,
    trigger_from_entity,
)
from schemadiff.render.code import RenderContext
from schemadiff.render.registry import render_op
from schemadiff.snapshot import io
from schemadiff.snapshot.model import Snapshot
from schemadiff.snapshot.routines import Function as FunctionSnap
from schemadiff.snapshot.routines import Trigger as TriggerSnap
from schemadiff.sources.metadata import inspect_metadata


@pytest.mark.parametrize(
    ("declared", "catalog"),
    [
        ("", ""),
        ("a int, b varchar(20) DEFAULT 'x'", "a integer, b character varying"),
        ("IN a int4, OUT b text", "a integer"),
        ("VARIADIC xs int[]", "VARIADIC xs integer[]"),
        ("double precision, ts timestamptz", "double precision, ts timestamp with time zone"),
        ("x numeric(10, 2) = 1.5", "x numeric"),
        ("m mood", "m mood"),
    ],
)
def test_identity_arguments_in_the_catalog_spelling(declared: str, catalog: str) -> None:
    assert identity_args(declared) == catalog
    assert identity_args(catalog) == catalog  # the catalog's own form is a fixed point


def test_result_types_in_the_catalog_spelling() -> None:
    assert canonical_returns("int") == "integer"
    assert canonical_returns("SETOF varchar(3)") == "SETOF character varying"
    assert canonical_returns("table (a int, b text)") == "TABLE(a integer, b text)"
    assert canonical_returns(None) is None


def test_trigger_definitions_compare_by_meaning() -> None:
    server = (
        "CREATE TRIGGER t BEFORE INSERT OR UPDATE ON public.orders FOR EACH ROW "
        "EXECUTE FUNCTION touch()"
    )
    declared = "before update or insert  ON orders for each row execute procedure touch ()"
    assert canonical_trigger(server, True) == canonical_trigger(declared, True)
    # the level PostgreSQL writes out when none is given
    assert canonical_trigger("AFTER DELETE EXECUTE FUNCTION f()", True)[0] == (
        "AFTER DELETE FOR EACH STATEMENT EXECUTE FUNCTION f()"
    )
    # a WHEN condition is only sure once the server has rewritten it
    assert canonical_trigger("AFTER UPDATE FOR EACH ROW WHEN (x) EXECUTE FUNCTION f()", True)[
        1
    ] is (False)
    assert split_trigger("AFTER UPDATE OF a, b ON t FOR EACH ROW BEGIN SELECT 1; END") == (
        "AFTER UPDATE OF a, b",
        "FOR EACH ROW BEGIN SELECT 1; END",
    )
    with pytest.raises(TriggerSyntaxError):
        split_trigger("UPDATE ON t")


def test_declarations_live_in_the_metadata() -> None:
    metadata = sa.MetaData()
    f = Function(metadata, "f", "SELECT 1", returns="int")
    p = Procedure(metadata, "p", "SELECT 1", args="x int")
    t = Trigger(metadata, "t", "orders", "AFTER INSERT EXECUTE FUNCTION f()")
    assert declared_functions(metadata) == [f, p]
    assert p.returns is None and p.kind == "procedure"
    assert declared_triggers(metadata) == [t]
    with pytest.raises(ValueError, match="volatility"):
        Function(metadata, "g", "SELECT 1", volatility="sometimes")
    with pytest.raises(ValueError, match="needs the name of its table"):
        Trigger(metadata, "t2", "", "AFTER INSERT EXECUTE FUNCTION f()")


def test_alembic_utils_entities_are_converted() -> None:
    metadata = sa.MetaData()
    entity = SimpleNamespace(
        schema="public",
        signature="to_upper(some_text text)",
        definition="RETURNS text STABLE STRICT LANGUAGE sql AS $$ SELECT upper(some_text) $$",
    )
    fn = function_from_entity(metadata, entity)
    assert (fn.name, fn.args, fn.returns, fn.language, fn.volatility, fn.strict) == (
        "to_upper",
        "some_text text",
        "text",
        "sql",
        "stable",
        True,
    )
    assert fn.body == " SELECT upper(some_text) "
    trigger = SimpleNamespace(
        schema="public",
        signature="lower_account_email",
        on_entity="public.account",
        definition="BEFORE INSERT ON public.account FOR EACH ROW EXECUTE FUNCTION f()",
    )
    t = trigger_from_entity(metadata, trigger)
    assert (t.name, t.schema, t.table) == ("lower_account_email", "public", "account")
    with pytest.raises(ValueError, match="PGFunction nope"):
        function_from_entity(metadata, SimpleNamespace(signature="nope()", definition="x"))


def _fn(body: str = "SELECT 1") -> FunctionSnap:
    return FunctionSnap("f", "a integer", body, raw_args="a int", raw_body=body, returns="integer")


def test_ops_reverse_and_render() -> None:
    ctx = RenderContext("postgresql")
    old, new = _fn(), _fn("SELECT $function$")
    replace = O.ReplaceFunction(old, new)
    assert replace.reverse() == O.ReplaceFunction(new, old)
    assert replace.describe() == "replace function f(a integer) (body)"
    [line] = render_op(replace, ctx).lines
    assert line == (
        "op.execute('CREATE OR REPLACE FUNCTION f(a int) RETURNS integer LANGUAGE sql VOLATILE "
        "AS $function1$SELECT $function$$function1$')"
    )
    assert render_op(O.DropFunction(old), ctx).lines == (
        "op.execute('DROP FUNCTION f(a integer)')",
    )
    trigger = TriggerSnap(
        "t", "orders", "AFTER INSERT", raw="CREATE TRIGGER t AFTER INSERT ON orders"
    )
    assert O.DropTrigger(trigger, with_table=True).reverse() == O.CreateTrigger(trigger, True)
    assert render_op(O.DropTrigger(trigger, with_table=True), ctx).lines == (
        "# trigger t goes with table orders",
    )
    assert render_op(O.DropTrigger(trigger), ctx).lines == (
        "op.execute('DROP TRIGGER t ON orders')",
    )
    assert render_op(O.DropTrigger(trigger), RenderContext("sqlite")).lines == (
        "op.execute('DROP TRIGGER t')",
    )


def test_snapshot_files_keep_functions_and_triggers() -> None:
    snapshot = Snapshot(
        "postgresql",
        functions=(_fn(),),
        triggers=(TriggerSnap("t", "orders", "AFTER INSERT", raw="CREATE TRIGGER ..."),),
    )
    assert io.loads(io.dumps(snapshot)) == snapshot


def test_functions_declared_for_a_backend_without_them_are_not_compared() -> None:
    metadata = sa.MetaData()
    Function(metadata, "f", "SELECT 1")
    from sqlalchemy.dialects import sqlite

    models = inspect_metadata(metadata, sqlite.dialect())
    result = compute_diff(Snapshot("sqlite"), models)
    assert result.ops == ()
    assert [n.message for n in result.notices] == [
        "functions and procedures: the sqlite backend does not report them, so they were not "
        "compared"
    ]


def test_real_alembic_utils_entities() -> None:
    """alembic_utils' own PGFunction and PGTrigger (an optional import: installed for tests)."""
    pg_function = pytest.importorskip("alembic_utils.pg_function")
    pg_trigger = pytest.importorskip("alembic_utils.pg_trigger")
    metadata = sa.MetaData()
    fn = function_from_entity(
        metadata,
        pg_function.PGFunction(
            schema="public",
            signature="touch_updated_at()",
            definition="RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        ),
    )
    assert (fn.name, fn.args, fn.returns, fn.language) == (
        "touch_updated_at",
        "",
        "trigger",
        "plpgsql",
    )
    trigger = trigger_from_entity(
        metadata,
        pg_trigger.PGTrigger(
            schema="public",
            signature="orders_touch",
            on_entity="public.orders",
            is_constraint=False,
            definition="BEFORE UPDATE ON public.orders FOR EACH ROW "
            "EXECUTE FUNCTION touch_updated_at()",
        ),
    )
    assert (trigger.name, trigger.schema, trigger.table) == ("orders_touch", "public", "orders")
    models = inspect_metadata(metadata, sa.create_engine("postgresql+psycopg://").dialect, "public")
    [snap] = models.triggers
    assert snap.schema is None  # the default schema, keyed like the reflected side
    assert snap.definition == "BEFORE UPDATE FOR EACH ROW EXECUTE FUNCTION touch_updated_at()"


def test_a_mysql_function_needs_a_result_type() -> None:
    from sqlalchemy.dialects import mysql

    from schemadiff.errors import UsageError

    metadata = sa.MetaData()
    Function(metadata, "f", "RETURN 1")
    with pytest.raises(UsageError, match="a MySQL function needs a result type"):
        inspect_metadata(metadata, mysql.dialect())
    metadata = sa.MetaData()
    Function(metadata, "f", "RETURN 1", args="a INT", returns="int(11)", volatility="stable")
    [fn] = inspect_metadata(metadata, mysql.dialect()).functions
    assert (fn.args, fn.returns, fn.volatility) == ("a integer", "integer", "volatile")
