"""Tests for salesmark.scoring.decay: how engagement touches lose weight with age."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import ValidationError
from salesmark.scoring import Decay, DecayKind


class TestDecay:
    def test_none_keeps_full_weight(self) -> None:
        """Without decay every touch weighs 1 whatever its age."""
        assert 1.0 == Decay.none().weight(timedelta(days=10_000))

    def test_half_life_halves(self) -> None:
        """A touch one half-life old weighs one half, two half-lives a quarter."""
        decay = Decay.by_half_life(timedelta(days=10))
        assert (1.0, 0.5, 0.25) == tuple(decay.weight(timedelta(days=d)) for d in (0, 10, 20))

    def test_periodic_cuts_per_whole_period(self) -> None:
        """A periodic decay cuts its fraction once per whole period elapsed."""
        decay = Decay.by_period(timedelta(days=30), cut=0.25)
        weights = tuple(decay.weight(timedelta(days=d)) for d in (0, 29, 30, 60))
        assert (1.0, 1.0, 0.75, 0.5625) == weights

    def test_window_drops_older_touches(self) -> None:
        """A window decay keeps touches up to the window and drops older ones."""
        decay = Decay.within(timedelta(days=7))
        assert (1.0, 0.0) == (decay.weight(timedelta(days=7)), decay.weight(timedelta(days=8)))

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"kind": DecayKind.HALF_LIFE}, r"Decay\.half_life must be a positive timedelta"),
            ({"kind": DecayKind.PERIODIC, "period": timedelta(1)}, "fraction in \\(0, 1\\]"),
            ({"kind": DecayKind.PERIODIC, "period": timedelta(1), "cut": 1.5}, "fraction"),
            (
                {"kind": DecayKind.WINDOW, "window": timedelta(-1)},
                r"Decay\.window must be a positive timedelta",
            ),
            ({"kind": DecayKind.NONE, "window": timedelta(1)}, "does not use 'window'"),
            ({"kind": "linear"}, r"Decay\.kind must be one of DecayKind\.NONE"),
        ],
    )
    def test_bad_decays_are_refused(self, fields: dict[str, object], message: str) -> None:
        """A decay missing what its kind needs, or with extra fields, is refused."""
        with pytest.raises(ValidationError, match=message):
            Decay(**fields)  # type: ignore[arg-type]

    def test_weight_needs_a_timedelta(self) -> None:
        """An age that is not a timedelta is refused naming the argument."""
        with pytest.raises(ValidationError, match="Decay.weight age must be a timedelta, got 5"):
            Decay.none().weight(5)  # type: ignore[arg-type]

    @given(
        decay=st.sampled_from(
            [
                Decay.none(),
                Decay.by_half_life(timedelta(days=3)),
                Decay.by_period(timedelta(days=5), cut=0.3),
                Decay.within(timedelta(days=20)),
            ]
        ),
        younger=st.integers(0, 10**8),
        extra=st.integers(0, 10**8),
    )
    def test_weight_never_grows_with_age(self, decay: Decay, younger: int, extra: int) -> None:
        """An older touch never weighs more than a younger one, and weights stay in [0, 1]."""
        young = decay.weight(timedelta(seconds=younger))
        old = decay.weight(timedelta(seconds=younger + extra))
        assert 0.0 <= old <= young <= 1.0
