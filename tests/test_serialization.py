"""Specification of the one converter: lossless round-trips and readable errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import (
    Lead,
    Money,
    NaiveDatetime,
    Organisation,
    Period,
    StructureError,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
    make_converter,
    structure,
    synthetic,
    unstructure,
)
from salesmark.serialization import format_duration, parse_duration
from strategies import public_types

TYPES = public_types()
PLAIN = (str, int, float, bool, type(None))


def _plain(data: Any) -> bool:
    """Whether data is made of exactly dicts, lists and JSON scalars (no enum members, no Decimals)."""
    if isinstance(data, dict):
        return all(type(k) is str and _plain(v) for k, v in data.items())
    if isinstance(data, list):
        return all(_plain(v) for v in data)
    return type(data) in PLAIN


class TestRoundTrip:
    @pytest.mark.parametrize(("cls", "strategy"), TYPES, ids=[cls.__name__ for cls, _ in TYPES])
    def test_every_public_type(self, cls: type[Any], strategy: st.SearchStrategy[Any]) -> None:
        """structure(unstructure(x)) == x for every public type, through real JSON text."""

        @given(strategy)
        def check(obj: Any) -> None:
            data = unstructure(obj)
            assert _plain(data)
            assert obj == structure(json.loads(json.dumps(data)), cls)

        check()

    def test_synthetic_organisation(self) -> None:
        """A whole synthetic organisation survives the trip through JSON unchanged."""
        org = synthetic.organisation(seed=11, leads=150)
        assert org == structure(json.loads(json.dumps(unstructure(org))), Organisation)

    def test_analytics_results(self) -> None:
        """Analytics results round-trip too, so applications can store them."""
        import salesmark as sm

        org = synthetic.organisation(seed=2, leads=200)
        quarter = Period.quarter(2026, 2)
        journeys = sm.attribution.journeys_from_leads(org.leads, lifecycle=org.lifecycle)
        paths = sm.attribution.PathCounts.from_journeys(journeys)
        for result in (
            sm.funnel_counts(org.leads, quarter, lifecycle=org.lifecycle),
            sm.sla_compliance(org, quarter),
            sm.build_agenda(org, quarter),
            sm.alignment_index(org, quarter),
            sm.metrics.evaluate_catalogue(org, quarter),
            sm.WorkingCalendar(),
            paths,
            sm.attribution.markov(paths),
            sm.attribution.linear(paths),
        ):
            data = json.loads(json.dumps(unstructure(result)))
            assert result == structure(data, type(result))


class TestShape:
    def test_datetimes_are_iso_with_offset(self) -> None:
        """Datetimes travel as ISO 8601 strings that keep their UTC offset."""
        at = datetime(2026, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))
        data = unstructure(Touchpoint(at=at, channel="email", kind=TouchpointKind.EMAIL))
        assert "2026-03-02T09:30:00+01:00" == data["at"]

    def test_named_zones_are_kept(self) -> None:
        """A datetime in a named zone comes back in that zone, ambiguous autumn hours included."""
        berlin = ZoneInfo("Europe/Berlin")
        for fold in (0, 1):
            at = datetime(2026, 10, 25, 2, 30, tzinfo=berlin, fold=fold)
            text = unstructure(at)
            assert text.endswith("[Europe/Berlin]")
            back = structure(text, datetime)
            assert (at, at.utcoffset()) == (back, back.utcoffset())

    def test_unknown_zone_is_refused(self) -> None:
        """An unknown zone name is an error that names it."""
        with pytest.raises(StructureError, match="Mars/Olympus"):
            structure("2026-01-01T00:00:00+00:00[Mars/Olympus]", datetime)

    def test_decimals_are_strings_and_enums_values(self) -> None:
        """Money amounts are strings (never floats) and enums travel by value."""
        assert {"amount": "12.50", "currency": "EUR"} == unstructure(Money.of("12.50", "EUR"))
        data = unstructure(
            Touchpoint(
                at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                channel="x",
                kind=TouchpointKind.CALL,
                team=Team.SALES,
            )
        )
        assert ("call", "sales") == (data["kind"], data["team"])
        assert (str, str) == (type(data["kind"]), type(data["team"]))  # plain values, not members

    @given(st.timedeltas(min_value=timedelta(days=-999), max_value=timedelta(days=999)))
    def test_durations_round_trip(self, value: timedelta) -> None:
        """Every timedelta survives its ISO 8601 duration text exactly."""
        assert value == parse_duration(format_duration(value))

    def test_converter_is_independent(self) -> None:
        """make_converter gives a fresh converter; hooks added to it do not leak into the default."""
        mine = make_converter()
        mine.register_unstructure_hook(Money, str)
        assert "1.00 EUR" == mine.unstructure(Money.of("1.00", "EUR"))
        assert {"amount": "1.00", "currency": "EUR"} == unstructure(Money.of("1.00", "EUR"))


def _organisation_data() -> dict[str, Any]:
    t = datetime(2026, 1, 5, tzinfo=timezone.utc)
    touch = Touchpoint(at=t, channel="email", kind=TouchpointKind.EMAIL)
    leads = tuple(Lead.create(id=f"L{i}", created_at=t, touchpoints=[touch]) for i in range(3))
    data: dict[str, Any] = unstructure(Organisation(name="Acme", currency="EUR", leads=leads))
    return data


class TestBadData:
    def test_naive_datetime_names_its_path(self) -> None:
        """A naive datetime deep inside an organisation is reported with its field path and value."""
        data = _organisation_data()
        data["leads"][1]["touchpoints"][0]["at"] = "2026-01-05T09:00:00"
        with pytest.raises(StructureError) as caught:
            structure(data, Organisation)
        assert any(
            p.endswith("$.leads[1].touchpoints[0].at") and "'2026-01-05T09:00:00'" in p
            for p in caught.value.problems
        )

    def test_every_problem_is_listed(self) -> None:
        """Several bad fields are all reported, each with its path."""
        data = _organisation_data()
        data["leads"][0]["touchpoints"][0]["kind"] = "carrier_pigeon"
        data["leads"][2]["created_at"] = 12
        data["leads"][1]["surprise"] = True
        with pytest.raises(StructureError) as caught:
            structure(data, Organisation)
        text = str(caught.value)
        assert "$.leads[0].touchpoints[0].kind" in text
        assert "$.leads[2].created_at" in text
        assert "surprise" in text

    @pytest.mark.parametrize(
        ("amount", "expected"),
        [(12.5, "12.5"), ("twelve", "'twelve'"), (True, "True"), (None, "None")],
    )
    def test_money_amount_must_be_a_decimal_string(self, amount: object, expected: str) -> None:
        """Floats and other non-decimal amounts are refused, and the message shows the value."""
        with pytest.raises(StructureError, match=r"\$\.amount") as caught:
            structure({"amount": amount, "currency": "EUR"}, Money)
        assert expected in str(caught.value)

    def test_wrong_primitive_is_not_coerced(self) -> None:
        """A string where an int belongs is an error, not silently converted."""
        with pytest.raises(StructureError, match="mql_volume"):
            structure(
                {"id": "s", "mql_volume": "400"}, __import__("salesmark").ServiceLevelAgreement
            )

    def test_illegal_history_is_refused_whole(self) -> None:
        """A lead whose serialized history breaks the lifecycle is refused; nothing half-built comes back."""
        data = _organisation_data()
        data["leads"][0]["history"].append(
            {"stage": "won", "at": "2026-01-06T00:00:00+00:00", "by": None, "reason": None}
        )
        with pytest.raises(StructureError, match="inquiry' to 'won'"):
            structure(data, Organisation)

    def test_errors_belong_to_the_family(self) -> None:
        """StructureError is a ValidationError and a ValueError; naive datetimes are NaiveDatetime at the edge."""
        assert issubclass(StructureError, ValidationError)
        assert issubclass(StructureError, ValueError)
        with pytest.raises(StructureError) as caught:
            structure("2026-01-05T09:00:00", datetime)
        assert "naive" in str(caught.value)
        assert issubclass(NaiveDatetime, ValidationError)

    def test_decimal_strings_are_exact(self) -> None:
        """Decimal strings are read exactly, digit for digit."""
        assert Decimal("0.1000000000000000000001") == structure("0.1000000000000000000001", Decimal)


class TestFollowThroughRoundTrip:
    """The loop's results (theme rankings and trends, content performance, follow-through) round-trip."""

    def test_loop_results(self) -> None:
        """Each result of the synthetic organisation survives the trip through JSON unchanged."""
        from salesmark.content_performance import content_performance
        from salesmark.follow_through import action_follow_through, decisions_due, open_actions
        from salesmark.insights import rank_themes, theme_trends

        org = synthetic.organisation(seed=2, leads=300)
        quarter = Period.quarter(2026, 2)
        quarters = [Period.quarter(2026, q) for q in (1, 2, 3)]
        results: list[Any] = [
            rank_themes(org, quarter),
            theme_trends(org, quarters),
            content_performance(org, quarter),
            action_follow_through(org, quarter),
            *open_actions(org, quarter.end),
            *decisions_due(org, quarter.end),
        ]
        for result in results:
            data = json.loads(json.dumps(unstructure(result)))
            assert _plain(data)
            assert result == structure(data, type(result))

    def test_results_of_any_organisation(self) -> None:
        """Results drawn from random follow-through organisations round-trip too."""
        from strategies import loop_results

        @given(loop_results())
        def check(result: Any) -> None:
            data = json.loads(json.dumps(unstructure(result)))
            assert result == structure(data, type(result))

        check()
