"""Specification of the package's shape: no I/O, floors that import only downwards, no
import cycle, a small and unambiguous public API, modules short enough to read.

``lint-imports`` checks the floors as a layers contract in CI (``pyproject.toml``); the
tests here check the same house from the source text, counting every import statement.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

import salesmark

PACKAGE = Path(salesmark.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
FLOORS: dict[int, tuple[str, ...]] = {
    1: (
        "errors", "_frozen", "_collector", "_time", "_validators", "_stage_names", "_result_fields", "_distinct", "_currencies",
        "_records", "_frames", "_display", "_progress", "money", "period", "calendars", "durations",
        "intervals",
    ),
    2: (
        "teams", "touchpoints", "lifecycle", "leads", "attributes", "sourcing", "personas", "narratives",
        "feedback", "campaigns", "content", "kpis", "sla", "cadence", "meetings",
    ),
    3: ("organisation", "funnel", "scoring", "attribution"),
    4: (
        "metrics", "compliance", "_sla_judging", "agenda", "alignment", "recognition", "closed_loop",
        "insights", "content_performance", "follow_through", "_agenda_loop", "planning",
    ),
    5: (
        "serialization", "_wire", "schema", "synthetic", "_synthetic_leads", "__main__", "tables",
        "testing", "plotting", "_demo_planning", "integrations",
    ),
}  # fmt: skip
SHARED_STATE = {("os", "environ"), ("os", "getenv"), ("sys", "stdout"), ("sys", "stderr")}
FORBIDDEN_IMPORTS = (
    "socket",
    "subprocess",
    "urllib",
    "http",
    "requests",
    "logging.config",
    "sqlite3",
)


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


NAMES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _resolve(node: ast.Import | ast.ImportFrom, here: str) -> list[str]:
    """The salesmark modules an import statement names (``from a import b``: ``a.b`` if a module)."""
    if isinstance(node, ast.Import):
        targets = [alias.name for alias in node.names]
    else:
        base = node.module or ""
        if node.level:
            package = here.split(".")[: -node.level] if not here.endswith("__init__") else here
            base = ".".join([*package, base]) if base else ".".join(package)
        targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in NAMES else base for a in node.names]
    return sorted({t for t in targets if t in NAMES})


def _imports(name: str, *, module_level_only: bool) -> list[str]:
    tree = _tree(NAMES[name])
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    found: list[str] = []
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found += _resolve(node, name)
    return [f for f in found if f != name]


def _floor(module: str) -> int:
    top = module.split(".")[1] if module != "salesmark" else ""
    for floor, names in FLOORS.items():
        if top in names:
            return floor
    return 6  # the package's own __init__ sits on top of everything


class TestNoIO:
    @pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
    def test_no_io_and_no_print(self, path: Path) -> None:
        """No module but __main__ prints, opens files, reads input, the environment or the network."""
        problems = []
        for node in ast.walk(_tree(path)):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"print", "open", "input"}
            ):
                problems.append(f"{node.func.id}() at line {node.lineno}")
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in SHARED_STATE
            ):
                problems.append(f"{node.value.id}.{node.attr} at line {node.lineno}")
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                )
                problems.extend(f"import {n}" for n in names if n.startswith(FORBIDDEN_IMPORTS))
        assert [] == problems


class TestFloors:
    def test_every_module_has_a_floor(self) -> None:
        """Every module of the package sits on one of the five floors."""
        assert [] == [name for name in NAMES if name != "salesmark" and _floor(name) == 6]

    @pytest.mark.parametrize("name", sorted(NAMES), ids=str)
    def test_imports_only_go_down(self, name: str) -> None:
        """No import statement, wherever it stands, reaches a higher floor."""
        here = _floor(name)
        assert [] == [i for i in _imports(name, module_level_only=False) if _floor(i) > here]

    @pytest.mark.parametrize("name", sorted(n for n in NAMES if _floor(n) <= 2), ids=str)
    def test_concepts_never_load_analytics(self, name: str) -> None:
        """The transitive closure of a floor 1-2 module's imports stays on floors 1-2."""
        seen, todo = {name}, [name]
        while todo:
            for target in _imports(todo.pop(), module_level_only=True):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        assert [] == sorted(m for m in seen if _floor(m) > 2)

    def test_organisation_loads_concepts_only(self) -> None:
        """What importing the organisation loads (its imports' closure) is floors 1-2 only."""
        seen, todo = {"salesmark.organisation"}, ["salesmark.organisation"]
        while todo:
            for target in _imports(todo.pop(), module_level_only=True):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        assert [] == sorted(m for m in seen - {"salesmark.organisation"} if _floor(m) > 2)

    def test_nobody_hides_an_organisation_import(self) -> None:
        """Organisation is imported plainly at module level, never under TYPE_CHECKING or in a function."""
        hidden = []
        for name, path in NAMES.items():
            tree = _tree(path)
            top = {id(n) for n in tree.body}
            hidden += [
                f"{name}:{node.lineno}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom)
                and "salesmark.organisation" in _resolve(node, name)
                and id(node) not in top
            ]
        assert [] == hidden


class TestNoCycles:
    def test_no_import_cycle(self) -> None:
        """The graph of every import statement (module level, TYPE_CHECKING, in functions) is acyclic."""
        graph = {name: _imports(name, module_level_only=False) for name in NAMES}
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        stack: list[str] = []
        on_stack: set[str] = set()
        cycles: list[list[str]] = []

        def visit(node: str) -> None:
            index[node] = low[node] = len(index)
            stack.append(node)
            on_stack.add(node)
            for target in graph[node]:
                if target not in index:
                    visit(target)
                    low[node] = min(low[node], low[target])
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))

        for name in sorted(graph):
            if name not in index:
                visit(name)
        assert [] == cycles


def _public_modules() -> list[str]:
    return sorted(
        name for name in NAMES if not any(part.startswith("_") for part in name.split("."))
    )


class TestPublicApi:
    def test_all_names_exist_and_are_unique(self) -> None:
        """Every name in salesmark.__all__ exists, once."""
        missing = [name for name in salesmark.__all__ if not hasattr(salesmark, name)]
        assert [] == missing
        assert len(set(salesmark.__all__)) == len(salesmark.__all__)

    def test_top_level_is_small(self) -> None:
        """The top level exports at most 70 names: nouns, company-level verbs, converter, errors, namespaces."""
        assert len(salesmark.__all__) <= 70

    @pytest.mark.parametrize("name", _public_modules(), ids=str)
    def test_every_public_module_declares_all(self, name: str) -> None:
        """Each public module lists its public names in a sorted ``__all__`` that all exist."""
        module = importlib.import_module(name)
        names = getattr(module, "__all__", None)
        assert names is not None
        assert [] == [n for n in names if not hasattr(module, n)]

    @pytest.mark.parametrize(
        "name", [n for n in _public_modules() if NAMES[n].name == "__init__.py"], ids=str
    )
    def test_no_function_hides_a_module(self, name: str) -> None:
        """No public function of a package carries the name of one of its public modules."""
        package = importlib.import_module(name)
        submodules = {
            n.rsplit(".", 1)[1]
            for n in _public_modules()
            if "." in n and n.rsplit(".", 1)[0] == name
        }
        clashes = [
            n
            for n in getattr(package, "__all__", ())
            if n in submodules and inspect.isfunction(getattr(package, n))
        ]
        assert [] == clashes

    def test_version(self) -> None:
        """The version comes from the installed metadata."""
        assert isinstance(salesmark.__version__, str)
        assert salesmark.__version__ != "0.0.0"

    def test_typed(self) -> None:
        """The package ships py.typed."""
        assert (PACKAGE / "py.typed").exists()

    @pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
    def test_modules_stay_readable(self, path: Path) -> None:
        """No module grows past 600 lines."""
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 600
