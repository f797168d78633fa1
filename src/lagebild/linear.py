"""The logistic score of the small linear models the stages ship (quote chooser, author and
date choosers): one definition, so each model file means the same thing wherever it is read."""

from __future__ import annotations

import math
from collections.abc import Mapping


def logistic(weights: Mapping[str, float], feats: Mapping[str, float], bias: float = 0.0) -> float:
    """P(yes) of a linear model over sparse features (z clipped so exp never overflows)."""
    z = bias + sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
