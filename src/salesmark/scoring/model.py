"""The scoring model and its results.

A :class:`ScoringModel` is data: rules, a grade scale, engagement bands, a decay and a
qualification rule.
It compiles its rules once into small closures, so scoring a million leads is fast,
and scoring is a pure function of the lead and an explicit, timezone-aware ``at``:
the same inputs always give the same :class:`LeadScore`, and a lead can be re-scored
as of any past date (touchpoints after ``at`` are ignored).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any, overload

import attrs

from salesmark import _validators as v
from salesmark._time import require_aware
from salesmark.errors import ValidationError
from salesmark.leads import AttributeValue, Lead
from salesmark.scoring.decay import Decay
from salesmark.scoring.grades import EngagementBands, GradeScale, Qualification
from salesmark.scoring.rules import Dimension, Rule, RuleKind
from salesmark.touchpoints import TouchpointKind

__all__ = ["Contribution", "LeadScore", "LeadScores", "ScoringModel"]

_MISSING: Any = object()
_INF = math.inf


@attrs.frozen(kw_only=True)
class Contribution:
    """What one rule added to a lead's score.

    Attributes:
        rule_id: The rule that fired.
        dimension: The dimension it scores.
        points: The points it added (after decay and its cap); negative when it took away.
        hits: How many touches it counted (1 for fit, recency and inactivity rules).

    Example:
        >>> Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20.0, hits=1)
        Contribution(rule_id='role=cfo', dimension=<Dimension.FIT: 'fit'>, points=20.0, hits=1)
    """

    rule_id: str
    dimension: Dimension
    points: float
    hits: int = 1


@attrs.frozen(kw_only=True, repr=False)
class LeadScore:
    """A lead's score at one moment, with the explanation behind it.

    Attributes:
        lead_id: The lead scored.
        at: The moment it was scored as of.
        fit: The fit score (sum of fit contributions, capped by the model's fit cap).
        engagement: The engagement score (sum of engagement contributions, decayed and capped).
        total: ``fit + engagement``.
        grade: The fit grade, e.g. ``"A"`` or ``"B+"``.
        band: The engagement band, 1 (most engaged) to 4.
        cell: The matrix cell, the grade's letter and the band, e.g. ``"A1"``.
        qualified: Whether the score meets the model's MQL qualification rule.
        contributions: Every rule that fired and what it added, in model order.
    """

    lead_id: str
    at: datetime
    fit: float
    engagement: float
    total: float
    grade: str
    band: int
    cell: str
    qualified: bool
    contributions: tuple[Contribution, ...]

    def __repr__(self) -> str:
        mql = "MQL" if self.qualified else "not MQL"
        return (
            f"LeadScore({self.lead_id!r}: total {self.total:.1f} = fit {self.fit:.1f} + "
            f"engagement {self.engagement:.1f}, grade {self.grade}, band {self.band}, "
            f"cell {self.cell}, {mql}, {len(self.contributions)} rules fired)"
        )

    def explain(self) -> tuple[str, ...]:
        """One readable line per rule that fired, biggest effect first (points rounded to 0.1).

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="demo", rules=(Rule.equals("role", "cfo", points=20), Rule.present("phone", points=5)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=30, band_2=20, band_3=10),
            ...     qualification=Qualification(minimum_total=20),
            ... )
            >>> lead = Lead.create(id="L1", created_at=at, attributes={"role": "cfo", "phone": "+1 555"})
            >>> model.score(lead, at=at).explain()
            ('+20 fit: role=cfo', '+5 fit: phone given')
        """
        ordered = sorted(self.contributions, key=lambda c: -abs(c.points))
        lines = []
        for c in ordered:
            times = f" ({c.hits} touches)" if c.hits != 1 else ""
            lines.append(f"{round(c.points, 1):+g} {c.dimension.value}: {c.rule_id}{times}")
        return tuple(lines)

    def as_record(self) -> dict[str, Any]:
        """The score as one flat row (without the per-rule contributions)."""
        return {
            "lead_id": self.lead_id,
            "at": self.at,
            "fit": self.fit,
            "engagement": self.engagement,
            "total": self.total,
            "grade": self.grade,
            "band": self.band,
            "cell": self.cell,
            "qualified": self.qualified,
            "rules_fired": len(self.contributions),
        }

    def to_records(self) -> list[dict[str, Any]]:
        """One row per contribution (the explanation), for ``pandas.DataFrame``."""
        return [
            {
                "lead_id": self.lead_id,
                "rule_id": c.rule_id,
                "dimension": c.dimension.value,
                "points": c.points,
                "hits": c.hits,
            }
            for c in self.contributions
        ]


@attrs.frozen(kw_only=True, repr=False)
class LeadScores:
    """The scores of many leads, in the order the leads were given.

    It behaves as a sequence of :class:`LeadScore` (``len``, indexing, iteration).

    Attributes:
        model: The name of the model that scored them.
        at: The moment they were scored as of.
        scores: One score per lead.
    """

    model: str
    at: datetime
    scores: tuple[LeadScore, ...]

    def __repr__(self) -> str:
        mqls = sum(1 for s in self.scores if s.qualified)
        mean = sum(s.total for s in self.scores) / len(self.scores) if self.scores else 0.0
        return (
            f"LeadScores(model={self.model!r}, {len(self.scores)} leads, {mqls} MQL, "
            f"mean total {mean:.1f})"
        )

    def __len__(self) -> int:
        return len(self.scores)

    def __iter__(self) -> Iterator[LeadScore]:
        return iter(self.scores)

    @overload
    def __getitem__(self, index: int) -> LeadScore: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[LeadScore, ...]: ...
    def __getitem__(self, index: int | slice) -> LeadScore | tuple[LeadScore, ...]:
        return self.scores[index]

    @property
    def qualified(self) -> tuple[LeadScore, ...]:
        """The scores that qualify as MQL."""
        return tuple(s for s in self.scores if s.qualified)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per lead (see :meth:`LeadScore.as_record`), for ``pandas.DataFrame``."""
        return [s.as_record() for s in self.scores]


# -- compilation ------------------------------------------------------------------------

FitCheck = Callable[[Mapping[str, AttributeValue]], bool]


def _fit_check(rule: Rule) -> FitCheck:
    name = rule.attribute
    kind = rule.kind
    if kind is RuleKind.PRESENT:

        def present(a: Mapping[str, AttributeValue]) -> bool:
            x = a.get(name, _MISSING)  # type: ignore[arg-type]
            return x is not _MISSING and not (x.__class__ is str and not x.strip())

        return present
    if kind is RuleKind.RANGE:
        low = -_INF if rule.minimum is None else rule.minimum
        high = _INF if rule.maximum is None else rule.maximum

        def in_range(a: Mapping[str, AttributeValue]) -> bool:
            x = a.get(name, _MISSING)  # type: ignore[arg-type]
            return (x.__class__ is int or x.__class__ is float) and low <= x <= high

        return in_range
    values = rule.values
    has_bool = any(isinstance(x, bool) for x in values)
    has_number = any(isinstance(x, int | float) and not isinstance(x, bool) for x in values)
    if kind is RuleKind.EQUALS:
        value = values[0]
        if not has_bool and not has_number:

            def equals_text(a: Mapping[str, AttributeValue]) -> bool:
                return a.get(name, _MISSING) == value  # type: ignore[arg-type]

            return equals_text
    keys = frozenset(values)
    if not has_bool and not has_number:

        def in_text(a: Mapping[str, AttributeValue]) -> bool:
            return a.get(name, _MISSING) in keys  # type: ignore[arg-type]

        return in_text
    tagged = frozenset((isinstance(x, bool), x) for x in values)

    def in_tagged(a: Mapping[str, AttributeValue]) -> bool:
        x = a.get(name, _MISSING)  # type: ignore[arg-type]
        return x is not _MISSING and (x.__class__ is bool, x) in tagged

    return in_tagged


@attrs.frozen
class _Engagement:
    """An engagement rule prepared for the scoring loop."""

    rule: Rule
    kinds: frozenset[TouchpointKind] | None
    channels: frozenset[str] | None
    window: float
    constant: Contribution


Scorer = Callable[[Lead, datetime], LeadScore]


def _compile(model: ScoringModel) -> Callable[[], Scorer]:  # noqa: PLR0915
    fit_rules = [
        (_fit_check(r), Contribution(rule_id=r.id, dimension=Dimension.FIT, points=r.points))
        for r in model.rules
        if r.dimension is Dimension.FIT
    ]
    engagement = [
        _Engagement(
            rule=r,
            kinds=frozenset(r.kinds) or None,
            channels=frozenset(r.channels) or None,
            window=_INF if r.window is None else r.window.total_seconds(),
            constant=Contribution(rule_id=r.id, dimension=Dimension.ENGAGEMENT, points=r.points),
        )
        for r in model.rules
        if r.dimension is Dimension.ENGAGEMENT
    ]
    count = len(engagement)
    # the per-lead loop reads plain tuples, not attributes of rule objects
    plan = tuple(
        (
            j,
            e.rule.kind is RuleKind.TOUCHES,
            e.rule.at_least,
            e.rule.points,
            e.rule.cap,
            e.rule.id,
            e.window,
            e.constant,
            e.rule.kind is RuleKind.RECENCY,
        )
        for j, e in enumerate(engagement)
    )
    # per (kind, channel): the engagement rules a touch feeds, as (slot, window, counts)
    routes: dict[tuple[TouchpointKind, str], tuple[tuple[int, float, bool], ...]] = {}

    def route(kind: TouchpointKind, channel: str) -> tuple[tuple[int, float, bool], ...]:
        found = tuple(
            (j, e.window, e.rule.kind is RuleKind.TOUCHES)
            for j, e in enumerate(engagement)
            if (e.kinds is None or kind in e.kinds)
            and (e.channels is None or channel in e.channels)
        )
        routes[(kind, channel)] = found
        return found

    weigh = model.decay.weigher()
    grades = model.grades
    bands = model.bands
    qualification = model.qualification
    fit_cap = _INF if model.fit_cap is None else model.fit_cap
    engagement_cap = _INF if model.engagement_cap is None else model.engagement_cap
    cells: dict[tuple[str, int], str] = {}
    for letter in grades.letter_order:
        for band in (1, 2, 3, 4):
            cells[(letter, band)] = f"{_base(letter)}{band}"
    new = object.__new__
    setattr_ = object.__setattr__
    engagement_dimension = Dimension.ENGAGEMENT

    zero_counts = [0] * count
    zero_weights = [0.0] * count
    no_touch = [_INF] * count

    def make_scorer() -> Scorer:
        # scratch buffers live per scorer (one per score_many call), not per lead: fewer
        # allocations keep the garbage collector quiet when scoring millions of leads
        counts = zero_counts[:]
        weights = zero_weights[:]
        newest = no_touch[:]
        return lambda lead, at: score(lead, at, counts, weights, newest)

    def score(  # noqa: PLR0912, PLR0915 (the hot loop, kept in one frame)
        lead: Lead, at: datetime, counts: list[int], weights: list[float], newest: list[float]
    ) -> LeadScore:
        contributions: list[Contribution] = []
        attributes = lead.attributes
        fit = 0.0
        for check, constant in fit_rules:
            if check(attributes):
                fit += constant.points
                contributions.append(constant)
        fit = min(fit, fit_cap)
        engaged = 0.0
        if count:
            counts[:] = zero_counts
            weights[:] = zero_weights
            newest[:] = no_touch
            for touch in lead.touchpoints:
                age = (at - touch.at).total_seconds()
                if age < 0.0:
                    break  # touchpoints are in time order: the rest lie after `at`
                targets = routes.get((touch.kind, touch.channel))
                if targets is None:
                    targets = route(touch.kind, touch.channel)
                if not targets:
                    continue
                weight = -1.0
                for j, window, counted in targets:
                    if age <= window:
                        newest[j] = age
                        if counted:
                            if weight < 0.0:
                                weight = weigh(age)
                            if weight > 0.0:
                                counts[j] += 1
                                weights[j] += weight
            for j, touches, at_least, rule_points, cap, rule_id, window, constant, recency in plan:
                if touches:
                    hits = counts[j]
                    if hits < at_least:
                        continue
                    points = rule_points * weights[j]
                    if cap is not None:
                        points = max(-cap, min(cap, points))
                    c = new(Contribution)
                    setattr_(c, "rule_id", rule_id)
                    setattr_(c, "dimension", engagement_dimension)
                    setattr_(c, "points", points)
                    setattr_(c, "hits", hits)
                    contributions.append(c)
                    engaged += points
                elif (newest[j] <= window) is recency:
                    contributions.append(constant)
                    engaged += rule_points
        engaged = min(engaged, engagement_cap)
        total = fit + engaged
        grade = grades.grade(fit)
        band = bands.band(engaged)
        cell = cells[(grade, band)]
        return LeadScore(
            lead_id=lead.id,
            at=at,
            fit=fit,
            engagement=engaged,
            total=total,
            grade=grade,
            band=band,
            cell=cell,
            qualified=qualification.qualifies(
                fit=fit, engagement=engaged, total=total, grade=grade, cell=cell
            ),
            contributions=tuple(contributions),
        )

    return make_scorer


def _base(letter: str) -> str:
    """The letter of a grade without its plus or minus: ``"A+"`` -> ``"A"``."""
    return letter.rstrip("+-") or letter


def _rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    if isinstance(value, Rule):
        msg = f"ScoringModel.rules must be a sequence of Rule, got a single Rule {value!r}; wrap it in a tuple"
        raise ValidationError(msg)
    return v.sequence(value, "ScoringModel.rules", "Rule")


@attrs.frozen(kw_only=True)
class ScoringModel:
    """A lead-scoring model: rules in two dimensions, grading, decay and an MQL rule.

    Models are plain data: they serialize with the package converter
    (``salesmark.unstructure(model)``) so an application can store and edit them.

    Attributes:
        name: The model's name, e.g. ``"2026 inbound"``.
        rules: The rules, fit and engagement together; at least one, ids unique.
        grades: How the fit score becomes a letter grade.
        bands: How the engagement score becomes a band from 1 to 4.
        qualification: When a score counts as an MQL.
        decay: How engagement touches lose weight with age (none by default).
        fit_cap: The largest fit score a lead can reach, if capped (above 0).
        engagement_cap: The largest engagement score a lead can reach, if capped (above 0).

    Raises:
        ValidationError: If there are no rules, a rule id repeats, the qualification
            names a grade or cell the model cannot produce, a cap is not above 0, or a
            field has the wrong type.

    Example:
        >>> from datetime import datetime, timedelta, timezone
        >>> from salesmark import Lead, Touchpoint, TouchpointKind
        >>> model = ScoringModel(
        ...     name="inbound",
        ...     rules=(
        ...         Rule.one_of("industry", ("saas", "fintech"), points=15),
        ...         Rule.between("employees", minimum=50, maximum=5000, points=15),
        ...         Rule.touches("webinars", points=10, kinds=(TouchpointKind.WEBINAR,), cap=30),
        ...         Rule.inactivity("dormant", points=-20, window=timedelta(days=60)),
        ...     ),
        ...     grades=GradeScale.letters(a=30, b=15, c=5),
        ...     bands=EngagementBands(band_1=30, band_2=15, band_3=5),
        ...     qualification=Qualification(minimum_total=40, grades=("A", "B")),
        ...     decay=Decay.by_half_life(timedelta(days=30)),
        ... )
        >>> at = datetime(2026, 3, 31, tzinfo=timezone.utc)
        >>> webinar = Touchpoint(at=at - timedelta(days=30), channel="events", kind=TouchpointKind.WEBINAR)
        >>> lead = Lead.create(
        ...     id="L1", created_at=at - timedelta(days=40), touchpoints=[webinar, webinar],
        ...     attributes={"industry": "saas", "employees": 120},
        ... )
        >>> model.score(lead, at=at)
        LeadScore('L1': total 40.0 = fit 30.0 + engagement 10.0, grade A, band 3, cell A3, MQL, 3 rules fired)
    """

    name: str = attrs.field(validator=v.non_empty_text)
    rules: tuple[Rule, ...] = attrs.field(converter=_rules)
    grades: GradeScale
    bands: EngagementBands
    qualification: Qualification
    decay: Decay = attrs.field(factory=Decay)
    fit_cap: float | None = attrs.field(default=None, validator=v.optional_positive)
    engagement_cap: float | None = attrs.field(default=None, validator=v.optional_positive)
    _scorer: Callable[[], Scorer] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            msg = f"ScoringModel {self.name!r} has an empty rule set; give at least one Rule"
            raise ValidationError(msg)
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if not isinstance(rule, Rule):
                msg = f"ScoringModel.rules[{index}] must be a Rule, got {rule!r}"
                raise ValidationError(msg)
            if rule.id in seen:
                msg = f"ScoringModel.rules[{index}] repeats rule id {rule.id!r}; ids must be unique"
                raise ValidationError(msg)
            seen.add(rule.id)
        for field, cls in (
            ("grades", GradeScale),
            ("bands", EngagementBands),
            ("qualification", Qualification),
            ("decay", Decay),
        ):
            if not isinstance(getattr(self, field), cls):
                msg = f"ScoringModel.{field} must be a {cls.__name__}, got {getattr(self, field)!r}"
                raise ValidationError(msg)
        letters = self.grades.letter_order
        for grade in self.qualification.grades:
            if grade not in letters:
                msg = (
                    f"ScoringModel.qualification.grades names grade {grade!r}, which the "
                    f"grade scale never gives; its grades are {list(letters)}"
                )
                raise ValidationError(msg)
        valid_cells = sorted({f"{_base(g)}{b}" for g in letters for b in (1, 2, 3, 4)})
        for cell in self.qualification.cells:
            if cell not in valid_cells:
                msg = (
                    f"ScoringModel.qualification.cells names cell {cell!r}, which the model "
                    f"never gives; its cells are {valid_cells}"
                )
                raise ValidationError(msg)
        object.__setattr__(self, "_scorer", _compile(self))

    @property
    def fit_rules(self) -> tuple[Rule, ...]:
        """The rules of the fit dimension, in model order.

        Example:
            >>> model = ScoringModel(
            ...     name="m", rules=(Rule.equals("role", "cfo", points=20), Rule.touches("visits", points=1)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> [r.id for r in model.fit_rules]
            ['role=cfo']
        """
        return tuple(r for r in self.rules if r.dimension is Dimension.FIT)

    @property
    def engagement_rules(self) -> tuple[Rule, ...]:
        """The rules of the engagement dimension, in model order.

        Example:
            >>> model = ScoringModel(
            ...     name="m", rules=(Rule.equals("role", "cfo", points=20), Rule.touches("visits", points=1)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> [r.id for r in model.engagement_rules]
            ['visits']
        """
        return tuple(r for r in self.rules if r.dimension is Dimension.ENGAGEMENT)

    def rule(self, rule_id: str) -> Rule:
        """The rule with id ``rule_id``.

        Raises:
            UnknownReference: If the model has no such rule.

        Example:
            >>> model = ScoringModel(
            ...     name="m", rules=(Rule.present("phone", points=5),),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> model.rule("phone given").points
            5
            >>> model.rule("email given")
            Traceback (most recent call last):
            ...
            salesmark.errors.UnknownReference: ScoringModel 'm' has no rule 'email given'; rules are ['phone given']
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        from salesmark.errors import UnknownReference  # noqa: PLC0415 (rarely needed)

        msg = f"ScoringModel {self.name!r} has no rule {rule_id!r}; rules are {[r.id for r in self.rules]}"
        raise UnknownReference(msg)

    def with_rule(self, rule: Rule) -> ScoringModel:
        """Return the model with ``rule`` added, or replacing the rule of the same id.

        Example:
            >>> model = ScoringModel(
            ...     name="m", rules=(Rule.present("phone", points=5),),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> bigger = model.with_rule(Rule.equals("role", "cfo", points=20))
            >>> [(r.id, r.points) for r in bigger.with_rule(Rule.present("phone", points=8)).rules]
            [('phone given', 8), ('role=cfo', 20)]
        """
        kept = tuple(r for r in self.rules if r.id != rule.id)
        if len(kept) == len(self.rules):
            return attrs.evolve(self, rules=(*self.rules, rule))
        return attrs.evolve(self, rules=tuple(rule if r.id == rule.id else r for r in self.rules))

    def score(self, lead: Lead, *, at: datetime) -> LeadScore:
        """Score one lead as of ``at`` (touchpoints after ``at`` are ignored).

        Raises:
            NaiveDatetime: If ``at`` has no timezone.
            ValidationError: If ``lead`` is not a Lead.

        Example:
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import Lead, Touchpoint, TouchpointKind
            >>> at = datetime(2026, 3, 31, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="m", rules=(Rule.equals("role", "cfo", points=20), Rule.touches("demos", points=15, kinds=[TouchpointKind.DEMO])),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=30, band_2=15, band_3=5),
            ...     qualification=Qualification(minimum_total=30),
            ... )
            >>> demo = Touchpoint(at=at - timedelta(days=3), channel="sales", kind=TouchpointKind.DEMO)
            >>> lead = Lead.create(id="L7", created_at=at - timedelta(days=10), attributes={"role": "cfo"}, touchpoints=[demo])
            >>> score = model.score(lead, at=at)
            >>> score.total, score.cell, score.qualified
            (35.0, 'A2', True)
            >>> model.score(lead, at=at - timedelta(days=5)).total
            20.0
        """
        require_aware(at, "ScoringModel.score at")
        if not isinstance(lead, Lead):
            msg = f"ScoringModel.score lead must be a Lead, got {lead!r}"
            raise ValidationError(msg)
        return self._scorer()(lead, at)

    def score_many(self, leads: Iterable[Lead], *, at: datetime) -> LeadScores:
        """Score many leads as of ``at``, fast, in the order given.

        The rules are compiled once per model and the scratch buffers are shared across
        the batch, so each lead costs one pass over its touchpoints.

        Raises:
            NaiveDatetime: If ``at`` has no timezone.
            ValidationError: If ``leads`` is not an iterable of Lead (the message names
                the position of the first item that is not).

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="fit only", rules=(Rule.equals("region", "emea", points=10),),
            ...     grades=GradeScale.letters(a=10, b=5, c=1), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
            ...     qualification=Qualification(grades=("A",)),
            ... )
            >>> leads = [Lead.create(id=f"L{i}", created_at=at, attributes={"region": r}) for i, r in enumerate(["emea", "na"])]
            >>> scores = model.score_many(leads, at=at)
            >>> scores
            LeadScores(model='fit only', 2 leads, 1 MQL, mean total 5.0)
            >>> [s.cell for s in scores]
            ['A4', 'D4']
        """
        require_aware(at, "ScoringModel.score_many at")
        if isinstance(leads, Lead):
            msg = f"ScoringModel.score_many leads must be an iterable of Lead, got a single Lead {leads!r}; use score"
            raise ValidationError(msg)
        try:
            items = iter(leads)
        except TypeError:
            msg = f"ScoringModel.score_many leads must be an iterable of Lead, got {leads!r}"
            raise ValidationError(msg) from None
        scorer = self._scorer()
        scores = []
        for index, lead in enumerate(items):
            if not isinstance(lead, Lead):
                msg = f"ScoringModel.score_many leads[{index}] must be a Lead, got {lead!r}"
                raise ValidationError(msg)
            scores.append(scorer(lead, at))
        return LeadScores(model=self.name, at=at, scores=tuple(scores))
