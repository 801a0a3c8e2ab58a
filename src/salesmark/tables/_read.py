"""Reading CRM tables into leads (private; see :mod:`salesmark.tables`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, tzinfo
from typing import Any, Final

from salesmark import _validators as v
from salesmark._frames import rows_of
from salesmark._time import instant
from salesmark.attributes import AttributeSchema
from salesmark.campaigns import Campaign
from salesmark.errors import IllegalTransition, SalesmarkError, StructureError, ValidationError
from salesmark.leads import AttributeValue, Lead, LeadSource, StageChange
from salesmark.lifecycle import Lifecycle
from salesmark.money import Money
from salesmark.tables._cells import Cells, Row
from salesmark.tables._mappings import (
    ActivityColumns,
    CampaignMemberColumns,
    HistoryColumns,
    LeadColumns,
    TableMapping,
)
from salesmark.teams import Team
from salesmark.touchpoints import Touchpoint, TouchpointKind

__all__ = ["read_leads"]

_SHOWN: Final = 20  # problems listed in the message; all are in the error's ``problems``


class _Draft:
    """One row of the leads table, read."""

    __slots__ = ("created_at", "fields", "id", "index", "stage")

    def __init__(
        self, index: int, id_: str, created_at: datetime, stage: str | None, fields: dict[str, Any]
    ) -> None:
        self.index, self.id, self.created_at, self.stage, self.fields = (
            index,
            id_,
            created_at,
            stage,
            fields,
        )


class _Change:
    """One row of the history table, read."""

    __slots__ = ("at", "by", "competitor", "index", "previous", "reason", "stage")

    def __init__(
        self,
        *,
        index: int,
        stage: str,
        at: datetime,
        by: str | None,
        reason: str | None,
        previous: str | None,
        competitor: str | None = None,
    ) -> None:
        self.index, self.stage, self.at, self.by = index, stage, at, by
        self.reason, self.previous, self.competitor = reason, previous, competitor


def _stage(mapping: TableMapping, raw: str | None) -> str | None:
    return None if raw is None else mapping.stages.get(raw, raw)


def _lead_rows(
    cells: Cells,
    columns: LeadColumns,
    mapping: TableMapping,
    currency: str | None,
    schema: AttributeSchema | None,
) -> tuple[dict[str, _Draft], set[str]]:
    drafts: dict[str, _Draft] = {}
    seen: dict[str, int] = {}
    if not cells.require_columns(columns.id, columns.created_at):
        return drafts, set()
    attributes = {k: c for k, c in columns.attributes.items() if c in cells.columns}
    for index, row in enumerate(cells.rows):
        before = len(cells.problems)
        lead_id = cells.required_text(index, row, columns.id)
        created = cells.stamp(index, row, columns.created_at)
        if lead_id is not None and lead_id in seen:
            cells.problem(index, columns.id, f"lead {lead_id!r} is already in row {seen[lead_id]}")
            continue
        if lead_id is not None:
            seen[lead_id] = index
        text = {
            name: cells.text(index, row, getattr(columns, name))
            for name in ("source", "medium", "channel", "campaign", "landing_page")
        }
        fields: dict[str, Any] = {
            "source": None
            if all(t is None for t in text.values())
            else LeadSource(
                source=text["source"],
                medium=text["medium"],
                channel=text["channel"],
                campaign_id=text["campaign"],
                landing_page=text["landing_page"],
            ),
            "owner_id": cells.text(index, row, columns.owner),
            "account_id": cells.text(index, row, columns.account),
            "persona_id": cells.text(index, row, columns.persona),
            "value": _value(cells, index, row, columns, currency),
            "attributes": _attributes(cells, index, row, attributes, schema),
        }
        stage = _stage(mapping, cells.text(index, row, columns.stage))
        if lead_id is not None and created is not None and len(cells.problems) == before:
            drafts[lead_id] = _Draft(index, lead_id, created, stage, fields)
    return drafts, set(seen)


def _attributes(
    cells: Cells,
    index: int,
    row: Row,
    columns: Mapping[str, str],
    schema: AttributeSchema | None,
) -> dict[str, AttributeValue]:
    values = {name: cells.attribute(index, row, column) for name, column in columns.items()}
    found = {name: value for name, value in values.items() if value is not None}
    if schema is None:
        return found
    read: dict[str, AttributeValue] = {}
    for name, value in found.items():
        read.update(_parsed(cells, (index, columns[name]), schema, name, value))
    return read


def _parsed(
    cells: Cells, cell: tuple[int, str], schema: AttributeSchema, name: str, value: AttributeValue
) -> Mapping[str, AttributeValue]:
    """One attribute read by ``schema``; a value it cannot read is the ``(row, column)`` cell's problem."""
    try:
        return schema.parse({name: value})
    except SalesmarkError as exc:
        cells.problem(cell[0], cell[1], str(exc))
        return {}


def _value(
    cells: Cells, index: int, row: Row, columns: LeadColumns, currency: str | None
) -> Money | None:
    amount = cells.amount(index, row, columns.value)
    if amount is None or columns.value is None:
        return None
    code = cells.text(index, row, columns.currency) or currency
    if code is None:
        cells.problem(
            index,
            columns.value,
            f"holds {amount} but no currency: map LeadColumns.currency or pass read_leads(currency=...)",
        )
        return None
    try:
        return Money.of(amount, code)
    except ValidationError as exc:
        cells.problem(index, columns.currency or columns.value, str(exc))
        return None


def _history_rows(
    cells: Cells, columns: HistoryColumns, mapping: TableMapping, known: set[str]
) -> dict[str, list[_Change]]:
    changes: dict[str, list[_Change]] = {}
    required = [columns.lead, columns.stage, columns.at]
    if columns.field is not None:
        required.append(columns.field)
    if not cells.require_columns(*required):
        return changes
    for index, row in enumerate(cells.rows):
        if (
            columns.field is not None
            and cells.text(index, row, columns.field) != columns.field_value
        ):
            continue
        before = len(cells.problems)
        lead_id = cells.required_text(index, row, columns.lead)
        stage = _stage(mapping, cells.required_text(index, row, columns.stage))
        at = cells.stamp(index, row, columns.at)
        by = cells.text(index, row, columns.by)
        reason = cells.text(index, row, columns.reason)
        previous = _stage(mapping, cells.text(index, row, columns.previous))
        competitor = cells.text(index, row, columns.competitor)
        if lead_id is not None and lead_id not in known:
            cells.problem(index, columns.lead, f"lead {lead_id!r} is not in the leads table")
        if len(cells.problems) == before and lead_id and stage and at:
            changes.setdefault(lead_id, []).append(
                _Change(
                    index=index,
                    stage=stage,
                    at=at,
                    by=by,
                    reason=reason,
                    previous=previous,
                    competitor=competitor,
                )
            )
    return changes


def _kind(
    cells: Cells, index: int, column: str, raw: str, kinds: Mapping[str, str | None]
) -> tuple[bool, str | None]:
    """``(read, kind)``: a kind, or ``(True, None)`` for a row to skip, ``(False, None)`` if wrong."""
    if raw in kinds:
        return True, kinds[raw]
    try:
        return True, TouchpointKind(raw.lower()).value
    except ValueError:
        listed = sorted(kinds) + [k.value for k in TouchpointKind]
        cells.problem(index, column, f"is not a touchpoint kind: {raw!r}; expected one of {listed}")
        return False, None


def _activity_rows(
    cells: Cells,
    columns: ActivityColumns,
    known: set[str],
    channels: Mapping[str, str],
    touches: dict[str, list[Touchpoint]],
) -> None:
    if not cells.require_columns(columns.lead, columns.at, columns.kind):
        return
    for index, row in enumerate(cells.rows):
        before = len(cells.problems)
        raw = cells.required_text(index, row, columns.kind)
        read, kind = (
            (False, None) if raw is None else _kind(cells, index, columns.kind, raw, columns.kinds)
        )
        if read and kind is None:
            continue  # a row the mapping says is no touchpoint
        lead_id = cells.required_text(index, row, columns.lead)
        at = cells.stamp(index, row, columns.at)
        campaign = cells.text(index, row, columns.campaign)
        team = cells.team(index, row, columns.team)
        channel = cells.text(index, row, columns.channel)
        if kind is not None:
            team = team or columns.teams.get(kind)
            channel = channel or columns.channels.get(kind) or channels.get(campaign or "")
            if team is None:
                cells.problem(
                    index,
                    columns.team or columns.kind,
                    f"names no team for kind {kind!r} and ActivityColumns.teams has none for "
                    "it; add a team column or a teams entry",
                )
            if channel is None:
                cells.problem(
                    index,
                    columns.channel or columns.kind,
                    f"names no channel for kind {kind!r}; add a channel column, a "
                    "channels entry, or the row's campaign to read_leads(campaigns=...)",
                )
        if lead_id is not None and lead_id not in known:
            cells.problem(index, columns.lead, f"lead {lead_id!r} is not in the leads table")
        if len(cells.problems) > before or not (lead_id and at and kind and team and channel):
            continue
        touch = Touchpoint(
            at=at,
            channel=channel,
            kind=kind,
            team=team,
            campaign_id=campaign,
            content_id=cells.text(index, row, columns.content),
            member_id=cells.text(index, row, columns.member),
            source=cells.text(index, row, columns.source),
            medium=cells.text(index, row, columns.medium),
        )
        touches.setdefault(lead_id, []).append(touch)


def _member_rows(
    cells: Cells,
    columns: CampaignMemberColumns,
    known: set[str],
    channels: Mapping[str, str],
    touches: dict[str, list[Touchpoint]],
) -> None:
    required = [columns.lead, columns.campaign, columns.at]
    if columns.responded is not None:
        required.append(columns.responded)
    if not cells.require_columns(*required):
        return
    for index, row in enumerate(cells.rows):
        before = len(cells.problems)
        if columns.responded is not None and not cells.flag(index, row, columns.responded):
            continue  # not a response (or a wrong flag, reported)
        status = cells.text(index, row, columns.status)
        listed = status is not None and status in columns.kinds
        kind = columns.kinds[status] if status is not None and listed else columns.kind
        if listed and kind is None:
            continue  # a status the mapping says is no touchpoint
        lead_id = cells.required_text(index, row, columns.lead)
        campaign = cells.required_text(index, row, columns.campaign)
        at = cells.stamp(index, row, columns.at)
        channel = cells.text(index, row, columns.channel) or channels.get(campaign or "")
        if kind is None:
            cells.problem(
                index,
                columns.status or columns.campaign,
                f"status {status!r} has no touchpoint kind; add it to CampaignMemberColumns.kinds or set its kind",
            )
        if channel is None and campaign is not None:
            cells.problem(
                index,
                columns.channel or columns.campaign,
                f"campaign {campaign!r} has no channel: add a channel column or pass the "
                "campaign to read_leads(campaigns=...)",
            )
        if lead_id is not None and lead_id not in known:
            cells.problem(index, columns.lead, f"lead {lead_id!r} is not in the leads table")
        if len(cells.problems) > before or not (lead_id and at and kind and channel):
            continue
        touch = Touchpoint(
            at=at, channel=channel, kind=kind, team=Team.MARKETING, campaign_id=campaign
        )
        touches.setdefault(lead_id, []).append(touch)


def _build(
    draft: _Draft,
    *,
    changes: list[_Change],
    touches: list[Touchpoint],
    lifecycle: Lifecycle,
    mapping: TableMapping,
    problems: list[str],
) -> Lead | None:
    ordered = sorted(changes, key=lambda c: (instant(c.at), c.index))
    context = f"lead {draft.id!r} (table 'leads' row {draft.index}"
    if ordered and mapping.history is not None:
        rows = ", ".join(str(c.index) for c in ordered)
        noun = "row" if len(ordered) == 1 else "rows"
        context += f"; table 'history' {noun} {rows} column {mapping.history.stage!r}"
    context += ")"
    steps: list[StageChange] = []
    if ordered and ordered[0].previous is not None:
        steps.append(StageChange(stage=ordered[0].previous, at=draft.created_at))
    for c in ordered:
        if not steps or steps[-1].stage != c.stage:  # a row repeating the stage is no change
            steps.append(
                StageChange(
                    stage=c.stage, at=c.at, by=c.by, reason=c.reason, competitor=c.competitor
                )
            )
    if not steps and draft.stage is not None:
        steps.append(StageChange(stage=draft.stage, at=draft.created_at))
    if not steps:
        column = mapping.leads.stage
        where = (
            "the mapping names no stage column" if column is None else f"column {column!r} is empty"
        )
        problems.append(f"{context}: has no stage: no history rows, and {where}")
        return None
    if ordered and draft.stage is not None and steps[-1].stage != draft.stage:
        problems.append(
            f"{context}: its history ends in {steps[-1].stage!r} but column "
            f"{mapping.leads.stage!r} says it is in {draft.stage!r}"
        )
        return None
    try:
        lifecycle.validate_history([(s.stage, s.reason) for s in steps])
        return Lead(
            id=draft.id,
            created_at=draft.created_at,
            history=tuple(steps),
            touchpoints=touches,
            **draft.fields,
        )
    except (IllegalTransition, ValidationError) as exc:
        problems.append(f"{context}: {exc}")
        return None


def _message(problems: list[str]) -> str:
    shown = "\n".join(f"  - {p}" for p in problems[:_SHOWN])
    more = len(problems) - _SHOWN
    tail = f"\n  ... and {more} more (the error's problems lists them all)" if more > 0 else ""
    return f"read_leads found {len(problems)} problem(s) in the CRM tables:\n{shown}{tail}"


def read_leads(
    leads: object,
    *,
    lifecycle: Lifecycle,
    mapping: TableMapping,
    history: object = None,
    activities: object = None,
    campaign_members: object = None,
    campaigns: Iterable[Campaign] = (),
    tz: tzinfo | None = None,
    currency: str | None = None,
    attributes: AttributeSchema | None = None,
) -> tuple[Lead, ...]:
    """Read a CRM's export tables into leads, checking every history against the lifecycle.

    Each table is a pandas, polars or pyarrow DataFrame (read through narwhals, the
    ``dataframe`` extra) or a plain iterable of dict rows (no extra needed). Cells may be
    ``None``/``NaN``/``NaT``/empty for missing, numpy scalars, pandas timestamps or ISO
    8601 strings with an offset.

    How a lead's stage history is made (one rule, always):

    1. its history rows, in time order (ties in table order); a row repeating the stage
       the lead is already in is no change and is dropped;
    2. when the history mapping names a ``previous`` column, the first row's previous
       stage is the stage the lead entered at ``created_at``;
    3. a lead without history rows is in its leads-table ``stage`` from ``created_at``;
    4. when both exist, the history must end in the leads-table stage.

    Then the whole walk must be legal in ``lifecycle`` (:meth:`Lifecycle.validate_history`),
    with reason codes where it asks for them.

    Args:
        leads: The leads or contacts table, one row a lead.
        lifecycle: The lifecycle the leads follow (required: every history is checked).
        mapping: Which columns hold what (:data:`HUBSPOT_EXPORT`, :data:`SALESFORCE_EXPORT`
            or your own :class:`TableMapping`).
        history: The stage history table, one row a change.
        activities: The activities table, one row a touch.
        campaign_members: The campaign members table, one row a lead in a campaign.
        campaigns: Campaigns whose channel is the channel of their members' and
            activities' touches that name none.
        tz: The zone naive timestamps and dates are in; ``None`` refuses them (no
            silent UTC).
        currency: The currency of lead values when the leads table has no currency column.
        attributes: Read the attribute columns by this schema
            (:class:`~salesmark.attributes.AttributeSchema`): a CSV's ``"400"`` becomes
            ``400`` where it declares a number, and a cell it cannot read is a problem
            naming its table, row and column. Without it, numeric cells stay as the
            table gives them (text in a CSV), and scoring rules over numbers record them
            as not evaluated.

    Returns:
        The leads, in the order of the leads table.

    Raises:
        StructureError: Listing every problem found in every table, each naming the
            table, the row (counted from 0) and the column, and every lead whose
            history the lifecycle refuses; nothing is returned half-read.
        WrongType: If an argument has the wrong type.
        ValidationError: If a table is given that the mapping has no columns for, or a
            DataFrame is given without narwhals installed.

    Example:
        >>> from salesmark import DEMAND_WATERFALL
        >>> mapping = TableMapping(name="mine", leads=LeadColumns(id="id", created_at="created", stage="stage"))
        >>> rows = [{"id": "L1", "created": "2026-03-02T09:00:00+01:00", "stage": "inquiry"},
        ...         {"id": "L2", "created": "2026-03-02T10:00:00", "stage": "won"}]
        >>> read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=mapping)
        Traceback (most recent call last):
        ...
        salesmark.errors.StructureError: read_leads found 1 problem(s) in the CRM tables:
          - table 'leads' row 1 column 'created': has no time zone (2026-03-02T10:00:00); pass tz= to read naive timestamps in a zone you name
        >>> from datetime import timezone
        >>> [lead.stage for lead in read_leads(rows, lifecycle=DEMAND_WATERFALL, mapping=mapping, tz=timezone.utc)]
        ['inquiry', 'won']
    """
    v.require(lifecycle, Lifecycle, "read_leads lifecycle")
    v.require(mapping, TableMapping, "read_leads mapping")
    v.require_optional(tz, tzinfo, "read_leads tz")  # type: ignore[type-abstract]  # an ABC, fine at run time
    v.require_optional(currency, str, "read_leads currency")
    v.require_optional(attributes, AttributeSchema, "read_leads attributes")
    channels = {
        c.id: c.channel for c in v.argument_items(campaigns, "read_leads campaigns", Campaign)
    }
    for name, table, columns in (
        ("history", history, mapping.history),
        ("activities", activities, mapping.activities),
        ("campaign_members", campaign_members, mapping.campaign_members),
    ):
        if table is not None and columns is None:
            msg = f"read_leads {name} was given, but mapping {mapping.name!r} has no {name} columns"
            raise ValidationError(msg)
    problems: list[str] = []

    def cells(name: str, table: object) -> Cells:
        return Cells(name, list(rows_of(table, what=f"read_leads {name}")), problems, tz)

    drafts, known = _lead_rows(cells("leads", leads), mapping.leads, mapping, currency, attributes)
    changes: dict[str, list[_Change]] = {}
    touches: dict[str, list[Touchpoint]] = {}
    if history is not None and mapping.history is not None:
        changes = _history_rows(cells("history", history), mapping.history, mapping, known)
    if activities is not None and mapping.activities is not None:
        _activity_rows(
            cells("activities", activities), mapping.activities, known, channels, touches
        )
    if campaign_members is not None and mapping.campaign_members is not None:
        members = cells("campaign_members", campaign_members)
        _member_rows(members, mapping.campaign_members, known, channels, touches)
    built = [
        _build(
            d,
            changes=changes.get(d.id, []),
            touches=touches.get(d.id, []),
            lifecycle=lifecycle,
            mapping=mapping,
            problems=problems,
        )
        for d in drafts.values()
    ]
    if problems:
        raise StructureError(_message(problems), tuple(problems))
    return tuple(lead for lead in built if lead is not None)
