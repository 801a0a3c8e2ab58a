"""The results of scoring: one lead's score with its explanation, and the scores of many.

A :class:`LeadScore` says how many points a lead has in each dimension, its grade,
band and matrix cell, whether it is an MQL, and which rules fired for how much.
:class:`LeadScores` holds the scores of a batch in the order the leads were given.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, overload

import attrs

from salesmark import _display, _frames
from salesmark import _result_fields as rf
from salesmark import _validators as v
from salesmark._distinct import Once
from salesmark._records import records, row
from salesmark.errors import SalesmarkError, ValidationError
from salesmark.scoring.contributions import Contribution, Dimension

__all__ = ["LeadScore", "LeadScores"]

_BANDS = (1, 2, 3, 4)


def _check_score(score: LeadScore) -> None:
    """Refuse an unsound ``score`` with a ValidationError naming the field (its path too).

    A score the model computed is sound by construction; this checks one read from
    data (``structure``), where nothing else would: text ids, grade and cell, an aware
    moment, finite points that add up (``total == fit + engagement``), a band of 1-4,
    a boolean verdict, and contributions of known dimensions with finite points and at
    least one hit. The hot scoring loop never pays for it.
    """
    fields = attrs.fields(LeadScore)
    for name in ("lead_id", "grade", "cell"):
        text: attrs.Attribute[Any] = getattr(fields, name)
        v.instance_of(str)(score, text, getattr(score, name))
        v.non_empty_text(score, text, getattr(score, name))
    v.instance_of(datetime)(score, fields.at, score.at)
    v.aware(score, fields.at, score.at)
    for name in ("fit", "engagement", "total"):
        v.finite(score, getattr(fields, name), getattr(score, name))
    if score.total != score.fit + score.engagement:
        msg = f"LeadScore.total must be fit + engagement ({score.fit!r} + {score.engagement!r}), got {score.total!r}"
        raise ValidationError(msg, path="/total", value=score.total)
    if isinstance(score.band, bool) or score.band not in _BANDS:
        msg = f"LeadScore.band must be 1, 2, 3 or 4, got {score.band!r}"
        raise ValidationError(msg, path="/band", value=score.band)
    v.instance_of(bool)(score, fields.qualified, score.qualified)
    index = 0
    try:
        for index, item in enumerate(score.contributions):  # noqa: B007 (read below)
            _check_contribution(item)
    except SalesmarkError as exc:
        exc.path = f"/contributions/{index}{exc.path or ''}"
        raise


def _check_contribution(item: Contribution) -> None:
    fields = attrs.fields(Contribution)
    v.non_empty_text(item, fields.rule_id, item.rule_id)
    v.member_of(Dimension)(item, fields.dimension, item.dimension)
    v.finite(item, fields.points, item.points)
    # a rule that could not judge the lead fired no times; one that did fired at least once
    v.whole(0 if item.not_evaluated is not None else 1)(item, fields.hits, item.hits)


def checked_scores(scores: LeadScores) -> LeadScores:
    """``scores`` read from data, if every score is sound and each lead is scored once.

    Raises:
        ValidationError: Naming the first unsound field (see :func:`_check_score`) or
            the repeated lead id.
    """
    once = Once("LeadScores.scores")
    index = 0
    try:
        for index, score in enumerate(scores.scores):
            _check_score(score)
            once.see(score.lead_id, index)
    except SalesmarkError as exc:
        if exc.path is not None:
            exc.path = f"/scores/{index}{exc.path}"
        raise
    return scores


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

    Example:
        >>> from datetime import datetime, timezone
        >>> from salesmark.scoring import Dimension
        >>> LeadScore(
        ...     lead_id="L1", at=datetime(2026, 3, 1, tzinfo=timezone.utc), fit=20.0, engagement=4.0,
        ...     total=24.0, grade="A", band=4, cell="A4", qualified=True,
        ...     contributions=(Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20),
        ...                    Contribution(rule_id="visits", dimension=Dimension.ENGAGEMENT, points=4.0, hits=4)),
        ... )
        LeadScore('L1': total 24.0 = fit 20.0 + engagement 4.0, grade A, band 4, cell A4, MQL, 2 rules fired)
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
            f"cell {self.cell}, {mql}, {self.rules_fired} rules fired{self._unjudged()})"
        )

    def _unjudged(self) -> str:
        count = len(self.not_evaluated)
        return f", {count} not evaluated" if count else ""

    @property
    def rules_fired(self) -> int:
        """How many rules fired (not counting those that could not be evaluated).

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.scoring import Dimension
            >>> score = LeadScore(lead_id="L1", at=datetime(2026, 3, 1, tzinfo=timezone.utc), fit=0.0,
            ...     engagement=0.0, total=0.0, grade="D", band=4, cell="D4", qualified=False,
            ...     contributions=(Contribution.unevaluated("size", Dimension.FIT, "missing"),))
            >>> score.rules_fired, len(score.not_evaluated)
            (0, 1)
        """
        return sum(1 for c in self.contributions if c.not_evaluated is None)

    @property
    def not_evaluated(self) -> tuple[Contribution, ...]:
        """The rules that could not judge this lead (attribute missing or of the wrong kind).

        Each is a :class:`Contribution` of no points whose ``not_evaluated`` says why.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.scoring import Dimension
            >>> score = LeadScore(lead_id="L1", at=datetime(2026, 3, 1, tzinfo=timezone.utc), fit=0.0,
            ...     engagement=0.0, total=0.0, grade="D", band=4, cell="D4", qualified=False,
            ...     contributions=(Contribution.unevaluated("size", Dimension.FIT, "expected a number, got '400'"),))
            >>> [c.not_evaluated for c in score.not_evaluated]
            ["expected a number, got '400'"]
        """
        return tuple(c for c in self.contributions if c.not_evaluated is not None)

    def explain(self) -> tuple[str, ...]:
        """One line per rule that fired, biggest first, then one per rule not evaluated.

        Points are rounded to 0.1; a rule that could not judge the lead says why.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark import Lead
            >>> from salesmark.scoring import (AttributeEquals, AttributePresent, EngagementBands,
            ...     GradeScale, Qualification, ScoringModel)
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> model = ScoringModel(
            ...     name="demo",
            ...     rules=(AttributeEquals(attribute="role", value="cfo", points=20), AttributePresent(attribute="phone", points=5)),
            ...     grades=GradeScale.letters(a=20, b=10, c=5), bands=EngagementBands(band_1=30, band_2=20, band_3=10),
            ...     qualification=Qualification(minimum_total=20),
            ... )
            >>> lead = Lead.create(id="L1", created_at=at, attributes={"role": "cfo", "phone": "+1 555"})
            >>> model.score(lead, at=at).explain()
            ('+20 fit: role=cfo', '+5 fit: phone given')
            >>> model.score(Lead.create(id="L2", created_at=at, attributes={"role": 7}), at=at).explain()
            ('not evaluated fit: role=cfo (expected text, got 7)',)
        """
        fired = [c for c in self.contributions if c.not_evaluated is None]
        ordered = sorted(fired, key=lambda c: -abs(c.points))
        lines = []
        for c in ordered:
            times = f" ({c.hits} touches)" if c.hits != 1 else ""
            lines.append(f"{round(c.points, 1):+g} {c.dimension.value}: {c.rule_id}{times}")
        lines.extend(
            f"not evaluated {c.dimension.value}: {c.rule_id} ({c.not_evaluated})"
            for c in self.not_evaluated
        )
        return tuple(lines)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """The score as a single flat row (without the per-rule contributions), for pandas.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.scoring import Dimension
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> score = LeadScore(lead_id="L1", at=at, fit=20, engagement=0.0, total=20.0, grade="A",
            ...     band=4, cell="A4", qualified=True,
            ...     contributions=(Contribution(rule_id="role=cfo", dimension=Dimension.FIT, points=20),))
            >>> [(r["lead_id"], r["total"], r["cell"], r["rules_fired"]) for r in score.to_records()]
            [('L1', 20.0, 'A4', 1)]
        """
        rows = [
            row(
                lead_id=self.lead_id,
                at=self.at,
                fit=self.fit,
                engagement=self.engagement,
                total=self.total,
                grade=self.grade,
                band=self.band,
                cell=self.cell,
                qualified=self.qualified,
                rules_fired=self.rules_fired,
                rules_not_evaluated=len(self.not_evaluated),
            )
        ]
        return records(rows, exact=exact)

    to_frame = _frames.to_frame

    def _repr_html_(self) -> str:
        facts = [
            ("total", self.total),
            ("fit", self.fit),
            ("engagement", self.engagement),
            ("grade / band / cell", f"{self.grade} / {self.band} / {self.cell}"),
            ("MQL", self.qualified),
            ("scored as of", self.at),
        ]
        explained = _display.table(self.contribution_records(), caption="rules that fired")
        return _display.fields(facts, caption=repr(self), extra=explained)

    def contribution_records(self) -> list[dict[str, Any]]:
        """One row per contribution (the explanation as a table), for pandas.

        Example:
            >>> from datetime import datetime, timezone
            >>> from salesmark.scoring import Dimension
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> score = LeadScore(lead_id="L1", at=at, fit=0.0, engagement=2.0, total=2.0, grade="D",
            ...     band=4, cell="D4", qualified=False,
            ...     contributions=(Contribution(rule_id="visits", dimension=Dimension.ENGAGEMENT, points=2.0, hits=2),))
            >>> score.contribution_records()
            [{'lead_id': 'L1', 'rule_id': 'visits', 'dimension': 'engagement', 'points': 2.0, 'hits': 2, 'not_evaluated': None}]
        """
        return [
            row(
                lead_id=self.lead_id,
                rule_id=c.rule_id,
                dimension=c.dimension,
                points=c.points,
                hits=c.hits,
                not_evaluated=c.not_evaluated,
            )
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

    Example:
        >>> from datetime import datetime, timezone
        >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
        >>> def score(lead_id, total):
        ...     return LeadScore(lead_id=lead_id, at=at, fit=total, engagement=0.0, total=total,
        ...         grade="A" if total >= 10 else "D", band=4, cell="A4" if total >= 10 else "D4",
        ...         qualified=total >= 10, contributions=())
        >>> scores = LeadScores(model="m", at=at, scores=(score("L1", 12.0), score("L2", 3.0)))
        >>> scores, len(scores), scores[1].lead_id
        (LeadScores(model='m', 2 leads, 1 MQL, mean total 7.5), 2, 'L2')
    """

    model: str = attrs.field(validator=v.non_empty_text)
    at: datetime = attrs.field(validator=v.aware)
    scores: tuple[LeadScore, ...] = attrs.field(
        converter=rf.lenient_tuple, validator=rf.tuple_of(LeadScore)
    )

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
        """The scores that qualify as MQL.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> mql = LeadScore(lead_id="L1", at=at, fit=9.0, engagement=0.0, total=9.0, grade="A",
            ...     band=4, cell="A4", qualified=True, contributions=())
            >>> [s.lead_id for s in LeadScores(model="m", at=at, scores=(mql,)).qualified]
            ['L1']
        """
        return tuple(s for s in self.scores if s.qualified)

    def to_records(self, *, exact: bool = False) -> list[dict[str, Any]]:
        """One row per lead (the row of :meth:`LeadScore.to_records`), for pandas.

        Example:
            >>> from datetime import datetime, timezone
            >>> at = datetime(2026, 3, 1, tzinfo=timezone.utc)
            >>> one = LeadScore(lead_id="L1", at=at, fit=9.0, engagement=0.0, total=9.0, grade="A",
            ...     band=4, cell="A4", qualified=True, contributions=())
            >>> [r["lead_id"] for r in LeadScores(model="m", at=at, scores=(one, one)).to_records()]
            ['L1', 'L1']
        """
        return [record for s in self.scores for record in s.to_records(exact=exact)]

    to_frame = _frames.to_frame

    def _repr_html_(self) -> str:
        first = [r for s in self.scores[: _display.ROWS] for r in s.to_records()]
        return _display.table(first, caption=repr(self), total=len(self.scores))
