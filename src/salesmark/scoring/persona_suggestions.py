"""Personas drawn from evidence: clusters of won deals, told apart from lost deals.

"Buyer personas based on actual facts you already have": :func:`suggest_personas` looks
at the deals that closed (won, and lost after reaching the opportunity, in any
lifecycle), finds the distinct groups among the won deals, and describes each group by
what distinguishes it from the lost deals. Each suggestion lists its evidence (the won
deals it rests on and every attribute value's lift with its interval); it is a draft:
a persona still needs sales' evidence and both teams' approval to be validated.

The method, step by step (deterministic: the same leads in any order give the same
suggestions; no random seed is involved):

1. **Values.** Each closed deal is described by the attributes asked for. A text (or
   bool) attribute keeps its value; a numeric attribute is cut into ``bins`` bins at the
   quantiles of its values over all closed deals (terciles by default); a missing
   attribute is the value "missing".
2. **Clusters** (k-modes, Huang 1998, on the distinct value profiles weighted by how
   many won deals share them, Hamming distance): for each k from 1 to
   ``max_personas``, the first centre is the most common profile and each next one the
   profile farthest from the centres so far (ties: the more common, then the smaller
   profile by its text); deals join their nearest centre (ties: the earlier centre) and
   centres move to each attribute's most common value, until nothing changes (at most
   100 rounds).
3. **Choosing k**: among the k of two or more whose every cluster holds at least
   ``min_share`` of the won deals and whose mean silhouette (Rousseeuw 1987) over the
   won deals reaches 0.25 (Kaufman and Rousseeuw's threshold below which no substantial
   structure is found), the smallest k whose silhouette is within 0.15 of the best:
   fewer, broader personas unless more are clearly better. One cluster when no k
   qualifies.
4. **Lift against lost deals**: for each text value common in a cluster (the most
   common values covering ``share`` of its deals), and for each numeric attribute's
   central range of the cluster's values (holding ``share`` of them, nearest rank),
   among that cluster's deals and the lost deals, ``lift = P(in the cluster | value) /
   P(in the cluster)``, with the Wilson score interval of ``P(in the cluster | value)``
   divided by ``P(in the cluster)``. A value (or range) whose whole interval lies above
   1 **distinguishes** the cluster; "missing" never does.
5. **Criteria**: per attribute, the distinguishing values (text: ``allowed``; numbers:
   the central range). A cluster with no distinguishing value is reported but not
   suggested: nothing tells it apart from the deals you lose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark.errors import ValidationError
from salesmark.intervals import Z95, wilson
from salesmark.leads import AttributeValue, Lead
from salesmark.lifecycle import Lifecycle
from salesmark.personas import Criterion, Persona
from salesmark.scoring._checks import texts
from salesmark.scoring._kmodes import MISSING, Coder, choose, key
from salesmark.scoring._outcomes import closed

__all__ = ["AttributeLift", "PersonaSuggestion", "PersonaSuggestions", "suggest_personas"]

_PLACES = Decimal("0.0001")


_LIFT: Final = rf.exact(Decimal, minimum=0, optional=True)


@attrs.frozen(kw_only=True, repr=False)
class AttributeLift:
    """How much more often one attribute value occurs in a persona's deals than in lost deals.

    Attributes:
        attribute: The attribute.
        value: The text (or bool) value; ``None`` for a numeric attribute (see
            ``minimum`` and ``maximum``) and for deals without the attribute.
        minimum: For a numeric attribute, the smallest value of the bin.
        maximum: For a numeric attribute, the largest value of the bin.
        in_persona: The persona's won deals with this value.
        in_lost: The lost deals with this value.
        lift: ``P(in the persona | value) / P(in the persona)`` among the persona's and
            the lost deals (4 places); ``None`` when no deal has the value.
        low: The lower end of its interval (4 places).
        high: The upper end of its interval (4 places).
        distinguishing: Whether the whole interval lies above 1 (never for "missing").
        missing: Whether this is the deals without the attribute.

    Example:
        >>> AttributeLift(attribute="industry", value="retail", in_persona=9, in_lost=1,
        ...               lift=Decimal("1.8"), low=Decimal("1.2"), high=Decimal("1.9"), distinguishing=True)
        AttributeLift(industry='retail': 9 in persona, 1 lost, lift 1.8 [1.2, 1.9], distinguishing)
    """

    attribute: str = attrs.field(validator=v.non_empty_text)
    value: AttributeValue | None = attrs.field(validator=v.optional_instance_of((str, int, float)))
    in_persona: int = attrs.field(validator=v.whole())
    in_lost: int = attrs.field(validator=v.whole())
    lift: Decimal | None = attrs.field(validator=_LIFT)
    low: Decimal | None = attrs.field(validator=_LIFT)
    high: Decimal | None = attrs.field(validator=_LIFT)
    distinguishing: bool = attrs.field(validator=v.instance_of(bool))
    minimum: float | None = attrs.field(default=None, validator=rf.number(optional=True))
    maximum: float | None = attrs.field(default=None, validator=rf.number(optional=True))
    missing: bool = attrs.field(default=False, validator=v.instance_of(bool))

    def __attrs_post_init__(self) -> None:
        rf.ordered(self, "low", "high")
        rf.ordered(self, "minimum", "maximum")

    @property
    def label(self) -> str:
        """The value as text: ``'retail'`` or, for numbers, ``50..400``.

        Example:
            >>> AttributeLift(attribute="employees", value=None, minimum=50, maximum=400, in_persona=3,
            ...               in_lost=0, lift=None, low=None, high=None, distinguishing=False).label
            '50..400'
        """
        if self.missing:
            return "(missing)"
        if self.value is None:
            return f"{self.minimum:g}..{self.maximum:g}"
        return repr(self.value)

    def __repr__(self) -> str:
        mark = ", distinguishing" if self.distinguishing else ""
        lift = "-" if self.lift is None else f"{self.lift} [{self.low}, {self.high}]"
        return (
            f"AttributeLift({self.attribute}={self.label}: {self.in_persona} in persona, "
            f"{self.in_lost} lost, lift {lift}{mark})"
        )


@attrs.frozen(kw_only=True, repr=False)
class PersonaSuggestion:
    """One cluster of won deals, what distinguishes it from lost deals, and its evidence.

    Attributes:
        lead_ids: The won deals it rests on (its evidence), sorted.
        share: The share of all won deals it holds (4 places).
        criteria: The suggested segment: the distinguishing values per attribute.
        lifts: Every common value's lift against the lost deals, by attribute.

    Example:
        >>> suggestion = PersonaSuggestion(lead_ids=("W1", "W2"), share=Decimal("0.5"), lifts=(),
        ...                                criteria=(Criterion(attribute="industry", allowed=("retail",)),))
        >>> suggestion, suggestion.suggested
        (PersonaSuggestion(2 won deals (50.00%), criteria on ['industry']), True)
    """

    lead_ids: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))
    share: Decimal = attrs.field(validator=rf.exact(Decimal, minimum=0, maximum=1))
    criteria: tuple[Criterion, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(Criterion)
    )
    lifts: tuple[AttributeLift, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(AttributeLift)
    )

    @property
    def suggested(self) -> bool:
        """Whether anything distinguishes it from lost deals (it has criteria).

        Example:
            >>> PersonaSuggestion(lead_ids=("W1",), share=Decimal(1), criteria=(), lifts=()).suggested
            False
        """
        return bool(self.criteria)

    def __repr__(self) -> str:
        what = (
            f"criteria on {[c.attribute for c in self.criteria]}"
            if self.criteria
            else "nothing distinguishes it from lost deals"
        )
        return f"PersonaSuggestion({len(self.lead_ids)} won deals ({self.share:.2%}), {what})"

    def to_persona(self, id: str, name: str) -> Persona:  # noqa: A002 (the domain's name)
        """A draft persona with the suggested segment, for both teams to edit and approve.

        Raises:
            ValidationError: If nothing distinguishes the cluster (no criteria).

        Example:
            >>> suggestion = PersonaSuggestion(lead_ids=("W1",), share=Decimal(1), lifts=(),
            ...                                criteria=(Criterion(attribute="industry", allowed=("retail",)),))
            >>> draft = suggestion.to_persona("p-retail", "Retail buyer")
            >>> draft.segment[0].allowed, draft.is_validated
            (('retail',), False)
        """
        if not self.criteria:
            msg = (
                f"PersonaSuggestion of {len(self.lead_ids)} won deals has no criteria: nothing "
                "distinguishes it from lost deals, so it makes no persona"
            )
            raise ValidationError(msg)
        return Persona(id=id, name=name, segment=self.criteria)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per attribute value's lift, for pandas.

        Args:
            exact: Keep lifts as Decimals rather than plain floats.

        Example:
            >>> lift = AttributeLift(attribute="industry", value="retail", in_persona=9, in_lost=1,
            ...                      lift=Decimal("1.8"), low=Decimal("1.2"), high=Decimal("1.9"), distinguishing=True)
            >>> suggestion = PersonaSuggestion(lead_ids=("W1",), share=Decimal(1), criteria=(), lifts=(lift,))
            >>> suggestion.to_records()[0]["lift"]
            1.8
            >>> suggestion.to_records(exact=True)[0]["lift"]
            Decimal('1.8')
        """
        rows = [
            row(
                won_deals=len(self.lead_ids),
                attribute=lift.attribute,
                value=lift.label,
                in_persona=lift.in_persona,
                in_lost=lift.in_lost,
                lift=lift.lift,
                low=lift.low,
                high=lift.high,
                distinguishing=lift.distinguishing,
            )
            for lift in self.lifts
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


@attrs.frozen(kw_only=True, repr=False)
class PersonaSuggestions:
    """The clusters of won deals found, with how they were chosen.

    Attributes:
        won: Won deals clustered.
        lost: Lost deals contrasted.
        attributes: The attributes described.
        silhouette: The mean silhouette of the clusters chosen (4 places), ``None`` for
            one cluster.
        clusters: Every cluster found, largest first (suggested or not).

    Example:
        >>> PersonaSuggestions(won=4, lost=6, attributes=("industry",), silhouette=None, clusters=())
        PersonaSuggestions(0 of 0 clusters suggested, from 4 won and 6 lost deals)
    """

    won: int = attrs.field(validator=v.whole())
    lost: int = attrs.field(validator=v.whole())
    attributes: tuple[str, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(str)
    )
    silhouette: Decimal | None = attrs.field(
        validator=rf.exact(Decimal, minimum=-1, maximum=1, optional=True)
    )
    clusters: tuple[PersonaSuggestion, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(PersonaSuggestion)
    )

    def __attrs_post_init__(self) -> None:
        clustered = sum(len(c.lead_ids) for c in self.clusters)
        if clustered > self.won:
            msg = (
                f"PersonaSuggestions.clusters must hold at most the {self.won} won deals, "
                f"got {clustered}"
            )
            raise ValidationError(msg, path="/clusters", value=clustered, expected=f"<= {self.won}")

    @property
    def suggested(self) -> tuple[PersonaSuggestion, ...]:
        """The clusters something distinguishes from lost deals, largest first.

        Example:
            >>> PersonaSuggestions(won=1, lost=1, attributes=("x",), silhouette=None, clusters=()).suggested
            ()
        """
        return tuple(c for c in self.clusters if c.suggested)

    def __repr__(self) -> str:
        return (
            f"PersonaSuggestions({len(self.suggested)} of {len(self.clusters)} clusters suggested, "
            f"from {self.won} won and {self.lost} lost deals)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per cluster and attribute value, with the cluster's number, for pandas.

        Args:
            exact: Keep lifts and shares as Decimals rather than plain floats.

        Example:
            >>> PersonaSuggestions(won=1, lost=1, attributes=("x",), silhouette=None, clusters=()).to_records()
            []
        """
        return [
            {"cluster": index, "suggested": cluster.suggested, **record}
            for index, cluster in enumerate(self.clusters)
            for record in cluster.to_records(exact=exact)
        ]

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def _lift(
    in_c: int, in_lost: int, size: int, lost: int
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    n = in_c + in_lost
    if n == 0:
        return None, None, None
    base = Decimal(size) / (size + lost)
    low, high = wilson(in_c, n, Z95)
    rate = Decimal(in_c) / n
    return (
        (rate / base).quantize(_PLACES),
        (low / base).quantize(_PLACES),
        (high / base).quantize(_PLACES),
    )


def _common(values: list[Any], share: Fraction) -> list[Any]:
    """The most common of ``values`` (ties by their text) that together cover ``share`` of them."""
    counts = Counter((key((x,))[0], x) for x in values)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    covered, common = 0, []
    for (_, value), count in ranked:
        common.append(value)
        covered += count
        if covered >= share * len(values):
            break
    return common


def _same(a: object, b: object) -> bool:
    return a == b and type(a) is type(b)


_IN: Final = object()
"""The token of a numeric value inside a cluster's central range."""


def _central(values: list[float], share: Fraction) -> tuple[float, float]:
    """The central range of ``values`` holding ``share`` of them (nearest rank, both ends)."""
    ordered = sorted(values)
    cut = int(len(ordered) * (1 - share) / 2)
    return ordered[cut], ordered[len(ordered) - 1 - cut]


def _tokens(name: str, deals: list[Lead], span: tuple[float, float]) -> list[Any]:
    """Per deal: ``_IN`` when its numeric ``name`` lies in ``span``, ``MISSING``, or ``None``."""
    out: list[Any] = []
    for deal in deals:
        x = deal.attributes.get(name, MISSING)
        out.append(x if x is MISSING else (_IN if span[0] <= float(x) <= span[1] else None))  # type: ignore[arg-type]
    return out


def _lift_of(
    name: str,
    value: Any,
    columns: tuple[list[Any], list[Any]],
    span: tuple[float, float] | None,
) -> AttributeLift:
    """The lift of one value (or ``_IN`` of ``span``) of ``name``, from the members' and lost values."""
    column, lost_column = columns
    in_c = sum(1 for x in column if _same(x, value))
    in_l = sum(1 for x in lost_column if _same(x, value))
    lift, low, high = _lift(in_c, in_l, len(column), len(lost_column))
    missing = value is MISSING
    found: dict[str, Any] = {
        "value": None if missing or value is _IN else value,
        "missing": missing,
    }
    if value is _IN and span is not None:
        found.update(minimum=span[0], maximum=span[1])
    return AttributeLift(
        attribute=name,
        in_persona=in_c,
        in_lost=in_l,
        lift=lift,
        low=low,
        high=high,
        distinguishing=low is not None and low > 1 and not missing,
        **found,
    )


def _describe(
    members: list[Lead], lost: list[Lead], coder: Coder, share: Fraction
) -> tuple[tuple[Criterion, ...], tuple[AttributeLift, ...]]:
    criteria: list[Criterion] = []
    lifts: list[AttributeLift] = []
    for name in coder.names:
        span: tuple[float, float] | None = None
        if name in coder.edges:
            present = [float(m.attributes[name]) for m in members if name in m.attributes]
            span = _central(present, share) if present else (0.0, 0.0)
            column, lost_column = _tokens(name, members, span), _tokens(name, lost, span)
            values = [x for x in _common(column, Fraction(1)) if x is not None]
        else:
            column = [m.attributes.get(name, MISSING) for m in members]
            lost_column = [m.attributes.get(name, MISSING) for m in lost]
            values = _common(column, share)
        found = [_lift_of(name, value, (column, lost_column), span) for value in values]
        lifts.extend(found)
        chosen = [x for x in found if x.distinguishing]
        if chosen and span is not None:
            criteria.append(Criterion(attribute=name, minimum=span[0], maximum=span[1]))
        elif chosen:
            allowed = tuple(x.value for x in chosen if x.value is not None)
            criteria.append(Criterion(attribute=name, allowed=allowed))
    return tuple(criteria), tuple(lifts)


def suggest_personas(
    leads: Iterable[Lead],
    attributes: Iterable[str],
    *,
    lifecycle: Lifecycle,
    max_personas: int = 4,
    min_share: float = 0.1,
    share: float = 0.8,
    bins: int = 3,
) -> PersonaSuggestions:
    """Cluster the won deals and describe each cluster by what distinguishes it from lost deals.

    The method is the module's (deterministic, documented step by step there): k-modes
    clusters of won deals, k chosen by silhouette, each cluster's common values tested
    for lift against the lost deals with a Wilson interval. Pass all leads: only deals
    closed won or lost (after reaching the opportunity) are used.

    Args:
        leads: The leads (open ones are ignored).
        attributes: The attributes to describe deals by, e.g. ``["industry", "employees"]``.
        lifecycle: The lifecycle the leads follow (which stage is won, which moves are lost).
        max_personas: The most clusters to try, 1 to 12.
        min_share: The smallest share of won deals a cluster may hold, in [0, 1).
        share: How much of a cluster its common values must cover, in (0, 1].
        bins: How many quantile bins a numeric attribute is cut into, 2 to 10.

    Raises:
        ValidationError: If there is no won or no lost deal, no attribute is named, or a
            parameter is out of its range.
        WrongType: If ``leads`` is not an iterable of Lead or ``lifecycle`` not a Lifecycle.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> def deal(i, industry, won):
        ...     lead = Lead.create(id=f"D{i}", created_at=t, stage="opportunity", attributes={"industry": industry})
        ...     return lead.advance("won", at=t) if won else lead.advance("lost", at=t, reason="price")
        >>> deals = ([deal(i, "retail", True) for i in range(8)] + [deal(10 + i, "retail", False) for i in range(2)]
        ...          + [deal(20 + i, "banking", False) for i in range(10)])
        >>> found = suggest_personas(deals, ["industry"], lifecycle=DEMAND_WATERFALL)
        >>> found
        PersonaSuggestions(1 of 1 clusters suggested, from 8 won and 12 lost deals)
        >>> found.suggested[0].lifts[0]
        AttributeLift(industry='retail': 8 in persona, 2 lost, lift 2.0000 [1.2254, 2.3583], distinguishing)
    """
    v.require(lifecycle, Lifecycle, "suggest_personas lifecycle")
    if isinstance(attributes, str | bytes):
        msg = f"suggest_personas attributes must be attribute names, got the string {attributes!r}"
        raise ValidationError(msg)
    names = texts(attributes, "suggest_personas attributes", item="a non-empty attribute name")
    if not names or len(set(names)) != len(names):
        msg = f"suggest_personas attributes must name distinct attributes, at least one, got {list(names)}"
        raise ValidationError(msg)
    k_max = v.require_whole(max_personas, "suggest_personas max_personas", minimum=1)
    wide = v.require_whole(bins, "suggest_personas bins", minimum=2)
    if k_max > 12 or wide > 10:
        msg = f"suggest_personas max_personas must be at most 12 and bins at most 10, got {k_max} and {wide}"
        raise ValidationError(msg)
    if not (v.is_finite(min_share) and 0 <= min_share < 1):
        msg = f"suggest_personas min_share must be a share in [0, 1), got {min_share!r}"
        raise ValidationError(msg)
    if not (v.is_finite(share) and 0 < share <= 1):
        msg = f"suggest_personas share must be a share in (0, 1], got {share!r}"
        raise ValidationError(msg)
    items = v.argument_items(leads, "suggest_personas leads", Lead)
    seen: set[str] = set()
    won: list[Lead] = []
    lost: list[Lead] = []
    for lead in sorted(items, key=lambda x: x.id):
        if lead.id in seen:
            msg = f"suggest_personas leads holds lead id {lead.id!r} twice; each deal counts once"
            raise ValidationError(msg)
        seen.add(lead.id)
        outcome = closed(lead, lifecycle)
        if outcome is not None:
            (won if outcome[0] else lost).append(lead)
    if not won or not lost:
        msg = (
            f"suggest_personas needs won and lost deals to contrast, got {len(won)} won and "
            f"{len(lost)} lost in lifecycle {lifecycle.name!r}"
        )
        raise ValidationError(msg)
    coder = Coder(names, won + lost, wide)
    profiles = {lead.id: coder.profile(lead) for lead in won}
    weights = Counter(profiles.values())
    # shares as written (0.8 is 4/5, not the float nearest it), so cuts land where documented
    groups, score = choose(dict(weights), len(won), k_max, Fraction(str(min_share)))
    clusters = []
    for group in groups:
        inside = set(group)
        members = [lead for lead in won if profiles[lead.id] in inside]
        criteria, lifts = _describe(members, lost, coder, Fraction(str(share)))
        clusters.append(
            PersonaSuggestion(
                lead_ids=tuple(lead.id for lead in members),
                share=(Decimal(len(members)) / len(won)).quantize(_PLACES),
                criteria=criteria,
                lifts=lifts,
            )
        )
    clusters.sort(key=lambda c: (-len(c.lead_ids), c.lead_ids))
    return PersonaSuggestions(
        won=len(won),
        lost=len(lost),
        attributes=names,
        silhouette=None
        if score is None
        else (Decimal(score.numerator) / Decimal(score.denominator)).quantize(_PLACES),
        clusters=tuple(clusters),
    )
