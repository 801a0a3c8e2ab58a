"""Strategies for what the teams measure and promise: KPIs, measurements, targets, scorecards and SLAs.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(targets())
    ... def test_a_tolerance_is_a_fraction(target):
    ...     assert 0 <= target.tolerance <= 1
    >>> test_a_tolerance_is_a_fraction()
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from salesmark.kpis import (
    Direction,
    KpiDefinition,
    KpiUnit,
    KpiValue,
    Measurement,
    Scorecard,
    Target,
)
from salesmark.sla import Clock, ServiceLevelAgreement
from salesmark.teams import Team
from salesmark.testing.strategies.times import periods
from salesmark.testing.strategies.values import currencies, decimals, ids, teams, words

__all__ = [
    "kpi_definitions",
    "kpi_keys",
    "kpi_values",
    "measurements",
    "scorecards",
    "slas",
    "targets",
]


def kpi_keys() -> st.SearchStrategy[str]:
    """A KPI's key: a lower-case letter, then up to 15 letters, digits or underscores.

    Returns:
        A strategy of keys.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(kpi_keys())
        ... def test_keys_are_identifiers(key):
        ...     assert key.isidentifier() and key.islower()
        >>> test_keys_are_identifiers()
    """
    return st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


def _keys(key: st.SearchStrategy[str] | None) -> st.SearchStrategy[str]:
    return key if key is not None else kpi_keys()


def kpi_definitions(key: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[KpiDefinition]:
    """A KPI definition owned by one team or both.

    Args:
        key: The KPI's key; any from :func:`kpi_keys` if None.

    Returns:
        A strategy of :class:`~salesmark.kpis.KpiDefinition`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(kpi_definitions())
        ... def test_someone_owns_it(kpi):
        ...     assert 1 <= len(kpi.owners) <= 2
        >>> test_someone_owns_it()
    """
    return st.builds(
        KpiDefinition,
        key=_keys(key),
        name=words(),
        unit=st.sampled_from(list(KpiUnit)),
        direction=st.sampled_from(list(Direction)),
        owners=st.lists(teams(), min_size=1, max_size=2, unique=True).map(tuple),
        formula=words(),
    )


def measurements(key: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Measurement]:
    """A KPI's value for a period, sometimes with a currency.

    Args:
        key: The KPI measured; any key if None.

    Returns:
        A strategy of :class:`~salesmark.kpis.Measurement`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(measurements(st.just("mqls")))
        ... def test_it_measures_the_kpi(measurement):
        ...     assert "mqls" == measurement.kpi
        >>> test_it_measures_the_kpi()
    """
    return st.builds(
        Measurement,
        kpi=_keys(key),
        period=periods(),
        value=decimals(4),
        currency=st.none() | currencies(),
    )


def targets(key: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Target]:
    """A goal for a KPI over a period, with a tolerance between 0 and 1.

    Args:
        key: The KPI aimed at; any key if None.

    Returns:
        A strategy of :class:`~salesmark.kpis.Target`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(targets())
        ... def test_a_target_has_a_period(target):
        ...     assert target.period.start < target.period.end
        >>> test_a_target_has_a_period()
    """
    return st.builds(
        Target,
        kpi=_keys(key),
        period=periods(),
        goal=decimals(4),
        tolerance=st.decimals(min_value=0, max_value=1, places=2),
    )


def scorecards(
    keys: st.SearchStrategy[str] | None = None, team: st.SearchStrategy[Team] | None = None
) -> st.SearchStrategy[Scorecard]:
    """A team's three to five distinct headline KPIs.

    Args:
        keys: The KPIs to choose from; any keys if None.
        team: The team; either if None.

    Returns:
        A strategy of :class:`~salesmark.kpis.Scorecard`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(scorecards())
        ... def test_three_to_five(card):
        ...     assert 3 <= len(set(card.kpis)) == len(card.kpis) <= 5
        >>> test_three_to_five()
    """
    return st.builds(
        Scorecard,
        team=team if team is not None else teams(),
        kpis=st.lists(_keys(keys), min_size=3, max_size=5, unique=True).map(tuple),
    )


@st.composite
def kpi_values(draw: st.DrawFn) -> KpiValue:
    """A computed KPI: a value with its context, or not computable with a reason.

    Args:
        draw: Given by hypothesis.

    Returns:
        A strategy of :class:`~salesmark.kpis.KpiValue`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(kpi_values())
        ... def test_a_value_or_a_reason(kpi):
        ...     assert (kpi.value is None) == (kpi.reason is not None)
        >>> test_a_value_or_a_reason()
    """
    computable = draw(st.booleans())
    return KpiValue(
        key=draw(kpi_keys()),
        period=draw(periods()),
        value=draw(decimals(4)) if computable else None,
        unit=draw(st.sampled_from(list(KpiUnit))),
        currency=draw(st.none() | currencies()),
        reason=None if computable else draw(words()),
        context=tuple(draw(st.lists(st.tuples(kpi_keys(), st.none() | decimals(4)), max_size=3))),
    )


def slas() -> st.SearchStrategy[ServiceLevelAgreement]:
    """A service-level agreement: volumes, acceptance, follow-up and feedback deadlines, and clocks.

    Returns:
        A strategy of :class:`~salesmark.sla.ServiceLevelAgreement`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(slas())
        ... def test_at_least_one_attempt(sla):
        ...     assert sla.min_attempts >= 1
        >>> test_at_least_one_attempt()
    """
    return st.builds(
        ServiceLevelAgreement,
        id=ids(),
        mql_volume=st.integers(0, 10_000),
        period_length=st.sampled_from(["week", "month", "quarter", "year"]),
        min_acceptance_rate=st.decimals(min_value=0, max_value=1, places=3),
        first_follow_up_within=st.timedeltas(timedelta(microseconds=1), timedelta(days=10)),
        min_attempts=st.integers(1, 10),
        feedback_within=st.timedeltas(timedelta(minutes=1), timedelta(days=30)),
        follow_up_clock=st.sampled_from(list(Clock)),
        feedback_clock=st.sampled_from(list(Clock)),
    )
