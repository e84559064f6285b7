"""Plugins: comparators from options and entry points, and the "module:function" loader."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from schemadiff.comparators import CompareContext
from schemadiff.diff.result import Notice
from schemadiff.ops import ExecuteSQL
from schemadiff.settings.plugins import PluginError, load_callable
from tests.kit.builders import diff, kinds, snap, table


def grant_comparator(ctx: CompareContext, db: Any, models: Any) -> Any:
    """Example plugin: one op per table the models add, plus a notice."""
    assert ctx.db is db and ctx.models is models and ctx.dialect == "unit"
    assert ctx.options.compare_type is True
    have = {t.name for t in db.tables}
    for t in models.tables:
        if t.name not in have:
            yield ExecuteSQL(
                f"GRANT SELECT ON {t.name} TO app", f"REVOKE SELECT ON {t.name} FROM app"
            )
    yield Notice("info", "grants checked")


def test_comparator_from_options() -> None:
    result = diff(snap(), snap(table("t")), comparators=(grant_comparator,))
    assert kinds(result) == ["create_table", "execute_sql"]  # custom ops run last
    assert [n.message for n in result.notices] == ["grants checked"]


def test_failing_or_wrong_comparators_give_clear_errors() -> None:
    def broken(ctx: Any, db: Any, models: Any) -> Any:
        raise KeyError("boom")

    with pytest.raises(PluginError, match=r"comparator .*broken failed: KeyError"):
        diff(snap(), snap(), comparators=(broken,))
    with pytest.raises(PluginError, match="yielded a str"):
        diff(snap(), snap(), comparators=(lambda ctx, db, models: ["nope"],))


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A tiny installed distribution registering one comparator entry point."""
    (tmp_path / "sd_demo_plugin.py").write_text(
        textwrap.dedent(
            """
            from schemadiff.diff.result import Notice

            def compare(ctx, db, models):
                yield Notice("info", f"demo plugin saw {len(models.tables)} model tables")
            """
        )
    )
    dist = tmp_path / "sd_demo_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sd-demo-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[schemadiff.comparators]\ndemo = sd_demo_plugin:compare\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return tmp_path


def test_entry_point_comparator(installed_plugin: Path) -> None:
    result = diff(snap(), snap(table("a")), use_entry_points=True)
    assert "demo plugin saw 1 model tables" in [n.message for n in result.notices]
    off = diff(snap(), snap(table("a")), use_entry_points=False)
    assert off.notices == ()


def test_broken_entry_point_is_a_clear_error(installed_plugin: Path) -> None:
    dist = installed_plugin / "sd_demo_plugin-1.0.dist-info"
    (dist / "entry_points.txt").write_text(
        "[schemadiff.comparators]\ndemo = sd_missing_mod:compare\n"
    )
    with pytest.raises(PluginError, match="comparator plugin 'demo'.*could not be loaded"):
        diff(snap(), snap(), use_entry_points=True)


def test_load_callable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sd_hooks.py").write_text(
        "class K:\n    @staticmethod\n    def m():\n        return 2\n\n"
        "def f():\n    return 1\nX = 3\n"
    )
    (tmp_path / "sd_bad.py").write_text("raise RuntimeError('nope')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert load_callable("sd_hooks:f")() == 1
    assert load_callable("sd_hooks:K.m")() == 2
    cases = {
        "sd_hooks": "expected 'module:function'",
        "sd_hooks:": "expected 'module:function'",
        "sd_nowhere:f": "cannot import module 'sd_nowhere'",
        "sd_hooks:g": "has no attribute 'g'",
        "sd_hooks:X": "is a int, not a function",
        "sd_bad:f": "importing 'sd_bad' failed: RuntimeError: nope",
    }
    for spec, message in cases.items():
        with pytest.raises(PluginError, match=message) as info:
            load_callable(spec, "include_object")
        assert str(info.value).startswith(f"include_object {spec!r}")


def test_load_callable_finds_modules_in_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sd_cwd_hooks.py").write_text("def f():\n    return 'cwd'\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        "sys.path", [p for p in __import__("sys").path if p not in ("", str(tmp_path))]
    )
    assert load_callable("sd_cwd_hooks:f")() == "cwd"
