"""A griffe extension of the docs site: salesmark's docstrings as the API reference shows them.

salesmark's Google-style docstrings head their doctests ``Example:``, which griffe
reads as an admonition of Markdown text (so ``>>>`` lines would render as nested
quotes); this extension renames that heading ``Examples:``, which griffe reads as
code. And they name other objects with Sphinx roles (``:func:`~salesmark.x.y```),
which become links of the API reference: optional ones, that show as code where the
name is not one the reference renders. It changes the text griffe parses, never the
source.

griffe is imported only when it is installed (the ``docs`` extra), so pytest's doctest
collection of ``docs/`` can import this file without it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:
    from griffe import Extension
except ImportError:  # pragma: no cover - without the docs extra nothing loads this extension
    Extension = object  # type: ignore[assignment,misc]

_EXAMPLE = re.compile(r"^Example:[ \t]*$", re.MULTILINE)
_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")


def markdown_docstring(text: str, resolve: Callable[[str], str] = str) -> str:
    """A docstring's text with doctest sections and Sphinx roles as the reference renders them.

    Args:
        text: The docstring.
        resolve: The full dotted path of a name as written in the docstring (the
            object's scope resolves names like ``PathCounts``); by default the name.

    Example:
        >>> markdown_docstring("Add.\\n\\nExample:\\n    >>> 1 + 1\\n    2")
        'Add.\\n\\nExamples:\\n    >>> 1 + 1\\n    2'
        >>> markdown_docstring("See :func:`~salesmark.funnel.funnel_counts`.")
        'See <autoref identifier="salesmark.funnel.funnel_counts" optional><code>funnel_counts</code></autoref>.'
    """

    def link(match: re.Match[str]) -> str:
        short, name = match[1] == "~", match[2].lstrip("!.")
        shown = name.rsplit(".", 1)[-1] if short else name
        return f'<autoref identifier="{resolve(name)}" optional><code>{shown}</code></autoref>'

    return _ROLE.sub(link, _EXAMPLE.sub("Examples:", text))


class DoctestExamples(Extension):  # type: ignore[misc]
    """Rewrite each loaded object's docstring with :func:`markdown_docstring`."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        """Called by griffe for every object it loads."""
        if obj.docstring is None:
            return

        def resolve(name: str) -> str:
            head, _, rest = name.partition(".")
            try:
                found = str(obj.resolve(head))
            except Exception:  # a name griffe cannot place stays as written
                return name
            return f"{found}.{rest}" if rest else found

        obj.docstring.value = markdown_docstring(obj.docstring.value, resolve)
