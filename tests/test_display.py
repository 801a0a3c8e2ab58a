"""Notebook display: short reprs and _repr_html_ of results and domain objects, and the helpers behind them."""

from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    Lead,
    LeadSource,
    Money,
    Period,
    Team,
    Touchpoint,
    TouchpointKind,
    funnel_counts,
    synthetic,
)
from salesmark._display import COLUMNS, ROWS, bars, duration, fields, table, text
from salesmark.funnel import StageTime
from salesmark.testing.strategies import SCORING_AT
from strategies import inbound_model

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
ORG = synthetic.organisation(seed=3, leads=120)
SCOREABLE = [x for x in ORG.leads if x.created_at <= SCORING_AT]
"""The leads that exist at ``SCORING_AT`` (a lead cannot be scored before it is created)."""
BUSY = max(ORG.leads, key=lambda lead: len(lead.touchpoints))


def _lead() -> Lead:
    touch = Touchpoint(
        at=T0 + timedelta(hours=2), channel="paid_search", kind=TouchpointKind.AD_CLICK,
        team=Team.MARKETING, campaign_id="c<1>",
    )  # fmt: skip
    return Lead.create(
        id="L<1>", created_at=T0, source=LeadSource(channel="paid_search", source="google"),
        attributes={"industry": "retail"}, touchpoints=[touch], value=Money.of(1200, "EUR"),
    ).advance("mql", at=T0 + timedelta(days=1))  # fmt: skip


class TestDuration:
    @pytest.mark.parametrize(
        ("length", "shown"),
        [
            (timedelta(seconds=42), "42 s"),
            (timedelta(minutes=35), "35 min"),
            (timedelta(hours=36, minutes=30), "36.5 h"),
            (timedelta(days=35), "35.0 days"),
            (timedelta(microseconds=123_456), "0 s"),
            (-timedelta(hours=2), "-2.0 h"),
            (None, "-"),
        ],
    )
    def test_rounded_for_people(self, length: timedelta | None, shown: str) -> None:
        """Durations read as seconds, minutes, hours under three days, days beyond; never microseconds."""
        assert shown == duration(length)

    @given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=10_000)))
    def test_short(self, length: timedelta) -> None:
        """Any duration is written in at most 12 characters."""
        assert len(duration(length)) <= 12


class TestText:
    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            (None, "-"),
            (float("nan"), "-"),
            (True, "yes"),
            (3, "3"),
            (12_000, "12,000"),
            (0.83541, "0.8354"),
            (1234.5678, "1,234.6"),
            (Decimal("0.25"), "0.25"),
            (T0, "2026-03-02 09:00+00:00"),
            (["a", "b"], "a, b"),
        ],
    )
    def test_cells(self, value: object, shown: str) -> None:
        """Cells are rounded for reading, times to the minute, nothing as a dash."""
        assert shown == text(value)


class TestTable:
    def test_escapes_every_text(self) -> None:
        """Captions, column names and cells are escaped: markup in data never becomes markup."""
        page = table([{"<b>": "<script>"}], caption="a & b")
        assert ("<script>" in page, "&lt;script&gt;" in page, "a &amp; b" in page) == (
            False,
            True,
            True,
        )

    def test_long_tables_are_cut(self) -> None:
        """Only the first rows are shown; a last line counts the others."""
        page = table([{"n": i} for i in range(ROWS + 5)], caption="many")
        assert (ROWS + 2, True) == (page.count("<tr>"), "… 5 more rows" in page)

    def test_total_counts_rows_not_given(self) -> None:
        """total= counts rows the caller did not even build."""
        assert "… 998 more rows" in table([{"n": 1}, {"n": 2}], caption="x", total=1000)

    def test_wide_tables_name_the_rest(self) -> None:
        """Columns beyond the first ones are named under the table."""
        page = table([{f"c{i}": i for i in range(COLUMNS + 2)}], caption="wide")
        assert f"2 more columns: c{COLUMNS}, c{COLUMNS + 1}" in page

    def test_empty(self) -> None:
        """An empty table says so."""
        assert "(no rows)" in table([], caption="none")

    def test_numbers_align_right(self) -> None:
        """Number cells are right-aligned, text cells left-aligned."""
        page = table([{"a": "x", "n": 1.5}], caption="t")
        assert ('text-align:right">1.5<' in page, 'text-align:left">x<' in page) == (True, True)


class TestFieldsAndBars:
    def test_fields(self) -> None:
        """One row per field, values as text."""
        page = fields([("stage", "mql"), ("value", None)], caption="L1")
        assert (2, True) == (page.count("<tr>"), ">-<" in page)

    def test_bars_scale_each_series(self) -> None:
        """Each series is scaled to its own largest value."""
        page = bars(
            [("a", [(10, "10"), (1, "1")]), ("b", [(5, "5"), (4, "4")])],
            caption="bars",
            headers=["x", "y"],
        )
        widths = [part.split("%")[0] for part in page.split("width:")[1:] if "%" in part[:8]]
        assert ["100.0", "25.0", "50.0", "100.0"] == widths


class TestLeadView:
    def test_repr_is_short(self) -> None:
        """A lead's repr names its id, stage, channel, counts and value, in one short line."""
        assert (
            "Lead('L<1>', stage 'mql', channel 'paid_search', created 2026-03-02, "
            "2 stage changes, 1 touchpoints, value 1200 EUR)"
        ) == repr(_lead())

    def test_busy_lead_repr_stays_short(self) -> None:
        """However many touches and changes, the repr is under 200 characters."""
        assert len(repr(BUSY)) < 200

    def test_html_shows_stage_source_history_and_touches(self) -> None:
        """The notebook view holds the facts, the stage history and the touch timeline, escaped."""
        page = _lead()._repr_html_()
        for expected in (
            "stage history",
            "touch timeline (1 touchpoints)",
            "ad_click",
            "c&lt;1&gt;",
        ):
            assert expected in page
        assert ("L<1>" in page, html.escape("L<1>") in page) == (False, True)

    def test_no_source(self) -> None:
        """A lead nobody knows the source of says so."""
        lead = Lead.create(id="L2", created_at=T0, lifecycle=DEMAND_WATERFALL)
        assert "no source" in repr(lead)
        assert "<td" in lead._repr_html_()


class TestScoringModelView:
    def test_repr(self) -> None:
        """The model's repr counts its rules and names its grades, without the rules' fields."""
        expected = (
            "ScoringModel('inbound': 2 fit + 1 engagement rules, grades A>=30, B>=15, C>=5, "
            "decay half_life)"
        )
        assert expected == repr(inbound_model())

    def test_html_lists_every_rule(self) -> None:
        """The notebook view has one row per rule, with its dimension and points."""
        page = inbound_model()._repr_html_()
        assert ("3 rules", "AttributeOneOf", "engagement") == tuple(
            s for s in ("3 rules", "AttributeOneOf", "engagement") if s in page
        )


class TestScoreViews:
    def test_lead_score_html_explains(self) -> None:
        """A score's notebook view shows its totals and the rules that fired."""
        score = inbound_model().score(BUSY, at=SCORING_AT)
        page = score._repr_html_()
        assert ("rules that fired" in page, repr(score) in html.unescape(page)) == (True, True)

    def test_many_scores_show_the_first(self) -> None:
        """A million scores would show twenty rows and count the rest."""
        scores = inbound_model().score_many(SCOREABLE, at=SCORING_AT)
        page = scores._repr_html_()
        assert (ROWS + 2, f"… {len(SCOREABLE) - ROWS:,} more rows" in page) == (
            page.count("<tr>"),
            True,
        )


class TestOrganisationView:
    def test_html_counts_what_it_holds(self) -> None:
        """The organisation's notebook view counts members, leads and the rest."""
        page = ORG._repr_html_()
        assert f'<td style="padding:1px 8px;text-align:left">{len(ORG.leads)}</td>' in page
        assert "validated" in page


class TestFunnelView:
    def test_bars_per_stage(self) -> None:
        """The funnel's notebook view has one bar per stage and view, with counts and rates on."""
        funnel = funnel_counts(ORG.leads, Period.quarter(2026, 1), lifecycle=ORG.lifecycle)
        page = funnel._repr_html_()
        assert 2 * len(funnel.stages) == page.count("background:")
        assert f"{funnel.cohort[0]:,} (" in page

    def test_stage_time_repr_is_rounded(self) -> None:
        """Time in stage reads in hours or days, not microseconds."""
        stay = StageTime(
            stage="sql", count=3, median=timedelta(days=2, seconds=7, microseconds=5),
            p90=timedelta(days=9, hours=3), open=2, survival_median=None,
        )  # fmt: skip
        assert "StageTime(sql: n=3, median=48.0 h, p90=9.1 days, open=2, survival median=None)" == (
            repr(stay)
        )


class TestOtherReprs:
    def test_meeting_persona_narrative(self) -> None:
        """Meetings, personas and narratives print as one short line each."""
        shown = [repr(ORG.meetings[0]), repr(ORG.personas[0]), repr(ORG.narratives[0])]
        assert [] == [s for s in shown if len(s) > 160 or "\n" in s]
        assert shown[0].startswith("Meeting('")
        assert "validated" in shown[1]
        assert "->" in shown[2]
