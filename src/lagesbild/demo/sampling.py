"""Vectorised drawing from weighted choices."""

from __future__ import annotations

import numpy as np


def cdf(weights: dict[str, float], names: list[str]) -> np.ndarray:
    """The cumulative distribution over `names` (missing names weigh nothing)."""
    w = np.array([weights.get(n, 0.0) for n in names], dtype=float)
    return np.cumsum(w) / w.sum()


def sample(rng: np.random.Generator, cdf: np.ndarray, n: int) -> np.ndarray:
    """`n` indices drawn from the distribution `cdf`."""
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)
