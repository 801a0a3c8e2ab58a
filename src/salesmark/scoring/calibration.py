"""Calibration: does the score predict what sales closes?

:func:`calibrate` measures a model against real outcomes (ROC AUC, conversion per grade,
band and decile, lift, MQLs let through versus converting); :func:`hit_matrix` says
which rules fired for which lead, the features :func:`~salesmark.scoring.weights.suggest_weights`
fits to propose new points.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
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
from salesmark.scoring._outcomes import outcome_stage, reached
from salesmark.scoring.model import ScoringModel
from salesmark.scoring.scores import LeadScore

__all__ = ["Calibration", "GroupConversion", "calibrate", "hit_matrix", "roc_auc"]


def roc_auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """The area under the ROC curve: the chance a random converter outscores a random non-converter.

    Ties count one half (the Mann-Whitney statistic with average ranks).

    Raises:
        ValidationError: If the lengths differ, only one class is present, or a score is
            not a number or is NaN (NaN cannot be ranked).
        WrongType: If ``scores`` or ``labels`` is not a sequence.

    Example:
        >>> roc_auc([0.9, 0.8, 0.3, 0.1], [True, True, False, False])
        1.0
        >>> roc_auc([0.9, 0.8, 0.3, 0.1], [False, False, True, True])
        0.0
        >>> roc_auc([1, 1, 1, 1], [True, False, True, False])
        0.5
    """
    scores = v.sequence(scores, "roc_auc scores", "numbers")
    labels = v.sequence(labels, "roc_auc labels", "bools")
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

    Example:
        >>> GroupConversion(group="A", leads=40, converted=10, rate=0.25, lift=2.0, min_total=30.0, max_total=55.0)
        GroupConversion('A': 10/40 = 25.0%, lift 2.00)
    """

    group: str = attrs.field(validator=v.non_empty_text)
    leads: int = attrs.field(validator=v.whole())
    converted: int = attrs.field(validator=v.whole())
    rate: float | None = attrs.field(validator=rf.number(minimum=0, maximum=1, optional=True))
    lift: float | None = attrs.field(validator=rf.number(minimum=0, optional=True))
    min_total: float | None = attrs.field(validator=rf.number(optional=True))
    max_total: float | None = attrs.field(validator=rf.number(optional=True))

    def __attrs_post_init__(self) -> None:
        rf.at_most(self, ("converted", "leads"))
        rf.ordered(self, "min_total", "max_total")

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

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark import DEMAND_WATERFALL
        >>> from salesmark.scoring import AttributePresent, EngagementBands, GradeScale, Qualification
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(AttributePresent(attribute="phone", points=30),),
        ...     grades=GradeScale.letters(a=30, b=20, c=10), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=30))
        >>> won = Lead.create(id="L1", created_at=t, stage="opportunity", attributes={"phone": "1"}).advance("won", at=t)
        >>> lost = Lead.create(id="L2", created_at=t, stage="opportunity").advance("lost", at=t, reason="price")
        >>> result = calibrate(model, [won, lost], lifecycle=DEMAND_WATERFALL, at=t)
        >>> result.auc, result.mql_precision, result.mql_recall
        (1.0, 1.0, 1.0)
    """

    model: str = attrs.field(validator=v.non_empty_text)
    outcome: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    leads: int = attrs.field(validator=v.whole())
    converted: int = attrs.field(validator=v.whole())
    base_rate: float | None = attrs.field(validator=rf.number(minimum=0, maximum=1, optional=True))
    auc: float | None = attrs.field(validator=rf.number(minimum=0, maximum=1, optional=True))
    by_grade: tuple[GroupConversion, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(GroupConversion)
    )
    by_band: tuple[GroupConversion, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(GroupConversion)
    )
    deciles: tuple[GroupConversion, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(GroupConversion)
    )
    mqls: int = attrs.field(validator=v.whole())
    mqls_converted: int = attrs.field(validator=v.whole())
    mql_precision: float | None = attrs.field(
        validator=rf.number(minimum=0, maximum=1, optional=True)
    )
    mql_recall: float | None = attrs.field(validator=rf.number(minimum=0, maximum=1, optional=True))

    def __attrs_post_init__(self) -> None:
        rf.at_most(
            self,
            ("converted", "leads"),
            ("mqls", "leads"),
            ("mqls_converted", "mqls"),
            ("mqls_converted", "converted"),
        )

    def __repr__(self) -> str:
        auc = "-" if self.auc is None else f"{self.auc:.3f}"
        return (
            f"Calibration(model={self.model!r}, outcome={self.outcome!r}: {self.converted}/"
            f"{self.leads} converted, AUC {auc}, {self.mqls} MQLs of which "
            f"{self.mqls_converted} converted)"
        )

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per grade, band and decile (column ``table`` says which), for pandas.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import DEMAND_WATERFALL
            >>> from salesmark.scoring import AttributePresent, EngagementBands, GradeScale, Qualification
            >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
            >>> model = ScoringModel(name="m", rules=(AttributePresent(attribute="phone", points=30),),
            ...     grades=GradeScale.letters(a=30, b=20, c=10), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
            ...     qualification=Qualification(minimum_total=30))
            >>> leads = [Lead.create(id="L1", created_at=t, stage="opportunity", attributes={"phone": "1"}).advance("won", at=t)]
            >>> records = calibrate(model, leads, lifecycle=DEMAND_WATERFALL, at=t).to_records()
            >>> [(r["table"], r["group"], r["leads"]) for r in records if r["leads"]]
            [('grade', 'A', 1), ('band', 'band 4', 1), ('decile', 'decile 1', 1)]
        """
        rows = [
            row(table=table, **attrs.asdict(group, recurse=False))
            for table, groups in (
                ("grade", self.by_grade),
                ("band", self.by_band),
                ("decile", self.deciles),
            )
            for group in groups
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame
    _repr_html_ = _display.result_html


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
        >>> from salesmark.scoring import AttributeEquals, EngagementBands, GradeScale, Qualification
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=30),),
        ...     grades=GradeScale.letters(a=30, b=20, c=10), bands=EngagementBands(band_1=3, band_2=2, band_3=1),
        ...     qualification=Qualification(minimum_total=30))
        >>> def lead(i, role, won):
        ...     x = Lead.create(id=f"L{i}", created_at=t, stage="opportunity", attributes={"role": role})
        ...     return x.advance("won" if won else "lost", at=t, reason=None if won else "price")
        >>> leads = [lead(1, "cfo", True), lead(2, "cfo", False), lead(3, "it", False), lead(4, "it", False)]
        >>> calibrate(model, leads, lifecycle=DEMAND_WATERFALL, at=t)
        Calibration(model='m', outcome='won': 1/4 converted, AUC 0.833, 2 MQLs of which 1 converted)
    """
    stage = outcome_stage(lifecycle, outcome, "calibrate")
    items = distinct(leads, "calibrate leads", Lead)
    if not items:
        msg = "calibrate needs at least one lead, got none"
        raise ValidationError(msg)
    scores = model.score_many(items, at=at).scores
    labels = reached(items, stage)
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

    A rule that could not judge a lead (its attribute missing or of the wrong kind) did
    not fire: 0.

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark.scoring import AttributeEquals, AttributePresent, EngagementBands, GradeScale, Qualification
        >>> t = datetime(2026, 1, 5, tzinfo=timezone.utc)
        >>> model = ScoringModel(name="m", rules=(AttributeEquals(attribute="role", value="cfo", points=30), AttributePresent(attribute="phone", points=5)),
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
            if c.not_evaluated is None:  # a rule that could not judge the lead did not fire
                row[slots[c.rule_id]] = 1
        rows.append(tuple(row))
    return tuple(rows)
