"""Persona matching: which buyer persona a lead fits, and personas drafted from won deals.

:func:`match_persona` scores a lead against each persona's segment criteria;
:func:`suggest_personas` profiles the attributes of won deals (most common values,
numeric ranges) as a starting point for a persona both teams then edit: "buyer
personas based on actual facts you already have".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._records import row
from salesmark.errors import ValidationError
from salesmark.leads import AttributeValue, Lead
from salesmark.lifecycle import Lifecycle
from salesmark.personas import Criterion, Persona
from salesmark.scoring._checks import texts

__all__ = [
    "AttributeProfile",
    "PersonaMatch",
    "PersonaSuggestion",
    "match_persona",
    "suggest_personas",
]


@attrs.frozen(kw_only=True, repr=False)
class PersonaMatch:
    """How well a lead fits a persona.

    Attributes:
        persona_id: The persona.
        persona_name: Its name.
        score: The share of the persona's criteria the lead meets, from 0 to 1.
        matched: The attributes whose criterion the lead meets.
        failed: The attributes the lead has but whose criterion it does not meet.
        missing: The attributes a criterion needs that the lead does not have.

    Example:
        >>> PersonaMatch(persona_id="ops", persona_name="Ops lead", score=0.5,
        ...              matched=("industry",), failed=("employees",), missing=())
        PersonaMatch('ops', score 0.50, matched ['industry'], failed ['employees'], missing [])
    """

    persona_id: str
    persona_name: str
    score: float
    matched: tuple[str, ...]
    failed: tuple[str, ...]
    missing: tuple[str, ...]

    def __repr__(self) -> str:
        return (
            f"PersonaMatch({self.persona_id!r}, score {self.score:.2f}, "
            f"matched {list(self.matched)}, failed {list(self.failed)}, missing {list(self.missing)})"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One row per criterion with its outcome (matched, failed, missing).

        Example:
            >>> match = PersonaMatch(persona_id="ops", persona_name="Ops lead", score=0.5,
            ...                      matched=("industry",), failed=(), missing=("role",))
            >>> match.to_records()
            [{'persona_id': 'ops', 'attribute': 'industry', 'outcome': 'matched'}, {'persona_id': 'ops', 'attribute': 'role', 'outcome': 'missing'}]
        """
        return [
            row(persona_id=self.persona_id, attribute=name, outcome=outcome)
            for outcome, names in (
                ("matched", self.matched),
                ("failed", self.failed),
                ("missing", self.missing),
            )
            for name in names
        ]


def _match(lead: Lead, persona: Persona) -> PersonaMatch:
    matched: list[str] = []
    failed: list[str] = []
    missing: list[str] = []
    attributes = lead.attributes
    for criterion in persona.segment:
        value = attributes.get(criterion.attribute)
        if value is None:
            missing.append(criterion.attribute)
        elif criterion.matches(value):
            matched.append(criterion.attribute)
        else:
            failed.append(criterion.attribute)
    return PersonaMatch(
        persona_id=persona.id,
        persona_name=persona.name,
        score=len(matched) / len(persona.segment),
        matched=tuple(matched),
        failed=tuple(failed),
        missing=tuple(missing),
    )


def match_persona(
    lead: Lead, personas: Iterable[Persona], *, minimum: float = 1.0
) -> PersonaMatch | None:
    """The persona a lead fits best, or ``None`` when none fits.

    A persona's match score is the share of its segment criteria the lead meets
    (an attribute the lead lacks fails its criterion).
    A persona fits when its score reaches ``minimum``: by default every criterion must
    hold; lower it (e.g. ``0.75``) to accept partial matches.
    Personas without criteria are skipped: they cannot tell leads apart.

    Ties are resolved by this rule: the higher score wins; on equal scores, the persona
    with more criteria met (the more specific one) wins; if still equal, the persona
    given first wins.

    Args:
        lead: The lead to match.
        personas: The candidate personas.
        minimum: The smallest score that counts as a fit, in (0, 1].

    Raises:
        ValidationError: If ``minimum`` is not in (0, 1], ``lead`` is not a Lead or
            ``personas`` is not a sequence of Persona.

    Example:
        >>> from datetime import datetime, timezone
        >>> ops = Persona(id="ops", name="Ops lead", segment=(
        ...     Criterion(attribute="industry", allowed=("logistics",)),
        ...     Criterion(attribute="employees", minimum=50, maximum=500)))
        >>> cfo = Persona(id="cfo", name="Finance chief", segment=(Criterion(attribute="role", allowed=("cfo",)),))
        >>> lead = Lead.create(id="L1", created_at=datetime(2026, 3, 1, tzinfo=timezone.utc),
        ...                    attributes={"industry": "logistics", "employees": 900, "role": "cfo"})
        >>> match_persona(lead, [ops, cfo])
        PersonaMatch('cfo', score 1.00, matched ['role'], failed [], missing [])
        >>> match_persona(lead, [ops], minimum=0.5)
        PersonaMatch('ops', score 0.50, matched ['industry'], failed ['employees'], missing [])
        >>> match_persona(lead, [ops]) is None
        True
    """
    if not (v.is_finite(minimum) and 0 < minimum <= 1):
        msg = f"match_persona minimum must be a share in (0, 1], got {minimum!r}"
        raise ValidationError(msg)
    v.require(lead, Lead, "match_persona lead")
    if isinstance(personas, Persona):
        msg = f"match_persona personas must be a sequence of Persona, got a single Persona {personas!r}"
        raise ValidationError(msg)
    candidates = v.argument_items(personas, "match_persona personas", Persona)
    best: PersonaMatch | None = None
    for persona in candidates:
        if not persona.segment:
            continue
        found = _match(lead, persona)
        if found.score < minimum:
            continue
        if best is None or (found.score, len(found.matched)) > (best.score, len(best.matched)):
            best = found
    return best


@attrs.frozen(kw_only=True, repr=False)
class AttributeProfile:
    """How one attribute is distributed over the won deals.

    Attributes:
        attribute: The attribute.
        leads: How many won leads have it.
        coverage: The share of won leads that have it.
        numeric: Whether every value is a number (then the range fields are set).
        values: For text values: ``(value, count)`` pairs, most common first (ties
            alphabetical).
        minimum: Smallest value (numeric attributes).
        maximum: Largest value (numeric attributes).
        median: Median value (numeric attributes).
        low: The lower end of the central range holding ``share`` of the values.
        high: The upper end of that range.

    Example:
        >>> AttributeProfile(attribute="employees", leads=4, coverage=1.0, numeric=True,
        ...                  minimum=80, maximum=300, median=135, low=92, high=255)
        AttributeProfile('employees', 4 leads, median 135, range 92..255)
    """

    attribute: str
    leads: int
    coverage: float
    numeric: bool
    values: tuple[tuple[AttributeValue, int], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    median: float | None = None
    low: float | None = None
    high: float | None = None

    def __repr__(self) -> str:
        if self.numeric:
            return (
                f"AttributeProfile({self.attribute!r}, {self.leads} leads, median {self.median:g}, "
                f"range {self.low:g}..{self.high:g})"
            )
        top = ", ".join(f"{value!r}: {count}" for value, count in self.values[:3])
        return f"AttributeProfile({self.attribute!r}, {self.leads} leads, {top})"


def _quantile(ordered: Sequence[float], q: float) -> float:
    """The ``q`` quantile by linear interpolation between order statistics."""
    position = q * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


@attrs.frozen(kw_only=True, repr=False)
class PersonaSuggestion:
    """The attribute profile of won deals, and the persona criteria it suggests.

    Attributes:
        leads: How many won leads were profiled.
        share: The share of won deals each suggested criterion should cover.
        profiles: One profile per attribute asked for, in the order asked.
        criteria: Suggested criteria: for text, the most common values that together
            cover ``share`` of the won leads having the attribute; for numbers, the
            central range holding ``share`` of the values.

    Example:
        >>> suggestion = PersonaSuggestion(leads=3, share=0.8, profiles=(),
        ...                                criteria=(Criterion(attribute="industry", allowed=("retail",)),))
        >>> suggestion
        PersonaSuggestion(3 won leads, 1 criteria on ['industry'])
    """

    leads: int
    share: float
    profiles: tuple[AttributeProfile, ...]
    criteria: tuple[Criterion, ...]

    def __repr__(self) -> str:
        return (
            f"PersonaSuggestion({self.leads} won leads, "
            f"{len(self.criteria)} criteria on {[c.attribute for c in self.criteria]})"
        )

    def to_persona(self, id: str, name: str) -> Persona:  # noqa: A002 (the domain's name)
        """A draft persona with the suggested segment, for both teams to edit and approve.

        Example:
            >>> suggestion = PersonaSuggestion(leads=3, share=0.8, profiles=(),
            ...                                criteria=(Criterion(attribute="industry", allowed=("retail",)),))
            >>> draft = suggestion.to_persona("p-retail", "Retail buyer")
            >>> draft.segment[0].allowed, draft.is_validated
            (('retail',), False)
        """
        return Persona(id=id, name=name, segment=self.criteria)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per attribute profile (the five most common values as ``top_values``), for pandas.

        Example:
            >>> profile = AttributeProfile(attribute="industry", leads=4, coverage=1.0, numeric=False,
            ...                            values=(("retail", 3), ("logistics", 1)))
            >>> suggestion = PersonaSuggestion(leads=4, share=0.8, profiles=(profile,), criteria=())
            >>> [(r["attribute"], r["top_values"]) for r in suggestion.to_records()]
            [('industry', ['retail', 'logistics'])]
        """
        return [
            row(
                attribute=p.attribute,
                leads=p.leads,
                coverage=p.coverage,
                numeric=p.numeric,
                top_values=[value for value, _ in p.values[:5]],
                minimum=p.minimum,
                median=p.median,
                maximum=p.maximum,
                low=p.low,
                high=p.high,
            )
            for p in self.profiles
        ]


def _profile(
    attribute: str, values: list[AttributeValue], total: int, share: float
) -> tuple[AttributeProfile, Criterion | None]:
    coverage = len(values) / total
    if not values:
        return AttributeProfile(attribute=attribute, leads=0, coverage=0.0, numeric=False), None
    if all(isinstance(x, int | float) and not isinstance(x, bool) for x in values):
        ordered = sorted(float(x) for x in values)
        tail = (1.0 - share) / 2.0
        low, high = _quantile(ordered, tail), _quantile(ordered, 1.0 - tail)
        profile = AttributeProfile(
            attribute=attribute,
            leads=len(values),
            coverage=coverage,
            numeric=True,
            minimum=ordered[0],
            maximum=ordered[-1],
            median=_quantile(ordered, 0.5),
            low=low,
            high=high,
        )
        return profile, Criterion(attribute=attribute, minimum=low, maximum=high)
    counts = Counter(values)
    ranked = tuple(sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))))
    chosen: list[AttributeValue] = []
    covered = 0
    for value, count in ranked:
        chosen.append(value)
        covered += count
        if covered >= share * len(values):
            break
    profile = AttributeProfile(
        attribute=attribute, leads=len(values), coverage=coverage, numeric=False, values=ranked
    )
    return profile, Criterion(attribute=attribute, allowed=tuple(chosen))


def suggest_personas(
    won_leads: Iterable[Lead],
    attributes: Iterable[str],
    *,
    lifecycle: Lifecycle,
    share: float = 0.8,
) -> PersonaSuggestion:
    """Profile the attributes of won deals and suggest persona criteria from them.

    Only leads that reached the lifecycle's won stage (the last of its progression) are
    profiled, so all leads may be passed.
    For each attribute: text values are counted (most common first) and the smallest
    set of most common values covering ``share`` of the won leads becomes an
    ``allowed`` criterion; numbers get their minimum, median and maximum, and the
    central range holding ``share`` of them becomes a range criterion.
    Attributes no won lead has are profiled (with zero leads) but get no criterion.

    Args:
        won_leads: The won leads (others are ignored).
        attributes: The attributes to profile, e.g. ``["industry", "employees"]``.
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        share: How much of the won deals each suggested criterion should cover, in (0, 1].

    Raises:
        ValidationError: If no lead has reached ``won``, no attribute is named, an
            attribute name is not a non-empty string, an item of ``won_leads`` is not a
            Lead, or ``share`` is not in (0, 1].

    Example:
        >>> from datetime import datetime, timezone
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> def won(i, industry, employees):
        ...     lead = Lead.create(id=f"W{i}", created_at=t, stage="opportunity",
        ...                        attributes={"industry": industry, "employees": employees})
        ...     return lead.advance("won", at=t)
        >>> wins = [won(1, "retail", 120), won(2, "retail", 300), won(3, "logistics", 80), won(4, "retail", 150)]
        >>> from salesmark import DEMAND_WATERFALL
        >>> suggestion = suggest_personas(wins, ["industry", "employees"], lifecycle=DEMAND_WATERFALL, share=0.75)
        >>> suggestion.profiles[0]
        AttributeProfile('industry', 4 leads, 'retail': 3, 'logistics': 1)
        >>> suggestion.criteria[0].allowed
        ('retail',)
        >>> suggestion.profiles[1].median
        135.0
    """
    if not (v.is_finite(share) and 0 < share <= 1):
        msg = f"suggest_personas share must be a fraction in (0, 1], got {share!r}"
        raise ValidationError(msg)
    if isinstance(attributes, str | bytes):
        msg = f"suggest_personas needs attribute names to profile, got the string {attributes!r}"
        raise ValidationError(msg)
    names = texts(attributes, "suggest_personas attributes", item="a non-empty attribute name")
    if not names:
        msg = f"suggest_personas needs attribute names to profile, got {attributes!r}"
        raise ValidationError(msg)
    v.require(lifecycle, Lifecycle, "suggest_personas lifecycle")
    won_stage = lifecycle.progression[-1] if lifecycle.progression else lifecycle.initial
    leads = distinct(won_leads, "suggest_personas won_leads", Lead)
    won = [lead for lead in leads if lead.has_reached(won_stage)]
    if not won:
        msg = f"suggest_personas needs at least one lead that reached {won_stage!r}, got none"
        raise ValidationError(msg)
    profiles: list[AttributeProfile] = []
    criteria: list[Criterion] = []
    for name in names:
        values = [lead.attributes[name] for lead in won if name in lead.attributes]
        profile, criterion = _profile(name, values, len(won), float(share))
        profiles.append(profile)
        if criterion is not None:
            criteria.append(criterion)
    return PersonaSuggestion(
        leads=len(won), share=float(share), profiles=tuple(profiles), criteria=tuple(criteria)
    )
