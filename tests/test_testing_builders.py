"""salesmark.testing builders: readable leads and organisations, with clear errors."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone

import pytest

from salesmark import DEMAND_WATERFALL, HUBSPOT, IllegalTransition, Team, ValidationError
from salesmark.testing import lead, organisation_of

T = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
H = timedelta(hours=1)


class TestLeadBuilder:
    def test_moves_apply_in_time_order(self) -> None:
        """Stage moves are applied in time order, whatever the order of the calls."""
        built = (
            lead("L1", created=T, lifecycle=DEMAND_WATERFALL)
            .to("sal", after=2 * H)
            .to("mql", after=H)
            .build()
        )
        assert [("inquiry", T), ("mql", T + H), ("sal", T + 2 * H)] == [
            (c.stage, c.at) for c in built.history
        ]

    def test_touches_take_the_kind_team_or_the_given_one(self) -> None:
        """A call is sales', an ad click marketing's; a CRM's own kind needs team=."""
        base = lead("L1", created=T, lifecycle=DEMAND_WATERFALL, channel="web")
        built = (
            base.touch("call", after=H)
            .touch("ad_click", at=T)
            .touch("sms", after=H, team=Team.SALES)
            .build()
        )
        assert [("ad_click", Team.MARKETING), ("call", Team.SALES), ("sms", Team.SALES)] == [
            (t.kind, t.team) for t in built.touchpoints
        ]
        with pytest.raises(ValidationError, match="kind 'sms' has no default team"):
            base.touch("sms", after=H)

    def test_builders_are_immutable_and_shareable(self) -> None:
        """Each step returns a new builder; the first is unchanged and pickles."""
        base = lead("L1", created=T, lifecycle=HUBSPOT, channel="web")
        one = base.to("marketingqualifiedlead", after=H)
        assert ("subscriber", "marketingqualifiedlead") == (base.build().stage, one.build().stage)
        assert base == pickle.loads(pickle.dumps(base))

    @pytest.mark.parametrize(
        ("step", "match"),
        [
            (lambda b: b.to("mql"), "exactly one of at= .* and after="),
            (lambda b: b.to("mql", at=T, after=H), "exactly one of at="),
            (lambda b: b.to("mql", at=datetime(2026, 3, 2)), "must be timezone-aware"),
            (lambda b: b.touch("call", after=H), "needs a channel"),
            (lambda b: b.to("mql", after=3), "after must be a timedelta"),
        ],
    )
    def test_bad_steps_are_refused(self, step: object, match: str) -> None:
        """A step without a time, with two, with a naive time, or a touch without channel is refused."""
        base = lead("L1", created=T, lifecycle=DEMAND_WATERFALL)
        with pytest.raises(ValidationError, match=match):
            step(base)  # type: ignore[operator]

    def test_illegal_walks_fail_at_build(self) -> None:
        """The lifecycle checks the walk when the lead is built."""
        with pytest.raises(IllegalTransition, match="from 'inquiry' to 'won'"):
            lead("L1", created=T, lifecycle=DEMAND_WATERFALL).to("won", after=H).build()


class TestOrganisationOf:
    def test_members_for_every_id(self) -> None:
        """Owners and stage movers join sales; a touch's member joins the touch's team."""
        built = (
            lead("L1", created=T, lifecycle=DEMAND_WATERFALL, channel="web", owner="s1")
            .to("mql", after=H, by="m9")
            .touch("webinar", after=H, member="m1")
            .build()
        )
        org = organisation_of([built], lifecycle=DEMAND_WATERFALL)
        assert [("m1", Team.MARKETING), ("m9", Team.SALES), ("s1", Team.SALES)] == [
            (m.id, m.team) for m in org.members
        ]
