"""Scripts of projects that use alembic_utils (issue 17): the ops on objects its entities declare,
and on the database's objects nothing declares, are alembic_utils' ``op.create_entity`` /
``op.replace_entity`` / ``op.drop_entity``; objects declared with ``schemadiff.objects`` keep
``op.execute``; where alembic_utils would do something else, ``op.execute`` after a comment."""

from __future__ import annotations

import ast
from dataclasses import replace
from pathlib import Path
from typing import Any

import black
import pytest
import sqlalchemy as sa

from schemadiff import ops as O
from schemadiff.diff.result import DiffResult
from schemadiff.objects import View, register_entities
from schemadiff.render import script
from schemadiff.render.bodies import render_bodies
from schemadiff.snapshot.model import Extension, Snapshot
from schemadiff.snapshot.model import View as ViewSnap
from schemadiff.snapshot.policies import Policy
from schemadiff.snapshot.routines import Function, Trigger
from schemadiff.sources.metadata import inspect_metadata
from tests.kit.lint import lint_body

pg_view = pytest.importorskip("alembic_utils.pg_view")
from alembic_utils.pg_extension import PGExtension  # noqa: E402
from alembic_utils.pg_function import PGFunction  # noqa: E402
from alembic_utils.pg_materialized_view import PGMaterializedView  # noqa: E402
from alembic_utils.pg_policy import PGPolicy  # noqa: E402
from alembic_utils.pg_trigger import PGTrigger  # noqa: E402

PGView = pg_view.PGView
HEADER = script.RevisionHeader("entities", "0002", "0001", "2024-01-01 00:00:00")

ENTITIES = [
    PGView("public", "active_users", "SELECT id FROM users WHERE active"),
    PGMaterializedView("public", "user_count", "SELECT count(*) AS n FROM users", False),
    PGFunction(
        "public",
        "touch(x integer DEFAULT 1)",
        "RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.at := now(); RETURN NEW; END $$",
    ),
    PGTrigger(
        "public",
        "users_touch",
        "BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()",
        "public.users",
        is_constraint=True,
    ),
    PGPolicy("public", "own", "AS PERMISSIVE FOR SELECT TO public USING (true)", "public.users"),
    PGExtension("public", "pg_trgm"),
]


def _models(entities: bool = True) -> Snapshot:
    metadata = sa.MetaData()
    sa.Table("users", metadata, sa.Column("id", sa.Integer, primary_key=True))
    if entities:
        register_entities(metadata, ENTITIES)
    View(metadata, "native", "SELECT 1 AS one")
    return inspect_metadata(metadata, sa.create_engine("postgresql+psycopg://").dialect, "public")


#: the database's objects that no entity declares
OLD_VIEW = ViewSnap("old_report", "x", raw="SELECT orders.id FROM orders WHERE (a = 'at :noon')")
OLD_FN = Function(
    "old_fn", "a integer, b text", "SELECT b", raw_args="a integer, b text DEFAULT 'x'::text",
    raw_body=" SELECT b ", returns="text",
)  # fmt: skip
OLD_PROC = Function("old_proc", "", "SELECT 1", kind="procedure", raw_body="SELECT 1")
OLD_TRIGGER = Trigger(
    "orders_old", "orders", "x",
    raw="CREATE TRIGGER orders_old AFTER INSERT ON public.orders FOR EACH ROW EXECUTE FUNCTION f()",
)  # fmt: skip
OLD_POLICY = Policy("old_policy", "orders", None, "DELETE", True, ("public",), "(a = 1)")
OLD_EXT = Extension("citext", None, "1.6")


def _ops(models: Snapshot) -> list[O.Op]:
    views = models.view_map()
    [function] = models.functions
    [trigger] = models.triggers
    [policy] = models.policies
    [extension] = models.extensions
    old_count = replace(views[(None, "user_count")], raw="SELECT 1 AS n", with_data=True)
    return [
        O.DropView(OLD_VIEW),
        O.DropFunction(OLD_FN),
        O.DropFunction(OLD_PROC),
        O.DropTrigger(OLD_TRIGGER),
        O.DropPolicy(OLD_POLICY),
        O.CreateExtension(extension),
        O.CreateFunction(function),
        O.CreateTrigger(trigger),
        O.CreatePolicy(policy),
        O.CreateView(views[(None, "active_users")]),
        O.ReplaceView(old_count, views[(None, "user_count")]),
        O.CreateView(views[(None, "native")]),
        O.DropExtension(OLD_EXT),
    ]


def _script(models: Snapshot, ops: list[O.Op], dialect: str = "postgresql") -> str:
    db = Snapshot(dialect=dialect, default_schema="public", tables=models.tables)
    bodies = render_bodies(DiffResult(dialect, tuple(ops)), db, models)
    return script.render_script(HEADER, bodies.upgrade, bodies.downgrade)


def _calls(text: str, function: str) -> list[str]:
    """The statements of ``upgrade`` or ``downgrade``, as source text, comments dropped."""
    tree = ast.parse(text)
    [fn] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    return [ast.unparse(statement) for statement in fn.body]


def _entity(call: str) -> Any:
    """The entity an ``op.X_entity(...)`` call builds, made with alembic_utils."""
    inner = call[call.index("(") + 1 : -1]
    namespace = {c.__name__: c for c in (PGView, PGMaterializedView, PGFunction, PGTrigger)}
    namespace.update(PGPolicy=PGPolicy, PGExtension=PGExtension)
    return eval(inner, namespace)  # noqa: S307 - our own rendered text


def test_declared_objects_are_written_as_their_entities() -> None:
    models = _models()
    text = _script(models, _ops(models))
    up = _calls(text, "upgrade")
    assert "op.create_entity(PGExtension(schema='public', signature='pg_trgm'))" in up
    # each declared entity is written as declared: the same SQL as the project's own entity
    by_name = {e.signature.split("(")[0]: e for e in ENTITIES}
    made = [_entity(c) for c in up if c.startswith(("op.create_entity", "op.replace_entity"))]
    assert len(made) == 6
    for entity in made:
        declared = by_name[entity.signature.split("(")[0]]
        assert type(entity) is type(declared)
        assert str(entity.to_sql_statement_create()) == str(declared.to_sql_statement_create())
    [trigger] = [c for c in up if c.startswith("op.create_entity(PGTrigger(")]
    assert "is_constraint=True" in trigger
    # a replaced materialized view: alembic_utils drops and creates it, as we do
    [matview] = [c for c in up if c.startswith("op.replace_entity(")]
    assert matview.startswith("op.replace_entity(PGMaterializedView(schema='public', signature=")
    assert "with_data=False" in matview
    # declared with schemadiff.objects: op.execute
    assert "op.execute('CREATE VIEW native AS SELECT 1 AS one')" in up
    for line in (
        "from alembic_utils.pg_view import PGView",
        "from alembic_utils.pg_materialized_view import PGMaterializedView",
        "from alembic_utils.pg_function import PGFunction",
        "from alembic_utils.pg_trigger import PGTrigger",
        "from alembic_utils.pg_policy import PGPolicy",
        "from alembic_utils.pg_extension import PGExtension",
    ):
        assert line in text
    # the downgrade drops them with the same entities, and replaces back with the old query
    down = _calls(text, "downgrade")
    assert "op.drop_entity(PGView(schema='public', signature='active_users'" in "\n".join(down)
    [back] = [c for c in down if c.startswith("op.replace_entity(")]
    assert _entity(back).definition == "SELECT 1 AS n" and _entity(back).with_data is True


def test_undeclared_objects_of_the_database_use_the_same_classes() -> None:
    models = _models()
    text = _script(models, _ops(models))
    up, down = _calls(text, "upgrade"), _calls(text, "downgrade")
    up = [c for c in up if "_entity(" in c]
    assert [c.split("(")[1] for c in up] == [
        "PGPolicy", "PGTrigger", "PGView", "PGFunction", "PGExtension", "PGFunction", "PGTrigger",
        "PGPolicy", "PGView", "PGMaterializedView", "PGExtension",
    ]  # fmt: skip
    view = _entity(up[2])
    assert str(view.to_sql_statement_drop()).strip() == 'DROP VIEW "public"."old_report"'
    # PGView does not escape what sa.text() would take for a bind parameter: we do
    assert "'at \\\\:noon'" in up[2]
    [create_view] = [c for c in down if "old_report" in c]
    assert str(_entity(create_view).to_sql_statement_create()) == (
        'CREATE VIEW "public"."old_report" AS '
        "SELECT orders.id FROM orders WHERE (a = 'at :noon');"
    )
    function = _entity(up[3])
    assert str(function.to_sql_statement_drop()).strip() == (
        'DROP FUNCTION "public"."old_fn"(a integer, b text)'
    )
    [create_fn] = [c for c in down if "old_fn" in c]
    assert str(_entity(create_fn).to_sql_statement_create()) == (
        'CREATE FUNCTION "public"."old_fn"(a integer, b text DEFAULT \'x\'::text) RETURNS text '
        "LANGUAGE sql VOLATILE AS $function$ SELECT b $function$"
    )
    trigger = _entity(up[1])
    assert str(trigger.to_sql_statement_drop()).strip() == (
        'DROP TRIGGER "orders_old" ON public.orders'
    )
    assert str(trigger.to_sql_statement_create()) == (
        'CREATE TRIGGER "orders_old" AFTER INSERT ON public.orders '
        "FOR EACH ROW EXECUTE FUNCTION f()"
    )
    policy = _entity(up[0])
    assert str(policy.to_sql_statement_create()) == (
        "CREATE POLICY old_policy on public.orders "
        "AS PERMISSIVE FOR DELETE TO PUBLIC USING ((a = 1))"
    )
    assert up[-1] == "op.drop_entity(PGExtension(schema='public', signature='citext'))"


def test_what_alembic_utils_cannot_do_stays_op_execute_with_a_comment() -> None:
    models = _models()
    text = _script(models, _ops(models))
    assert (
        "    # op.execute, not alembic_utils: alembic_utils' PGFunction makes functions, "
        'not a procedure\n    op.execute("DROP PROCEDURE old_proc()")'
    ) in text
    # the downgrade creates the extension again at its version
    assert (
        "    # op.execute, not alembic_utils: alembic_utils' PGExtension cannot ask for a "
        "version\n    op.execute(\"CREATE EXTENSION IF NOT EXISTS citext VERSION '1.6'\")"
    ) in text
    views = models.view_map()
    active = views[(None, "active_users")]
    around = [O.DropView(active, recreated=True), O.CreateView(active, recreated=True)]
    text = _script(models, around)
    assert text.count("# op.execute, not alembic_utils: dropped and created again around") == 4
    assert 'op.execute("DROP VIEW active_users")' in text
    assert "_entity(" not in text
    ext = O.AlterExtension(Extension("pg_trgm"), Extension("pg_trgm", "ext"), "public")
    assert "cannot change an extension's schema or version" in _script(models, [ext])
    tricky = [
        O.DropFunction(replace(OLD_FN, args="is_default boolean", raw_args="is_default boolean")),
        O.DropTrigger(replace(OLD_TRIGGER, table="Orders")),
        O.DropPolicy(replace(OLD_POLICY, name="Old Policy")),
    ]
    text = _script(models, tricky)
    assert "would drop it by other arguments" in text
    assert "PGTrigger would write its table's name unquoted" in text
    assert "PGPolicy would write a name unquoted" in text
    assert "_entity(" not in text


def test_a_replaced_view_is_alembic_utils_replace_unless_its_kind_or_text_forbid() -> None:
    """alembic_utils' PGView replace is a DO block: CREATE OR REPLACE, or DROP and CREATE when
    the columns change (what ours does). A view that becomes materialized changes class: drop
    and create; a query holding ``$$`` cannot go inside the DO block."""
    models = _models()
    active = models.view_map()[(None, "active_users")]
    old = replace(active, raw="SELECT 1 AS id")
    up = _calls(_script(models, [O.ReplaceView(old, active)]), "upgrade")
    assert up == [
        "op.replace_entity(PGView(schema='public', signature='active_users', "
        "definition='SELECT id FROM users WHERE active'))"
    ]
    became = replace(old, materialized=True)
    up = _calls(_script(models, [O.ReplaceView(became, active)]), "upgrade")
    assert [c.split("(")[0:2] for c in up] == [
        ["op.drop_entity", "PGMaterializedView"],
        ["op.create_entity", "PGView"],
    ]
    dollars = replace(old, raw="SELECT $$a$$ AS id")
    text = _script(models, [O.ReplaceView(active, dollars)])  # the downgrade direction
    assert "the query holds $$" in text


def test_projects_without_alembic_utils_and_other_backends_keep_op_execute() -> None:
    without = _models(entities=False)
    assert without.entities is None
    text = _script(without, [O.DropView(OLD_VIEW), O.CreateView(without.views[0])])
    assert "alembic_utils" not in text and "_entity(" not in text
    models = _models()
    sqlite = replace(models, dialect="sqlite")
    assert "_entity(" not in _script(sqlite, [O.DropView(OLD_VIEW)], "sqlite")


def test_the_script_is_black_formatted_stable_and_laid_out_like_black(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    models = _models()
    ops = _ops(models)
    text = _script(models, ops)
    assert text == _script(models, ops)
    assert text == black.format_str(text, mode=black.Mode())
    db = Snapshot(dialect="postgresql", default_schema="public", tables=models.tables)
    bodies = render_bodies(DiffResult("postgresql", tuple(ops)), db, models)
    monkeypatch.setattr(script, "BLACK_BODY_LIMIT", -1)
    assert script.render_script(HEADER, bodies.upgrade, bodies.downgrade) == text


def test_which_objects_entities_declare(monkeypatch: pytest.MonkeyPatch) -> None:
    """From the ``entities`` setting (register_entities on the MetaData) and from alembic_utils'
    own registry; a declaration of ours of the same object wins (op.execute for it)."""
    from alembic_utils.replaceable_entity import registry

    from schemadiff.objects import Function as FunctionDecl

    dialect = sa.create_engine("postgresql+psycopg://").dialect
    registered = PGFunction("public", "reg(a int)", "RETURNS int LANGUAGE sql AS $$ SELECT a $$")
    mine = PGFunction("public", "mine()", "RETURNS int LANGUAGE sql AS $$ SELECT 1 $$")
    monkeypatch.setattr(
        registry, "_entities", {e.identity: e for e in (registered, mine, ENTITIES[0])}
    )
    metadata = sa.MetaData()
    register_entities(metadata, [ENTITIES[0], ENTITIES[5]])
    View(metadata, "active_users", "SELECT 1 AS id", "public")  # ours, declared after: wins
    FunctionDecl(metadata, "mine", "SELECT 1", returns="integer")  # ours wins over the registry
    models = inspect_metadata(metadata, dialect, "public")
    assert models.entities is not None
    assert [(e.cls, e.key) for e in models.entities] == [
        ("PGExtension", ("pg_trgm",)),
        ("PGFunction", (None, "reg", "a integer")),
    ]
    monkeypatch.setattr(registry, "_entities", {})
    assert inspect_metadata(sa.MetaData(), dialect, "public").entities is None
    only_other_kinds = sa.MetaData()
    register_entities(only_other_kinds, [type("PGFutureKind", (), {})()])
    assert inspect_metadata(only_other_kinds, dialect, "public").entities == ()


def test_lint_reads_alembic_utils_drops_that_lose_rows(tmp_path: Path) -> None:
    """Dropping (or replacing: alembic_utils drops and creates it) a materialized view loses its
    rows, dropping an extension what uses it: lint reads them in alembic_utils' calls too."""
    models = _models()
    text = _script(models, _ops(models))
    body = "\n".join(_calls(text, "upgrade"))
    found = lint_body(tmp_path / "ours", body).findings
    assert sorted((f.code, f.message.split(":")[0]) for f in found) == [
        ("SD106", "drop materialized view public.user_count"),
        ("SD107", "drop extension citext"),
    ]
    quiet = "op.drop_entity(PGView(schema='public', signature='v', definition='SELECT 1'))"
    assert lint_body(tmp_path / "view", quiet).findings == ()


def test_a_trigger_calling_a_qualified_function_is_settled_by_the_server() -> None:
    """alembic_utils' examples call ``public.f()``; PostgreSQL reads it back as ``f()`` when
    ``public`` is on the search path: only the server's rewrite is sure (no drop and create
    of an unchanged trigger)."""
    from schemadiff.canonical.routines import canonical_trigger

    plain = "BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch()"
    assert canonical_trigger(plain, rewritten=True)[1] is True
    qualified = plain.replace("touch()", "public.touch()")
    assert canonical_trigger(qualified, rewritten=True)[1] is False
    assert canonical_trigger(qualified.replace("public.", '"App".'), rewritten=True)[1] is False
