"""Lifecycles: the stages a lead moves through and the legal moves between them.

A :class:`Lifecycle` is data, not ``if`` chains: its stages, which are terminal, the
transitions between them and the reason codes a transition requires. Two presets ship:
:data:`DEMAND_WATERFALL` (the default, modelled on the demand waterfall) and
:data:`HUBSPOT`; an application can define its own. Stages carry a win probability and a
:class:`ForecastCategory` as CRM deal stages do; :data:`SALESFORCE_OPPORTUNITY` and
:data:`HUBSPOT_DEALS` are the vendors' default deal pipelines.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import pairwise

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark._stage_names import (
    optional_stage_field,
    reason_codes,
    reasons_field,
    stage_field,
    stage_name,
    stages_field,
)
from salesmark.errors import IllegalTransition, MissingReason, ValidationError

__all__ = [
    "DEMAND_WATERFALL",
    "HUBSPOT",
    "HUBSPOT_DEALS",
    "SALESFORCE_OPPORTUNITY",
    "DisqualificationReason",
    "ForecastCategory",
    "HubSpotStage",
    "Lifecycle",
    "LostReason",
    "RecycleReason",
    "RejectionReason",
    "Stage",
    "StageDefinition",
    "Transition",
    "stage_name",
]


class Stage(str, enum.Enum):
    """The stages of the default demand-waterfall lifecycle.

    ``REJECTED`` is sales turning a lead down *before* contact (mis-routed, bad data,
    below criteria); ``DISQUALIFIED`` is sales ruling it out *after* contact
    (unreachable, no need, no budget, no fit). ``RECYCLED`` hands a lead back to
    marketing for nurture.
    """

    INQUIRY = "inquiry"
    MQL = "mql"
    SAL = "sal"
    SQL = "sql"
    OPPORTUNITY = "opportunity"
    WON = "won"
    LOST = "lost"
    REJECTED = "rejected"
    RECYCLED = "recycled"
    DISQUALIFIED = "disqualified"


class HubSpotStage(str, enum.Enum):
    """The default HubSpot lifecycle stages."""

    SUBSCRIBER = "subscriber"
    LEAD = "lead"
    MQL = "marketingqualifiedlead"
    SQL = "salesqualifiedlead"
    OPPORTUNITY = "opportunity"
    CUSTOMER = "customer"
    EVANGELIST = "evangelist"
    OTHER = "other"


class RejectionReason(str, enum.Enum):
    """Why sales rejected a lead before contacting it."""

    MIS_ROUTED = "mis_routed"
    BAD_DATA = "bad_data"
    BELOW_CRITERIA = "below_criteria"
    DUPLICATE = "duplicate"
    EXISTING_CUSTOMER = "existing_customer"
    COMPETITOR = "competitor"


class DisqualificationReason(str, enum.Enum):
    """Why sales disqualified a lead after contacting it."""

    UNREACHABLE = "unreachable"
    NO_NEED = "no_need"
    NO_BUDGET = "no_budget"
    NO_FIT = "no_fit"
    NO_AUTHORITY = "no_authority"
    CHOSE_COMPETITOR = "chose_competitor"


class LostReason(str, enum.Enum):
    """Why an opportunity was lost."""

    PRICE = "price"
    COMPETITOR = "competitor"
    NO_DECISION = "no_decision"
    PRODUCT_GAP = "product_gap"
    TIMING = "timing"


class RecycleReason(str, enum.Enum):
    """Why a lead went back to marketing for nurture."""

    NOT_READY = "not_ready"
    TIMING = "timing"
    NO_RESPONSE = "no_response"
    REENGAGE = "reengage"


class ForecastCategory(str, enum.Enum):
    """Where a deal counts in a forecast roll-up (Salesforce's standard categories).

    Commit is closed plus committed deals; best case adds the deals that could close;
    pipeline adds every other open deal; omitted deals count nowhere.
    """

    PIPELINE = "pipeline"
    BEST_CASE = "best_case"
    COMMIT = "commit"
    CLOSED = "closed"
    OMITTED = "omitted"


@attrs.frozen(kw_only=True)
class StageDefinition:
    """One stage of a lifecycle.

    Attributes:
        name: The stage's key, e.g. ``"mql"``.
        terminal: Whether a lead that reaches it can never move again.
        label: A human label for reports, e.g. ``"Marketing qualified lead"``.
        probability: The configured chance that a deal in this stage is won, from 0 to
            1 (a Decimal, an int or a numeric string), or ``None`` when not configured.
        forecast_category: Where a deal in this stage counts in a forecast roll-up, or
            ``None`` for the default (see :meth:`Lifecycle.forecast_category`).

    Example:
        >>> StageDefinition(name="proposal", probability="0.75", forecast_category=ForecastCategory.BEST_CASE).probability
        Decimal('0.75')
    """

    name: str = attrs.field(converter=stage_field)
    terminal: bool = attrs.field(default=False, validator=v.instance_of(bool))
    label: str = attrs.field(default="", validator=v.instance_of(str))
    probability: Decimal | None = attrs.field(
        default=None,
        converter=v.optional_decimal_field,
        validator=attrs.validators.optional(v.fraction),
    )
    forecast_category: ForecastCategory | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(ForecastCategory))
    )


@attrs.frozen(kw_only=True)
class Transition:
    """A legal move from one stage to another.

    Attributes:
        source: The stage moved from.
        target: The stage moved to.
        reasons: The reason codes accepted for this move. When not empty, a move must
            give one of them; when empty, no reason is needed (one may still be noted).
    """

    source: str = attrs.field(converter=stage_field)
    target: str = attrs.field(converter=stage_field)
    reasons: tuple[str, ...] = attrs.field(default=(), converter=reasons_field)


@attrs.frozen(kw_only=True)
class Lifecycle:
    """The stages of a lead's journey and the legal moves between them.

    Attributes:
        name: The lifecycle's name, e.g. ``"demand_waterfall"``.
        stages: Every stage, in display order.
        initial: The stage a new lead starts in.
        progression: The main path from first stage to a won deal, in order; funnel
            analytics count and convert along it. Its last stage is the won deal and
            the one before it the opportunity.
        transitions: Every legal move.
        handover: The stage of the progression at which marketing hands a lead to
            sales: the MQL. SLA clocks start here, and the next stage of the
            progression is sales accepting the lead (see :attr:`accepted`). By
            default the second stage of the progression (the first, if it has only two).
        rejection: The stage that means sales turned a handed-over lead down *before*
            contacting it (mis-routed, bad data), or ``None``. A lead rejected this way
            owes no follow-up and no attempts, but does owe feedback (see
            :mod:`salesmark.compliance`). Demand waterfall: ``rejected``; HubSpot: none.
        given_up: The stages that mean sales stopped working a lead after contact: the
            SLA's minimum attempts are judged on entering one (demand waterfall:
            ``recycled`` and ``disqualified``; HubSpot: ``other``; none: never judged).

    Raises:
        ValidationError: If a stage is named twice, a transition, the initial stage,
            the handover, the rejection or a given-up stage names an unknown stage, the
            handover is the last stage of the progression, the rejection or a given-up
            stage is on the progression, or a terminal stage has a way out.

    Example:
        >>> DEMAND_WATERFALL
        Lifecycle('demand_waterfall')
        >>> DEMAND_WATERFALL.targets("mql")
        ('sal', 'rejected', 'recycled')
        >>> DEMAND_WATERFALL.is_terminal("won")
        True
    """

    name: str = attrs.field(validator=v.non_empty_text)
    stages: tuple[StageDefinition, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(StageDefinition)
    )
    initial: str = attrs.field(converter=stage_field)
    progression: tuple[str, ...] = attrs.field(converter=stages_field)
    transitions: tuple[Transition, ...] = attrs.field(
        converter=v.tuple_field, validator=v.items_of(Transition)
    )
    handover: str = attrs.field(converter=stage_field)

    @handover.default
    def _second_stage(self) -> str:
        if len(self.progression) > 2:  # first stage, handover, ..., won
            return self.progression[1]
        return self.progression[0] if self.progression else self.initial

    rejection: str | None = attrs.field(default=None, converter=optional_stage_field)
    given_up: tuple[str, ...] = attrs.field(default=(), converter=stages_field)

    _moves: FrozenMap[tuple[str, str], Transition] = attrs.field(
        init=False, eq=False, hash=False, repr=False
    )
    _terminal: frozenset[str] = attrs.field(init=False, eq=False, hash=False, repr=False)
    _names: tuple[str, ...] = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        names = [s.name for s in self.stages]
        if not names:
            msg = f"Lifecycle {self.name!r} must have at least one stage"
            raise ValidationError(msg)
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            msg = f"Lifecycle {self.name!r} names stages more than once: {dupes}"
            raise ValidationError(msg)
        self._check_named_stages(names)
        if len(self.progression) > 1 and self.handover not in self.progression[:-1]:
            msg = (
                f"Lifecycle.handover must be a stage of the progression before its last, "
                f"got {self.handover!r}; progression is {list(self.progression)}"
            )
            raise ValidationError(msg)
        terminal = frozenset(s.name for s in self.stages if s.terminal)
        object.__setattr__(self, "_moves", FrozenMap(self._index_moves(names, terminal)))
        object.__setattr__(self, "_terminal", terminal)
        object.__setattr__(self, "_names", tuple(names))

    def _check_named_stages(self, names: list[str]) -> None:
        """Every stage the fields name exists; the off-ramps are off the progression."""
        known, on_path = set(names), set(self.progression)
        named = [("initial", self.initial), *(("progression", s) for s in self.progression)]
        off_path = [("given_up", s) for s in self.given_up]
        if self.rejection is not None:
            off_path.insert(0, ("rejection", self.rejection))
        for field, stage in named + off_path:
            if stage not in known:
                msg = f"Lifecycle.{field} names unknown stage {stage!r}; stages are {names}"
                raise ValidationError(msg)
        for field, stage in off_path:
            if stage in on_path:
                msg = (
                    f"Lifecycle.{field} must be a stage off the progression, got {stage!r}; "
                    f"progression is {list(self.progression)}"
                )
                raise ValidationError(msg)

    def _index_moves(
        self, names: list[str], terminal: frozenset[str]
    ) -> dict[tuple[str, str], Transition]:
        """The transitions by ``(source, target)``, each checked."""
        known = set(names)
        moves: dict[tuple[str, str], Transition] = {}
        for index, t in enumerate(self.transitions):
            for end in (t.source, t.target):
                if end not in known:
                    msg = (
                        f"Lifecycle.transitions[{index}] names unknown stage {end!r}; "
                        f"stages are {names}"
                    )
                    raise ValidationError(msg)
            if t.source in terminal:
                msg = (
                    f"Lifecycle.transitions[{index}] leaves terminal stage {t.source!r}; "
                    "terminal stages have no way out"
                )
                raise ValidationError(msg)
            if (t.source, t.target) in moves:
                msg = f"Lifecycle.transitions[{index}] repeats {t.source!r} -> {t.target!r}"
                raise ValidationError(msg)
            moves[(t.source, t.target)] = t
        return moves

    def __repr__(self) -> str:
        return f"Lifecycle({self.name!r})"

    @property
    def accepted(self) -> str:
        """The stage that means sales accepted the lead: the one after :attr:`handover`.

        Example:
            >>> DEMAND_WATERFALL.handover, DEMAND_WATERFALL.accepted
            ('mql', 'sal')
            >>> HUBSPOT.handover, HUBSPOT.accepted
            ('marketingqualifiedlead', 'salesqualifiedlead')
        """
        return self.progression[self.progression.index(self.handover) + 1]

    @property
    def stage_names(self) -> tuple[str, ...]:
        """The names of all stages, in display order."""
        return self._names

    def forecast_category(self, stage: str) -> ForecastCategory:
        """Where a deal in ``stage`` counts in a forecast (the configured category, else a default).

        By default the won stage is ``CLOSED``, the opportunity ``PIPELINE``, others ``OMITTED``.

        Example:
            >>> DEMAND_WATERFALL.forecast_category("opportunity"), DEMAND_WATERFALL.forecast_category("mql")
            (<ForecastCategory.PIPELINE: 'pipeline'>, <ForecastCategory.OMITTED: 'omitted'>)
        """
        name, path = stage_name(stage), self.progression
        if name not in self.stage_names:
            msg = f"stage {name!r} is not in lifecycle {self.name!r}; stages are {list(self.stage_names)}"
            raise ValidationError(msg)
        configured = self.stages[self.stage_names.index(name)].forecast_category
        if configured is not None:
            return configured
        if name in path[-1:]:
            return ForecastCategory.CLOSED
        return ForecastCategory.PIPELINE if name in path[-2:-1] else ForecastCategory.OMITTED

    def has_stage(self, stage: str) -> bool:
        """Whether ``stage`` is a stage of this lifecycle."""
        return stage_name(stage) in self.stage_names

    def is_terminal(self, stage: str) -> bool:
        """Whether a lead in ``stage`` can never move again."""
        return stage_name(stage) in self._terminal

    def targets(self, stage: str) -> tuple[str, ...]:
        """The stages reachable in one move from ``stage``, in declaration order."""
        name = stage_name(stage)
        return tuple(t.target for t in self.transitions if t.source == name)

    def check(self, source: str, target: str, reason: str | None = None) -> Transition:
        """Return the transition ``source -> target`` if it is legal with ``reason``.

        Raises:
            IllegalTransition: If the lifecycle has no such move; the message names
                both stages and the stages reachable from ``source``.
            MissingReason: If the move needs a reason code and ``reason`` is not one
                of its accepted codes.

        Example:
            >>> DEMAND_WATERFALL.check("mql", "won")
            Traceback (most recent call last):
            ...
            salesmark.errors.IllegalTransition: cannot move a lead from 'mql' to 'won' in lifecycle 'demand_waterfall'; from 'mql' it can move to: 'sal', 'rejected', 'recycled'
        """
        src, dst = stage_name(source), stage_name(target)
        for stage in (src, dst):
            if stage not in self.stage_names:
                msg = f"stage {stage!r} is not in lifecycle {self.name!r}; stages are {list(self.stage_names)}"
                raise IllegalTransition(msg)
        move = self._moves.get((src, dst))
        if move is None:
            options = ", ".join(repr(t) for t in self.targets(src)) or "nowhere (terminal)"
            msg = (
                f"cannot move a lead from {src!r} to {dst!r} in lifecycle {self.name!r}; "
                f"from {src!r} it can move to: {options}"
            )
            raise IllegalTransition(msg)
        if move.reasons:
            code = None if reason is None else stage_name(reason)
            if code not in move.reasons:
                msg = (
                    f"moving a lead from {src!r} to {dst!r} needs a reason code, got "
                    f"{reason!r}; expected one of {list(move.reasons)}"
                )
                raise MissingReason(msg)
        return move

    def with_transition(self, source: str, target: str, reasons: Iterable[str] = ()) -> Lifecycle:
        """This lifecycle with one more legal move ``source -> target`` (needing one of ``reasons``).

        Raises:
            ValidationError: If the move exists already, names an unknown stage or leaves
                a terminal stage.

        Example:
            >>> custom = DEMAND_WATERFALL.with_transition("inquiry", "sal")
            >>> "sal" in custom.targets("inquiry"), "sal" in DEMAND_WATERFALL.targets("inquiry")
            (True, False)
        """
        move = Transition(source=source, target=target, reasons=tuple(reasons))
        return attrs.evolve(self, transitions=(*self.transitions, move))

    def with_reasons(self, source: str, target: str, *reasons: str) -> Lifecycle:
        """This lifecycle where the move ``source -> target`` also accepts ``reasons``.

        Reason codes already accepted are kept, in order; new ones follow.

        Raises:
            IllegalTransition: If the lifecycle has no such move.
            ValidationError: If no reason is given.

        Example:
            >>> ours = DEMAND_WATERFALL.with_reasons("mql", "rejected", "wrong_language")
            >>> ours.check("mql", "rejected", "wrong_language").reasons[-1]
            'wrong_language'
        """
        if not reasons:
            msg = f"Lifecycle.with_reasons needs at least one reason code for {source!r} -> {target!r}"
            raise ValidationError(msg)
        move = self._move(source, target)
        added = tuple(dict.fromkeys((*move.reasons, *(stage_name(r) for r in reasons))))
        changed = attrs.evolve(move, reasons=added)
        return attrs.evolve(
            self, transitions=tuple(changed if t is move else t for t in self.transitions)
        )

    def _move(self, source: str, target: str) -> Transition:
        src, dst = stage_name(source), stage_name(target)
        move = self._moves.get((src, dst))
        if move is None:
            msg = f"lifecycle {self.name!r} has no move {src!r} -> {dst!r} to give reasons to"
            raise IllegalTransition(msg)
        return move

    def validate_history(self, stages: Sequence[tuple[str, str | None]]) -> None:
        """Check that a sequence of ``(stage, reason)`` steps is a legal walk.

        The first step must be a stage of the lifecycle; each later step must be a
        legal move from the one before, with a reason where one is needed.

        Raises:
            IllegalTransition: On the first illegal step.
        """
        if not stages:
            msg = f"a stage history in lifecycle {self.name!r} must not be empty"
            raise ValidationError(msg)
        first = stage_name(stages[0][0])
        if first not in self.stage_names:
            msg = f"stage {first!r} is not in lifecycle {self.name!r}"
            raise IllegalTransition(msg)
        for (before, _), (after, reason) in pairwise(stages):
            self.check(before, after, reason)


def _waterfall() -> Lifecycle:
    s = Stage
    rejection = reason_codes(list(RejectionReason))
    disqualify = reason_codes(list(DisqualificationReason))
    recycle = reason_codes(list(RecycleReason))
    lost = reason_codes(list(LostReason))
    labels = {
        s.INQUIRY: "Inquiry",
        s.MQL: "Marketing qualified lead",
        s.SAL: "Sales accepted lead",
        s.SQL: "Sales qualified lead",
        s.OPPORTUNITY: "Opportunity",
        s.WON: "Closed won",
        s.LOST: "Closed lost",
        s.REJECTED: "Rejected by sales",
        s.RECYCLED: "Recycled to nurture",
        s.DISQUALIFIED: "Disqualified",
    }
    moves: list[tuple[Stage, Stage, tuple[str, ...]]] = [
        (s.INQUIRY, s.MQL, ()),
        (s.INQUIRY, s.DISQUALIFIED, disqualify),
        (s.MQL, s.SAL, ()),
        (s.MQL, s.REJECTED, rejection),
        (s.MQL, s.RECYCLED, recycle),
        (s.SAL, s.SQL, ()),
        (s.SAL, s.DISQUALIFIED, disqualify),
        (s.SAL, s.RECYCLED, recycle),
        (s.SQL, s.OPPORTUNITY, ()),
        (s.SQL, s.DISQUALIFIED, disqualify),
        (s.SQL, s.RECYCLED, recycle),
        (s.OPPORTUNITY, s.WON, ()),
        (s.OPPORTUNITY, s.LOST, lost),
        (s.LOST, s.RECYCLED, recycle),
        (s.REJECTED, s.RECYCLED, recycle),
        (s.RECYCLED, s.MQL, ()),
    ]
    return Lifecycle(
        name="demand_waterfall",
        stages=tuple(
            StageDefinition(name=st, label=label, terminal=st in (s.WON, s.DISQUALIFIED))
            for st, label in labels.items()
        ),
        initial=s.INQUIRY,
        progression=(s.INQUIRY, s.MQL, s.SAL, s.SQL, s.OPPORTUNITY, s.WON),
        transitions=tuple(Transition(source=a, target=b, reasons=r) for a, b, r in moves),
        rejection=s.REJECTED,
        given_up=(s.RECYCLED, s.DISQUALIFIED),
    )


def _hubspot() -> Lifecycle:
    h = HubSpotStage
    order = [h.SUBSCRIBER, h.LEAD, h.MQL, h.SQL, h.OPPORTUNITY, h.CUSTOMER, h.EVANGELIST]
    # HubSpot moves contacts forward, skipping stages if need be; "other" is reachable
    # from, and can return to, any stage.
    forward = [(a, b) for i, a in enumerate(order) for b in order[i + 1 :]]
    other = [(a, h.OTHER) for a in order] + [(h.OTHER, a) for a in order]
    return Lifecycle(
        name="hubspot",
        stages=tuple(StageDefinition(name=st) for st in [*order, h.OTHER]),
        initial=h.SUBSCRIBER,
        progression=tuple(order[:-1]),
        transitions=tuple(Transition(source=a, target=b) for a, b in forward + other),
        handover=h.MQL,
        given_up=(h.OTHER,),
    )


DEMAND_WATERFALL: Lifecycle = _waterfall()
"""The default lifecycle: inquiry, MQL, SAL, SQL, opportunity, won or lost, with
rejection (before contact), disqualification (after contact) and recycling."""

HUBSPOT: Lifecycle = _hubspot()
"""HubSpot's default lifecycle stages: forward moves (skipping allowed) and ``other``."""


def _deal_pipeline(name: str, glue: str, rows: Sequence[tuple[str, str]]) -> Lifecycle:
    """Open stages (forward moves, skip allowed, each may be lost), won, lost; keys from labels."""
    keys = [
        glue.join("".join(c if c.isalnum() else " " for c in n.lower()).split()) for n, _ in rows
    ]
    *open_stages, won, lost = keys
    kind = {won: ForecastCategory.CLOSED, lost: ForecastCategory.OMITTED}
    moves = [(a, b) for i, a in enumerate(open_stages) for b in (*open_stages[i + 1 :], won, lost)]
    stages = [StageDefinition(name=k, label=n, terminal=k in kind, probability=p,
              forecast_category=kind.get(k, ForecastCategory.PIPELINE)) for k, (n, p) in zip(keys, rows, strict=True)]  # fmt: skip
    return Lifecycle(name=name, stages=stages, initial=keys[0], progression=(*open_stages, won),
                     transitions=[Transition(source=a, target=b) for a, b in moves])  # fmt: skip


SALESFORCE_OPPORTUNITY: Lifecycle = _deal_pipeline("salesforce_opportunity", "_", (
    ("Prospecting", "0.10"), ("Qualification", "0.10"), ("Needs Analysis", "0.20"),
    ("Value Proposition", "0.50"), ("Id. Decision Makers", "0.60"), ("Perception Analysis", "0.70"),
    ("Proposal/Price Quote", "0.75"), ("Negotiation/Review", "0.90"), ("Closed Won", "1"),
    ("Closed Lost", "0"),
))  # fmt: skip
"""Salesforce's default opportunity stages (keys in snake case, e.g. ``id_decision_makers``)
with the ``DefaultProbability`` and ``ForecastCategoryName`` of a new org's
``OpportunityStage`` values: open stages Pipeline, Closed Won Closed, Closed Lost Omitted."""

HUBSPOT_DEALS: Lifecycle = _deal_pipeline("hubspot_deals", "", (
    ("Appointment Scheduled", "0.2"), ("Qualified To Buy", "0.4"), ("Presentation Scheduled", "0.6"),
    ("Decision Maker Bought-In", "0.8"), ("Contract Sent", "0.9"), ("Closed Won", "1"),
    ("Closed Lost", "0"),
))  # fmt: skip
"""HubSpot's default sales pipeline (internal stage names, e.g. ``decisionmakerboughtin``) with
its default win probabilities; HubSpot leaves the forecast category to the rep: Pipeline."""
