"""Specification of the docs site's sources: examples in code fences, a complete navigation.

The site itself is built by ``mkdocs build --strict`` in CI (``.ci/run``); these tests
check, without mkdocs, what the build relies on: every doctest of a page sits in a
fenced ``python`` block (so it renders as code, not as nested quotes, and pytest still
runs it), every page is in the navigation, and the API reference hook gives every
public module a page.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_site", DOCS / "hooks" / "docs_site.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestPages:
    @pytest.mark.parametrize("page", [*PAGES, ROOT / "README.md"], ids=lambda p: p.name)
    def test_every_example_is_in_a_python_fence(self, page: Path) -> None:
        """Every ``>>>`` line of a page is inside a fenced python block."""
        outside, fence = [], None
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("```"):
                fence = None if fence is not None else line[3:].strip()
            elif line.lstrip().startswith(">>>") and fence != "python":
                outside.append(number)
        assert [] == outside

    def test_every_page_is_in_the_navigation(self) -> None:
        """Each page of ``docs/`` is listed in ``mkdocs.yml``'s nav (the reference is added by the hook)."""
        config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        listed = set(re.findall(r":\s+([\w-]+\.md)\s*$", config, flags=re.MULTILINE))
        assert [] == [page.name for page in PAGES if page.name not in listed]


class TestReference:
    def test_every_public_module_is_on_a_reference_page(self) -> None:
        """Each public module is rendered by a ``::: module`` block of some reference page."""
        hook = _hook()
        rendered = {
            line.removeprefix("::: ").strip()
            for text in hook.pages().values()
            for line in text.splitlines()
            if line.startswith("::: ")
        }
        public = set(hook.public_modules())
        assert {"salesmark"} | public == rendered
        assert {"salesmark.attribution.markov_chain", "salesmark.tables"} <= public
        assert [] == [name for name in public if "._" in name]

    def test_the_reference_is_one_page_per_top_level_module(self) -> None:
        """The navigation lists the overview, then one page per module or subpackage of salesmark."""
        hook = _hook()
        tops = sorted(name.split(".")[1] for name in hook.public_modules() if name.count(".") == 1)
        entries = [next(iter(entry)) for entry in hook.nav()]
        assert ["Overview", *tops] == entries
