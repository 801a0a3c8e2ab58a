"""Tests for salesmark.scoring.rules and salesmark.scoring.decay."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from salesmark import TouchpointKind, ValidationError
from salesmark.scoring import Decay, DecayKind, Dimension, Rule, RuleKind


class TestRule:
    def test_named_constructors_build_each_kind(self) -> None:
        """Each named constructor builds a rule of its kind and dimension."""
        rules = [
            Rule.equals("role", "cfo", points=10),
            Rule.one_of("industry", ["saas"], points=5),
            Rule.between("employees", minimum=10, points=5),
            Rule.present("phone", points=1),
            Rule.touches("t", points=2),
            Rule.recency("r", points=3, window=timedelta(days=7)),
            Rule.inactivity("i", points=-3, window=timedelta(days=90)),
        ]
        expected = [
            (RuleKind.EQUALS, Dimension.FIT),
            (RuleKind.IN, Dimension.FIT),
            (RuleKind.RANGE, Dimension.FIT),
            (RuleKind.PRESENT, Dimension.FIT),
            (RuleKind.TOUCHES, Dimension.ENGAGEMENT),
            (RuleKind.RECENCY, Dimension.ENGAGEMENT),
            (RuleKind.INACTIVITY, Dimension.ENGAGEMENT),
        ]
        assert expected == [(r.kind, r.dimension) for r in rules]

    def test_unknown_kind_is_refused(self) -> None:
        """A kind that is not a RuleKind is a clear error naming the allowed kinds."""
        with pytest.raises(ValidationError, match=r"Rule\.kind must be a RuleKind"):
            Rule(id="x", kind="contains", points=1)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"kind": RuleKind.EQUALS, "attribute": "a"}, "exactly one value"),
            ({"kind": RuleKind.EQUALS, "attribute": "a", "values": (1, 2)}, "exactly one value"),
            ({"kind": RuleKind.IN, "attribute": "a"}, "at least one value"),
            ({"kind": RuleKind.RANGE, "attribute": "a"}, "minimum, a maximum or both"),
            (
                {"kind": RuleKind.RANGE, "attribute": "a", "minimum": 5, "maximum": 1},
                "above maximum",
            ),
            ({"kind": RuleKind.PRESENT}, "needs an attribute"),
            ({"kind": RuleKind.PRESENT, "attribute": "a", "window": timedelta(1)}, "does not use"),
            ({"kind": RuleKind.RECENCY}, "needs a window"),
            ({"kind": RuleKind.INACTIVITY}, "needs a window"),
            ({"kind": RuleKind.TOUCHES, "window": timedelta(0)}, "positive timedelta"),
            ({"kind": RuleKind.TOUCHES, "at_least": 0}, "at_least >= 1"),
            ({"kind": RuleKind.TOUCHES, "cap": -1}, "cap above 0"),
            ({"kind": RuleKind.TOUCHES, "attribute": "a"}, "does not use field 'attribute'"),
            ({"kind": RuleKind.TOUCHES, "kinds": ("webinar",)}, "TouchpointKind members"),
            (
                {"kind": RuleKind.TOUCHES, "channels": ("",)},
                r"Rule\.channels\[0\] must be a non-empty string",
            ),
        ],
    )
    def test_bad_rules_are_refused(self, fields: dict[str, object], message: str) -> None:
        """Each malformed rule raises a ValidationError saying what is wrong."""
        with pytest.raises(ValidationError, match=message):
            Rule(id="x", points=1, **fields)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), True, "5"])
    def test_points_must_be_finite_numbers(self, bad: object) -> None:
        """Points that are not finite numbers are refused."""
        with pytest.raises(ValidationError, match=r"Rule\.points"):
            Rule(id="x", kind=RuleKind.PRESENT, attribute="a", points=bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize(
        ("make", "pattern"),
        [
            (lambda: Rule.touches("t", points=1, channels="events"), r"Rule\.channels .*'events'"),
            (
                lambda: Rule.recency("r", points=1, window=timedelta(7), channels="email"),
                r"Rule\.channels .*'email'",
            ),
            (
                lambda: Rule(id="t", kind=RuleKind.TOUCHES, points=1, channels="events"),
                r"Rule\.channels .*'events'",
            ),
            (lambda: Rule.touches("t", points=1, kinds="webinar"), r"Rule\.kinds .*'webinar'"),
            (lambda: Rule.one_of("industry", "saas", points=1), r"Rule\.values .*'saas'"),
            (lambda: Rule.touches("t", points=1, channels=5), r"Rule\.channels .*got 5"),
        ],
    )
    def test_a_lone_string_is_not_a_sequence(self, make: object, pattern: str) -> None:
        """A string where a sequence belongs is refused whole, naming the field and the value."""
        with pytest.raises(ValidationError, match=pattern):
            make()  # type: ignore[operator]

    def test_bad_kind_names_the_value_given(self) -> None:
        """A kind given by name is refused showing that name, not one of its letters."""
        with pytest.raises(ValidationError, match=r"Rule\.kinds\[0\] .*got 'webinar'$"):
            Rule.touches("t", points=1, kinds=["webinar"])  # type: ignore[list-item]

    @pytest.mark.parametrize("label", [5, None, ("a",)])
    def test_label_must_be_text(self, label: object) -> None:
        """A label that is not a string is refused, naming Rule.label and the value."""
        with pytest.raises(
            ValidationError, match=r"Rule\.label must be a str, got " + re.escape(repr(label))
        ):
            Rule(id="p", kind=RuleKind.PRESENT, attribute="a", points=1, label=label)  # type: ignore[arg-type]

    @pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
    def test_non_finite_values_are_refused(self, bad: float) -> None:
        """A non-finite float can never equal an attribute, so a rule on it is refused."""
        with pytest.raises(
            ValidationError, match=rf"Rule\.values\[0\] must be a finite number.*{bad}"
        ):
            Rule.equals("a", bad, points=1)
        with pytest.raises(ValidationError, match=r"Rule\.values\[1\]"):
            Rule.one_of("a", [1, bad], points=1)

    def test_description_reads_the_rule(self) -> None:
        """A rule without a label describes itself; a label wins."""
        rule = Rule.touches(
            "w", points=5, kinds=[TouchpointKind.WEBINAR], channels=["events"], window=timedelta(30)
        )
        assert "each webinar via events within 30d" == rule.description
        assert (
            "employees in [-inf, 10]" == Rule.between("employees", maximum=10, points=1).description
        )
        assert (
            "no any touch within 9d"
            == Rule.inactivity("i", points=-1, window=timedelta(9)).description
        )
        assert (
            "Went quiet"
            == Rule(
                id="i", kind=RuleKind.PRESENT, attribute="a", points=1, label="Went quiet"
            ).description
        )


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
            ({"kind": DecayKind.HALF_LIFE}, "positive timedelta half_life"),
            ({"kind": DecayKind.PERIODIC, "period": timedelta(1)}, "fraction in \\(0, 1\\]"),
            ({"kind": DecayKind.PERIODIC, "period": timedelta(1), "cut": 1.5}, "fraction"),
            ({"kind": DecayKind.WINDOW, "window": timedelta(-1)}, "positive timedelta window"),
            ({"kind": DecayKind.NONE, "window": timedelta(1)}, "does not use 'window'"),
            ({"kind": "linear"}, "must be a DecayKind"),
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
