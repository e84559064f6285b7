"""lint and verify read a revision's ``op.*`` calls with one reader (:mod:`schemadiff.chain.calls`):
lint keeps its operations, verify keeps every call of ``upgrade()`` and turns them into touches."""

from __future__ import annotations

import ast
from pathlib import Path

from schemadiff.chain.calls import LINT_METHODS, OpCall, read_calls
from schemadiff.verify.touches import TABLE, touches, touches_of, upgrade_calls
from tests.kit.chain import write_rev

BODY = "\n".join(
    [
        "op.rename_table('posts', 'articles', schema='blog')",
        "with op.batch_alter_table('users') as batch_op:",
        "    batch_op.drop_column('email')",
        "    batch_op.create_unique_constraint('uq_nick', ['nick'])",
        "    batch_op.drop_index('ix_nick')",
        "op.execute('UPDATE accounts SET plan = 1')",
        "if op.get_bind().dialect.name == 'sqlite':",
        "    with op.batch_alter_table('orders', schema='shop') as b:",
        "        b.alter_column('total', nullable=False)",
        "op.drop_constraint('fk_items_order', 'items', type_='foreignkey')",
    ]
)


def _signature(call: OpCall) -> tuple[object, ...]:
    """What a rule reads from a call: method, lines, bound arguments, batch table."""
    batch = ast.dump(call.batch.table) if call.batch and call.batch.table else None
    kw = {name: ast.dump(node) for name, node in call.kw.items()}
    return (call.method, call.line, call.end_line, kw, [ast.dump(r) for r in call.rest], batch)


def test_lint_and_verify_read_the_same_calls(tmp_path: Path) -> None:
    path = write_rev(tmp_path, "c1", upgrade=BODY, downgrade="op.drop_table('zzz')")
    source = path.read_text(encoding="utf-8")
    lint_calls = read_calls(source, str(path)).calls
    verify_calls = upgrade_calls(ast.parse(source))

    # lint sees exactly its operations out of the calls verify reads, bound the same way
    shared = [c for c in verify_calls if c.method in LINT_METHODS]
    assert [_signature(c) for c in lint_calls] == [_signature(c) for c in shared]
    assert [c.method for c in lint_calls] == [
        "rename_table",
        "drop_column",
        "create_unique_constraint",
        "execute",
        "alter_column",
    ]
    # verify also reads the calls no lint rule looks at
    extra = {c.method for c in verify_calls} - LINT_METHODS
    assert extra == {"drop_index", "batch_alter_table", "get_bind", "drop_constraint"}

    found = {(t.table, t.column) for t in touches_of(verify_calls)}
    assert found == {
        ("blog.posts", TABLE),
        ("blog.articles", TABLE),
        ("users", "email"),
        ("users", TABLE),
        ("accounts", TABLE),
        ("shop.orders", "total"),
        ("items", TABLE),
    }
    assert found == {(t.table, t.column) for t in touches(path)}
    assert "zzz" not in {t.table for t in touches(path)}  # downgrade() is not read
