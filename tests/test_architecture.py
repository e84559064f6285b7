"""The package's layering, checked on its source with ``ast`` (function-level imports included).

Imports point one way, down this list; within one layer any direction is allowed, but never a
cycle. Only ``cli/`` imports typer, and only ``cli/`` and ``report/`` import rich. Only
``backends/<name>/`` compares a backend's name: every other module asks the backend's rules (its
hooks).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "schemadiff"

#: lowest first; a module belongs to the longest prefix listed
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "perf", "steps", "atomic"),
    ("canonical",),
    # objects: the declarations users attach to a MetaData (views...); sources read them
    ("snapshot", "objects"),
    # chain.env_template: the text ``init`` writes, which settings.envpy recognises as ours
    ("backends", "ops", "chain.versions", "chain.env_template"),
    ("sources", "settings"),
    ("diff.options", "diff.result", "diff.ordering", "diff.function_calls"),
    ("comparators",),
    ("diff",),
    ("render",),
    ("pipeline",),
    ("chain",),
    ("check", "verify", "lint"),
    ("report",),
    ("cli", "testing", "__main__"),
)
#: the command line's libraries, and the modules allowed to import them: rich draws the reports
#: for people too, so ``report/`` may use it; typer and click stay in ``cli/``
UI_LIBRARIES = {"typer": ("cli",), "click": ("cli",), "rich": ("cli", "report")}
BACKEND_NAMES = frozenset({"postgresql", "mysql", "mariadb", "sqlite"})


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def layer_of(module: str) -> int | None:
    """The layer index of ``schemadiff.<module>`` (None: the lazy top-level API)."""
    name = module.removeprefix("schemadiff").lstrip(".")
    best: tuple[int, int] | None = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    return None if best is None else best[0]


def resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(module: str) -> Iterator[tuple[str, int]]:
    """(imported name, line) for every import in ``module``, at any depth."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                yield (full if full in MODULES else target), node.lineno


def internal_edges() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for name, _ in imports_of(module):
            if name.startswith("schemadiff"):
                target = resolve(name)
                if target and target != module:
                    edges[module].add(target)
    return edges


def test_every_module_has_a_layer() -> None:
    unplaced = [m for m in MODULES if m != "schemadiff" and layer_of(m) is None]
    assert not unplaced, f"add these modules to a layer in LAYERS: {unplaced}"


def test_no_import_cycles() -> None:
    edges = internal_edges()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(MODULES):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_imports_point_down_the_layers() -> None:
    upward = []
    for module in sorted(MODULES):
        own = layer_of(module)
        if own is None:
            continue
        for name, line in imports_of(module):
            target = resolve(name) if name.startswith("schemadiff") else None
            if target is None or target == module:
                continue
            theirs = layer_of(target)
            if theirs is not None and theirs > own:
                upward.append(f"{module}:{line} imports {target}")
    assert not upward, "imports against the layer order:\n" + "\n".join(upward)


def test_only_the_cli_and_reports_import_ui_libraries() -> None:
    found = []
    for module in sorted(MODULES):
        package = module.split(".")[1] if "." in module else ""
        for name, line in imports_of(module):
            allowed = UI_LIBRARIES.get(name.split(".")[0])
            if allowed is not None and package not in allowed:
                found.append(f"{module}:{line} imports {name}")
    assert not found, "UI libraries where they do not belong:\n" + "\n".join(found)


def _backend_literals(node: ast.AST) -> Iterator[str]:
    if isinstance(node, ast.Constant) and node.value in BACKEND_NAMES:
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _backend_literals(element)


def backend_branches(module: str) -> Iterator[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for side in (node.left, *node.comparators):
                for name in _backend_literals(side):
                    yield f"{module}:{node.lineno} compares with {name!r}"
        elif isinstance(node, ast.match_case):
            for name in _backend_literals(getattr(node.pattern, "value", node.pattern)):
                yield f"{module}:{node.pattern.lineno} matches {name!r}"


def in_a_backend_package(module: str) -> bool:
    """``schemadiff.backends.<name>.*``: the one place that knows a backend by its name."""
    return module.startswith("schemadiff.backends.") and module.count(".") >= 3


def test_backend_names_are_compared_only_in_backend_packages() -> None:
    found = [
        line
        for module in sorted(MODULES)
        if not in_a_backend_package(module)
        for line in backend_branches(module)
    ]
    assert not found, "backend-name branches outside backends/<name>/:\n" + "\n".join(found)


@pytest.mark.parametrize("module", ["schemadiff.cli.app", "schemadiff.diff.engine"])
def test_the_checker_sees_real_modules(module: str) -> None:
    """The checks above look at something: the graph has the modules and their imports."""
    assert module in MODULES and next(imports_of(module), None) is not None
