"""The scoring model: rules, grades, bands, decay and an MQL rule, compiled once.

A :class:`ScoringModel` is data: rules, a grade scale, engagement bands, a decay and a
qualification rule.
It compiles its rules once (each rule supplies its own fast test, see
:meth:`~salesmark.scoring.fit.AttributeEquals.matcher` and
:meth:`~salesmark.scoring.engagement.EachTouch.evaluator`), so scoring a million leads
is fast, and scoring is a pure function of the lead and an explicit, timezone-aware
``at``: the same inputs always give the same :class:`~salesmark.scoring.scores.LeadScore`,
and a lead can be re-scored as of any past date (touchpoints after ``at`` are ignored).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

import attrs

from salesmark import _display
from salesmark import _validators as v
from salesmark._distinct import KnownDistinct, refuse_repeats
from salesmark._frozen import FrozenMap
from salesmark._progress import Progress, tracked
from salesmark._time import require_aware
from salesmark.errors import UnknownReference, ValidationError, WrongType
from salesmark.leads import Lead
from salesmark.scoring.contributions import Contribution, Dimension
from salesmark.scoring.decay import Decay
from salesmark.scoring.engagement import ENGAGEMENT_RULES, EngagementRule
from salesmark.scoring.fit import FIT_RULES, FitRule
from salesmark.scoring.grades import EngagementBands, GradeScale, Qualification
from salesmark.scoring.rules import SCORING_RULES, ScoringRule
from salesmark.scoring.scores import LeadScore, LeadScores

__all__ = ["ScoringModel"]

_INF = math.inf
_KIND_NAMES = ", ".join(cls.__name__ for cls in SCORING_RULES)

Scorer = Callable[[Lead, datetime], LeadScore]

# LeadScore's slot setters, for the hot loop: a slot's own setter skips the name look-up
# object.__setattr__ makes first (about a third of building a score)
_SET = {field.name: getattr(LeadScore, field.name).__set__ for field in attrs.fields(LeadScore)}


def _compile(model: ScoringModel) -> Callable[[bool], Scorer]:  # noqa: PLR0915 (one closure, kept whole)
    fit_rules = [
        (
            r.matcher(),
            r.points,
            Contribution(rule_id=r.id, dimension=Dimension.FIT, points=r.points),
            r,
        )
        for r in model.fit_rules
    ]
    engagement = model.engagement_rules
    count = len(engagement)
    windows = [_INF if r.window is None else r.window.total_seconds() for r in engagement]
    # the per-lead loop reads plain tuples: (slot, evaluator, its verdict on no touch);
    # evaluators are pure, so a rule's verdict on a lead without a matching touch in its
    # window is worked out once here rather than once per lead
    evaluators = [r.evaluator() for r in engagement]
    plan = tuple((j, e, e(0, 0.0, _INF)) for j, e in enumerate(evaluators))
    # per (kind, channel): the engagement rules a touch feeds, as (slot, window, counts)
    routes: dict[tuple[str, str], tuple[tuple[int, float, bool], ...]] = {}

    def route(kind: str, channel: str) -> tuple[tuple[int, float, bool], ...]:
        found = tuple(
            (j, windows[j], r.counts_touches)
            for j, r in enumerate(engagement)
            if r.matches(kind, channel)
        )
        routes[(kind, channel)] = found
        return found

    weigh = model.decay.weigher()
    grade_of = model.grades.grade
    band_of = model.bands.band
    qualifies = model.qualification.predicate()
    fit_cap = _INF if model.fit_cap is None else model.fit_cap
    engagement_cap = _INF if model.engagement_cap is None else model.engagement_cap
    cells: dict[tuple[str, int], str] = {}
    for letter in model.grades.letter_order:
        for band in (1, 2, 3, 4):
            cells[(letter, band)] = f"{_base(letter)}{band}"

    new = object.__new__
    frozen_map = FrozenMap
    set_id, set_at, set_fit, set_engagement, set_total = (
        _SET[name] for name in ("lead_id", "at", "fit", "engagement", "total")
    )
    set_grade, set_band, set_cell, set_qualified, set_contributions = (
        _SET[name] for name in ("grade", "band", "cell", "qualified", "contributions")
    )
    zero_counts = [0] * count
    zero_weights = [0.0] * count
    never = _INF  # the age of the newest matching touch of a rule that saw none
    no_touch = [never] * count

    def make_scorer(strict: bool) -> Scorer:  # noqa: FBT001 (private, called as _scorer(strict))
        # scratch buffers live per scorer (one per score_many call), not per lead: fewer
        # allocations keep the garbage collector quiet when scoring millions of leads
        counts = zero_counts[:]
        weights = zero_weights[:]
        newest = no_touch[:]
        last_at: list[Any] = [None, 0.0]  # the latest `at` scored and its POSIX timestamp
        return partial(score, counts, weights, newest, last_at, strict)

    def score(  # noqa: PLR0912, PLR0915, PLR0917 (the hot loop, kept in one frame; positional for speed)
        counts: list[int],
        weights: list[float],
        newest: list[float],
        last_at: list[Any],
        strict: bool,  # noqa: FBT001 (bound once by make_scorer)
        lead: Lead,
        at: datetime,
    ) -> LeadScore:
        # ages are differences of POSIX timestamps: real elapsed seconds, whatever the zones
        # (two datetimes sharing a zone would subtract by wall clock across a DST change);
        # a batch scores every lead as of one `at`, so its timestamp is worked out once
        if at is last_at[0]:
            now = last_at[1]
        else:
            now = at.timestamp()
            last_at[:] = (at, now)
        if now < lead.created_at.timestamp():
            msg = (
                f"ScoringModel {model.name!r} cannot score lead {lead.id!r} as of "
                f"{at.isoformat()}, before it was created ({lead.created_at.isoformat()})"
            )
            raise ValidationError(msg, value=at, expected="an instant on or after created_at")
        contributions: list[Contribution] = []
        # the dict inside the read-only attributes answers the rules' look-ups fastest
        # (plain() inlined: this runs once per lead)
        attributes = lead.attributes
        if attributes.__class__ is frozen_map:
            attributes = attributes._items
        fit = 0.0
        for check, rule_points, constant, rule in fit_rules:
            verdict = check(attributes)
            if verdict:
                fit += rule_points
                contributions.append(constant)
            elif verdict is None:
                contributions.append(
                    _unevaluated(model.name, lead, rule, attributes, strict=strict)
                )
        fit = min(fit, fit_cap)
        engaged = 0.0
        if count:
            # the buffers are clean here: the plan loop below resets every slot it used
            for touch in lead.touchpoints:
                age = now - touch.at.timestamp()
                if age < 0.0:
                    break  # touchpoints are in time order: the rest lie after `at`
                targets = routes.get((touch.kind, touch.channel))
                if targets is None:
                    targets = route(touch.kind, touch.channel)
                if not targets:
                    continue
                weight = None  # weighed once per touch, when a counting rule first needs it
                for j, window, counted in targets:
                    if age <= window:
                        newest[j] = age
                        if counted:
                            if weight is None:
                                weight = weigh(age)
                            if weight > 0.0:
                                counts[j] += 1
                                weights[j] += weight
            for j, evaluate, idle in plan:
                seen = newest[j]
                if seen == never:
                    c = idle
                else:
                    c = evaluate(counts[j], weights[j], seen)
                    counts[j] = 0
                    weights[j] = 0.0
                    newest[j] = never
                if c is not None:
                    contributions.append(c)
                    engaged += c.points
        engaged = min(engaged, engagement_cap)
        total = fit + engaged
        grade = grade_of(fit)
        band = band_of(engaged)
        cell = cells[(grade, band)]
        # built without attrs' __init__ (LeadScore has no validator; the fields are checked
        # when a score is structured): this runs once per lead
        s = new(LeadScore)
        set_id(s, lead.id)
        set_at(s, at)
        set_fit(s, fit)
        set_engagement(s, engaged)
        set_total(s, total)
        set_grade(s, grade)
        set_band(s, band)
        set_cell(s, cell)
        set_qualified(s, qualifies(fit, engaged, total, grade, cell))
        set_contributions(s, tuple(contributions))
        return s

    return make_scorer


def _unevaluated(
    name: str, lead: Lead, rule: FitRule, attributes: Mapping[str, Any], *, strict: bool
) -> Contribution:
    """The "not evaluated" entry of a fit rule that cannot judge ``lead``, or its error when strict."""
    reason = rule.not_evaluated(attributes) or "not evaluated"
    if strict:
        msg = (
            f"ScoringModel {name!r} could not evaluate rule {rule.id!r} on lead {lead.id!r}: "
            f"attribute {rule.attribute!r} {reason}; give the attribute, read it with an "
            "AttributeSchema, or score with strict=False to record it as not evaluated"
        )
        error = WrongType if reason.startswith("expected") else ValidationError
        raise error(msg, path=f"/attributes/{rule.attribute}", expected=reason)
    return Contribution.unevaluated(rule.id, Dimension.FIT, reason)


def _base(letter: str) -> str:
    """The letter of a grade without its plus or minus: ``"A+"`` -> ``"A"``."""
    return letter.rstrip("+-") or letter


def _rules(value: Iterable[ScoringRule]) -> tuple[ScoringRule, ...]:
    if isinstance(value, SCORING_RULES):
        msg = (
            f"ScoringModel.rules must be a sequence of scoring rules, got a single "
            f"{type(value).__name__} {value!r}; wrap it in a tuple"
        )
        raise ValidationError(msg)
    return v.sequence(value, "ScoringModel.rules", "scoring rules")


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
        >>> from salesmark import Lead, Team, Touchpoint, TouchpointKind
        >>> from salesmark.scoring import AttributeInRange, AttributeOneOf, EachTouch, NoRecentTouch
        >>> model = ScoringModel(
        ...     name="inbound",
        ...     rules=(
        ...         AttributeOneOf(attribute="industry", values=("saas", "fintech"), points=15),
        ...         AttributeInRange(attribute="employees", minimum=50, maximum=5000, points=15),
        ...         EachTouch(id="webinars", points=10, kinds=(TouchpointKind.WEBINAR,), cap=30),
        ...         NoRecentTouch(id="dormant", points=-20, window=timedelta(days=60)),
        ...     ),
        ...     grades=GradeScale.letters(a=30, b=15, c=5),
        ...     bands=EngagementBands(band_1=30, band_2=15, band_3=5),
        ...     qualification=Qualification(minimum_total=40, grades=("A", "B")),
        ...     decay=Decay.by_half_life(timedelta(days=30)),
        ... )
        >>> at = datetime(2026, 3, 31, tzinfo=timezone.utc)
        >>> webinar = Touchpoint(at=at - timedelta(days=30), channel="events", kind=TouchpointKind.WEBINAR, team=Team.MARKETING)
        >>> lead = Lead.create(
        ...     id="L1", created_at=at - timedelta(days=40), touchpoints=[webinar, webinar],
        ...     attributes={"industry": "saas", "employees": 120},
        ... )
        >>> model.score(lead, at=at)
        LeadScore('L1': total 40.0 = fit 30.0 + engagement 10.0, grade A, band 3, cell A3, MQL, 3 rules fired)
    """

    name: str = attrs.field(validator=v.non_empty_text)
    rules: tuple[ScoringRule, ...] = attrs.field(converter=_rules)
    grades: GradeScale = attrs.field(validator=v.instance_of(GradeScale))
    bands: EngagementBands = attrs.field(validator=v.instance_of(EngagementBands))
    qualification: Qualification = attrs.field(validator=v.instance_of(Qualification))
    decay: Decay = attrs.field(factory=Decay, validator=v.instance_of(Decay))
    fit_cap: float | None = attrs.field(default=None, validator=v.optional_positive)
    engagement_cap: float | None = attrs.field(default=None, validator=v.optional_positive)
    _scorer: Callable[[bool], Scorer] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if not self.rules:
            msg = f"ScoringModel {self.name!r} has an empty rule set; give at least one rule"
            raise ValidationError(msg)
        seen: set[str] = set()
        for index, rule in enumerate(self.rules):
            if not isinstance(rule, SCORING_RULES):
                msg = f"ScoringModel.rules[{index}] must be a scoring rule ({_KIND_NAMES}), got {rule!r}"
                raise WrongType(msg)
            if rule.id in seen:
                msg = f"ScoringModel.rules[{index}] repeats rule id {rule.id!r}; ids must be unique"
                raise ValidationError(msg)
            seen.add(rule.id)
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

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle, copy and deep-copy by the model's fields; the compiled scorer is rebuilt."""
        return (_model_from, ({f.name: getattr(self, f.name) for f in _INIT_FIELDS},))

    def __repr__(self) -> str:
        grades = ", ".join(f"{t.letter}>={t.minimum:g}" for t in self.grades.thresholds)
        return (
            f"ScoringModel({self.name!r}: {len(self.fit_rules)} fit + "
            f"{len(self.engagement_rules)} engagement rules, grades {grades}, "
            f"decay {self.decay.kind.value})"
        )

    def _repr_html_(self) -> str:
        """The model in a notebook: its grading and qualification, and a table of its rules."""
        q, b = self.qualification, self.bands
        facts = [
            ("grades", ", ".join(f"{t.letter} from {t.minimum:g}" for t in self.grades.thresholds)),
            ("engagement bands", f"1 from {b.band_1:g}, 2 from {b.band_2:g}, 3 from {b.band_3:g}"),
            ("MQL: total at least", q.minimum_total),
            ("MQL: grades", ", ".join(q.grades) or None),
            ("MQL: cells", ", ".join(q.cells) or None),
            ("decay", self.decay.kind.value),
            ("caps (fit / engagement)", f"{self.fit_cap or '-'} / {self.engagement_cap or '-'}"),
        ]
        rules = [
            {
                "rule": r.id,
                "dimension": "fit" if isinstance(r, FIT_RULES) else "engagement",
                "kind": type(r).__name__,
                "points": r.points,
            }
            for r in self.rules
        ]
        extra = _display.table(rules, caption=f"{len(rules)} rules", limit=len(rules))
        return _display.fields(facts, caption=repr(self), extra=extra)

    @property
    def fit_rules(self) -> tuple[FitRule, ...]:
        """The rules of the fit dimension, in model order.

        Example:
            >>> from salesmark.scoring import AttributeEquals, EachTouch
            >>> model = ScoringModel(
            ...     name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=20), EachTouch(id="visits", points=1)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> [r.id for r in model.fit_rules]
            ['role=cfo']
        """
        return tuple(r for r in self.rules if isinstance(r, FIT_RULES))

    @property
    def engagement_rules(self) -> tuple[EngagementRule, ...]:
        """The rules of the engagement dimension, in model order.

        Example:
            >>> from salesmark.scoring import AttributeEquals, EachTouch
            >>> model = ScoringModel(
            ...     name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=20), EachTouch(id="visits", points=1)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> [r.id for r in model.engagement_rules]
            ['visits']
        """
        return tuple(r for r in self.rules if isinstance(r, ENGAGEMENT_RULES))

    def rule(self, rule_id: str) -> ScoringRule:
        """The rule with id ``rule_id``.

        Raises:
            UnknownReference: If the model has no such rule.

        Example:
            >>> from salesmark.scoring import AttributePresent
            >>> model = ScoringModel(
            ...     name="m", rules=(AttributePresent(attribute="phone", points=5),),
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
        msg = f"ScoringModel {self.name!r} has no rule {rule_id!r}; rules are {[r.id for r in self.rules]}"
        raise UnknownReference(msg)

    def with_rule(self, rule: ScoringRule) -> ScoringModel:
        """Return the model with ``rule`` added, or replacing the rule of the same id.

        Example:
            >>> from salesmark.scoring import AttributeEquals, AttributePresent
            >>> model = ScoringModel(
            ...     name="m", rules=(AttributePresent(attribute="phone", points=5),),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=10, band_2=5, band_3=1),
            ...     qualification=Qualification(minimum_total=25),
            ... )
            >>> bigger = model.with_rule(AttributeEquals(attribute="role", value="cfo", points=20))
            >>> [(r.id, r.points) for r in bigger.with_rule(AttributePresent(attribute="phone", points=8)).rules]
            [('phone given', 8), ('role=cfo', 20)]
        """
        kept = tuple(r for r in self.rules if r.id != rule.id)
        if len(kept) == len(self.rules):
            return attrs.evolve(self, rules=(*self.rules, rule))
        return attrs.evolve(self, rules=tuple(rule if r.id == rule.id else r for r in self.rules))

    def score(self, lead: Lead, *, at: datetime, strict: bool = False) -> LeadScore:
        """Score one lead as of ``at`` (touchpoints after ``at`` are ignored).

        A fit rule that cannot judge the lead (its attribute missing, or ``"400"`` given
        to a range of numbers) adds an explicit "not evaluated" contribution of no
        points, listed by :attr:`LeadScore.not_evaluated` and in :meth:`LeadScore.explain`;
        with ``strict=True`` it raises instead.

        Args:
            lead: The lead.
            at: The instant scored as of (timezone-aware, not before the lead was created).
            strict: Raise on a fit rule that cannot judge the lead, rather than recording it.

        Raises:
            NaiveDatetime: If ``at`` has no timezone.
            ValidationError: If ``lead`` is not a Lead, ``at`` is before the lead was
                created, or (``strict=True``) a fit rule's attribute is missing.
            WrongType: If (``strict=True``) a fit rule's attribute is of the wrong kind.

        Example:
            >>> from salesmark.scoring import AttributeEquals, EachTouch
            >>> from datetime import datetime, timedelta, timezone
            >>> from salesmark import Lead, Team, Touchpoint, TouchpointKind
            >>> at = datetime(2026, 3, 31, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=20), EachTouch(id="demos", points=15, kinds=[TouchpointKind.DEMO])),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=30, band_2=15, band_3=5),
            ...     qualification=Qualification(minimum_total=30),
            ... )
            >>> demo = Touchpoint(at=at - timedelta(days=3), channel="sales", kind=TouchpointKind.DEMO, team=Team.SALES)
            >>> lead = Lead.create(id="L7", created_at=at - timedelta(days=10), attributes={"role": "cfo"}, touchpoints=[demo])
            >>> score = model.score(lead, at=at)
            >>> score.total, score.cell, score.qualified
            (35.0, 'A2', True)
            >>> model.score(lead, at=at - timedelta(days=5)).total
            20.0
        """
        require_aware(at, "ScoringModel.score at")
        v.require(lead, Lead, "ScoringModel.score lead")
        v.require(strict, bool, "ScoringModel.score strict")
        return self._scorer(strict)(lead, at)

    def score_many(
        self,
        leads: Iterable[Lead],
        *,
        at: datetime,
        strict: bool = False,
        progress: Progress = None,
    ) -> LeadScores:
        """Score many leads as of ``at``, fast, in the order given.

        The rules are compiled once per model and the scratch buffers are shared across
        the batch, so each lead costs one pass over its touchpoints. Rules that cannot
        judge a lead are recorded as in :meth:`score`, or raise with ``strict=True``.

        Args:
            leads: The leads, in the order their scores come back.
            at: The moment scored as of (timezone-aware).
            strict: Raise on a fit rule that cannot judge a lead, rather than recording it.
            progress: Called as ``progress(done, total)`` with the leads scored so far
                (at most about a hundred times; a stream of leads is read into a list
                first, to count it), or ``True`` for a tqdm bar (the ``progress`` extra).

        Raises:
            NaiveDatetime: If ``at`` has no timezone.
            ValidationError: If ``leads`` is not an iterable of Lead (the message names
                the position of the first item that is not), ``at`` is before a lead
                was created, or (``strict=True``) a fit rule's attribute is missing.
            WrongType: If (``strict=True``) a fit rule's attribute is of the wrong kind.

        Example:
            >>> from salesmark.scoring import AttributeEquals
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="fit only", rules=(AttributeEquals(attribute="region", value="emea", points=10),),
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
        if isinstance(leads, str | bytes | Mapping) or not isinstance(leads, Iterable):
            msg = f"ScoringModel.score_many leads must be an iterable of Lead, got {leads!r}"
            raise WrongType(msg)
        v.require(strict, bool, "ScoringModel.score_many strict")
        scorer = self._scorer(strict)
        scores = []
        ids = []
        # one pass that checks and scores, so a stream of leads is never held twice
        for index, lead in enumerate(tracked(leads, progress, what="score_many")):
            if not isinstance(lead, Lead):
                msg = f"ScoringModel.score_many leads[{index}] must be a Lead, got {lead!r}"
                raise WrongType(msg)
            ids.append(lead.id)
            scores.append(scorer(lead, at))
        if not isinstance(leads, KnownDistinct):  # an organisation's leads are distinct
            refuse_repeats(ids, "ScoringModel.score_many leads")
        return LeadScores(model=self.name, at=at, scores=tuple(scores))


_INIT_FIELDS = tuple(f for f in attrs.fields(ScoringModel) if f.init)


def _model_from(fields: dict[str, Any]) -> ScoringModel:
    """A model rebuilt from its fields (how a pickled or copied model comes back)."""
    return ScoringModel(**fields)
