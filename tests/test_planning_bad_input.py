"""Every planning function is total: a wrong argument is a salesmark error, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from salesmark import Period
from salesmark.errors import SalesmarkError
from salesmark.planning import (
    backtest,
    forecast,
    reverse_waterfall,
    stage_probabilities,
    weighted_pipeline,
    win_loss,
)
from strategies.planning import eur, mini_company

ORG = mini_company()
AT = datetime(2026, 6, 1, tzinfo=timezone.utc)
SEPTEMBER = Period.month(2026, 9)


class _Opaque:
    """A value of no type any argument takes; its fixed text keeps the test ids stable.

    A plain ``object()`` would name its address in the ids, which differ between the
    processes that collect the tests (``pytest -n``), so they could not share the tests.
    """

    def __repr__(self) -> str:
        return "object()"


BAD = (None, "x", 1.5, [1], _Opaque(), datetime(2026, 6, 1), True)

CALLS: dict[str, tuple[Callable[..., Any], dict[str, Any]]] = {
    "stage_probabilities": (stage_probabilities, {"org": ORG, "as_of": AT}),
    "weighted_pipeline": (
        weighted_pipeline,
        {"org": ORG, "as_of": AT, "probabilities": "measured", "level": "0.8"},
    ),
    "forecast": (
        forecast,
        {
            "org": ORG,
            "periods": SEPTEMBER,
            "level": "0.8",
            "draws": 20,
            "seed": 0,
            "new_leads": False,
            "method": "auto",
        },
    ),
    "backtest": (
        backtest,
        {
            "org": ORG,
            "periods": SEPTEMBER,
            "level": "0.8",
            "draws": 20,
            "seed": 0,
            "new_leads": False,
        },
    ),
    "reverse_waterfall": (
        reverse_waterfall,
        {"org": ORG, "target": eur(100), "period": SEPTEMBER, "as_of": AT},
    ),
    "win_loss": (win_loss, {"org": ORG, "period": SEPTEMBER, "level": "0.8"}),
}
CASES = [
    (name, argument, bad)
    for name, (_, arguments) in CALLS.items()
    for argument in arguments
    for bad in BAD
    if not (argument == "new_leads" and isinstance(bad, bool))
]


class TestTotality:
    @pytest.mark.parametrize(("name", "argument", "bad"), CASES, ids=str)
    def test_a_wrong_argument_is_a_salesmark_error(
        self, name: str, argument: str, bad: object
    ) -> None:
        """Any wrong value of any argument raises a SalesmarkError (WrongType or ValidationError)."""
        function, arguments = CALLS[name]
        with pytest.raises(SalesmarkError):
            function(**{**arguments, argument: bad})

    @pytest.mark.parametrize("bad", [*BAD, {"lead": "x"}, {"lead": None}, {3: "0.1"}], ids=str)
    def test_what_if_refuses_wrong_changes(self, bad: object) -> None:
        """A what-if with wrong changes raises a SalesmarkError."""
        plan = reverse_waterfall(ORG, eur(100), SEPTEMBER, as_of=AT)
        with pytest.raises(SalesmarkError):
            plan.what_if(bad)  # type: ignore[arg-type]
