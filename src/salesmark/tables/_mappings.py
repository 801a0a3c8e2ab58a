"""Column mappings: which column of a CRM export holds which part of a lead (private).

The classes are re-exported by :mod:`salesmark.tables`, which documents them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs

from salesmark import _validators as v
from salesmark._frozen import FrozenMap
from salesmark.errors import ValidationError, WrongType
from salesmark.lifecycle import stage_name
from salesmark.teams import Team
from salesmark.touchpoints import TouchpointKind

__all__ = [
    "HUBSPOT_EXPORT",
    "KIND_TEAMS",
    "SALESFORCE_EXPORT",
    "ActivityColumns",
    "CampaignMemberColumns",
    "HistoryColumns",
    "LeadColumns",
    "TableMapping",
]


def _frozen(
    value: Any, keys: type[Any], values: type[Any] | tuple[type[Any], ...], what: str
) -> Mapping[Any, Any]:
    """``value`` as a read-only mapping whose keys are ``keys`` and values ``values``."""
    if not isinstance(value, Mapping):
        msg = f"{what} must be a mapping, got {value!r}"
        raise WrongType(msg)
    for key, item in value.items():
        if not isinstance(key, keys) or not isinstance(item, values):
            msg = f"{what} must map {keys.__name__} to {_names(values)}, got {key!r}: {item!r}"
            raise WrongType(msg)
        if isinstance(key, str) and not key.strip():
            msg = f"{what} keys must be non-empty strings, got {key!r}"
            raise ValidationError(msg)
    return FrozenMap(value)


def _names(values: type[Any] | tuple[type[Any], ...]) -> str:
    kinds = values if isinstance(values, tuple) else (values,)
    return " or ".join("None" if k is type(None) else k.__name__ for k in kinds)


def _attribute_columns(value: Any) -> Mapping[str, str]:
    return _frozen(value, str, str, "LeadColumns.attributes")


def _kind_texts(value: Any, what: str) -> Mapping[str, str | None]:
    frozen = _frozen(value, str, (str, type(None)), what)
    for key, kind in frozen.items():
        if kind is not None and not kind.strip():
            msg = f"{what}[{key!r}] must be a non-empty kind or None, got {kind!r}"
            raise ValidationError(msg)
    return FrozenMap({k: _text(kind) for k, kind in frozen.items()})


def _text(kind: str | None) -> str | None:
    """A kind as plain text (a :class:`TouchpointKind` member as its value)."""
    return kind.value if isinstance(kind, TouchpointKind) else kind


def _activity_kinds(value: Any) -> Mapping[str, str | None]:
    return _kind_texts(value, "ActivityColumns.kinds")


def _member_kinds(value: Any) -> Mapping[str, str | None]:
    return _kind_texts(value, "CampaignMemberColumns.kinds")


def _teams(value: Any) -> Mapping[str, Team]:
    frozen = _frozen(value, str, Team, "ActivityColumns.teams")
    return FrozenMap({str(_text(k)): team for k, team in frozen.items()})


def _channels(value: Any) -> Mapping[str, str]:
    frozen = _frozen(value, str, str, "ActivityColumns.channels")
    return FrozenMap({str(_text(k)): channel for k, channel in frozen.items()})


def _stages(value: Any) -> Mapping[str, str]:
    frozen = _frozen(value, str, str, "TableMapping.stages")
    return FrozenMap({k: stage_name(s) for k, s in frozen.items()})


KIND_TEAMS: Final[Mapping[str, Team]] = MappingProxyType(
    {
        **dict.fromkeys(
            (
                TouchpointKind.AD_IMPRESSION.value,
                TouchpointKind.AD_CLICK.value,
                TouchpointKind.ORGANIC_VISIT.value,
                TouchpointKind.PAGE_VIEW.value,
                TouchpointKind.FORM_FILL.value,
                TouchpointKind.CONTENT_DOWNLOAD.value,
                TouchpointKind.EMAIL_OPEN.value,
                TouchpointKind.EMAIL_CLICK.value,
                TouchpointKind.WEBINAR.value,
                TouchpointKind.EVENT.value,
            ),
            Team.MARKETING,
        ),
        **dict.fromkeys(
            (
                TouchpointKind.CALL.value,
                TouchpointKind.EMAIL.value,
                TouchpointKind.MEETING.value,
                TouchpointKind.DEMO.value,
            ),
            Team.SALES,
        ),
    }
)
"""The team of an activity by its kind, used when a row names no team.

Ads, visits, form fills, downloads, marketing e-mail opens and clicks, webinars and
events are marketing's; calls, one-to-one e-mails, meetings and demos are sales'.
``chat``, ``referral`` and ``other`` can be either team's, so they have no entry:
such a row needs a team column, or a mapping that names their team.
"""


@attrs.frozen(kw_only=True)
class LeadColumns:
    """The columns of a leads or contacts table (one row a lead).

    Each attribute names a column; ``None`` means the table has no such column.
    Optional columns a table lacks altogether are read as empty.

    Attributes:
        id: The lead's id (required).
        created_at: When it was captured (required).
        stage: Its current stage, the start of a lead without history rows.
        source: UTM-style source, e.g. ``"google"``.
        medium: UTM-style medium, e.g. ``"cpc"``.
        channel: The source channel.
        campaign: The campaign that captured it.
        landing_page: Where it converted.
        owner: The member who owns it.
        account: The account (company) it belongs to.
        persona: The buyer persona it was matched to.
        value: The deal value (a number or a numeric string).
        currency: The currency code of ``value``.
        attributes: Lead attribute name -> column, e.g. ``{"industry": "Industry"}``.

    Example:
        >>> LeadColumns(id="id", created_at="created", attributes={"industry": "sector"}).attributes["industry"]
        'sector'
    """

    id: str = attrs.field(validator=v.non_empty_text)
    created_at: str = attrs.field(validator=v.non_empty_text)
    stage: str | None = attrs.field(default=None, validator=v.optional_text)
    source: str | None = attrs.field(default=None, validator=v.optional_text)
    medium: str | None = attrs.field(default=None, validator=v.optional_text)
    channel: str | None = attrs.field(default=None, validator=v.optional_text)
    campaign: str | None = attrs.field(default=None, validator=v.optional_text)
    landing_page: str | None = attrs.field(default=None, validator=v.optional_text)
    owner: str | None = attrs.field(default=None, validator=v.optional_text)
    account: str | None = attrs.field(default=None, validator=v.optional_text)
    persona: str | None = attrs.field(default=None, validator=v.optional_text)
    value: str | None = attrs.field(default=None, validator=v.optional_text)
    currency: str | None = attrs.field(default=None, validator=v.optional_text)
    attributes: Mapping[str, str] = attrs.field(
        factory=dict, converter=_attribute_columns, hash=False
    )


@attrs.frozen(kw_only=True)
class HistoryColumns:
    """The columns of a stage or status history table (one row a change).

    Long field-history tables (Salesforce ``LeadHistory``, HubSpot property history)
    hold changes of many fields: ``field`` names the column that says which field
    changed and ``field_value`` the field that is the stage; other rows are skipped.

    Attributes:
        lead: The id of the lead that changed.
        stage: The stage entered.
        at: When.
        by: Who made the change.
        reason: The reason code given.
        competitor: Who a lost deal went to (the lost move's competitor), if recorded.
        previous: The stage left (Salesforce's ``OldValue``): the first change's
            previous stage is the lead's stage from its ``created_at``.
        field: The column naming the changed field, for long tables.
        field_value: The field that is the stage, e.g. ``"Status"``.

    Raises:
        ValidationError: If only one of ``field`` and ``field_value`` is given.

    Example:
        >>> HistoryColumns(lead="LeadId", stage="NewValue", at="CreatedDate", field="Field")
        Traceback (most recent call last):
        ...
        salesmark.errors.ValidationError: HistoryColumns.field and field_value go together, got field='Field' and field_value=None
    """

    lead: str = attrs.field(validator=v.non_empty_text)
    stage: str = attrs.field(validator=v.non_empty_text)
    at: str = attrs.field(validator=v.non_empty_text)
    by: str | None = attrs.field(default=None, validator=v.optional_text)
    reason: str | None = attrs.field(default=None, validator=v.optional_text)
    previous: str | None = attrs.field(default=None, validator=v.optional_text)
    field: str | None = attrs.field(default=None, validator=v.optional_text)
    field_value: str | None = attrs.field(default=None, validator=v.optional_text)
    competitor: str | None = attrs.field(default=None, validator=v.optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.field is None) != (self.field_value is None):
            msg = (
                f"HistoryColumns.field and field_value go together, got field={self.field!r} "
                f"and field_value={self.field_value!r}"
            )
            raise ValidationError(msg)


@attrs.frozen(kw_only=True)
class ActivityColumns:
    """The columns of a touchpoints, activities or engagements table (one row a touch).

    How each touch gets its parts (the rules :func:`~salesmark.tables.read_leads` follows):

    * **kind**: the kind column's value looked up in ``kinds`` (as written, then in
      lower case), else read as a :class:`~salesmark.touchpoints.TouchpointKind` value;
      any other value is reported as a problem (a typo must not become a kind that is no
      sales activity), so a CRM's own kinds are listed in ``kinds``
      (``{"LinkedIn": "linkedin"}``);
      a value ``kinds`` maps to ``None`` is no touchpoint (a note, a to-do) and its row
      is skipped;
    * **team**: the team column (``"sales"`` or ``"marketing"``), else ``teams[kind]``
      (:data:`KIND_TEAMS` by default); never guessed;
    * **channel**: the channel column, else ``channels[kind]``, else the channel of
      the row's campaign (from ``read_leads(campaigns=...)``).

    Attributes:
        lead: The id of the lead touched (required).
        at: When (required).
        kind: What happened (required).
        channel: The channel.
        team: Which team made the touch.
        campaign: The campaign it belongs to.
        content: The content asset involved.
        member: The member who made it.
        source: The traffic source of a tracked visit.
        medium: The traffic medium of a tracked visit.
        kinds: Kind column value -> kind (a :class:`~salesmark.touchpoints.TouchpointKind`
            or a CRM's own kind as text), or ``None`` to skip such rows.
        teams: Kind -> team, for rows that name no team.
        channels: Kind -> channel, for rows that name no channel.

    Example:
        >>> columns = ActivityColumns(lead="contact", at="when", kind="type", kinds={"CALL": TouchpointKind.CALL})
        >>> columns.teams[TouchpointKind.CALL]
        <Team.SALES: 'sales'>
    """

    lead: str = attrs.field(validator=v.non_empty_text)
    at: str = attrs.field(validator=v.non_empty_text)
    kind: str = attrs.field(validator=v.non_empty_text)
    channel: str | None = attrs.field(default=None, validator=v.optional_text)
    team: str | None = attrs.field(default=None, validator=v.optional_text)
    campaign: str | None = attrs.field(default=None, validator=v.optional_text)
    content: str | None = attrs.field(default=None, validator=v.optional_text)
    member: str | None = attrs.field(default=None, validator=v.optional_text)
    source: str | None = attrs.field(default=None, validator=v.optional_text)
    medium: str | None = attrs.field(default=None, validator=v.optional_text)
    kinds: Mapping[str, str | None] = attrs.field(
        factory=dict,
        converter=_activity_kinds,
        hash=False,
    )
    teams: Mapping[str, Team] = attrs.field(
        default=KIND_TEAMS,
        converter=_teams,
        hash=False,
    )
    channels: Mapping[str, str] = attrs.field(
        factory=dict,
        converter=_channels,
        hash=False,
    )


@attrs.frozen(kw_only=True)
class CampaignMemberColumns:
    """The columns of a campaign members table (one row a lead in a campaign).

    Each member that responded becomes one marketing touchpoint of the campaign: a
    campaign is marketing's programme, so the team is always marketing.
    Rules: a row whose ``responded`` column is false is skipped (the lead was only
    sent or invited); the kind is the status column's value looked up in ``kinds``
    (``None`` skips the row), else ``kind``; the channel is the channel column,
    else the campaign's channel from ``read_leads(campaigns=...)``.

    Attributes:
        lead: The member lead's id (required).
        campaign: The campaign's id (required).
        at: When the lead responded (required for the rows read).
        responded: Whether the lead responded (true/false).
        status: The member status, e.g. ``"Responded"`` or ``"Attended"``.
        channel: The campaign's channel.
        kinds: Status -> touchpoint kind, or ``None`` to skip such rows.
        kind: The kind of a response whose status ``kinds`` does not list.

    Example:
        >>> CampaignMemberColumns(lead="LeadId", campaign="CampaignId", at="FirstRespondedDate").kind
        'other'
    """

    lead: str = attrs.field(validator=v.non_empty_text)
    campaign: str = attrs.field(validator=v.non_empty_text)
    at: str = attrs.field(validator=v.non_empty_text)
    responded: str | None = attrs.field(default=None, validator=v.optional_text)
    status: str | None = attrs.field(default=None, validator=v.optional_text)
    channel: str | None = attrs.field(default=None, validator=v.optional_text)
    kinds: Mapping[str, str | None] = attrs.field(
        factory=dict,
        converter=_member_kinds,
        hash=False,
    )
    kind: str | None = attrs.field(
        default=TouchpointKind.OTHER.value, converter=_text, validator=v.optional_text
    )


@attrs.frozen(kw_only=True)
class TableMapping:
    """How one CRM's export tables map to leads: one set of columns per table.

    Attributes:
        name: The mapping's name, e.g. ``"hubspot"``.
        leads: The columns of the leads or contacts table.
        history: The columns of the stage history table, if one is read.
        activities: The columns of the activities table, if one is read.
        campaign_members: The columns of the campaign members table, if one is read.
        stages: Stage value as exported -> lifecycle stage name, for exports whose
            stage values are labels (``"Open - Not Contacted"``); values not listed
            are taken as stage names.

    Example:
        >>> mapping = TableMapping(name="mine", leads=LeadColumns(id="id", created_at="created"),
        ...                        stages={"Marketing Qualified": "mql"})
        >>> mapping.stages["Marketing Qualified"]
        'mql'
    """

    name: str = attrs.field(validator=v.non_empty_text)
    leads: LeadColumns = attrs.field(validator=v.instance_of(LeadColumns))
    history: HistoryColumns | None = attrs.field(
        default=None, validator=v.optional_instance_of(HistoryColumns)
    )
    activities: ActivityColumns | None = attrs.field(
        default=None, validator=v.optional_instance_of(ActivityColumns)
    )
    campaign_members: CampaignMemberColumns | None = attrs.field(
        default=None, validator=v.optional_instance_of(CampaignMemberColumns)
    )
    stages: Mapping[str, str] = attrs.field(factory=dict, converter=_stages, hash=False)


_SALES_TOUCH: Final = "sales_outreach"  # one of salesmark.sourcing.DEFAULT_SALES_CHANNELS

HUBSPOT_EXPORT: Final = TableMapping(
    name="hubspot",
    leads=LeadColumns(
        id="hs_object_id",
        created_at="createdate",
        stage="lifecyclestage",
        channel="hs_analytics_source",
        source="hs_analytics_source_data_1",
        campaign="hs_analytics_first_touch_converting_campaign",
        owner="hubspot_owner_id",
        account="associatedcompanyid",
        value="recent_deal_amount",
        attributes={
            "industry": "industry",
            "employees": "numemployees",
            "country": "country",
            "job_title": "jobtitle",
        },
    ),
    history=HistoryColumns(
        lead="contactId",
        stage="value",
        at="timestamp",
        by="updatedByUserId",
        field="property",
        field_value="lifecyclestage",
    ),
    activities=ActivityColumns(
        lead="contactId",
        at="timestamp",
        kind="type",
        member="ownerId",
        kinds={
            "CALL": TouchpointKind.CALL,
            "EMAIL": TouchpointKind.EMAIL,
            "INCOMING_EMAIL": TouchpointKind.EMAIL,
            "FORWARDED_EMAIL": TouchpointKind.EMAIL,
            "MEETING": TouchpointKind.MEETING,
            "NOTE": None,
            "TASK": None,
        },
        channels=dict.fromkeys(
            (TouchpointKind.CALL, TouchpointKind.EMAIL, TouchpointKind.MEETING), _SALES_TOUCH
        ),
    ),
)
"""HubSpot-style export column names, for the :data:`~salesmark.lifecycle.HUBSPOT` lifecycle.

* contacts: the contact properties' internal names (HubSpot's CRM contacts API and
  property reference: ``hs_object_id`` is the Record ID, ``createdate``,
  ``lifecyclestage``, ``hs_analytics_source`` the Original Source (``PAID_SEARCH``,
  ``ORGANIC_SEARCH``, ...) read as the channel, ``hs_analytics_source_data_1`` its
  drill-down read as the source, ``hs_analytics_first_touch_converting_campaign``,
  ``hubspot_owner_id``, ``associatedcompanyid``, ``recent_deal_amount``, ``industry``,
  ``numemployees``, ``country``, ``jobtitle``). Contacts carry no currency: pass
  ``read_leads(currency=...)``;
* lifecycle history: the contact property history shape (``contactId``,
  ``property``, ``value``, ``timestamp``, ``updatedByUserId``; the API's
  ``propertiesWithHistory=lifecyclestage``), rows of ``property == "lifecyclestage"``;
* engagements: the engagements API's ``type`` (``CALL``, ``EMAIL``, ``INCOMING_EMAIL``,
  ``FORWARDED_EMAIL``, ``MEETING``; ``NOTE`` and ``TASK`` are skipped), ``timestamp``,
  ``ownerId``, one row per associated ``contactId``; calls, e-mails and meetings are
  sales' touches on the ``sales_outreach`` channel.

HubSpot's API returns times as epoch milliseconds: convert them to datetimes first
(``pandas.to_datetime(column, unit="ms", utc=True)``); exports as ISO text read as they are.

Sources: HubSpot's developer documentation of the CRM contacts API and contact
properties (https://developers.hubspot.com/docs/api/crm/contacts), of property
history (``propertiesWithHistory``) and of the engagements API
(https://developers.hubspot.com/docs/methods/engagements/engagements-overview).
"""

SALESFORCE_EXPORT: Final = TableMapping(
    name="salesforce",
    leads=LeadColumns(
        id="Id",
        created_at="CreatedDate",
        stage="Status",
        channel="LeadSource",
        owner="OwnerId",
        account="ConvertedAccountId",
        currency="CurrencyIsoCode",
        attributes={
            "industry": "Industry",
            "employees": "NumberOfEmployees",
            "country": "Country",
            "title": "Title",
        },
    ),
    history=HistoryColumns(
        lead="LeadId",
        stage="NewValue",
        previous="OldValue",
        at="CreatedDate",
        by="CreatedById",
        field="Field",
        field_value="Status",
    ),
    activities=ActivityColumns(
        lead="WhoId",
        at="CompletedDateTime",
        kind="TaskSubtype",
        member="OwnerId",
        kinds={
            "Call": TouchpointKind.CALL,
            "Email": TouchpointKind.EMAIL,
            "ListEmail": TouchpointKind.EMAIL,
            # A LinkedIn message is a sales touch but not a sales activity (not in
            # DEFAULT_SALES_ACTIVITIES): it does not answer the SLA's follow-up.
            "LinkedIn": "linkedin",
            "Cadence": None,
            "Task": None,
        },
        teams={**KIND_TEAMS, "linkedin": Team.SALES},
        channels=dict.fromkeys(
            (TouchpointKind.CALL, TouchpointKind.EMAIL, "linkedin"), _SALES_TOUCH
        ),
    ),
    campaign_members=CampaignMemberColumns(
        lead="LeadId",
        campaign="CampaignId",
        at="FirstRespondedDate",
        responded="HasResponded",
        status="Status",
        kinds={"Attended": TouchpointKind.EVENT, "Registered": TouchpointKind.FORM_FILL},
    ),
)
"""Salesforce-style export column names (the API field names of the Object Reference).

* ``Lead``: ``Id``, ``CreatedDate``, ``Status``, ``LeadSource`` read as the channel,
  ``OwnerId``, ``ConvertedAccountId``, ``CurrencyIsoCode``, ``Industry``,
  ``NumberOfEmployees``, ``Country``, ``Title``;
* ``LeadHistory``: ``LeadId``, ``Field`` (rows of ``Status``), ``OldValue``,
  ``NewValue``, ``CreatedDate``, ``CreatedById``; the first change's ``OldValue`` is the
  status the lead was created in;
* ``Task``: ``WhoId``, ``CompletedDateTime``, ``TaskSubtype`` (``Call``, ``Email``,
  ``ListEmail``, ``LinkedIn``; ``Task`` and ``Cadence`` are skipped), ``OwnerId``; tasks
  are logged by users, so every task read is sales' touch on ``sales_outreach``;
* ``CampaignMember``: ``LeadId``, ``CampaignId``, ``HasResponded``, ``Status``,
  ``FirstRespondedDate`` (a date: read it at midnight in ``read_leads(tz=...)``).

Lead statuses are each organisation's own picklist: map them to lifecycle stages
with ``attrs.evolve(SALESFORCE_EXPORT, stages={...})``.

Sources: the Salesforce Object Reference and Field Reference pages of ``Lead``,
``LeadHistory``, ``Task`` and ``CampaignMember``
(https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm
and the pages beside it).
"""
