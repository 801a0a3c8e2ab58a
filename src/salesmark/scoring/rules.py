"""Scoring rules: declarative, serializable statements of what a lead earns points for.

A :data:`ScoringRule` is any one of seven small classes, one per kind of test:
fit rules look at who the lead is (its attributes, :mod:`salesmark.scoring.fit`),
engagement rules at what it did (its touchpoints up to the scoring time,
:mod:`salesmark.scoring.engagement`).

========================  ==============  ===========  ==========================================
class                     ``kind`` tag    dimension    fires when
========================  ==============  ===========  ==========================================
``AttributeEquals``       ``equals``      fit          the attribute equals one value
``AttributeOneOf``        ``in``          fit          the attribute is one of several values
``AttributeInRange``      ``range``       fit          the numeric attribute lies in bounds
``AttributePresent``      ``present``     fit          the attribute is given and not blank
``EachTouch``             ``touches``     engagement   matching touches count (points per touch)
``RecentTouch``           ``recency``     engagement   the latest matching touch is recent
``NoRecentTouch``         ``inactivity``  engagement   no matching touch lately
========================  ==============  ===========  ==========================================

The package converter writes a rule as a mapping of its fields plus its ``kind`` tag
and reads it back by that tag (a tagged union), so a model is plain data.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeAlias

from salesmark.scoring.engagement import EachTouch, NoRecentTouch, RecentTouch
from salesmark.scoring.fit import (
    AttributeEquals,
    AttributeInRange,
    AttributeOneOf,
    AttributePresent,
)

__all__ = ["RULE_KINDS", "SCORING_RULES", "ScoringRule", "rule_kind"]

ScoringRule: TypeAlias = (
    AttributeEquals
    | AttributeOneOf
    | AttributeInRange
    | AttributePresent
    | EachTouch
    | RecentTouch
    | NoRecentTouch
)
"""Any scoring rule: one of the fit or engagement rule classes.

Example:
    >>> from datetime import timedelta
    >>> rules: tuple[ScoringRule, ...] = (
    ...     AttributeEquals(attribute="industry", value="saas", points=10),
    ...     NoRecentTouch(id="dormant", points=-20, window=timedelta(days=90)),
    ... )
    >>> [(r.kind, r.dimension.value, r.description) for r in rules]
    [('equals', 'fit', "industry = 'saas'"), ('inactivity', 'engagement', 'no any touch within 90d')]
"""

SCORING_RULES: tuple[type[ScoringRule], ...] = (
    AttributeEquals,
    AttributeOneOf,
    AttributeInRange,
    AttributePresent,
    EachTouch,
    RecentTouch,
    NoRecentTouch,
)
"""Every rule class, fit rules first, for ``isinstance`` checks.

Example:
    >>> isinstance(AttributePresent(attribute="phone", points=5), SCORING_RULES)
    True
"""

RULE_KINDS: Mapping[str, type[ScoringRule]] = MappingProxyType(
    {cls.kind: cls for cls in SCORING_RULES}
)
"""Each rule class by its ``kind`` tag, in the order of the table above.

Example:
    >>> list(RULE_KINDS)
    ['equals', 'in', 'range', 'present', 'touches', 'recency', 'inactivity']
    >>> RULE_KINDS["present"].__name__
    'AttributePresent'
"""


def rule_kind(cls: type[ScoringRule]) -> str:
    """The ``kind`` tag stored models give rules of class ``cls``.

    Example:
        >>> rule_kind(EachTouch)
        'touches'
    """
    return cls.kind
