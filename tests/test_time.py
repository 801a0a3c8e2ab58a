"""Tests of salesmark._time: elapsed time goes through UTC, whatever the zones.

Python subtracts two aware datetimes that share one ``tzinfo`` by their wall clocks, so
a day across a daylight-saving change would count 24 hours where 23 (or 25, or 23.5 on
Lord Howe Island) passed. Every duration in salesmark is measured by ``elapsed``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

import salesmark
from salesmark import DEMAND_WATERFALL, Campaign, Lead, Money, Period, funnel_counts
from salesmark._time import elapsed
from salesmark.campaigns import prorated_budget
from salesmark.sla import ServiceLevelAgreement
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint

UTC = timezone.utc
ZONES = tuple(
    ZoneInfo(name)
    for name in ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe")
)
BERLIN = ZONES[0]
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
)


class TestElapsed:
    @given(instants, instants, st.sampled_from(ZONES))
    def test_equals_the_utc_difference_in_one_zone(
        self, a: datetime, b: datetime, zone: ZoneInfo
    ) -> None:
        """Two instants shown in one DST-observing zone are as far apart as in UTC."""
        assert b - a == elapsed(a.astimezone(zone), b.astimezone(zone))

    @given(instants, instants, st.sampled_from(ZONES), st.sampled_from(ZONES))
    def test_equals_the_utc_difference_across_zones(
        self, a: datetime, b: datetime, one: ZoneInfo, other: ZoneInfo
    ) -> None:
        """Shown in two different zones, the instants are as far apart as in UTC."""
        assert b - a == elapsed(a.astimezone(one), b.astimezone(other))

    def test_spring_day_in_berlin_has_23_hours(self) -> None:
        """Midnight 29 March to midnight 30 March 2026 in Berlin: 23 hours passed."""
        start, end = datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)
        assert timedelta(hours=23) == elapsed(start, end)

    def test_lord_howe_shifts_half_an_hour(self) -> None:
        """Lord Howe Island moves its clocks by 30 minutes: that spring day has 23.5 hours."""
        zone = ZONES[3]
        start, end = datetime(2026, 10, 4, tzinfo=zone), datetime(2026, 10, 5, tzinfo=zone)
        assert timedelta(hours=23, minutes=30) == elapsed(start, end)

    def test_the_repeated_autumn_hour(self) -> None:
        """02:30 summer time to 02:10 winter time on 25 October 2026 in Berlin is 40 minutes."""
        summer = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0)
        winter = datetime(2026, 10, 25, 2, 10, tzinfo=BERLIN, fold=1)
        assert timedelta(minutes=40) == elapsed(summer, winter)


class TestDaylightSavingDefects:
    """The defects found on an organisation computed by hand in Europe/Berlin."""

    def test_prorated_budget_of_march_is_the_whole_budget(self) -> None:
        """A 743.00 budget over March in Berlin: all of it falls in March, not 744.00.

        March 2026 in Berlin has 744 wall-clock hours but 743 real ones; measuring the
        overlap on the wall clock and the campaign's length in real time gave 744/743.
        """
        march = Period.month(2026, 3, tz=BERLIN)
        campaign = Campaign(
            id="c", name="March", channel="email", owner_id="m", period=march,
            budget=Money.of("743.00", "EUR"),
        )  # fmt: skip
        assert Money.of("743.00", "EUR") == prorated_budget(campaign, march)

    def test_committed_volume_of_march(self) -> None:
        """15 MQLs a month are owed over March in Berlin: 15, not 14.98."""
        sla = ServiceLevelAgreement(id="s", mql_volume=15)
        assert Decimal(15) == sla.committed_volume(Period.month(2026, 3, tz=BERLIN))

    def test_stay_across_the_spring_change(self) -> None:
        """From 29 March 00:00 to 30 March 00:00 Berlin time a lead stayed 23 real hours."""
        start = datetime(2026, 3, 29, tzinfo=BERLIN)
        lead = Lead.create(id="L", created_at=start).advance(
            "mql", at=datetime(2026, 3, 30, tzinfo=BERLIN)
        )
        counts = funnel_counts([lead], Period.month(2026, 3, tz=BERLIN), lifecycle=DEMAND_WATERFALL)
        assert timedelta(hours=23) == counts.time_in_stage()[0].median

    def test_time_decay_weighs_by_real_age(self) -> None:
        """A touch 23 real hours before a Berlin conversion across the spring change weighs 2^(-23/24)."""
        from salesmark.attribution import Journey, time_decay

        converted = datetime(2026, 3, 30, tzinfo=BERLIN)
        journey = Journey(
            path=("ad", "email"),
            converted=True,
            times=(datetime(2026, 3, 29, tzinfo=BERLIN), converted),
            converted_at=converted,
        )
        shares = time_decay([journey], half_life=timedelta(hours=24)).credits
        # weights 2^(-23/24) and 1; the ad's share is w / (w + 1) with w = 0.5147..
        weight = 2 ** (-23 / 24)
        assert round(weight / (weight + 1), 12) == round(shares["ad"], 12)

    def test_feedback_delay_is_real_time(self) -> None:
        """Sales' verdict 23 real hours after the Berlin handover is 23 hours late, not 24."""
        from salesmark import LeadFeedback
        from salesmark.scoring import feedback_coverage

        handed = datetime(2026, 3, 29, tzinfo=BERLIN)
        lead = Lead.create(id="L", created_at=handed - timedelta(days=1)).advance("mql", at=handed)
        verdict = LeadFeedback(
            lead_id="L", member_id="s1", at=datetime(2026, 3, 30, tzinfo=BERLIN), accepted=True
        )
        coverage = feedback_coverage(
            [lead], [verdict], lifecycle=DEMAND_WATERFALL, at=handed + timedelta(days=3)
        )
        assert timedelta(hours=23) == coverage.median_delay

    def test_conversion_in_the_repeated_hour_comes_after_its_touch(self) -> None:
        """A conversion at 02:10 winter time, 40 minutes after a 02:30 summer-time touch, is a journey.

        On 25 October 2026 Berlin's 02:00-03:00 comes twice: 02:30 CEST is 00:30 UTC and
        02:10 CET (fold=1) is 01:10 UTC. Compared by wall clock the conversion came
        "before" the touch: the Journey was refused and journeys_from_leads dropped it.
        """
        from salesmark.attribution import Journey, journeys_from_leads

        touched = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)
        converted = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)
        journey = Journey(path=("ad",), converted=True, times=(touched,), converted_at=converted)
        assert converted == journey.converted_at
        lead = (
            Lead.create(id="L", created_at=touched - timedelta(hours=1))
            .with_touchpoint(
                Touchpoint(kind="ad_click", channel="ad", at=touched, team=Team.MARKETING)
            )
            .advance("mql", at=converted)
        )
        (built,) = journeys_from_leads([lead], converted_at="mql", lifecycle=DEMAND_WATERFALL)
        assert {"path": ("ad",), "converted": True} == {
            "path": built.path,
            "converted": built.converted,
        }

    def test_touches_in_the_repeated_hour_keep_their_real_order(self) -> None:
        """02:40 summer time then 02:05 winter time is 40 minutes forward, not back in time."""
        from salesmark.attribution import Journey

        first = datetime(2026, 10, 25, 2, 40, tzinfo=BERLIN)  # 00:40 UTC
        second = datetime(2026, 10, 25, 2, 5, fold=1, tzinfo=BERLIN)  # 01:05 UTC
        journey = Journey(path=("ad", "email"), converted=False, times=(first, second))
        assert (first, second) == journey.times

    def test_lookback_window_is_real_time(self) -> None:
        """A 24-hour lookback from a Berlin conversion after the spring change keeps a touch 23.5 real hours before.

        Conversion 30 March 00:30 CEST (29 March 22:30 UTC); the touch on 29 March at
        00:00 CET (28 March 23:00 UTC) is 23.5 real hours earlier, inside the window,
        though the wall clocks are 24.5 hours apart.
        """
        from salesmark.attribution import Lookback, journeys_from_leads

        touched = datetime(2026, 3, 29, tzinfo=BERLIN)
        converted = datetime(2026, 3, 30, 0, 30, tzinfo=BERLIN)
        lead = (
            Lead.create(id="L", created_at=touched - timedelta(hours=1))
            .with_touchpoint(
                Touchpoint(kind="ad_click", channel="ad", at=touched, team=Team.MARKETING)
            )
            .advance("mql", at=converted)
        )
        (built,) = journeys_from_leads(
            [lead],
            converted_at="mql",
            lookback=Lookback(default=timedelta(hours=24)),
            lifecycle=DEMAND_WATERFALL,
        )
        assert ("ad",) == built.path

    def test_the_deal_lead_is_the_first_to_convert_in_real_time(self) -> None:
        """Of two contacts converting in Berlin's repeated hour, the one at 02:30 summer time was first.

        "a" entered MQL at 02:30 CEST (00:30 UTC), "b" at 02:10 CET (01:10 UTC): "a" is
        the deal lead and its 100 EUR is the journey's value, though b's wall clock is earlier.
        """
        from salesmark.attribution import account_journeys

        summer = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)
        winter = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)
        leads = [
            Lead.create(
                id=ident, created_at=summer - timedelta(hours=2), account_id="acme", value=value
            )
            .with_touchpoint(
                Touchpoint(kind="ad_click", channel="ad", at=summer, team=Team.MARKETING)
            )
            .advance("mql", at=at)
            for ident, at, value in (
                ("a", summer, Money.of(100, "EUR")),
                ("b", winter, Money.of(7, "EUR")),
            )
        ]
        (journey,) = account_journeys(leads, converted_at="mql", lifecycle=DEMAND_WATERFALL)
        assert Money.of(100, "EUR") == journey.value


SUMMER = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)  # 00:30 UTC, the first 02:30
WINTER = datetime(2026, 10, 25, 2, 10, fold=1, tzinfo=BERLIN)  # 01:10 UTC, 40 minutes later


class TestRepeatedAutumnHour:
    """In Berlin's repeated hour 02:10 winter time comes 40 minutes after 02:30 summer time.

    Each of these compared the wall clocks, which put 02:10 first.
    """

    def test_action_item_is_overdue(self) -> None:
        """An action due at 02:30 summer time is overdue at 02:10 winter time."""
        from salesmark.meetings import ActionItem

        item = ActionItem(id="a", description="Fix routing", owner_id="m", due=SUMMER)
        assert {"overdue": True, "on_time": False} == {
            "overdue": item.is_overdue(WINTER),
            "on_time": item.closed_on_time(WINTER),
        }

    def test_action_completed_late(self) -> None:
        """Completed at 02:10 winter time, an action due at 02:30 summer time was late."""
        from salesmark.meetings import ActionItem

        item = ActionItem(id="a", description="x", owner_id="m", due=SUMMER).completed(at=WINTER)
        assert {"open_at_due": True, "on_time": False} == {
            "open_at_due": item.is_open(SUMMER),
            "on_time": item.closed_on_time(WINTER),
        }

    def test_decision_due_for_review(self) -> None:
        """A decision due for review at 02:30 summer time is due at 02:10 winter time."""
        from salesmark.meetings import Decision

        assert Decision(id="d", description="x", owner_id="m", due=SUMMER).is_due_for_review(WINTER)

    def test_persona_review_due(self) -> None:
        """A persona review scheduled at 02:30 summer time is due at 02:10 winter time."""
        from salesmark import Persona

        assert Persona(id="p", name="Ops", review_due=SUMMER).is_review_due(WINTER)

    def test_narrative_revised_after_it_was_written(self) -> None:
        """A narrative written at 02:30 summer time can be revised at 02:10 winter time."""
        from salesmark import Narrative

        narrative = Narrative(
            id="n", persona_id="p", audience="ops", problem="late trucks", trends=("nearshoring",),
            product="tracker", created_at=SUMMER,
        )  # fmt: skip
        assert 2 == narrative.revise(at=WINTER, reason="new proof").version

    def test_prorated_budget_of_a_campaign_in_the_repeated_hour(self) -> None:
        """A 120.00 EUR campaign 00:30-02:30 UTC has 80.00 EUR in a period from 01:10 UTC.

        The campaign runs 02:30 CEST to 03:30 CET (120 real minutes); the period starts
        02:10 CET (01:10 UTC), so 80 of the 120 minutes fall in it: 120 * 80/120 = 80.00.
        The wall clock took 02:30 for the later start and gave all 120.00.
        """
        period = Period(start=WINTER, end=datetime(2026, 10, 25, 4, tzinfo=BERLIN))
        campaign = Campaign(
            id="c", name="Night", channel="email", owner_id="m",
            period=Period(start=SUMMER, end=datetime(2026, 10, 25, 3, 30, tzinfo=BERLIN)),
            budget=Money.of("120.00", "EUR"),
        )  # fmt: skip
        assert Money.of("80.00", "EUR") == prorated_budget(campaign, period)


# Attributes of mypy's nodes that lead out of the module's own code (to symbol tables,
# types, other definitions), so the walk below stays inside the module's syntax tree.
_NOT_SYNTAX = frozenset(
    {"type", "info", "node", "fullname", "analyzed", "unanalyzed_type", "names", "imports",
     "plugin_deps", "original_def", "impl", "setter"}
)  # fmt: skip


def _datetime_subtractions(
    sources: Iterable[Any], modules: frozenset[str]
) -> list[tuple[str, int]]:
    """Where ``modules`` (of the mypy build of ``sources``) subtract a datetime from a datetime.

    mypy infers every expression's type; a ``-`` (or ``-=``) whose two operands are
    datetimes (or subclasses) is reported as ``(module, line)``. Imports of third-party
    packages are not followed (the standard library's stubs, ``datetime`` among them,
    always are), which keeps the build to the modules named.
    """
    from mypy.nodes import Node, OperatorAssignmentStmt, OpExpr
    from mypy.types import Instance, get_proper_type

    result = _mypy_build(sources)

    def is_datetime(node: Node) -> bool:
        found = result.types.get(node)
        proper = None if found is None else get_proper_type(found)
        return isinstance(proper, Instance) and proper.type.has_base("datetime.datetime")

    found: list[tuple[str, int]] = []
    for module in sorted(modules):
        tree = result.graph[module].tree
        assert tree is not None
        for node in _walk(tree):
            if isinstance(node, OpExpr):
                operands = (node.left, node.right)
            elif isinstance(node, OperatorAssignmentStmt):
                operands = (node.lvalue, node.rvalue)
            else:
                continue
            if node.op == "-" and all(map(is_datetime, operands)):
                found.append((module, node.line))
    return sorted(found)


@functools.cache
def _package() -> tuple[tuple[Any, ...], frozenset[str]]:
    """The package's modules as mypy build sources, and the names of all but ``_time``."""
    from mypy.modulefinder import BuildSource

    root = Path(salesmark.__file__).parent
    sources = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        sources.append(BuildSource(str(path), module, None))
    return tuple(sources), frozenset(s.module for s in sources) - {"salesmark._time"}


_BUILDS: dict[tuple[Any, ...], Any] = {}


def _mypy_build(sources: Iterable[Any]) -> Any:
    """A mypy build of ``sources`` with every expression's type kept (the package's built once)."""
    key = tuple(sources)
    if key in _BUILDS:
        return _BUILDS[key]
    from mypy import build
    from mypy.options import Options

    options = Options()
    options.python_version = (3, 10)
    options.export_types = True
    options.preserve_asts = True
    options.incremental = False
    options.follow_imports = "skip"
    options.ignore_missing_imports = True
    result = _BUILDS[key] = build.build(sources=list(key), options=options)
    return result


def _walk(tree: Any) -> Iterable[Any]:
    """Every node of one module's syntax tree."""
    from mypy.nodes import MypyFile, Node

    seen: set[int] = set()
    stack: list[Node] = [tree]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        for name in dir(node):
            if name.startswith("__") or name in _NOT_SYNTAX:
                continue
            try:
                value = getattr(node, name)
            except Exception:  # mypy's nodes raise on unset attributes
                continue
            items = value if isinstance(value, list | tuple) else [value]
            stack += [x for x in items if isinstance(x, Node) and not isinstance(x, MypyFile)]


def _wall_clock_comparisons(
    sources: Iterable[Any], modules: frozenset[str]
) -> list[tuple[str, int]]:
    """Where ``modules`` compare, or take ``min``/``max``/``sorted`` of, datetimes by their wall clocks.

    A ``<``, ``<=``, ``>`` or ``>=`` of two datetimes is sound when one side is a
    ``salesmark._time.Instant`` (what ``instant()`` returns); ``min``, ``max`` and
    ``sorted`` of datetimes are sound with a ``key=`` (``key=instant``) or when the
    items are Instants. Anything else is reported as ``(module, line)``.
    """
    from mypy.nodes import CallExpr, ComparisonExpr, NameExpr
    from mypy.types import Instance, get_proper_type

    result = _mypy_build(sources)

    def kind(node: Any) -> str | None:
        found = result.types.get(node)
        proper = None if found is None else get_proper_type(found)
        if not isinstance(proper, Instance):
            return None
        if proper.type.fullname == "salesmark._time.Instant":
            return "instant"
        return "datetime" if proper.type.has_base("datetime.datetime") else None

    def items_kind(node: Any) -> str | None:
        found = result.types.get(node)
        proper = None if found is None else get_proper_type(found)
        if not isinstance(proper, Instance) or not proper.args:
            return None
        item = get_proper_type(proper.args[0])
        if not isinstance(item, Instance):
            return None
        if item.type.fullname == "salesmark._time.Instant":
            return "instant"
        return "datetime" if item.type.has_base("datetime.datetime") else None

    found: list[tuple[str, int]] = []
    for module in sorted(modules):
        tree = result.graph[module].tree
        assert tree is not None
        for node in _walk(tree):
            if isinstance(node, ComparisonExpr):
                pairs = zip(node.operators, pairwise(node.operands), strict=True)
                for op, (left, right) in pairs:
                    sides = {kind(left), kind(right)}
                    if op in {"<", "<=", ">", ">="} and sides == {"datetime"}:
                        found.append((module, node.line))
            elif (
                isinstance(node, CallExpr)
                and isinstance(node.callee, NameExpr)
                and node.callee.fullname in {"builtins.min", "builtins.max", "builtins.sorted"}
                and "key" not in node.arg_names
            ):
                kinds = {kind(a) for a in node.args} | {
                    items_kind(a) for a in node.args if len(node.args) == 1
                }
                if "datetime" in kinds:
                    found.append((module, node.line))
    return sorted(found)


_PLANTED = """
from datetime import datetime, timedelta


def stay(start: datetime, end: datetime | None) -> timedelta:
    later = end if end is not None else start + timedelta(hours=1)
    spent = later - start
    later -= timedelta(minutes=5)
    waited = later
    waited -= start  # type: ignore[assignment]
    return spent + (later - timedelta(hours=2) - start)
"""


_PLANTED_COMPARISONS = """
from datetime import datetime
from salesmark._time import instant


def checks(a: datetime, b: datetime, times: list[datetime]) -> object:
    wall = a < b
    sound = instant(a) < b
    both = instant(a) <= instant(b)
    first = min(a, b)
    keyed = min(a, b, key=instant)
    ordered = sorted(times)
    earliest = max(t for t in times)
    fine = sorted(instant(t) for t in times)
    return wall, sound, both, first, keyed, ordered, earliest, fine
"""


class TestOneMeasureOfTime:
    def test_no_datetime_is_subtracted_outside_the_helper(self) -> None:
        """Type-checked, no module of salesmark but ``_time`` subtracts one datetime from another.

        Python subtracts two aware datetimes of one zone by their wall clocks, so any
        subtraction but the one in ``salesmark._time.elapsed`` could measure a wall
        clock across a daylight-saving change.
        """
        sources, modules = _package()
        assert [] == _datetime_subtractions(sources, modules)

    def test_no_datetimes_are_compared_by_wall_clock(self) -> None:
        """Type-checked, every comparison, min, max and sort of datetimes has an Instant on one side.

        Two aware datetimes sharing one tzinfo compare by their wall clocks, ignoring
        ``fold``, so in Berlin's repeated autumn hour 02:10 winter time would come
        before 02:30 summer time; ``instant()`` puts one side on a fixed offset.
        """
        sources, modules = _package()
        assert [] == _wall_clock_comparisons(sources, modules)

    def test_the_check_finds_planted_wall_clock_comparisons(self) -> None:
        """A module comparing two plain datetimes, or taking min/max/sorted of them without a key, is reported."""
        from mypy.modulefinder import BuildSource

        planted = BuildSource(None, "planted_comparisons", _PLANTED_COMPARISONS)
        # line 7: a < b; line 10: min(a, b); line 12: sorted(times); line 13: max(t for t in times).
        # Not lines 8-9 (an Instant on a side), 11 (key=instant) nor 14 (Instants sorted).
        assert [
            ("planted_comparisons", 7),
            ("planted_comparisons", 10),
            ("planted_comparisons", 12),
            ("planted_comparisons", 13),
        ] == _wall_clock_comparisons([planted], frozenset({"planted_comparisons"}))

    def test_the_check_finds_a_planted_subtraction(self) -> None:
        """A module subtracting datetimes (narrowed from Optional, with ``-=``, nested) is reported line by line."""
        from mypy.modulefinder import BuildSource

        planted = BuildSource(None, "planted", _PLANTED)
        # line 7: later - start; line 10: waited -= start; line 11: (later - 2h) - start.
        # Not line 8 (a datetime minus a timedelta) nor the inner later - timedelta(hours=2).
        assert [("planted", 7), ("planted", 10), ("planted", 11)] == _datetime_subtractions(
            [planted], frozenset({"planted"})
        )
