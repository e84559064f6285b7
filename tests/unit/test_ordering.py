"""Ordering: phases, FK topology, cycles split, and determinism."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from schemadiff.diff.function_calls import calls_in
from schemadiff.diff.ordering import order_ops
from schemadiff.ops import (
    AddCheckConstraint,
    AddColumn,
    AddEnumValue,
    AddForeignKey,
    AlterColumn,
    CreateDomain,
    CreateEnum,
    CreateFunction,
    CreateIndex,
    CreateTable,
    CreateView,
    DropCheckConstraint,
    DropColumn,
    DropDomain,
    DropEnum,
    DropForeignKey,
    DropFunction,
    DropTable,
    DropTrigger,
    Op,
    RenameColumn,
    RenameTable,
    ReplaceFunction,
)
from schemadiff.snapshot.model import (
    CheckConstraint,
    Computed,
    Domain,
    DomainCheck,
    Enum,
    ForeignKey,
    Table,
    View,
)
from schemadiff.snapshot.routines import Function, Trigger
from tests.kit.builders import col, index, table

ROOT = Path(__file__).resolve().parents[2]


def fk_table(name: str, *targets: str) -> Table:
    fks = tuple(ForeignKey((f"{t}_id",), None, t, ("id",), f"fk_{name}_{t}") for t in targets)
    cols = (col("id"), *(col(f"{t}_id") for t in targets))
    return table(name, *cols, foreign_keys=fks)


def names(ops: list[Op]) -> list[str]:
    return [f"{op.kind}:{op.name}" for op in ops]


def test_parents_created_first_children_dropped_first() -> None:
    a, b, c = fk_table("a", "b"), fk_table("b", "c"), fk_table("c")
    for perm in itertools.permutations([a, b, c]):
        assert names(order_ops(CreateTable(t) for t in perm)) == [
            "create_table:c",
            "create_table:b",
            "create_table:a",
        ]
        assert names(order_ops(DropTable(t) for t in perm)) == [
            "drop_table:a",
            "drop_table:b",
            "drop_table:c",
        ]


def test_self_reference_stays_inline() -> None:
    node = fk_table("node", "node")
    assert order_ops([CreateTable(node)]) == [CreateTable(node)]


def test_fk_cycle_is_split_on_create() -> None:
    a, b = fk_table("a", "b"), fk_table("b", "a")
    ops = order_ops([CreateTable(b), CreateTable(a)])
    assert [op.kind for op in ops] == ["create_table", "create_table", "add_foreign_key"]
    created = [op.table_obj for op in ops if isinstance(op, CreateTable)]
    assert sum(len(t.foreign_keys) for t in created) == 1
    [add] = [op for op in ops if isinstance(op, AddForeignKey)]
    moved_from = next(t for t in created if t.name == add.table_name)
    assert add.constraint not in moved_from.foreign_keys
    # the inline FK of the first table never points at a table created after it
    first = created[0]
    assert first.foreign_keys == ()


def test_fk_cycle_is_split_on_drop() -> None:
    a, b, c = fk_table("a", "c"), fk_table("b", "a"), fk_table("c", "b")
    ops = order_ops([DropTable(a), DropTable(b), DropTable(c)])
    assert [op.kind for op in ops] == ["drop_foreign_key", "drop_table", "drop_table", "drop_table"]
    assert isinstance(ops[0], DropForeignKey)


def test_fk_leaning_on_a_dropped_or_added_key_is_split() -> None:
    """A dropped table's FK to a key this migration drops goes before the key; a created
    table's FK to a key this migration adds comes after it (Alembic's naming-convention case)."""
    from schemadiff.ops import AddPrimaryKey, DropPrimaryKey
    from schemadiff.snapshot.model import PrimaryKey

    old_key = DropPrimaryKey(None, "b", PrimaryKey(("id",), "db_b_pk"))
    new_key = AddPrimaryKey(None, "b", PrimaryKey(("id",), "pk_b"))
    gone, new = fk_table("gone", "b"), fk_table("new", "b")
    ops = order_ops([DropTable(gone), new_key, CreateTable(new), old_key])
    assert names(ops) == [
        "drop_foreign_key:fk_gone_b",
        "drop_primary_key:db_b_pk",
        "create_table:new",
        "add_primary_key:pk_b",
        "add_foreign_key:fk_new_b",
        "drop_table:gone",
    ]
    assert order_ops(ops) == ops


def test_phases() -> None:
    e = Enum("mood", ("a",))
    ops = [
        DropEnum(Enum("old", ("x",))),
        DropTable(table("gone")),
        AddColumn(None, "t", col("c")),
        CreateTable(table("new")),
        CreateEnum(e),
        RenameColumn(None, "t", "x", "y"),
        RenameTable(None, "s", "t"),
    ]
    assert [op.kind for op in order_ops(ops)] == [
        "rename_table",
        "rename_column",
        "create_enum",
        "create_table",
        "add_column",
        "drop_table",
        "drop_enum",
    ]


def test_undone_renames_run_last() -> None:
    ops = [
        RenameTable(None, "s", "t").reverse(),
        AddColumn(None, "t", col("c")),
        DropTable(table("x")),
    ]
    assert [op.kind for op in order_ops(ops)] == ["add_column", "drop_table", "rename_table"]


def test_enum_values_keep_their_planned_order() -> None:
    e0 = Enum("e", ("a",))
    e1 = Enum("e", ("a", "z"))
    e2 = Enum("e", ("a", "z", "b"))
    ops = [AddEnumValue(e1, e2, "b"), AddEnumValue(e0, e1, "z")]
    assert [op.value for op in order_ops(ops)] == ["z", "b"]  # type: ignore[attr-defined]


SCRIPT = """
import json
from schemadiff.diff.engine import compute_diff
from schemadiff.diff.options import CompareOptions
from schemadiff.snapshot.model import *
def t(name, *refs, schema=None):
    fks = tuple(ForeignKey((r + "_id",), None, r, ("id",)) for r in refs)
    ids = ("id",) + tuple(r + "_id" for r in refs)
    cols = tuple(Column(n, ColumnType("integer")) for n in ids)
    return Table(name, schema=schema, columns=cols, foreign_keys=fks,
                 unique_constraints=(UniqueConstraint(("id",)),))
db = Snapshot("unit", tables=(t("x", "y"), t("y", "x"), t("k"), t("w", schema="s")), schemas=("s",))
models = Snapshot("unit", tables=(t("a", "b"), t("b", "c"), t("c", "a"), t("k", "a"), t("d")),
                  enums=(Enum("e1", ("a", "b")), Enum("e2", ("c",))))
r = compute_diff(db, models, CompareOptions(use_entry_points=False))
print(json.dumps([repr(op) for op in r.ops] + [repr(n) for n in r.notices]))
"""


def test_output_is_identical_under_different_hash_seeds() -> None:
    outputs = set()
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert proc.returncode == 0, proc.stderr
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())) > 8


def test_downgrade_of_added_enum_values_chains_replacements() -> None:
    e0, e1, e2 = Enum("e", ("a",)), Enum("e", ("a", "z")), Enum("e", ("a", "z", "b"))
    up = order_ops([AddEnumValue(e1, e2, "b"), AddEnumValue(e0, e1, "z")])
    down = order_ops(op.reverse() for op in up)
    assert [(op.old.values, op.new.values) for op in down] == [  # type: ignore[attr-defined]
        (("a", "z", "b"), ("a", "z")),
        (("a", "z"), ("a",)),
    ]


# --- functions and what calls them (schemadiff.diff.function_calls) ---


def fn(name: str, body: str = "SELECT 1", schema: str | None = None, **kw: Any) -> Function:
    return Function(name, kw.pop("args", ""), body, schema, raw_body=body, **kw)


def test_calls_are_found_outside_string_literals() -> None:
    assert calls_in("next_code()") == {(None, "next_code")}
    assert calls_in('"App".Twice(n) + lower(x)') == {("app", "twice"), (None, "lower")}
    assert calls_in("'not_me()' || E'nor\\'me()' || x") == set()
    assert calls_in(None) == set()


def test_a_function_a_new_default_calls_comes_before_its_table() -> None:
    called, alone = fn("next_code"), fn("reads_tickets", "SELECT count(*) FROM tickets")
    tickets = table("tickets", col("code", "text", server_default="NEXT_CODE()"))
    ops = order_ops([CreateTable(tickets), CreateFunction(called), CreateFunction(alone)])
    assert names(ops) == [
        "create_function:next_code()",
        "create_table:tickets",
        "create_function:reads_tickets()",
    ]
    # the downgrade: the table goes before the function it calls
    back = order_ops(op.reverse() for op in ops)
    assert names(back) == [
        "drop_function:reads_tickets()",
        "drop_table:tickets",
        "drop_function:next_code()",
    ]


def test_every_kind_of_caller_and_qualified_names() -> None:
    check = CheckConstraint("app.is_valid(code)", "ck")
    computed = col("n2", computed=Computed("twice(n)"))
    t = table("t", col("id"), computed, check_constraints=(check,))
    expr_index = index("ix", "=norm(code)")
    partial = index("ix2", "code", where="keep(code)")
    ops = [
        CreateTable(t),
        AddColumn(None, "u", col("c", server_default="stamp()")),
        AddCheckConstraint(None, "u", CheckConstraint("positive(c)", "ck_u")),
        CreateIndex(None, "u", expr_index),
        CreateIndex(None, "u", partial),
        CreateFunction(fn("is_valid", schema="app")),
        CreateFunction(fn("is_valid", schema="other")),  # another schema's: stays
        *(CreateFunction(fn(n)) for n in ("twice", "norm", "keep", "stamp", "positive")),
    ]
    ordered = order_ops(ops)
    first_table = next(i for i, op in enumerate(ordered) if not isinstance(op, CreateFunction))
    early = sorted(op.describe() for op in ordered[:first_table])
    assert early == [
        "create function app.is_valid()",
        "create function keep()",
        "create function norm()",
        "create function positive()",
        "create function stamp()",
        "create function twice()",
    ]
    assert ordered[-1] == CreateFunction(fn("is_valid", schema="other"))


def test_sql_bodies_call_functions_created_before_them() -> None:
    # outer() is called by a default; its SQL body calls middle(), which calls inner()
    outer, middle, inner = (
        fn("a_outer", "SELECT b_middle()"),
        fn("b_middle", "SELECT c_inner()"),
        fn("c_inner"),
    )
    plpgsql = fn("d_plpgsql", "BEGIN RETURN z_late(); END", language="plpgsql")
    late = fn("z_late")
    t = table("t", col("c", server_default="a_outer()"))
    ops = [CreateTable(t), *(CreateFunction(f) for f in (outer, middle, inner, plpgsql, late))]
    for perm in itertools.permutations(ops):
        assert names(order_ops(perm)) == [
            "create_function:c_inner()",
            "create_function:b_middle()",
            "create_function:a_outer()",
            "create_table:t",
            # a PL/pgSQL body is checked when it runs: no order needed
            "create_function:d_plpgsql()",
            "create_function:z_late()",
        ]


def test_a_function_is_dropped_after_the_callers_that_go() -> None:
    legacy, stamp, old, checked = fn("legacy"), fn("stamp"), fn("old_default"), fn("ok")
    touch = fn("touch", returns="trigger", language="plpgsql")
    gone = table("gone", col("c", server_default="legacy()"))
    trigger = Trigger("gone_touch", "gone", "BEFORE INSERT FOR EACH ROW EXECUTE FUNCTION touch()")
    ops = [
        DropTable(gone),
        DropTrigger(trigger, with_table=True),
        DropColumn(None, "u", col("c", server_default="stamp()")),
        AlterColumn(None, "u", col("d", server_default="old_default()"), col("d")),
        DropCheckConstraint(None, "u", CheckConstraint("ok(c)", "ck")),
        *(DropFunction(f) for f in (legacy, stamp, old, checked, touch, fn("unused"))),
    ]
    ordered = names(order_ops(ops))
    assert ordered[:2] == ["drop_trigger:gone_touch", "drop_function:unused()"]
    last_caller = ordered.index("drop_table:gone")
    assert sorted(ordered[last_caller + 1 :]) == [
        "drop_function:legacy()",
        "drop_function:ok()",
        "drop_function:old_default()",
        "drop_function:stamp()",
        "drop_function:touch()",
    ]
    # and the downgrade creates them before their callers
    back = names(order_ops(op.reverse() for op in order_ops(ops)))
    assert back.index("create_function:legacy()") < back.index("create_table:gone")
    assert back.index("create_function:stamp()") < back.index("add_column:c")
    assert back.index("create_function:old_default()") < back.index("alter_column:d")
    assert back.index("create_function:touch()") < back.index("create_trigger:gone_touch")


def test_a_function_dropped_and_created_again_is_dropped_first() -> None:
    # a new result type: DROP then CREATE, whatever still calls the old one
    old, new = fn("code", returns="text"), fn("code", returns="varchar")
    ops = [
        CreateFunction(new),
        DropFunction(old),
        DropColumn(None, "u", col("c", server_default="code()")),
    ]
    assert [op.kind for op in order_ops(ops)] == [
        "drop_function",
        "drop_column",
        "create_function",
    ]


def test_functions_domains_call_come_before_them_and_go_after_them() -> None:
    check, other = fn("is_positive", "SELECT ok()"), fn("ok")
    domain = Domain("positive", "integer", checks=(DomainCheck("CHECK (is_positive(VALUE))"),))
    old = Domain("short", "text", default="short_default()")
    t = table("t", col("c", server_default="is_positive(1)::text"))
    ops = [
        CreateTable(t),
        CreateDomain(domain),
        CreateFunction(check),
        CreateFunction(other),
        DropDomain(old),
        DropFunction(fn("short_default")),
    ]
    ordered = names(order_ops(ops))
    assert ordered == [
        "create_function:ok()",
        "create_function:is_positive()",
        "create_domain:positive",
        "create_table:t",
        "drop_domain:short",
        "drop_function:short_default()",
    ]
    back = names(order_ops(op.reverse() for op in order_ops(ops)))
    assert back.index("create_function:short_default()") < back.index("create_domain:short")
    assert back.index("drop_domain:positive") < back.index("drop_function:is_positive()")


def test_a_sql_body_reading_what_comes_later_is_created_unchecked() -> None:
    own = fn("next_no", "SELECT coalesce(max(no), 0) + 1 FROM tickets")
    reads_view = fn("open_count", 'SELECT count(*) FROM "Open"')
    reads_column = fn("with_flag", "SELECT count(*) FROM items WHERE flag")
    plpgsql = fn("later", "BEGIN RETURN (SELECT 1 FROM tickets); END", language="plpgsql")
    literal = fn("quoted", "SELECT 'tickets'")
    fine = fn("reads_after", "SELECT count(*) FROM tickets")
    tickets = table("tickets", col("no", server_default="next_no()"))
    ops = [
        CreateTable(tickets),
        CreateView(View("Open", "SELECT 1")),
        AddColumn(None, "items", col("flag", "boolean")),
        *(CreateFunction(f) for f in (own, reads_view, reads_column, plpgsql, literal, fine)),
    ]
    ordered = order_ops(ops)
    unchecked = sorted(op.function.name for op in ordered if getattr(op, "unchecked", False))
    assert unchecked == ["next_no", "open_count"]
    # a column added before the function (80 < 126): checked; so is one reading a table made first
    [made] = [op for op in ordered if isinstance(op, CreateFunction) and op.function == own]
    assert "body checked when first run" in made.describe()
    # the flag follows the order: the downgrade's ops carry none
    back = order_ops(op.reverse() for op in ordered)
    assert not any(getattr(op, "unchecked", False) for op in back)


def test_a_replaced_body_reading_a_table_renamed_back_later_is_unchecked() -> None:
    # upgrade: orders -> purchases and the body follows; the downgrade replaces the body (126)
    # before the rename is undone (136)
    old, new = (
        fn("total", "SELECT count(*) FROM orders"),
        fn("total", "SELECT count(*) FROM purchases"),
    )
    ops = [RenameTable(None, "orders", "purchases"), ReplaceFunction(old, new)]
    up = order_ops(ops)
    assert [getattr(op, "unchecked", None) for op in up] == [None, False]
    down = order_ops(op.reverse() for op in up)
    assert [op.kind for op in down] == ["replace_function", "rename_table"]
    assert down[0] == ReplaceFunction(new, old, unchecked=True)


def test_dropped_functions_go_after_the_dropped_functions_calling_them() -> None:
    # BEGIN ATOMIC bodies depend on what they call: the callers go first, and a callee follows
    # a caller that a dropped default keeps until later
    atomic = "BEGIN ATOMIC SELECT {}(); END"
    outer = fn("a_outer", atomic.format("b_inner"))
    inner = fn("b_inner", atomic.format("c_leaf"))
    leaf = fn("c_leaf")
    late = fn("d_late", atomic.format("e_helper"))
    helper = fn("e_helper")
    gone = table("gone", col("c", server_default="d_late()"))
    ops = [DropTable(gone), *(DropFunction(f) for f in (leaf, helper, late, inner, outer))]
    for perm in itertools.permutations(ops):
        assert names(order_ops(perm)) == [
            "drop_function:a_outer()",
            "drop_function:b_inner()",
            "drop_function:c_leaf()",
            "drop_table:gone",
            "drop_function:d_late()",
            "drop_function:e_helper()",
        ]


def test_a_called_function_whose_result_type_changes_is_warned_about() -> None:
    from tests.kit.builders import diff, messages, snap

    old, new = fn("code", returns="text"), fn("code", returns="character varying")
    t = table("t", col("c", "text", server_default="code()"), col("d"))
    db = snap(t, dialect="postgresql", functions=(old,))
    result = diff(db, snap(t, dialect="postgresql", functions=(new,)))
    assert [op.kind for op in result.ops] == ["drop_function", "create_function"]
    [warning] = messages(result, "warning")
    assert "column c of t call it" in warning and "refuses the drop" in warning
    unrelated = snap(table("t", col("c")), dialect="postgresql", functions=(old,))
    assert messages(diff(unrelated, replace(unrelated, functions=(new,))), "warning") == []
