"""Persona matching: which buyer persona a lead fits.

:func:`match_persona` scores a lead against each persona's segment criteria. Drafting
personas from the evidence of won and lost deals is
:func:`salesmark.scoring.persona_suggestions.suggest_personas`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._records import records, row
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.personas import Persona

__all__ = ["PersonaMatch", "match_persona"]


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

    persona_id: str = attrs.field(validator=v.non_empty_text)
    persona_name: str = attrs.field(validator=v.non_empty_text)
    score: float = attrs.field(validator=rf.number(minimum=0, maximum=1))
    matched: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))
    failed: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))
    missing: tuple[str, ...] = attrs.field(converter=rf.lenient_tuple, validator=rf.tuple_of(str))

    def __repr__(self) -> str:
        return (
            f"PersonaMatch({self.persona_id!r}, score {self.score:.2f}, "
            f"matched {list(self.matched)}, failed {list(self.failed)}, missing {list(self.missing)})"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per criterion with its outcome (matched, failed, missing).

        Example:
            >>> match = PersonaMatch(persona_id="ops", persona_name="Ops lead", score=0.5,
            ...                      matched=("industry",), failed=(), missing=("role",))
            >>> match.to_records()
            [{'persona_id': 'ops', 'attribute': 'industry', 'outcome': 'matched'}, {'persona_id': 'ops', 'attribute': 'role', 'outcome': 'missing'}]
        """
        rows = [
            row(persona_id=self.persona_id, attribute=name, outcome=outcome)
            for outcome, names in (
                ("matched", self.matched),
                ("failed", self.failed),
                ("missing", self.missing),
            )
            for name in names
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
        >>> from salesmark import Criterion
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
