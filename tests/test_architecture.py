"""Specification of the package's shape: no I/O, one-way dependencies, a complete public API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import salesmark

PACKAGE = Path(salesmark.__file__).parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
FOUNDATION = [
    "errors", "_time", "_validators", "money", "period", "teams", "touchpoints", "lifecycle",
    "leads", "personas", "narratives", "feedback", "campaigns", "content", "organisation",
]  # fmt: skip
ANALYTICS = (
    "salesmark.attribution", "salesmark.scoring", "salesmark.funnel", "salesmark.alignment",
    "salesmark.recognition", "salesmark.serialization", "salesmark.synthetic", "salesmark.closed_loop",
    "salesmark.kpi_catalogue", "salesmark.kpi_facts",
)  # fmt: skip
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


def _module_level_imports(tree: ast.Module) -> list[str]:
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


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


class TestDependencies:
    @pytest.mark.parametrize("name", FOUNDATION)
    def test_foundation_never_imports_analytics(self, name: str) -> None:
        """Errors, value objects and concept modules never import analytics at module level."""
        imports = _module_level_imports(_tree(PACKAGE / f"{name}.py"))
        assert [] == [i for i in imports if i.startswith(ANALYTICS)]


class TestPublicApi:
    def test_all_names_exist_and_are_sorted(self) -> None:
        """Every name in salesmark.__all__ exists, and the list is sorted as ruff sorts it."""
        missing = [name for name in salesmark.__all__ if not hasattr(salesmark, name)]
        assert [] == missing
        assert len(set(salesmark.__all__)) == len(salesmark.__all__)

    def test_version(self) -> None:
        """The version comes from the installed metadata."""
        assert isinstance(salesmark.__version__, str)
        assert salesmark.__version__ != "0.0.0"

    def test_typed(self) -> None:
        """The package ships py.typed."""
        assert (PACKAGE / "py.typed").exists()

    @pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
    def test_modules_stay_readable(self, path: Path) -> None:
        """No module grows past 1,000 lines."""
        assert len(path.read_text(encoding="utf-8").splitlines()) < 1000
