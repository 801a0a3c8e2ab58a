"""Specification of the one converter: lossless round-trips and readable errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from salesmark import (
    DEMAND_WATERFALL,
    IllegalTransition,
    Lead,
    MissingReason,
    Money,
    NaiveDatetime,
    Organisation,
    Period,
    StructureError,
    Team,
    Touchpoint,
    TouchpointKind,
    ValidationError,
    WrongType,
    make_converter,
    serialization,
    structure,
    synthetic,
    unstructure,
)
from salesmark.calendars import WorkingCalendar
from salesmark.serialization import SCHEMA_VERSION, format_duration, parse_duration
from salesmark.testing.strategies import public_types
from strategies import boundary_types
from strategies.processes import outputs_under_hash_seeds

TYPES = public_types()
MORE_TYPES = boundary_types()[len(TYPES) :]
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

    @pytest.mark.parametrize(
        ("cls", "strategy"),
        MORE_TYPES,
        ids=[f"{getattr(c, '__name__', c)}-{i}" for i, (c, _) in enumerate(MORE_TYPES)],
    )
    def test_every_other_public_type(self, cls: Any, strategy: st.SearchStrategy[Any]) -> None:
        """The scoring model, attribution inputs, field errors and lists of leads round-trip too."""

        @settings(max_examples=30)
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
            WorkingCalendar(),
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
        data = unstructure(
            Touchpoint(at=at, channel="email", kind=TouchpointKind.EMAIL, team=Team.MARKETING)
        )
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
    touch = Touchpoint(at=t, channel="email", kind=TouchpointKind.EMAIL, team=Team.MARKETING)
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
        data["leads"][0]["touchpoints"][0]["kind"] = 5
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


def _lead_data(*stages: tuple[str, str | None]) -> dict[str, Any]:
    """A lead's data with a history of (stage, reason) steps, an hour apart."""
    at = [f"2026-01-05T{9 + i:02d}:00:00+00:00" for i in range(len(stages))]
    return {
        "id": "L1",
        "created_at": at[0],
        "history": [
            {"stage": s, "at": t, "reason": r} for (s, r), t in zip(stages, at, strict=True)
        ],
    }


def _errors(data: Any, cls: Any, **options: Any) -> list[dict[str, Any]]:
    """The field errors structure raises, as plain dicts."""
    with pytest.raises(StructureError) as caught:
        structure(data, cls, **options)
    return [e.to_dict() for e in caught.value.errors]


class TestFieldErrors:
    def test_a_string_where_a_list_belongs_is_one_error(self) -> None:
        """touchpoints: "webinar" is one error at /touchpoints, without Python's internals."""
        data = {**_lead_data(("inquiry", None)), "touchpoints": "webinar"}
        assert [
            {
                "path": "/touchpoints",
                "message": "expected a list, each item an object (Touchpoint), got 'webinar'",
                "value": "'webinar'",
                "expected": "a list, each item an object (Touchpoint)",
            }
        ] == _errors(data, Lead)

    def test_a_long_string_is_refused_at_once(self) -> None:
        """A long string where the leads belong is refused without reading it character by character."""
        data = {**_organisation_data(), "leads": "x" * 200_000}
        errors = _errors(data, Organisation)
        # One error, not one per character: the string was refused before being iterated.
        assert ["/leads"] == [e["path"] for e in errors]

    def test_no_typing_internals(self) -> None:
        """A nested attribute value is refused in words, not with a typing.Union repr."""
        data = {**_lead_data(("inquiry", None)), "attributes": {"employees": [400]}}
        [error] = _errors(data, Lead)
        assert "/attributes/employees" == error["path"]
        assert "expected text, a number or true/false, got [400]" == error["message"]

    @pytest.mark.parametrize("data", ["x", [1], None, 3])
    def test_not_an_object(self, data: Any) -> None:
        """Anything but an object where an object belongs is one error at the top."""
        assert [f"expected an object (Lead), got {data!r}"] == [
            e["message"] for e in _errors(data, Lead)
        ]

    def test_missing_and_unknown_fields(self) -> None:
        """A missing field's path is where it belongs; an unknown field's is where it was found."""
        data = {**_lead_data(("inquiry", None)), "colour": "red"}
        del data["id"]
        assert [
            {
                "path": "/id",
                "message": "required field 'id' is missing",
                "value": None,
                "expected": "a string",
            },
            {
                "path": "/colour",
                "message": "unknown field 'colour': Lead has no such field",
                "value": "'red'",
                "expected": "one of the fields id, created_at, history, source, attributes, persona_id, owner_id, value, touchpoints, account_id",
            },
        ] == _errors(data, Lead)

    def test_constructor_errors_carry_their_field(self) -> None:
        """Errors raised by constructors name their field under the object's own path, not the root."""
        data = _organisation_data()
        data["leads"][1]["id"] = " "
        data["leads"][2]["history"].append(
            {"stage": "mql", "at": "2026-01-04T00:00:00+00:00", "by": None, "reason": None}
        )
        assert ["/leads/1/id", "/leads/2/history/1/at"] == [
            e["path"] for e in _errors(data, Organisation)
        ]

    def test_reference_errors_carry_their_field(self) -> None:
        """An organisation's reference error names the field that refers."""
        data = _organisation_data()
        data["leads"][2]["owner_id"] = "nobody"
        [error] = _errors(data, Organisation)
        assert ("/leads/2/owner_id", "'nobody'") == (error["path"], error["value"])

    def test_to_dict_is_the_422_body(self) -> None:
        """to_dict is a JSON body: the error's name, its message and each field error."""
        with pytest.raises(StructureError) as caught:
            structure({"amount": 12.5, "currency": "EUR"}, Money)
        body = json.loads(json.dumps(caught.value.to_dict()))
        assert ("StructureError", ["/amount"]) == (
            body["error"],
            [e["path"] for e in body["errors"]],
        )


class TestLifecycleCheck:
    @pytest.mark.parametrize(
        ("stages", "path", "error"),
        [
            ((("inquiry", None), ("won", None)), "/history/1/stage", IllegalTransition),
            ((("banana", None),), "/history/0/stage", IllegalTransition),
            ((("inquiry", None), ("mql", None), ("rejected", None)), "/history/2/reason", MissingReason),
        ],
    )  # fmt: skip
    def test_leads_are_checked_against_the_lifecycle(
        self, stages: tuple[tuple[str, str | None], ...], path: str, error: type[Exception]
    ) -> None:
        """An illegal step, an unknown stage or a missing reason is refused with the step's path."""
        data = _lead_data(*stages)
        assert isinstance(structure(data, Lead), Lead)  # without a lifecycle: the shape only
        [found] = _errors(data, Lead, lifecycle=DEMAND_WATERFALL)
        assert path == found["path"]
        with pytest.raises(error):
            DEMAND_WATERFALL.validate_history([(s, r) for s, r in stages])

    def test_every_bad_lead_is_listed(self) -> None:
        """A list of leads names every lead whose history is illegal."""
        good, bad = _lead_data(("inquiry", None), ("mql", None)), _lead_data(("banana", None))
        errors = _errors([bad, good, bad], list[Lead], lifecycle=DEMAND_WATERFALL)
        assert ["/0/history/0/stage", "/2/history/0/stage"] == [e["path"] for e in errors]
        assert structure([good], list[Lead], lifecycle=DEMAND_WATERFALL)[0].stage == "mql"

    def test_organisation_lists_every_bad_lead(self) -> None:
        """Structuring an organisation checks every lead against its lifecycle and lists each bad one."""
        data = _organisation_data()
        for index in (0, 2):
            data["leads"][index]["history"].append(
                {"stage": "won", "at": "2026-01-06T00:00:00+00:00", "by": None, "reason": None}
            )
        assert ["/leads/0/history/1/stage", "/leads/2/history/1/stage"] == [
            e["path"] for e in _errors(data, Organisation)
        ]

    def test_only_for_leads(self) -> None:
        """A lifecycle for something that is not leads is a mistake, said at once."""
        with pytest.raises(WrongType, match="lifecycle= checks leads"):
            structure(_organisation_data(), Organisation, lifecycle=DEMAND_WATERFALL)


class TestEnvelope:
    def test_round_trip(self) -> None:
        """An envelope names the version and the type, and structure reads it back."""
        lead = structure(_lead_data(("inquiry", None)), Lead)
        data = unstructure(lead, envelope=True)
        assert ("salesmark/1", "Lead") == (data["schema"], data["type"])
        assert lead == structure(json.loads(json.dumps(data)), Lead)
        assert [lead] == structure(unstructure([lead], envelope=True), list[Lead])
        assert SCHEMA_VERSION == 1

    def test_newer_versions_are_refused(self) -> None:
        """Data of a newer version is refused, saying which version this salesmark reads."""
        data = {**unstructure(Money.of("1", "EUR"), envelope=True), "schema": "salesmark/2"}
        [error] = _errors(data, Money)
        assert "/schema" == error["path"]
        assert "newer salesmark" in error["message"]

    def test_older_versions_are_upgraded(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Data of an older version goes through the upgrade step registered for it."""
        data = {"schema": "salesmark/0", "type": "Money", "data": {"value": "1", "currency": "EUR"}}
        [error] = _errors(data, Money)
        assert ("/schema", True) == (error["path"], "no upgrade" in error["message"])

        def rename(kind: str, old: Any) -> Any:
            return {"amount": old["value"], "currency": old["currency"]} if kind == "Money" else old

        monkeypatch.setitem(serialization._UPGRADES, 0, rename)
        assert Money.of("1", "EUR") == structure(data, Money)
        [error] = _errors({**data, "data": [1]}, Money)
        assert "/data" == error["path"]  # an upgrade step that chokes is still a StructureError

    @pytest.mark.parametrize(
        ("change", "path"),
        [
            ({"type": "Lead"}, "/type"),
            ({"schema": "json/1"}, "/schema"),
            ({"schema": 1}, "/schema"),
        ],
    )
    def test_wrong_envelopes(self, change: dict[str, Any], path: str) -> None:
        """An envelope of another type, or with no salesmark version, is refused at that field."""
        data = {**unstructure(Money.of("1", "EUR"), envelope=True), **change}
        assert [path] == [e["path"] for e in _errors(data, Money)]

    def test_errors_inside_point_into_the_envelope(self) -> None:
        """A bad field inside an envelope has its path within the envelope's data."""
        data = unstructure(Money.of("1", "EUR"), envelope=True)
        data["data"]["amount"] = 1.5
        assert ["/data/amount"] == [e["path"] for e in _errors(data, Money)]

    def test_required_envelope(self) -> None:
        """envelope=True refuses bare data; envelope=False reads an envelope-shaped object as data."""
        bare = {"amount": "1", "currency": "EUR"}
        assert [""] == [e["path"] for e in _errors(bare, Money, envelope=True)]
        wrapped = unstructure(Money.of("1", "EUR"), envelope=True)
        assert {"/amount", "/currency", "/data", "/schema", "/type"} == {
            e["path"] for e in _errors(wrapped, Money, envelope=False)
        }


class TestBoundedNumbers:
    @pytest.mark.parametrize(
        "value",
        [float("nan"), float("inf"), -float("inf"), 2**63, -(2**63), 10**5000],
        ids=["nan", "inf", "-inf", "2**63", "-2**63", "10**5000"],
    )
    def test_attributes_refuse_unbounded_numbers(self, value: float) -> None:
        """NaN, infinities and integers beyond ±2**63 are refused with the attribute's path, when structured and when constructed."""
        data = {**_lead_data(("inquiry", None)), "attributes": {"employees": value}}
        [error] = _errors(data, Lead)
        assert "/attributes/employees" == error["path"]
        with pytest.raises(ValidationError) as caught:
            Lead.create(
                id="L",
                created_at=datetime(2026, 1, 5, tzinfo=timezone.utc),
                attributes={"employees": value},
            )
        assert "/attributes/employees" == caught.value.path

    def test_bound_is_inclusive_of_int64(self) -> None:
        """The largest 64-bit integers are attributes like any other."""
        data = {**_lead_data(("inquiry", None)), "attributes": {"a": 2**63 - 1, "b": -(2**63) + 1}}
        assert {"a": 2**63 - 1, "b": -(2**63) + 1} == structure(data, Lead).attributes

    @pytest.mark.parametrize(
        ("data", "cls"),
        [("P99999999999D", timedelta), (float("inf"), float), (10**400, float), ("1_000", Decimal), (" 12", Decimal), ("2026-01-05 09:00:00+00:00", datetime), ("2026-02-30T09:00:00+00:00", datetime)],
        ids=["huge duration", "inf", "10**400", "underscores", "spaces", "space for T", "30 February"],
    )  # fmt: skip
    def test_every_error_is_a_salesmark_error(self, data: Any, cls: Any) -> None:
        """Values Python's own parsers choke on, or read loosely, are refused as StructureError."""
        with pytest.raises(StructureError):
            structure(data, cls)


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


class TestFractions:
    def test_fractions_travel_as_text_in_lowest_terms(self) -> None:
        """An exact Fraction is written as '34000/3' and read back; integers are accepted too."""
        from fractions import Fraction

        assert ("34000/3", Fraction(34000, 3), Fraction(5)) == (
            unstructure(Fraction(34000, 3)),
            structure("34000/3", Fraction),
            structure(5, Fraction),
        )

    @pytest.mark.parametrize(
        "bad", ["1/0", "1/00", "2/4", "1.5", "+1/2", "-0", " 1/2", "\u0661", True, 1.5]
    )
    def test_other_forms_are_refused(self, bad: object) -> None:
        """A zero denominator, a fraction not in lowest terms, a decimal or non-ASCII digits are refused."""
        from fractions import Fraction

        with pytest.raises(StructureError, match="exact fraction"):
            structure(bad, Fraction)


class TestSameWireUnderAnyHashSeed:
    """A set's own order changes with PYTHONHASHSEED; on the wire it is sorted."""

    def test_sets_are_written_sorted(self) -> None:
        """An organisation's sales activities and a policy's counted roles come out sorted."""
        from salesmark.attribution import ContactPolicy

        org = synthetic.organisation(seed=1, leads=5)
        policy = ContactPolicy.with_roles(
            {"cfo": "economic_buyer", "cto": "champion"}, counted=("economic_buyer", "champion")
        )
        assert {
            "activities": ["call", "demo", "email", "meeting"],
            "roles": ["champion", "economic_buyer"],
        } == {
            "activities": unstructure(org)["sales_activities"],
            "roles": unstructure(policy)["counted_roles"],
        }

    def test_the_synthetic_company_is_written_the_same(self) -> None:
        """The synthetic company's JSON is the same byte for byte under three hash seeds."""
        code = (
            "import json; from salesmark import synthetic, unstructure; "
            "print(json.dumps(unstructure(synthetic.organisation(seed=1, leads=60))))"
        )
        assert 1 == len(outputs_under_hash_seeds(code))
