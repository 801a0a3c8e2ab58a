"""Calibration: does the score predict what sales closes, and which points should change?

:func:`calibrate` measures a model against real outcomes (ROC AUC, conversion per grade,
band and decile, lift, MQLs let through versus converting); :func:`suggest_weights`
fits an L2-regularised logistic regression on which rules fired (pure Python,
Newton's method, deterministic) and proposes new points per rule, flagging rules that
carry no signal.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import attrs

from salesmark._validators import is_finite
from salesmark.errors import ValidationError
from salesmark.leads import Lead
from salesmark.lifecycle import Lifecycle, stage_name
from salesmark.scoring.model import LeadScore, ScoringModel
from salesmark.scoring.rules import Dimension

__all__ = [
    "Calibration",
    "GroupConversion",
    "RuleWeight",
    "WeightSuggestion",
    "calibrate",
    "hit_matrix",
    "roc_auc",
    "suggest_weights",
]


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The area under the ROC curve: the chance a random converter outscores a random non-converter.

    Ties count one half (the Mann-Whitney statistic with average ranks).

    Raises:
        ValidationError: If the lengths differ, only one class is present, or a score is
            not a number or is NaN (NaN cannot be ranked).

    Example:
        >>> roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False])
        1.0
        >>> roc_auc([0.9, 0.8, 0.3, 0.1], [False, False, True, True])
        0.0
        >>> roc_auc([1, 1, 1, 1], [True, False, True, False])
        0.5
    """
    if len(scores) != len(labels):
        msg = (
            f"roc_auc needs one label per score, got {len(scores)} scores and {len(labels)} labels"
        )
        raise ValidationError(msg)
    for index, score in enumerate(scores):
        if not isinstance(score, numbers.Real) or math.isnan(score):
            msg = f"roc_auc scores[{index}] must be a number that is not NaN, got {score!r}"
            raise ValidationError(msg)
    positives = sum(1 for x in labels if x)
    negatives = len(labels) - positives
    if not positives or not negatives:
        msg = (
            f"roc_auc needs both converting and non-converting leads, got {positives} "
            f"converting and {negatives} not"
        )
        raise ValidationError(msg)
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        average_rank = (start + end) / 2.0 + 1.0
        rank_sum += average_rank * sum(1 for i in order[start : end + 1] if labels[i])
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


@attrs.frozen(kw_only=True, repr=False)
class GroupConversion:
    """How often the leads of one group (a grade, a band, a decile) converted.

    Attributes:
        group: The group's label, e.g. ``"A"``, ``"band 1"`` or ``"decile 1"`` (the top 10%).
        leads: Leads in the group.
        converted: Of those, leads that reached the outcome.
        rate: ``converted / leads`` (``None`` for an empty group).
        lift: ``rate`` over the overall conversion rate (``None`` when undefined).
        min_total: The lowest total score in the group.
        max_total: The highest total score in the group.
    """

    group: str
    leads: int
    converted: int
    rate: float | None
    lift: float | None
    min_total: float | None
    max_total: float | None

    def __repr__(self) -> str:
        rate = "-" if self.rate is None else f"{self.rate:.1%}"
        lift = "-" if self.lift is None else f"{self.lift:.2f}"
        return (
            f"GroupConversion({self.group!r}: {self.converted}/{self.leads} = {rate}, lift {lift})"
        )


def _group(label: str, items: list[tuple[LeadScore, bool]], base: float) -> GroupConversion:
    converted = sum(1 for _, y in items if y)
    rate = converted / len(items) if items else None
    return GroupConversion(
        group=label,
        leads=len(items),
        converted=converted,
        rate=rate,
        lift=None if rate is None or base == 0 else rate / base,
        min_total=min((s.total for s, _ in items), default=None),
        max_total=max((s.total for s, _ in items), default=None),
    )


@attrs.frozen(kw_only=True, repr=False)
class Calibration:
    """How well a model's scores predict an outcome.

    Attributes:
        model: The model's name.
        outcome: The stage that counts as converting, e.g. ``"won"``.
        at: The moment the leads were scored as of.
        leads: Leads evaluated.
        converted: Leads that reached the outcome.
        base_rate: ``converted / leads``.
        auc: ROC AUC of the total score (``None`` when only one class is present).
        by_grade: Conversion per fit grade, best grade first.
        by_band: Conversion per engagement band, 1 to 4.
        deciles: Conversion per tenth of leads by total score, highest first.
        mqls: Leads the model qualifies as MQL.
        mqls_converted: MQLs that reached the outcome.
        mql_precision: ``mqls_converted / mqls``: how many MQLs the threshold lets
            through that really convert.
        mql_recall: ``mqls_converted / converted``: the share of converters the threshold catches.
    """

    model: str
    outcome: str
    at: datetime
    leads: int
    converted: int
    base_rate: float | None
    auc: float | None
    by_grade: tuple[GroupConversion, ...]
    by_band: tuple[GroupConversion, ...]
    deciles: tuple[GroupConversion, ...]
    mqls: int
    mqls_converted: int
    mql_precision: float | None
    mql_recall: float | None

    def __repr__(self) -> str:
        auc = "-" if self.auc is None else f"{self.auc:.3f}"
        return (
            f"Calibration(model={self.model!r}, outcome={self.outcome!r}: {self.converted}/"
            f"{self.leads} converted, AUC {auc}, {self.mqls} MQLs of which "
            f"{self.mqls_converted} converted)"
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One row per grade, band and decile (column ``table`` says which), for pandas."""
        return [
            {"table": table, **attrs.asdict(row)}
            for table, rows in (
                ("grade", self.by_grade),
                ("band", self.by_band),
                ("decile", self.deciles),
            )
            for row in rows
        ]


def _outcome(lifecycle: Lifecycle, outcome: str | None, caller: str) -> str:
    """The outcome stage: ``outcome`` checked against ``lifecycle``, or its won stage."""
    if not isinstance(lifecycle, Lifecycle):
        msg = f"{caller} lifecycle must be a Lifecycle, got {lifecycle!r}"
        raise ValidationError(msg)
    if outcome is None:
        return lifecycle.progression[-1] if lifecycle.progression else lifecycle.initial
    name = stage_name(outcome)
    if not lifecycle.has_stage(name):
        msg = (
            f"{caller} outcome {name!r} is not a stage of lifecycle {lifecycle.name!r}; "
            f"stages are {list(lifecycle.stage_names)}"
        )
        raise ValidationError(msg)
    return name


def _labels(leads: Sequence[Lead], outcome: str) -> list[bool]:
    return [lead.has_reached(outcome) for lead in leads]


def calibrate(
    model: ScoringModel,
    leads: Iterable[Lead],
    *,
    lifecycle: Lifecycle,
    at: datetime,
    outcome: str | None = None,
) -> Calibration:
    """Measure how well ``model``'s scores as of ``at`` predict reaching ``outcome``.

    Deciles sort leads by total score, highest first (ties keep the order given), and
    cut them into ten groups as equal as possible (fewer with fewer than ten leads).

    Args:
        model: The scoring model.
        leads: The leads, with their stage histories as they are known today.
        lifecycle: The lifecycle the leads follow (an organisation's is ``org.lifecycle``).
        at: The moment to score as of, typically before the outcomes were known.
        outcome: The stage that counts as converting; the lifecycle's won stage (the
            last of its progression) by default.

    Raises:
        NaiveDatetime: If ``at`` has no timezone.
        ValidationError: If there are no leads, or ``outcome`` is not a stage of
            ``lifecycle``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> from salesmark.scoring import EngagementBands, GradeScale, Qualification, Rule
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(Rule.equals("role", "cfo", points=30),),
        ...     grades=GradeScale.letters(a=30, b=20, c=10), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=30))
        >>> def lead(i, role, won):
        ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role})
        ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
        >>> leads = [lead(1, "cfo", True), lead(2, "cfo", False), lead(3, "it", False), lead(4, "it", False)]
        >>> calibrate(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
        Calibration(model='m', outcome='won': 1/4 converted, AUC 0.833, 2 MQLs of which 1 converted)
    """
    stage = _outcome(lifecycle, outcome, "calibrate")
    items = list(leads)
    if not items:
        msg = "calibrate needs at least one lead, got none"
        raise ValidationError(msg)
    scores = model.score_many(items, at=at).scores
    labels = _labels(items, stage)
    pairs = list(zip(scores, labels, strict=True))
    converted = sum(labels)
    base = converted / len(items)
    auc = roc_auc([s.total for s in scores], labels) if 0 < converted < len(items) else None
    by_grade = tuple(
        _group(letter, [p for p in pairs if p[0].grade == letter], base)
        for letter in model.grades.letter_order
    )
    by_band = tuple(
        _group(f"band {band}", [p for p in pairs if p[0].band == band], base)
        for band in (1, 2, 3, 4)
    )
    ranked = sorted(pairs, key=lambda p: -p[0].total)
    parts = min(10, len(ranked))
    deciles = tuple(
        _group(
            f"decile {d + 1}",
            ranked[d * len(ranked) // parts : (d + 1) * len(ranked) // parts],
            base,
        )
        for d in range(parts)
    )
    mqls = [y for s, y in pairs if s.qualified]
    caught = sum(mqls)
    return Calibration(
        model=model.name,
        outcome=stage,
        at=at,
        leads=len(items),
        converted=converted,
        base_rate=base,
        auc=auc,
        by_grade=by_grade,
        by_band=by_band,
        deciles=deciles,
        mqls=len(mqls),
        mqls_converted=caught,
        mql_precision=caught / len(mqls) if mqls else None,
        mql_recall=caught / converted if converted else None,
    )


def hit_matrix(
    model: ScoringModel, leads: Iterable[Lead], *, at: datetime
) -> tuple[tuple[int, ...], ...]:
    """For each lead, 1 or 0 per rule (in model order): whether the rule fired as of ``at``.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark.scoring import EngagementBands, GradeScale, Qualification, Rule
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(Rule.equals("role", "cfo", points=30), Rule.present("phone", points=5)),
        ...     grades=GradeScale.letters(a=30, b=20, c=10), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=30))
        >>> hit_matrix(model, [Lead.create(id="L", created_at=t, attributes={"phone": "1"})], at=t)
        ((0, 1),)
    """
    slots = {rule.id: index for index, rule in enumerate(model.rules)}
    rows = []
    for score in model.score_many(leads, at=at):
        row = [0] * len(slots)
        for c in score.contributions:
            row[slots[c.rule_id]] = 1
        rows.append(tuple(row))
    return tuple(rows)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve ``matrix @ x = vector`` by Gaussian elimination with partial pivoting."""
    size = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        lead = a[col][col]
        for r in range(col + 1, size):
            factor = a[r][col] / lead
            if factor:
                row_r, row_c = a[r], a[col]
                for k in range(col, size + 1):
                    row_r[k] -= factor * row_c[k]
    x = [0.0] * size
    for r in range(size - 1, -1, -1):
        x[r] = (a[r][size] - sum(a[r][k] * x[k] for k in range(r + 1, size))) / a[r][r]
    return x


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _fit_logistic(
    rows: Sequence[Sequence[int]], labels: Sequence[bool], l2: float
) -> tuple[float, list[float], int]:
    """L2-penalised logistic regression (intercept unpenalised) by Newton's method.

    Minimises ``sum(log loss) + l2 / 2 * ||w||^2``, the objective of scikit-learn's
    ``LogisticRegression(C=1 / l2)``.
    Identical rows are aggregated first, so the cost grows with distinct hit patterns.
    Returns the intercept, the coefficients and the Newton iterations used.
    """
    patterns: dict[tuple[int, ...], list[int]] = {}
    for row, y in zip(rows, labels, strict=True):
        tally = patterns.setdefault(tuple(row), [0, 0])
        tally[0] += 1
        tally[1] += 1 if y else 0
    data = [((1, *key), n, k) for key, (n, k) in sorted(patterns.items())]
    dims = len(data[0][0])
    beta = [0.0] * dims

    def objective(b: list[float]) -> float:
        total = 0.5 * l2 * sum(x * x for x in b[1:])
        for x, n, k in data:
            z = sum(bi * xi for bi, xi in zip(b, x, strict=True))
            # log(1 + e^z) computed stably; loss = n*log(1+e^z) - k*z
            soft = z + math.log1p(math.exp(-z)) if z > 0 else math.log1p(math.exp(z))
            total += n * soft - k * z
        return total

    current = objective(beta)
    iterations = 0
    for iterations in range(1, 101):  # noqa: B007 (the count is returned)
        gradient = [0.0] + [l2 * b for b in beta[1:]]
        hessian = [[0.0] * dims for _ in range(dims)]
        for d in range(1, dims):
            hessian[d][d] = l2
        for x, n, k in data:
            p = _sigmoid(sum(bi * xi for bi, xi in zip(beta, x, strict=True)))
            residual = n * p - k
            weight = n * p * (1.0 - p)
            for i in range(dims):
                if x[i]:
                    gradient[i] += residual
                    line = hessian[i]
                    for j in range(dims):
                        if x[j]:
                            line[j] += weight
        step = _solve(hessian, gradient)
        scale = 1.0
        while True:
            trial = [b - scale * s for b, s in zip(beta, step, strict=True)]
            value = objective(trial)
            if value <= current + 1e-12 or scale < 1e-10:
                break
            scale /= 2.0
        beta, current = trial, value
        if max(abs(scale * s) for s in step) < 1e-10:
            break
    return beta[0], beta[1:], iterations


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
    """

    rule_id: str
    dimension: Dimension
    fired: int
    current_points: float
    coefficient: float
    odds_ratio: float
    suggested_points: float
    signal: bool
    note: str

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
    """

    model: str
    outcome: str
    l2: float
    leads: int
    converted: int
    intercept: float
    iterations: int
    rules: tuple[RuleWeight, ...]

    def __repr__(self) -> str:
        flagged = [r.rule_id for r in self.rules if not r.signal]
        return (
            f"WeightSuggestion(model={self.model!r}, outcome={self.outcome!r}, {self.leads} "
            f"leads, {len(self.rules)} rules, without signal: {flagged})"
        )

    @property
    def coefficients(self) -> tuple[float, ...]:
        """The fitted coefficients, in model order."""
        return tuple(r.coefficient for r in self.rules)

    def apply(self, model: ScoringModel) -> ScoringModel:
        """Return ``model`` with every rule's points replaced by the suggested points.

        Raises:
            ValidationError: If ``model`` does not have exactly the rules suggested for.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.scoring import EngagementBands, GradeScale, Qualification, Rule
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> model = ScoringModel(name="m", rules=(Rule.equals("role", "cfo", points=10), Rule.present("phone", points=10)),
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

    def to_records(self) -> list[dict[str, Any]]:
        """One row per rule, for ``pandas.DataFrame``."""
        return [
            {**attrs.asdict(r, recurse=False), "dimension": r.dimension.value} for r in self.rules
        ]


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
        >>> from salesmark.scoring import EngagementBands, GradeScale, Qualification, Rule
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(Rule.equals("role", "cfo", points=10), Rule.present("phone", points=10)),
        ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=20))
        >>> def lead(i, role, won):
        ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role, "phone": "1"})
        ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
        >>> leads = [lead(i, "cfo" if i % 2 else "it", i % 4 == 1) for i in range(40)]
        >>> suggest_weights(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
        WeightSuggestion(model='m', outcome='won', 40 leads, 2 rules, without signal: ['phone given'])
    """
    if not is_finite(l2) or not l2 > 0:
        msg = f"suggest_weights l2 must be a finite number above 0, got {l2!r}"
        raise ValidationError(msg)
    if not is_finite(min_effect) or min_effect < 0:
        msg = f"suggest_weights min_effect must be a finite number >= 0, got {min_effect!r}"
        raise ValidationError(msg)
    stage = _outcome(lifecycle, outcome, "suggest_weights")
    items = list(leads)
    labels = _labels(items, stage)
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
        for c in score.contributions:
            slot = slots[c.rule_id]
            row[slot] = 1
            totals[slot] += c.points
        rows.append(row)
    intercept, coefficients, iterations = _fit_logistic(rows, labels, float(l2))
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
