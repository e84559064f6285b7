"""The revision graph on hand-written revision files: parsing, shape, errors, targets, plans.
No database."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemadiff.chain import targets
from schemadiff.chain.graph import RevisionGraph, load_graph
from schemadiff.chain.plan import check_rows, downgrade_plan, stamp_rows, upgrade_plan
from schemadiff.chain.scripts import parse_script
from schemadiff.chain.targets import resolve_destination, resolve_revision
from schemadiff.errors import RevisionError
from schemadiff.report import history as display
from tests.kit.chain import write_rev


def linear(tmp_path: Path, *revs: str) -> RevisionGraph:
    down = None
    for rev in revs:
        write_rev(tmp_path, rev, down)
        down = rev
    return load_graph(tmp_path)


@pytest.fixture
def branchy(tmp_path: Path) -> RevisionGraph:
    """a1 -> a2 -> {b1 (label x) -> b2, c1 (label y) -> c2}; m merges b2, c2; d1 (own base,
    label z) -> d2 depends on c1."""
    write_rev(tmp_path, "a1")
    write_rev(tmp_path, "a2", "a1")
    write_rev(tmp_path, "b1", "a2", labels=("x",))
    write_rev(tmp_path, "b2", "b1")
    write_rev(tmp_path, "c1", "a2", labels=("y",))
    write_rev(tmp_path, "c2", "c1")
    write_rev(tmp_path, "d1", None, labels=("z",))
    write_rev(tmp_path, "d2", "d1", depends="c1")
    return load_graph(tmp_path)


# --- parsing ---------------------------------------------------------------------------------


def test_parse_reads_links_message_and_date_without_running(tmp_path: Path) -> None:
    path = write_rev(tmp_path, "ab12", ("x1", "y2"), labels=("feat",), depends="zz", message="m")
    path.write_text(path.read_text() + "\nraise RuntimeError('never imported')\n")
    script = parse_script(path)
    assert script.revision == "ab12"
    assert script.down_revisions == ("x1", "y2")
    assert script.branch_labels == ("feat",)
    assert script.depends_on == ("zz",)
    assert script.message == "m"
    assert script.create_date == "2024-01-01 00:00:00"


def test_parse_annotated_assignments(tmp_path: Path) -> None:
    path = tmp_path / "x.py"
    path.write_text(
        '"""hello\n\nworld"""\nfrom typing import Union\nrevision: str = "r1"\n'
        'down_revision: Union[str, None] = None\nbranch_labels = ["l"]\n'
    )
    script = parse_script(path)
    assert (script.revision, script.down_revisions, script.branch_labels) == ("r1", (), ("l",))
    assert script.message == "hello"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("revision = 'r'\ndown_revision = (\n", "line 2: syntax error"),
        ("revision = 'r'\ndown_revision = compute()\n", "line 2: down_revision must be a literal"),
        ("down_revision = None\n", "has no 'revision"),
        ("revision = 'r'\ndown_revision = 5\n", "down_revision must be a string"),
    ],
)
def test_parse_errors_name_the_file(tmp_path: Path, source: str, expected: str) -> None:
    path = tmp_path / "bad_file.py"
    path.write_text(source)
    with pytest.raises(RevisionError, match=expected) as info:
        load_graph(tmp_path)
    assert "bad_file.py" in str(info.value)


def test_ignores_init_and_non_python_files(tmp_path: Path) -> None:
    write_rev(tmp_path, "a1")
    (tmp_path / "__init__.py").write_text("")
    (tmp_path / "notes.txt").write_text("revision = 'x'")
    (tmp_path / "__pycache__").mkdir()
    assert set(load_graph(tmp_path).scripts) == {"a1"}


# --- shape and chain errors ------------------------------------------------------------------


def test_shape(branchy: RevisionGraph) -> None:
    assert set(branchy.heads) == {"b2", "c2", "d2"}
    assert set(branchy.bases) == {"a1", "d1"}
    assert branchy.branch_points == ("a2",)
    assert branchy.has_branches
    assert branchy.parents["d2"] == ("d1", "c1")
    order = list(branchy.rank)
    assert order.index("c1") < order.index("d2") and order.index("a2") < order.index("b1")


def test_empty_directory(tmp_path: Path) -> None:
    graph = load_graph(tmp_path / "missing")
    assert graph.heads == () and not graph.has_branches


def test_cycle_is_reported_with_files(tmp_path: Path) -> None:
    write_rev(tmp_path, "a1")
    write_rev(tmp_path, "b1", ("a1", "c1"))
    write_rev(tmp_path, "c1", "b1")
    with pytest.raises(RevisionError, match=r"cycle: (b1 -> c1 -> b1|c1 -> b1 -> c1)") as info:
        load_graph(tmp_path)
    assert "b1_rev.py" in str(info.value) and "c1_rev.py" in str(info.value)


def test_self_cycle(tmp_path: Path) -> None:
    write_rev(tmp_path, "a1", "a1")
    with pytest.raises(RevisionError, match="cycle: a1 -> a1"):
        load_graph(tmp_path)


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({"down": "nope"}, "b1_rev.py: down_revision 'nope' is not a revision"),
        ({"down": "a1", "depends": "nope"}, "b1_rev.py: depends_on 'nope' is neither"),
    ],
)
def test_dangling_links(tmp_path: Path, kwargs: dict[str, str], expected: str) -> None:
    write_rev(tmp_path, "a1")
    write_rev(tmp_path, "b1", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(RevisionError, match=expected):
        load_graph(tmp_path)


def test_duplicate_revision_and_label(tmp_path: Path) -> None:
    write_rev(tmp_path, "a1", labels=("x",))
    (tmp_path / "copy.py").write_text((tmp_path / "a1_rev.py").read_text())
    with pytest.raises(RevisionError, match="a1 is defined twice"):
        load_graph(tmp_path)
    (tmp_path / "copy.py").unlink()
    write_rev(tmp_path, "b1", "a1", labels=("x",))
    with pytest.raises(RevisionError, match="label 'x' is declared twice"):
        load_graph(tmp_path)


# --- targets ---------------------------------------------------------------------------------


def test_resolve_ids_prefixes_labels(tmp_path: Path) -> None:
    graph = linear(tmp_path, "ae10", "ae21", "bb30")
    assert resolve_revision(graph, "ae1") == "ae10"
    assert resolve_revision(graph, "b") == "bb30"
    with pytest.raises(RevisionError, match="'ae' is ambiguous: it matches ae10, ae21"):
        resolve_revision(graph, "ae")
    with pytest.raises(RevisionError, match="unknown revision 'zz'"):
        resolve_revision(graph, "zz")
    assert resolve_destination(graph, "head") == ("bb30",)
    assert resolve_destination(graph, "base") == ()
    assert resolve_destination(graph, "ae10+2") == ("bb30",)
    assert resolve_destination(graph, "bb30-1") == ("ae21",)
    assert resolve_destination(graph, "-2", ("bb30",)) == ("ae10",)
    assert resolve_destination(graph, "-3", ("bb30",)) == ()
    assert resolve_destination(graph, "+1", ()) == ("ae10",)
    with pytest.raises(RevisionError, match="below base"):
        resolve_destination(graph, "-4", ("bb30",))
    with pytest.raises(RevisionError, match="past the head"):
        resolve_destination(graph, "+1", ("bb30",))


def test_resolve_on_branches(branchy: RevisionGraph) -> None:
    assert set(resolve_destination(branchy, "heads")) == {"b2", "c2", "d2"}
    assert resolve_destination(branchy, "x@head") == ("b2",)
    assert resolve_destination(branchy, "c1@head") == ("c2",)
    assert resolve_destination(branchy, "y") == ("c1",)
    with pytest.raises(RevisionError, match=r"multiple heads \(.*\); name a target"):
        resolve_destination(branchy, "head")
    with pytest.raises(RevisionError, match="a2@head' is ambiguous"):
        resolve_destination(branchy, "a2@head")
    with pytest.raises(RevisionError, match="a2 is followed by several revisions"):
        resolve_destination(branchy, "+1", ("a2",))
    with pytest.raises(RevisionError, match="database is at several heads"):
        resolve_destination(branchy, "-1", ("b2", "c2"))


# --- plans -----------------------------------------------------------------------------------


def revs(plan: object) -> list[str]:
    return [step.revision for step in plan.steps]  # type: ignore[attr-defined]


def test_upgrade_and_downgrade_linear(tmp_path: Path) -> None:
    graph = linear(tmp_path, "a1", "a2", "a3")
    plan = upgrade_plan(graph, (), "head")
    assert revs(plan) == ["a1", "a2", "a3"]
    assert [s.rows_after for s in plan.steps] == [("a1",), ("a2",), ("a3",)]
    assert revs(upgrade_plan(graph, ("a3",), "head")) == []
    assert revs(upgrade_plan(graph, ("a3",), "a1")) == []  # already applied: nothing to do
    down = downgrade_plan(graph, ("a3",), "a1")
    assert revs(down) == ["a3", "a2"] and down.rows_after == ("a1",)
    assert downgrade_plan(graph, ("a3",), "base").rows_after == ()
    with pytest.raises(RevisionError, match="a3 is not applied"):
        downgrade_plan(graph, ("a2",), "a3")


def test_dependencies_are_applied_first_and_covered(branchy: RevisionGraph) -> None:
    plan = upgrade_plan(branchy, (), "z@head")
    assert revs(plan) == ["a1", "a2", "c1", "d1", "d2"]
    assert plan.rows_after == ("d2",)  # d2 covers c1 (its dependency), as in Alembic
    # downgrading c1's branch away must take d2 (which needs c1) with it
    after = upgrade_plan(branchy, plan.rows_after, "heads").rows_after
    assert set(after) == {"b2", "c2", "d2"}
    down = downgrade_plan(branchy, after, "a2")
    assert set(revs(down)) == {"b1", "b2", "c1", "c2", "d2"}
    assert set(down.rows_after) == {"a2", "d1"}


def test_branch_downgrade_keeps_other_branch(branchy: RevisionGraph) -> None:
    rows = upgrade_plan(branchy, (), "b2").rows_after
    rows = upgrade_plan(branchy, rows, "c2").rows_after
    assert set(rows) == {"b2", "c2"}
    down = downgrade_plan(branchy, rows, "b1")
    assert revs(down) == ["b2"] and set(down.rows_after) == {"b1", "c2"}


def test_merge_rows(tmp_path: Path) -> None:
    write_rev(tmp_path, "a1")
    write_rev(tmp_path, "b1", "a1")
    write_rev(tmp_path, "c1", "a1")
    write_rev(tmp_path, "m1", ("b1", "c1"))
    graph = load_graph(tmp_path)
    plan = upgrade_plan(graph, (), "head")
    assert [s.rows_after for s in plan.steps][-2:] == [("b1", "c1"), ("m1",)]
    down = downgrade_plan(graph, ("m1",), "b1")
    assert revs(down) == ["m1"] and down.rows_after == ("b1", "c1")  # the merge is undone
    with pytest.raises(RevisionError, match="m1 merges b1, c1"):
        downgrade_plan(graph, ("m1",), "-1")


def test_stamp_rows(branchy: RevisionGraph) -> None:
    assert stamp_rows(branchy, (), "b2") == ("b2",)
    assert set(stamp_rows(branchy, ("b2",), "c1")) == {"b2", "c1"}
    assert stamp_rows(branchy, ("b2",), "a1") == ("a1",)
    assert stamp_rows(branchy, ("b2",), "base") == ()
    assert set(stamp_rows(branchy, (), "heads")) == {"b2", "c2", "d2"}
    # d2 covered its dependency c1; stamping d1 keeps c1 recorded (its changes are still there),
    # where Alembic would drop the row and forget c1 was applied
    assert set(stamp_rows(branchy, ("d2",), "d1")) == {"c1", "d1"}


def test_unknown_stamped_revision(branchy: RevisionGraph) -> None:
    with pytest.raises(RevisionError, match="stamped with revision zz, which is not in the chain"):
        check_rows(branchy, ("b2", "zz"), "the database")


# --- display ---------------------------------------------------------------------------------


def test_history_lines_and_range(tmp_path: Path) -> None:
    graph = linear(tmp_path, "a1", "a2", "a3")
    lines = [display.short_line(graph, r) for r in targets.history_revisions(graph, None, ())]
    assert lines == [
        "a2 -> a3 (head), revision a3",
        "a1 -> a2, revision a2",
        "<base> -> a1, revision a1",
    ]
    assert targets.history_revisions(graph, "a2:", ()) == ["a3", "a2"]
    assert targets.history_revisions(graph, ":a2", ()) == ["a2", "a1"]
    assert targets.history_revisions(graph, "base:a1", ()) == ["a1"]
    assert targets.history_revisions(graph, "current:head", ("a2",)) == ["a3", "a2"]


def test_tree_and_branches(branchy: RevisionGraph) -> None:
    from rich.console import Console

    console = Console(width=120, record=True, color_system=None)
    console.print(display.history_tree(branchy))
    text = console.export_text()
    assert "a2 (branchpoint), revision a2" in text
    assert "d2 (head) (depends on c1), revision d2" in text
    assert display.branch_lines(branchy) == [
        "a2 (branchpoint), revision a2",
        "    -> b1 (x), revision b1",
        "    -> c1 (y), revision c1",
    ]
    block = display.verbose_block(branchy, "a2")
    assert "Branches into: b1, c1" in block and "Parent: a1" in block
