"""Strategies for the small values everything else is made of: ids, words, money, teams, members.

Example:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, database=None)
    ... @given(money(currency="JPY"), money(currency="JPY"))
    ... def test_money_adds_up(a, b):
    ...     assert (a + b).amount == a.amount + b.amount
    >>> test_money_adds_up()
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from hypothesis import strategies as st

from salesmark.money import Money
from salesmark.teams import Approval, Member, Team
from salesmark.testing.strategies.times import aware_datetimes

__all__ = [
    "CURRENCIES",
    "approvals",
    "currencies",
    "decimals",
    "ids",
    "members",
    "money",
    "teams",
    "words",
]

CURRENCIES: Final = ("EUR", "USD", "GBP", "JPY", "KWD", "CHF")
"""The currencies drawn by default: two, zero and three decimal places."""


def ids() -> st.SearchStrategy[str]:
    """Short identifiers: lower-case letters, digits and dashes, 1 to 8 characters.

    Returns:
        A strategy of non-empty strings.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(ids())
        ... def test_ids_are_short(ident):
        ...     assert 1 <= len(ident) <= 8
        >>> test_ids_are_short()
    """
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=8)


def words() -> st.SearchStrategy[str]:
    """Short texts of lower-case letters and spaces, never blank.

    Returns:
        A strategy of strings with at least one letter.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(words())
        ... def test_words_are_not_blank(text):
        ...     assert text.strip()
        >>> test_words_are_not_blank()
    """
    return st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", min_size=1, max_size=20).filter(
        lambda s: s.strip() != ""
    )


def currencies() -> st.SearchStrategy[str]:
    """One of :data:`CURRENCIES`.

    Returns:
        A strategy of ISO 4217 codes.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(currencies())
        ... def test_codes_have_three_letters(code):
        ...     assert 3 == len(code)
        >>> test_codes_have_three_letters()
    """
    return st.sampled_from(CURRENCIES)


def decimals(places: int = 2, max_value: int = 10**9) -> st.SearchStrategy[Decimal]:
    """Finite decimals with at most ``places`` decimal places, between ``-max_value`` and ``max_value``.

    Args:
        places: The most decimal places a value has.
        max_value: The largest absolute value.

    Returns:
        A strategy of finite :class:`~decimal.Decimal` values.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(decimals(places=0, max_value=10))
        ... def test_whole_decimals(value):
        ...     assert value == value.to_integral_value() and abs(value) <= 10
        >>> test_whole_decimals()
    """
    return st.decimals(
        min_value=-max_value,
        max_value=max_value,
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def money(draw: st.DrawFn, currency: str | None = None, min_amount: int | None = None) -> Money:
    """Money in a currency; amounts may be finer than the minor unit (up to 4 places).

    Args:
        draw: Given by hypothesis.
        currency: The currency of every value; any of :data:`CURRENCIES` if None.
        min_amount: The smallest amount (amounts below are raised to it); none if None.

    Returns:
        A strategy of :class:`~salesmark.money.Money`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(money(currency="EUR", min_amount=0))
        ... def test_budgets_are_not_negative(budget):
        ...     assert budget.currency == "EUR" and budget.amount >= 0
        >>> test_budgets_are_not_negative()
    """
    code = currency or draw(currencies())
    amount = draw(decimals(places=draw(st.integers(0, 4))))
    if min_amount is not None:
        amount = max(amount, Decimal(min_amount))
    return Money(amount, code)


def teams() -> st.SearchStrategy[Team]:
    """Sales or marketing.

    Returns:
        A strategy of :class:`~salesmark.teams.Team` members.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(teams())
        ... def test_two_teams(team):
        ...     assert team in (Team.SALES, Team.MARKETING)
        >>> test_two_teams()
    """
    return st.sampled_from(list(Team))


def members(member_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Member]:
    """Members of either team.

    Args:
        member_ids: The ids to draw from; :func:`ids` if None.

    Returns:
        A strategy of :class:`~salesmark.teams.Member`.

    Example:
        >>> from hypothesis import given, settings, strategies as st
        >>> @settings(max_examples=5, database=None)
        ... @given(members(st.just("s1")))
        ... def test_members_keep_their_id(member):
        ...     assert "s1" == member.id
        >>> test_members_keep_their_id()
    """
    return st.builds(
        Member, id=member_ids if member_ids is not None else ids(), name=words(), team=teams()
    )


def approvals(member_ids: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Approval]:
    """A team's sign-off, by a member, at an aware datetime.

    Args:
        member_ids: The ids of the approving members; :func:`ids` if None.

    Returns:
        A strategy of :class:`~salesmark.teams.Approval`.

    Example:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, database=None)
        ... @given(approvals())
        ... def test_approvals_are_dated(approval):
        ...     assert approval.at.tzinfo is not None
        >>> test_approvals_are_dated()
    """
    return st.builds(
        Approval,
        team=teams(),
        member_id=member_ids if member_ids is not None else ids(),
        at=aware_datetimes(),
    )
