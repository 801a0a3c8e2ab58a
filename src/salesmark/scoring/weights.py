"""Weight suggestions: which rules predict conversion, and what their points should be.

:func:`suggest_weights` fits an L2-regularised logistic regression on which rules
fired (pure Python, Newton's method, deterministic) and proposes new points per rule on
the model's current scale, flagging rules that carry no signal;
:meth:`WeightSuggestion.apply` returns the model with those points.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._distinct import distinct
from salesmark._records import records, row
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle
from salesmark.scoring._logistic import fit_logistic
from salesmark.scoring._outcomes import outcome_stage, reached
from salesmark.scoring.contributions import Dimension
from salesmark.scoring.model import ScoringModel

__all__ = ["RuleWeight", "WeightSuggestion", "suggest_weights"]


@attrs.frozen(kw_only=True, repr=False)
class RuleWeight:
    """What the outcome data say about one rule.

    Attributes:
        rule_id: The rule.
        dimension: Its dimension.
        fired: On how many leads it fired.
        current_points: Its points in the model now.
        coefficient: Its fitted log-odds effect on converting.
        odds_ratio: ``exp(coefficient)``: how the odds of converting change when it fires.
        suggested_points: The points the fit proposes, on the model's current scale.
        signal: Whether the rule tells converters apart (fires on some leads but not
            all, and its effect is at least the minimum effect).
        note: Why a rule is flagged, or ``""``.

    Example:
        >>> RuleWeight(rule_id="role=cfo", dimension=Dimension.FIT, fired=20, current_points=10,
        ...            coefficient=2.2, odds_ratio=9.0, suggested_points=12.5, signal=True, note="")
        RuleWeight('role=cfo': 10 -> 12.5 points, coefficient +2.200)
    """

    rule_id: str = attrs.field(validator=v.non_empty_text)
    dimension: Dimension = attrs.field(validator=v.member_of(Dimension))
    fired: int = attrs.field(validator=v.whole())
    current_points: float = attrs.field(validator=rf.number())
    coefficient: float = attrs.field(validator=rf.number())
    odds_ratio: float = attrs.field(validator=rf.number(minimum=0))
    suggested_points: float = attrs.field(validator=rf.number())
    signal: bool = attrs.field(validator=v.instance_of(bool))
    note: str = attrs.field(validator=v.instance_of(str))

    def __repr__(self) -> str:
        flag = f", {self.note}" if self.note else ""
        return (
            f"RuleWeight({self.rule_id!r}: {self.current_points:g} -> {self.suggested_points:g} "
            f"points, coefficient {self.coefficient:+.3f}{flag})"
        )


@attrs.frozen(kw_only=True, repr=False)
class WeightSuggestion:
    """New points per rule, fitted on real outcomes.

    Attributes:
        model: The model's name.
        outcome: The stage that counts as converting.
        l2: The L2 penalty used.
        leads: Leads fitted.
        converted: Leads that reached the outcome.
        intercept: The fitted intercept (log-odds of converting when no rule fires).
        iterations: Newton iterations used.
        rules: One entry per rule, in model order.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=10), AttributePresent(attribute="phone", points=10)),
        ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=20))
        >>> def lead(i, role, won):
        ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
        ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
        >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
        >>> suggestion = suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
        >>> [(r.rule_id, r.signal) for r in suggestion.rules]
        [('role=cfo', True), ('phone given', False)]
    """

    model: str = attrs.field(validator=v.non_empty_text)
    outcome: str = attrs.field(validator=v.non_empty_text)
    l2: float = attrs.field(validator=rf.number(minimum=0))
    leads: int = attrs.field(validator=v.whole())
    converted: int = attrs.field(validator=v.whole())
    intercept: float = attrs.field(validator=rf.number())
    iterations: int = attrs.field(validator=v.whole())
    rules: tuple[RuleWeight, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(RuleWeight)
    )

    def __attrs_post_init__(self) -> None:
        rf.at_most(self, ("converted", "leads"))
        for index, rule in enumerate(self.rules):
            if rule.fired > self.leads:
                msg = (
                    f"WeightSuggestion.rules[{index}].fired must be at most "
                    f"WeightSuggestion.leads ({self.leads}), got {rule.fired}"
                )
                raise ValidationError(msg, path=f"/rules/{index}/fired", value=rule.fired)

    def __repr__(self) -> str:
        flagged = [r.rule_id for r in self.rules if not r.signal]
        return (
            f"WeightSuggestion(model={self.model!r}, outcome={self.outcome!r}, {self.leads} "
            f"leads, {len(self.rules)} rules, without signal: {flagged})"
        )

    @property
    def coefficients(self) -> tuple[float, ...]:
        """The fitted coefficients, in model order.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=10), AttributePresent(attribute="phone", points=10)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
            ...     qualification=Qualification(minimum_total=20))
            >>> def lead(i, role, won):
            ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
            ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
            >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
            >>> suggestion = suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
            >>> [round(c, 2) for c in suggestion.coefficients]
            [1.88, 0.0]
        """
        return tuple(r.coefficient for r in self.rules)

    def apply(self, model: ScoringModel) -> ScoringModel:
        """Return ``model`` with every rule's points replaced by the suggested points.

        Raises:
            ValidationError: If ``model`` does not have exactly the rules suggested for.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=10), AttributePresent(attribute="phone", points=10)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
            ...     qualification=Qualification(minimum_total=20))
            >>> def lead(i, role, won):
            ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
            ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
            >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
            >>> tuned = suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t).apply(model)
            >>> [(r.id, r.points) for r in tuned.rules]
            [('role=cfo', 10.0), ('phone given', 0.0)]
        """
        suggested = {r.rule_id: r.suggested_points for r in self.rules}
        if [r.id for r in model.rules] != list(suggested):
            msg = (
                f"WeightSuggestion for rules {list(suggested)} cannot apply to model "
                f"{model.name!r} with rules {[r.id for r in model.rules]}"
            )
            raise ValidationError(msg)
        rules = tuple(attrs.evolve(r, points=suggested[r.id]) for r in model.rules)
        return attrs.evolve(model, rules=rules)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per rule (the dimension by value), for ``pandas.DataFrame``.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=10), AttributePresent(attribute="phone", points=10)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
            ...     qualification=Qualification(minimum_total=20))
            >>> def lead(i, role, won):
            ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
            ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
            >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
            >>> suggestion = suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
            >>> [(r["rule_id"], r["dimension"], r["note"]) for r in suggestion.to_records()]
            [('role=cfo', 'fit', ''), ('phone given', 'fit', 'fires for every lead')]
        """
        rows = [row(**attrs.asdict(r, recurse=False)) for r in self.rules]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


def suggest_weights(
    model: ScoringModel,
    leads: Iterable[Lead],
    *,
    lifecycle: Lifecycle,
    at: datetime,
    outcome: str | None = None,
    l2: float = 1.0,
    min_effect: float = 0.1,
) -> WeightSuggestion:
    """Fit which rules predict ``outcome`` and propose new points per rule.

    The features are the rules' hits as of ``at`` (1 when a rule fired, else 0); the
    fit is a logistic regression with an unpenalised intercept and an L2 penalty,
    minimising ``sum(log loss) + l2 / 2 * ||w||^2`` (scikit-learn's
    ``LogisticRegression(C=1 / l2)``), solved by Newton's method in pure Python:
    deterministic, no random start.
    Suggested points keep the model's scale: each rule's typical contribution when it
    fires is replaced by ``coefficient * s``, where ``s`` makes the typical
    contributions of the rules with signal sum (in absolute value) to what they sum to
    now; for ``TOUCHES`` rules the result is turned back into points per touch.
    A rule has no signal when it never fires, fires for every lead, or its coefficient
    is smaller than ``min_effect`` in absolute value; its suggested points are 0.

    Args:
        model: The model whose rules to weigh.
        leads: The leads, with their known outcomes.
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        outcome: The stage that counts as converting; the lifecycle's won stage by default.
        at: The moment to score the rules as of.
        l2: The L2 penalty, a finite number above 0 (larger shrinks coefficients more).
        min_effect: The smallest absolute coefficient that counts as signal, finite and >= 0.

    Raises:
        NaiveDatetime: If ``at`` has no timezone.
        ValidationError: If there are no leads, only one class, or a parameter is out of range.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=10), AttributePresent(attribute="phone", points=10)),
        ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=20))
        >>> def lead(i, role, won):
        ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
        ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
        >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
        >>> suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
        WeightSuggestion(model='m', outcome='won', 40 leads, 2 rules, without signal: ['phone given'])
    """
    if not v.is_finite(l2) or not l2 > 0:
        msg = f"suggest_weights l2 must be a finite number above 0, got {l2!r}"
        raise ValidationError(msg)
    if not v.is_finite(min_effect) or min_effect < 0:
        msg = f"suggest_weights min_effect must be a finite number >= 0, got {min_effect!r}"
        raise ValidationError(msg)
    stage = outcome_stage(lifecycle, outcome, "suggest_weights")
    items = distinct(leads, "suggest_weights leads", Lead)
    labels = reached(items, stage)
    converted = sum(labels)
    if not 0 < converted < len(items):
        msg = (
            f"suggest_weights needs leads that reached {stage!r} and leads that "
            f"did not, got {converted} of {len(items)}"
        )
        raise ValidationError(msg)
    scores = model.score_many(items, at=at).scores
    slots = {rule.id: index for index, rule in enumerate(model.rules)}
    size = len(model.rules)
    rows: list[list[int]] = []
    totals = [0.0] * size
    for score in scores:
        row = [0] * size
        # a rule that could not judge the lead did not fire: a 0 feature
        for c in (c for c in score.contributions if c.not_evaluated is None):
            slot = slots[c.rule_id]
            row[slot] = 1
            totals[slot] += c.points
        rows.append(row)
    intercept, coefficients, iterations = fit_logistic(rows, labels, float(l2))
    fired = [sum(row[j] for row in rows) for j in range(size)]
    typical = [totals[j] / fired[j] if fired[j] else 0.0 for j in range(size)]
    notes = []
    for j, rule in enumerate(model.rules):
        if fired[j] == 0:
            notes.append("never fires")
        elif fired[j] == len(rows):
            notes.append("fires for every lead")
        elif abs(coefficients[j]) < min_effect:
            notes.append(f"no signal (|coefficient| < {min_effect:g})")
        elif coefficients[j] * rule.points < 0:
            notes.append("sign differs from current points")
        else:
            notes.append("")
    signal = [not n or n.startswith("sign") for n in notes]
    weight = sum(abs(coefficients[j]) for j in range(size) if signal[j])
    budget = sum(abs(typical[j]) for j in range(size) if signal[j])
    scale = budget / weight if weight else 0.0
    weights = []
    for j, rule in enumerate(model.rules):
        contribution = coefficients[j] * scale if signal[j] else 0.0
        points = contribution * rule.points / typical[j] if typical[j] else contribution
        weights.append(
            RuleWeight(
                rule_id=rule.id,
                dimension=rule.dimension,
                fired=fired[j],
                current_points=rule.points,
                coefficient=coefficients[j],
                odds_ratio=math.exp(coefficients[j]),
                suggested_points=round(points, 1),
                signal=signal[j],
                note=notes[j],
            )
        )
    return WeightSuggestion(
        model=model.name,
        outcome=stage,
        l2=float(l2),
        leads=len(items),
        converted=converted,
        intercept=intercept,
        iterations=iterations,
        rules=tuple(weights),
    )
