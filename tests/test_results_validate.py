"""Every result type refuses unsound fields, built directly or read from data, and keeps its types.

A result is usually computed, but it can be built by hand or read back with
``structure``; either way a wrong type is a ``WrongType``, and a negative count, a NaN,
a naive datetime, a share above 1 or a part larger than its whole is a
``ValidationError`` naming the field (its JSON Pointer ``path`` too). A result read
back from its own data has, field by field and all the way down, the same Python types
it had: an int stays an int, a Decimal a Decimal, a Fraction a Fraction, a tuple a tuple.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import Money
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark.errors import (
    NaiveDatetime,
    SalesmarkError,
    StructureError,
    ValidationError,
    WrongType,
)
from salesmark.serialization import make_converter, structure, unstructure
from strategies import every_result, result_types

RESULTS = every_result()
SAMPLES: dict[str, Any] = {}
for _result in RESULTS:
    SAMPLES.setdefault(type(_result).__name__, _result)
NAIVE = datetime(2026, 5, 1, 9, 0)

Changes = Callable[[Any], dict[str, Any]]


def _open_above_undecided(stage: Any) -> Any:
    """The stage with more leads open than reached it and did not win (built inside the check)."""
    return attrs.evolve(stage, open=stage.reached - stage.won + 1)


def _fixed(**changes: Any) -> Changes:
    return lambda _sample: changes


# (result type, the changed fields, the error, the path it names)
DIRECT: list[tuple[str, Changes, type[SalesmarkError], str]] = [
    ("AlignmentIndex", _fixed(at=NAIVE), NaiveDatetime, "/at"),
    ("AttributionResult", _fixed(total_conversions=-1.0), ValidationError, "/total_conversions"),
    ("Comparison", _fixed(labels=("linear",)), ValidationError, "/credits"),
    ("PositionCredits", _fixed(total_conversions=math.nan), ValidationError, "/total_conversions"),
    ("ClosedLoopReport", _fixed(by=""), ValidationError, "/by"),
    ("SlaCompliance", _fixed(at=NAIVE), NaiveDatetime, "/at"),
    ("MarketingCompliance", _fixed(accepted=-1), ValidationError, "/accepted"),
    (
        "SalesCompliance",
        _fixed(follow_up_within=timedelta(0)),
        ValidationError,
        "/follow_up_within",
    ),
    ("SlaBreach", _fixed(lead_id=7), WrongType, "/lead_id"),
    ("ContentPerformance", _fixed(won=-1), ValidationError, "/won"),
    ("FollowThrough", _fixed(actions=("done",)), WrongType, "/actions/0"),
    ("FunnelCounts", _fixed(as_of=NAIVE), NaiveDatetime, "/as_of"),
    ("FunnelCounts", _fixed(stages=5), WrongType, "/stages"),
    ("FunnelCounts", lambda r: {"cohort": (-1, *r.cohort[1:])}, ValidationError, "/cohort/0"),
    ("FunnelCounts", lambda r: {"activity": r.activity[1:]}, ValidationError, "/activity"),
    ("FunnelCounts", _fixed(progression=("nowhere",)), ValidationError, "/progression"),
    (
        "FunnelCounts",
        lambda r: {"cohort": (r.cohort[0], r.cohort[0] + 1, *r.cohort[2:])},
        ValidationError,
        "/cohort/1",
    ),
    ("FunnelSplit", _fixed(groups=[("email", 3)]), WrongType, "/groups/0"),
    ("FunnelSplit", _fixed(by=""), ValidationError, "/by"),
    ("ThemeRanking", _fixed(insights=-1), ValidationError, "/insights"),
    ("ThemeTrends", _fixed(at=NAIVE), NaiveDatetime, "/at"),
    ("KpiValue", _fixed(currency=""), ValidationError, "/currency"),
    ("Agenda", _fixed(duration=timedelta(0)), ValidationError, "/duration"),
    ("KpiReport", _fixed(values=("new_leads",)), WrongType, "/values/0"),
    ("ScorecardReport", _fixed(team="sales"), WrongType, "/team"),
    ("BonusAllocation", _fixed(pool=Money.of(999, "EUR")), ValidationError, "/shares"),
    ("Recognition", _fixed(currency=7), WrongType, "/currency"),
    ("Calibration", lambda r: {"converted": r.leads + 1}, ValidationError, "/converted"),
    (
        "FeedbackCoverage",
        lambda r: {"with_feedback": r.handed_over + 1},
        ValidationError,
        "/with_feedback",
    ),
    ("GroupQuality", _fixed(won=-1), ValidationError, "/won"),
    ("LeadQualityReport", _fixed(level=math.inf), ValidationError, "/level"),
    ("LeadScores", _fixed(at=NAIVE), NaiveDatetime, "/at"),
    ("PersonaMatch", _fixed(score=1.5), ValidationError, "/score"),
    ("PersonaSuggestions", _fixed(won=-1), ValidationError, "/won"),
    ("PersonaSuggestion", _fixed(share=Decimal("1.5")), ValidationError, "/share"),
    ("WeightSuggestion", lambda r: {"converted": r.leads + 1}, ValidationError, "/converted"),
    ("Forecast", _fixed(level=Fraction(3, 2)), ValidationError, "/level"),
    ("ForecastPeriod", lambda r: {"wins_low": r.wins_median + 1}, ValidationError, "/wins_low"),
    ("Backtest", _fixed(draws=0), ValidationError, "/draws"),
    ("WeightedPipeline", _fixed(basis="guessed"), ValidationError, "/basis"),
    ("StageProbabilities", _fixed(level=0.8), WrongType, "/level"),
    ("ReverseWaterfall", _fixed(as_of=NAIVE), NaiveDatetime, "/as_of"),
    ("WinLoss", _fixed(won=-1), ValidationError, "/won"),
    # parts larger than their whole, across a result and its items
    ("PersonaSuggestions", _fixed(won=1), ValidationError, "/clusters"),
    ("Recognition", _fixed(currency="USD"), ValidationError, "/deals/0/value"),
    (
        "WeightSuggestion",
        lambda r: {"leads": r.converted, "converted": r.converted},
        ValidationError,
        "/rules/1/fired",
    ),
    (
        "FeedbackCoverage",
        _fixed(within_target=1, within_target_share=0.0),
        ValidationError,
        "/within_target",
    ),
    (
        "WeightedPipeline",
        _fixed(probabilities=(("sql", Fraction(3, 2)),)),
        ValidationError,
        "/probabilities/0/1",
    ),
    (
        "WinLoss",
        lambda r: {"won": 0, "win_rate": None, "low": None, "high": None},
        ValidationError,
        "/lines/0",
    ),
    (
        "StageProbabilities",
        lambda r: {"stages": (_open_above_undecided(r.stages[0]),)},
        ValidationError,
        "/open",
    ),
]

# (result type, where in its data, the value put there, the path the error names)
STRUCTURED: list[tuple[str, tuple[str | int, ...], Any, str]] = [
    ("AlignmentIndex", ("score",), "100.5", "/score"),
    ("AttributionResult", ("total_conversions",), -1, "/total_conversions"),
    ("Comparison", ("labels",), ["linear", "linear", "markov"], "/labels"),
    ("PositionCredits", ("rows", 0, "position"), -1, "/rows/0/position"),
    ("ClosedLoopReport", ("rows", 0, "counts", 0), -1, "/rows/0/counts/0"),
    ("SlaCompliance", ("marketing", "accepted"), 10**6, "/marketing/accepted"),
    ("MarketingCompliance", ("acceptance_rate",), "1.5", "/acceptance_rate"),
    ("SalesCompliance", ("followed_up_on_time",), 10**6, "/followed_up_on_time"),
    ("SlaBreach", ("detail",), " ", "/detail"),
    ("ContentPerformance", ("assets", 0, "won"), 10**6, "/assets/0"),
    ("FollowThrough", ("actions", 0, "carried"), -1, "/actions/0/carried"),
    ("FunnelCounts", ("cohort", 0), -1, "/cohort/0"),
    ("FunnelSplit", ("by",), "", "/by"),
    ("ThemeRanking", ("themes", 0, "rank"), 0, "/themes/0/rank"),
    ("ThemeTrends", ("trends", 0, "reps", 0), -1, "/trends/0/reps/0"),
    ("KpiValue", ("currency",), " ", "/currency"),
    ("Agenda", ("items", 0, "minutes"), 10**6, "/items"),
    ("KpiReport", ("values", 0, "currency"), "", "/values/0/currency"),
    ("ScorecardReport", ("rows", 0, "kpi"), "", "/rows/0/kpi"),
    ("BonusAllocation", ("shares", 0, "share"), "2", "/shares/0/share"),
    ("Recognition", ("owners", 0, "deals"), 10**6, "/owners/0/deals"),
    ("Calibration", ("auc",), 1.5, "/auc"),
    ("FeedbackCoverage", ("coverage",), -0.1, "/coverage"),
    ("GroupQuality", ("acceptance_rate",), 2.0, "/acceptance_rate"),
    ("LeadQualityReport", ("groups", 0, "leads"), -1, "/groups/0/leads"),
    ("LeadScore", ("band",), 7, "/band"),
    ("LeadScores", ("scores", 0, "band"), 7, "/scores/0/band"),
    ("PersonaMatch", ("persona_id",), "", "/persona_id"),
    ("PersonaSuggestions", ("silhouette",), "2", "/silhouette"),
    ("PersonaSuggestion", ("share",), "-0.1", "/share"),
    ("WeightSuggestion", ("l2",), -1.0, "/l2"),
    ("Forecast", ("open_leads",), -1, "/open_leads"),
    ("ForecastPeriod", ("wins_low",), 10**6, "/wins_low"),
    ("Backtest", ("coverage",), "3/2", "/coverage"),
    ("WeightedPipeline", ("deals",), -1, "/deals"),
    ("StageProbabilities", ("stages", 0, "won"), 10**6, "/stages/0/won"),
    ("ReverseWaterfall", ("deal_value",), "-1", "/deal_value"),
    ("WinLoss", ("lines", 0, "lost"), 10**6, "/lines/0/lost"),
]

UNCHECKED_WHEN_BUILT = {
    "LeadScore": "the scorer builds one per lead in its hot loop; a score read from data is checked"
}
"""Result types whose fields are checked only when read from data, and why."""

CONVERTED_ELSEWHERE = {
    ("AttributionResult", f)
    for f in ("parameters", "credits", "value_credits", "total_conversions", "removal_effects")
} | {
    ("Comparison", "labels"),
    ("Comparison", "credits"),
    ("Comparison", "values"),
    ("PositionCredits", "rows"),
    ("PositionCredits", "total_conversions"),
}
"""Fields of attribution results whose converters refuse a wrong type in their own words."""


NAMED_IN_WORDS = {"AttributionResult", "Comparison", "PositionCredits"}
"""Attribution results whose own checks name the field in words (``Class.field``), not by path."""


def _names(error: SalesmarkError, path: str, name: str) -> bool:
    """Whether ``error`` names the field at ``path`` by its path (or in words, for NAMED_IN_WORDS)."""
    paths = {error.path, *(e.path for e in error.errors)}
    field = next(p for p in reversed(path.split("/")) if p and not p.isdigit())
    return path in paths or (name in NAMED_IN_WORDS and f".{field}" in str(error))


def _put(data: Any, where: tuple[str | int, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return changed


class TestEveryResultTypeIsCovered:
    def test_every_result_type_has_a_bad_case_of_each_kind(self) -> None:
        """Each result type has a case built directly (unless listed as unchecked) and one structured."""
        names = {t.__name__ for t in result_types()}
        assert names - set(UNCHECKED_WHEN_BUILT) == {name for name, *_ in DIRECT}
        assert names == {name for name, *_ in STRUCTURED}


class TestBuiltDirectly:
    @pytest.mark.parametrize(
        ("name", "changes", "error", "path"), DIRECT, ids=[c[0] for c in DIRECT]
    )
    def test_an_unsound_field_is_refused_naming_it(
        self, name: str, changes: Changes, error: type[SalesmarkError], path: str
    ) -> None:
        """A wrong type, a negative count, a NaN, a naive time or a part above its whole is refused."""
        sample = SAMPLES[name]
        with pytest.raises(error) as caught:
            attrs.evolve(sample, **changes(sample))
        assert _names(caught.value, path, name), str(caught.value)

    @pytest.mark.parametrize(
        "result", [r for n, r in SAMPLES.items() if n not in UNCHECKED_WHEN_BUILT], ids=str
    )
    def test_every_field_refuses_a_value_of_no_type_it_holds(self, result: Any) -> None:
        """Every field given a plain object() raises WrongType naming the field."""
        unnamed = []
        for field in attrs.fields(type(result)):
            if not field.init:
                continue
            try:
                attrs.evolve(result, **{field.name: object()})
            except WrongType as exc:
                named = (type(result).__name__, field.name) in CONVERTED_ELSEWHERE
                if not (named or _names(exc, f"/{field.name}", type(result).__name__)):
                    unnamed.append((field.name, str(exc)))
            except Exception as exc:
                if (type(result).__name__, field.name) not in CONVERTED_ELSEWHERE:
                    unnamed.append((field.name, repr(exc)))
            else:
                unnamed.append((field.name, "accepted"))
        assert [] == unnamed

    @pytest.mark.parametrize(
        "result", [r for n, r in SAMPLES.items() if n not in UNCHECKED_WHEN_BUILT], ids=str
    )
    def test_nan_and_naive_times_are_refused_wherever_they_go(self, result: Any) -> None:
        """A float field given NaN or infinity, a time field given a naive datetime, raise ValidationError."""
        accepted = []
        for field in attrs.fields(type(result)):
            value = getattr(result, field.name)
            bad: list[Any] = []
            if isinstance(value, float):
                bad = [math.nan, math.inf]
            elif isinstance(value, datetime):
                bad = [NAIVE]
            for item in bad:
                try:
                    attrs.evolve(result, **{field.name: item})
                except ValidationError:
                    continue
                accepted.append((field.name, item))
        assert [] == accepted


class TestStructured:
    @pytest.mark.parametrize(
        ("name", "where", "value", "path"), STRUCTURED, ids=[c[0] for c in STRUCTURED]
    )
    def test_unsound_data_is_refused_with_the_field_path(
        self, name: str, where: tuple[str | int, ...], value: Any, path: str
    ) -> None:
        """A valid result's data with one field made unsound is refused, the error naming that field."""
        sample = SAMPLES[name]
        with pytest.raises(StructureError) as caught:
            structure(_put(unstructure(sample), where, value), type(sample))
        assert _names(caught.value, path, name), str(caught.value)


def _type_differences(before: Any, after: Any, path: str = "") -> list[str]:
    """Where ``after`` holds a value of another Python type than ``before``, recursively."""
    if type(before) is not type(after):
        return [f"{path or '/'}: {type(before).__name__} became {type(after).__name__}"]
    found: list[str] = []
    if attrs.has(type(before)):
        for field in attrs.fields(type(before)):
            found += _type_differences(
                getattr(before, field.name), getattr(after, field.name), f"{path}/{field.name}"
            )
    elif isinstance(before, Mapping):
        for key, item in before.items():
            found += _type_differences(item, after.get(key), f"{path}/{key}")
    elif isinstance(before, tuple | list):
        for index, (x, y) in enumerate(zip(before, after, strict=True)):
            found += _type_differences(x, y, f"{path}/{index}")
    return found


def _whole_floats(data: Any, chosen: Callable[[], bool]) -> Any:
    """``data`` with some of its floats written as the nearest int, as another writer might."""
    if isinstance(data, float) and chosen():
        return round(data)
    if isinstance(data, dict):
        return {k: _whole_floats(x, chosen) for k, x in data.items()}
    if isinstance(data, list):
        return [_whole_floats(x, chosen) for x in data]
    return data


class TestRoundTripsKeepTypes:
    @pytest.mark.parametrize("result", RESULTS, ids=[type(r).__name__ for r in RESULTS])
    def test_every_attribute_keeps_its_python_type(self, result: Any) -> None:
        """structure(unstructure(x)) holds values of the same Python types as x, all the way down."""
        back = structure(json.loads(json.dumps(unstructure(result))), type(result))
        assert [] == _type_differences(result, back)

    @given(result=st.sampled_from(RESULTS), data=st.data())
    def test_integers_read_into_number_fields_stay_integers(
        self, result: Any, data: st.DataObject
    ) -> None:
        """Data with whole numbers where floats were reads back, and round trips, with those ints as ints."""
        payload = _whole_floats(unstructure(result), lambda: data.draw(st.booleans()))
        try:
            read = structure(payload, type(result))
        except StructureError:
            return  # rounding broke a rule between fields (a total, an order): refused, rightly
        assert json.dumps(payload) == json.dumps(unstructure(read))
        back = structure(json.loads(json.dumps(unstructure(read))), type(result))
        assert [] == _type_differences(read, back)

    @pytest.mark.parametrize(("value", "kind"), [(3, int), (3.5, float), ("3", str)])
    def test_a_union_of_text_and_float_keeps_an_int(self, value: Any, kind: type) -> None:
        """An int read where text or a float may go stays an int, as in a field of type float."""
        read = make_converter().structure(value, str | float)  # type: ignore[arg-type]
        assert (value, kind) == (read, type(read))


@attrs.frozen(kw_only=True)
class _Row:
    rate: Decimal | None = attrs.field(
        default=None, validator=rf.exact(Decimal, maximum=1, optional=True)
    )
    counts: tuple[int, ...] = attrs.field(default=(), validator=rf.counts)
    times: tuple[datetime, ...] = attrs.field(default=(), validator=rf.aware_tuple)
    pairs: tuple[tuple[str, int], ...] = attrs.field(default=(), validator=rf.pairs_of(str, int))


class TestResultFieldChecks:
    @pytest.mark.parametrize(
        ("changes", "error", "path"),
        [
            ({"rate": Decimal("NaN")}, ValidationError, "/rate"),
            ({"rate": Decimal(2)}, ValidationError, "/rate"),
            ({"counts": [1]}, WrongType, "/counts"),
            ({"counts": (1, True)}, WrongType, "/counts/1"),
            ({"counts": (1, -1)}, ValidationError, "/counts/1"),
            ({"times": (datetime(2026, 1, 1).astimezone(), NAIVE)}, NaiveDatetime, "/times/1"),
            ({"pairs": [("a", 1)]}, WrongType, "/pairs"),
            ({"pairs": (("a", True),)}, WrongType, "/pairs/0"),
        ],
    )
    def test_each_check_names_the_field_and_the_item(
        self, changes: dict[str, Any], error: type[SalesmarkError], path: str
    ) -> None:
        """An unsound value, or an unsound item of a tuple, is refused with its path."""
        with pytest.raises(error) as caught:
            _Row(**changes)
        assert path == caught.value.path

    def test_a_converter_error_with_a_path_keeps_it(self) -> None:
        """converted_as() leaves an error that already says where it is as it was."""

        def convert(value: Any) -> Any:
            msg = "deep"
            raise ValidationError(msg, path="/inner/0")

        with pytest.raises(ValidationError) as caught:
            v.converted_as("Row.items", convert, [1])
        assert ("/inner/0", "deep") == (caught.value.path, str(caught.value))
