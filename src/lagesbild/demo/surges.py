"""Planted hot spots and busy nights: the extra incidents on top of the background, so that the
picture has places that rise and fall (some after an action) and two that are rising now."""

from __future__ import annotations

import numpy as np

from lagesbild.demo.forum import DEFAULT_INCIDENTS, Forum
from lagesbild.demo.patterns import SPECIAL_NIGHTS, SURGES
from lagesbild.demo.sampling import cdf, sample


def planted(forum: Forum, days: np.ndarray, names: list[str]):
    """(day index, place index, category index) of every planted incident."""
    rng = forum.rng
    scale = forum.target / DEFAULT_INCIDENTS
    n_days = len(days)
    months = days.astype("datetime64[M]").astype(int) % 12 + 1
    out_day, out_place, out_cat = [], [], []
    place_index = {p.name: i for i, (p, _) in enumerate(forum.places)}
    for surge in SURGES:
        first = max(0, n_days - surge.start_days_ago)
        last = n_days - surge.end_days_ago
        idx = np.arange(first, last)
        if surge.months:
            idx = idx[np.isin(months[idx], surge.months)]
        rate = np.full(len(idx), surge.peak_per_day)
        if surge.rising and len(idx):
            rate *= np.linspace(0.15, 1.0, len(idx))
        n = rng.poisson(rate * scale)
        d = np.repeat(idx, n)
        out_day.append(d)
        out_place.append(np.full(len(d), place_index[surge.place]))
        out_cat.append(_categories(rng, surge.categories, names, len(d)))
    day_of_month = (days - days.astype("datetime64[M]")).astype(int) + 1
    place_w = np.array([w for _, w in forum.places], dtype=float)
    place_cdf = np.cumsum(place_w) / place_w.sum()
    for night in SPECIAL_NIGHTS:
        idx = np.nonzero((months == night.month) & (day_of_month == night.day))[0]
        d = np.repeat(idx, rng.poisson(night.per_night * scale, len(idx)))
        out_day.append(d)
        out_place.append(sample(rng, place_cdf, len(d)))
        out_cat.append(_categories(rng, night.categories, names, len(d)))
    return (np.concatenate(out_day), np.concatenate(out_place), np.concatenate(out_cat))


def _categories(rng, weights: dict[str, float], names: list[str], n: int) -> np.ndarray:
    picked = sample(rng, cdf(weights, list(weights)), n)
    return np.array([names.index(c) for c in weights])[picked]
