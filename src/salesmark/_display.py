"""Short text and notebook HTML for results and domain objects (private).

Pure string building: every piece of text goes through :func:`html.escape`, nothing
is imported beyond the standard library, and nothing is computed that the object has
not already computed. A notebook shows an object's ``_repr_html_``; every result sets
it to :func:`result_html` (its ``repr`` as a caption over its first ``to_records()``
rows) and a few objects build their own from :func:`table`, :func:`fields` and
:func:`bars`. :func:`duration` writes a ``timedelta`` the way a person reads one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Final

from salesmark._records import Tabular

__all__ = ["COLUMNS", "ROWS", "bars", "duration", "fields", "result_html", "table", "text"]

ROWS: Final = 20
"""The most rows a table shows; the rest are counted in a last line."""

COLUMNS: Final = 14
"""The most columns a table shows by default; the rest are counted under it."""

_MINUTE: Final = 60.0
_HOUR: Final = 3600.0
_DAY: Final = 86400.0
_STYLE: Final = "font-size:0.9em;border-collapse:collapse"
_CELL: Final = "padding:1px 8px;text-align:left"
_NUMBER: Final = "padding:1px 8px;text-align:right"
_BAR: Final = "#4c72b0"


def _escape(value: str) -> str:
    """``_escape(value)``; the module is loaded on the first display, never at import."""
    import html  # noqa: PLC0415 (display is rare; importing salesmark stays as cheap as it was)

    return html.escape(value)


def duration(value: timedelta | None) -> str:
    """``value`` rounded for people: seconds, minutes, hours (under 3 days) or days.

    Example:
        >>> [duration(timedelta(seconds=s)) for s in (42, 2_100, 131_400, 3_024_000)]
        ['42 s', '35 min', '36.5 h', '35.0 days']
        >>> duration(None), duration(-timedelta(hours=2))
        ('-', '-2.0 h')
    """
    if value is None:
        return "-"
    seconds = value.total_seconds()
    sign, size = ("-" if seconds < 0 else ""), abs(seconds)
    if size < _MINUTE:
        return f"{sign}{size:.0f} s"
    if size < _HOUR:
        return f"{sign}{size / _MINUTE:.0f} min"
    if size < 3 * _DAY:
        return f"{sign}{size / _HOUR:.1f} h"
    return f"{sign}{size / _DAY:.1f} days"


def text(value: object) -> str:  # noqa: PLR0911 (one short answer per kind of cell)
    """One cell as short text: numbers rounded for reading, times to the minute, ``-`` for nothing.

    Example:
        >>> [text(x) for x in (None, 0.83541, 18000.0, 1234.5678, Decimal("0.25"), True, "a<b")]
        ['-', '0.8354', '18,000', '1,234.6', '0.25', 'yes', 'a<b']
    """
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal | Fraction):
        value = float(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-" if value != value else str(value)  # noqa: PLR0124 (NaN)
        if value.is_integer() and abs(value) < 1e15:
            return f"{value:,.0f}"
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.4g}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, timedelta):
        return duration(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(text(x) for x in value)
    return str(value)


def _numeric(value: object) -> bool:
    return isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool)


def _caption(caption: str) -> str:
    return f'<p style="margin:0 0 4px 0"><b>{_escape(caption)}</b></p>'


def table(
    rows: Sequence[Mapping[str, object]],
    *,
    caption: str,
    columns: Sequence[str] | None = None,
    limit: int = ROWS,
    total: int | None = None,
) -> str:
    """An HTML table of ``rows`` under ``caption``: at most ``limit`` rows, the rest counted.

    Without ``columns``, the first :data:`COLUMNS` columns of the rows are shown and the
    others named in a note under the table (``to_frame()`` has them all). ``total``
    says how many rows there are when ``rows`` holds only the first ones.

    Example:
        >>> print(table([{"stage": "mql", "rate": 0.25}], caption="Funnel <Q1>"))
        <div class="salesmark"><p style="margin:0 0 4px 0"><b>Funnel &lt;Q1&gt;</b></p><table style="font-size:0.9em;border-collapse:collapse"><thead><tr><th style="padding:1px 8px;text-align:left">stage</th><th style="padding:1px 8px;text-align:left">rate</th></tr></thead><tbody><tr><td style="padding:1px 8px;text-align:left">mql</td><td style="padding:1px 8px;text-align:right">0.25</td></tr></tbody></table></div>
    """
    names = (
        list(columns) if columns is not None else list(dict.fromkeys(k for r in rows for k in r))
    )
    hidden = names[COLUMNS:] if columns is None else []
    names = names[: len(names) - len(hidden)]
    head = "".join(f'<th style="{_CELL}">{_escape(name)}</th>' for name in names)
    body = []
    for record in rows[:limit]:
        cells = []
        for name in names:
            value = record.get(name)
            style = _NUMBER if _numeric(value) else _CELL
            cells.append(f'<td style="{style}">{_escape(text(value))}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    more = (len(rows) if total is None else total) - min(len(rows), limit)
    if more > 0:
        body.append(
            f'<tr><td style="{_CELL}" colspan="{max(len(names), 1)}">… {more:,} more rows</td></tr>'
        )
    empty = "" if rows else "<p>(no rows)</p>"
    if hidden:
        empty += f"<p>… {len(hidden)} more columns: {_escape(', '.join(hidden))}</p>"
    return (
        f'<div class="salesmark">{_caption(caption)}<table style="{_STYLE}"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table>{empty}</div>"
    )


def fields(pairs: Sequence[tuple[str, object]], *, caption: str, extra: str = "") -> str:
    """An HTML table of ``(name, value)`` pairs under ``caption``, then ``extra`` HTML.

    Example:
        >>> fields([("stage", "mql")], caption="Lead L1").count("<tr>")
        1
    """
    body = "".join(
        f'<tr><th style="{_CELL}">{_escape(name)}</th>'
        f'<td style="{_CELL}">{_escape(text(value))}</td></tr>'
        for name, value in pairs
    )
    return (
        f'<div class="salesmark">{_caption(caption)}<table style="{_STYLE}"><tbody>{body}'
        f"</tbody></table>{extra}</div>"
    )


def bars(
    rows: Sequence[tuple[str, Sequence[tuple[float, str]]]],
    *,
    caption: str,
    headers: Sequence[str],
) -> str:
    """Horizontal bars as HTML/CSS: one row per label, one bar per series, each with its text.

    Each series is scaled to its own largest value. ``rows`` holds ``(label, [(value,
    text), ...])`` with one pair per header.

    Example:
        >>> page = bars([("mql", [(40, "40")]), ("sql", [(10, "10")])], caption="Funnel", headers=["cohort"])
        >>> page.count("width:25.0%"), page.count("width:100.0%")
        (1, 1)
    """
    tops = [
        max((abs(series[i][0]) for _, series in rows), default=0.0) for i in range(len(headers))
    ]
    head = f'<th style="{_CELL}"></th>' + "".join(
        f'<th style="{_CELL}" colspan="2">{_escape(h)}</th>' for h in headers
    )
    body = []
    for label, series in rows:
        cells = [f'<td style="{_CELL}">{_escape(label)}</td>']
        for (value, shown), top in zip(series, tops, strict=True):
            width = 100.0 * abs(value) / top if top else 0.0
            cells.append(
                f'<td style="{_CELL};width:12em"><div style="background:{_BAR};height:0.9em;'
                f'width:{width:.1f}%"></div></td><td style="{_NUMBER}">{_escape(shown)}</td>'
            )
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<div class="salesmark">{_caption(caption)}<table style="{_STYLE}"><thead><tr>{head}'
        f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def result_html(self: Tabular) -> str:
    """The notebook view of a result: its ``repr`` over a table of its first rows.

    Example:
        >>> class Tiny:
        ...     def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        ...         return [{"channel": "email", "share": 0.5}]
        ...     def __repr__(self) -> str:
        ...         return "Tiny(1 channel)"
        >>> "<b>Tiny(1 channel)</b>" in result_html(Tiny()), result_html(Tiny()).count("<tr>")
        (True, 2)
    """
    return table(self.to_records(), caption=repr(self))
