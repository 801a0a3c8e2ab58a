"""MkDocs hooks of the docs site: the API reference pages and the charts, made at build time.

Nothing here is committed output. When ``mkdocs build`` starts, :func:`on_config`
appends an "API reference" section to the navigation, one page per public module and
subpackage of salesmark, found by walking the installed package; :func:`on_files`
adds those pages (``::: salesmark.x`` blocks rendered by mkdocstrings) and the PNG
charts of ``plotting.md``, drawn by :mod:`salesmark.plotting` on the synthetic
organisation, to the site as generated files. The charts need matplotlib (the
``docs`` extra has it).

Only the standard library and salesmark are imported at module level, so pytest's
doctest collection of ``docs/`` can import this file without mkdocs.
"""

from __future__ import annotations

import io
import pkgutil
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any

import salesmark
from salesmark import Period, Team, funnel_counts, metrics, plotting, scoring, sla_compliance
from salesmark.attribution import MarkovChain, first_touch, journeys_from_leads, linear, markov
from salesmark.synthetic import organisation

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

REFERENCE = "reference"
CHARTS = "charts"


def public_modules() -> list[str]:
    """Every public module of salesmark, sorted: no part of its dotted name starts with ``_``.

    Example:
        >>> mods = public_modules()
        >>> "salesmark.attribution.markov_chain" in mods, "salesmark._records" in mods
        (True, False)
    """
    found = [info.name for info in pkgutil.walk_packages(salesmark.__path__, prefix="salesmark.")]
    return sorted(
        name for name in found if not any(part.startswith("_") for part in name.split("."))
    )


def pages() -> dict[str, str]:
    """The reference pages: path in the site's docs -> Markdown, one per top-level module.

    A subpackage's page renders what the subpackage exports, then the docstring of each
    of its public modules (their objects are the subpackage's exports).

    Example:
        >>> made = pages()
        >>> made["reference/attribution.md"].splitlines()[0]
        '::: salesmark.attribution'
        >>> "::: salesmark.attribution.markov_chain" in made["reference/attribution.md"]
        True
    """
    modules = public_modules()
    tops = [name for name in modules if name.count(".") == 1]
    made = {
        f"{REFERENCE}/index.md": (
            "# API reference\n\n"
            "::: salesmark\n"
            "    options:\n"
            "      members: false\n"
            "      show_root_heading: false\n\n"
            "One page per public module and subpackage:\n\n"
            + "".join(f"* [`{name}`]({name.split('.', 1)[1]}.md)\n" for name in tops)
        )
    }
    for top in tops:
        parts = [f"::: {top}\n    options:\n      heading_level: 1\n"]
        parts += [
            f"\n::: {name}\n    options:\n      members: false\n      heading_level: 2\n"
            for name in modules
            if name.startswith(top + ".")
        ]
        made[f"{REFERENCE}/{top.split('.', 1)[1]}.md"] = "".join(parts)
    return made


def nav() -> list[Any]:
    """The navigation entries of the reference: the overview, then each page by module name.

    Example:
        >>> nav()[:2]
        [{'Overview': 'reference/index.md'}, {'agenda': 'reference/agenda.md'}]
    """
    entries: list[Any] = [{"Overview": f"{REFERENCE}/index.md"}]
    for path in sorted(pages()):
        name = path.removeprefix(f"{REFERENCE}/").removesuffix(".md")
        if name != "index":
            entries.append({name: path})
    return entries


def _charts() -> dict[str, Callable[[Axes], Axes]]:
    """Each chart of ``plotting.md`` by file name, drawn on the page's organisation."""

    org = organisation(seed=1, leads=300)
    q1 = Period.quarter(2026, 1)
    funnel = funnel_counts(org.leads, q1, lifecycle=org.lifecycle)
    journeys = journeys_from_leads(org.leads, lifecycle=org.lifecycle)
    results = [first_touch(journeys), linear(journeys), markov(journeys)]
    quality = scoring.lead_quality(org.leads, org.feedback, lifecycle=org.lifecycle, by="channel")
    return {
        "funnel": lambda ax: plotting.funnel_chart(funnel, ax=ax),
        "time-in-stage": lambda ax: plotting.time_in_stage_chart(funnel, ax=ax),
        "attribution": lambda ax: plotting.attribution_chart(results, ax=ax),
        "removal-effects": lambda ax: plotting.removal_effects_chart(results[2], ax=ax),
        "transitions": lambda ax: plotting.transition_heatmap(MarkovChain.fit(journeys), ax=ax),
        "scorecard": lambda ax: plotting.scorecard_chart(
            metrics.scorecard_report(org, Team.SALES, q1), ax=ax
        ),
        "sla": lambda ax: plotting.sla_chart(sla_compliance(org, q1), ax=ax),
        "lead-quality": lambda ax: plotting.lead_quality_chart(quality, ax=ax),
    }


def charts(only: Collection[str] | None = None) -> dict[str, bytes]:
    """The PNG of each chart (or of those named in ``only``) by its path in the site's docs.

    Example:
        >>> import pytest
        >>> _ = pytest.importorskip("matplotlib")
        >>> drawn = charts(only={"funnel"})
        >>> list(drawn), drawn["charts/funnel.png"][:4]
        (['charts/funnel.png'], b'\\x89PNG')
    """
    from matplotlib.figure import Figure  # noqa: PLC0415 (the docs extra, loaded only to draw)

    drawn = {}
    for name, draw in _charts().items():
        if only is not None and name not in only:
            continue
        figure = Figure(figsize=(8, 5), layout="constrained")
        draw(figure.subplots())
        png = io.BytesIO()
        figure.savefig(png, format="png", dpi=96)
        drawn[f"{CHARTS}/{name}.png"] = png.getvalue()
    return drawn


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Append the API reference to the navigation."""
    config.nav = [*(config.nav or []), {"API reference": nav()}]
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the reference pages and the charts to the site, as generated files."""
    from mkdocs.structure.files import File  # noqa: PLC0415 (only mkdocs calls this hook)

    for path, text in pages().items():
        files.append(File.generated(config, path, content=text))
    for path, png in charts().items():
        files.append(File.generated(config, path, content=png))
    return files
