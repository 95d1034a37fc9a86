"""Hot spots: places (and map cells) that are new or escalating against their own baseline.

The rule, stated so it can be explained on the page and tested:

1. For every place, count the reports in the *recent window* (by default the last 4 weeks)
   and in the *baseline*: the 52 weeks just before it.
2. If the place's level had not changed, each of its reports would fall in the recent window
   with probability p0 = recent / (recent + baseline) length (4 of 56 weeks, about 7 %). The
   expected recent count is that share of all its reports.
3. How surprising the recent count is: the probability that at least that many of the place's
   reports fall in the recent window when the level is unchanged (the exact conditional test
   for comparing two Poisson rates: a one-sided binomial test). It accounts for the baseline
   being an estimate too, so a place with a short, thin history is not flagged on luck.
4. Many places are tested at once, so the probabilities are adjusted with Benjamini–Hochberg:
   among the places flagged, at most `alpha` (5 %) are expected to be false alarms.
5. Flagged: adjusted probability ≤ alpha, at least `min_recent` reports, and at least
   `min_ratio` times the level of the baseline. "Ny" if the baseline had none, else
   "Eskalerande". Decreases are found the same way in the other direction ("Minskande").

Reports (incident rows) are counted, not occurrences: one report of five tags is one event
for the statistics, which keeps the Poisson assumption honest. Places with no reports in
either window are not tested at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lagesbild import geo
from lagesbild.filters import Window

NEW = "Ny"
ESCALATING = "Eskalerande"
DECREASING = "Minskande"


@dataclass(frozen=True)
class Rule:
    recent_days: int = 28
    baseline_days: int = 364
    alpha: float = 0.05
    min_recent: int = 3
    min_ratio: float = 1.5


def window_name(rule: Rule = Rule()) -> str:
    """The recent window in words, for every place that shows hot spots."""
    if rule.recent_days % 7 == 0:
        weeks = rule.recent_days // 7
        return "senaste veckan" if weeks == 1 else f"senaste {weeks} veckorna"
    return f"senaste {rule.recent_days} dagarna"


def benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    """Adjusted p-values (q-values) controlling the false discovery rate."""
    p = np.asarray(p_values, dtype=float)
    n = len(p)
    if n == 0:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def certainty(q_value: float) -> str:
    """Plain Swedish for how sure the flag is."""
    if q_value < 0.001:
        return "Mycket säker"
    if q_value < 0.01:
        return "Säker"
    return "Trolig"


def evaluate(counts: pd.DataFrame, rule: Rule = Rule()) -> pd.DataFrame:
    """Add expected, ratio, p_up, p_down, q_up, q_down, status and certainty to a frame with
    `recent` and `baseline` report counts per unit. Every unit with any report is tested."""
    df = counts.copy()
    if df.empty:
        for col in ("expected", "ratio", "p_up", "p_down", "q_up", "q_down"):
            df[col] = pd.Series(dtype=float)
        df["status"] = pd.Series(dtype=str)
        df["certainty"] = pd.Series(dtype=str)
        return df
    share = rule.recent_days / (rule.recent_days + rule.baseline_days)
    baseline = df["baseline"].astype(int)
    recent = df["recent"].astype(int)
    total = recent + baseline
    df["expected"] = baseline * rule.recent_days / rule.baseline_days
    df["ratio"] = np.where(
        df["expected"] > 0, recent / df["expected"].where(df["expected"] > 0, 1), np.inf
    )
    # scipy.stats takes about a second to import: only a screen that looks for hot spots pays it.
    from scipy.stats import binom

    df["p_up"] = binom.sf(recent - 1, total, share)  # P(at least `recent` of `total`)
    df["p_down"] = binom.cdf(recent, total, share)  # P(at most `recent` of `total`)
    df["q_up"] = benjamini_hochberg(df["p_up"].to_numpy())
    df["q_down"] = benjamini_hochberg(df["p_down"].to_numpy())
    up = (df["q_up"] <= rule.alpha) & (recent >= rule.min_recent) & (df["ratio"] >= rule.min_ratio)
    down = (df["q_down"] <= rule.alpha) & (baseline > 0) & (df["ratio"] <= 1 / rule.min_ratio)
    df["status"] = np.select(
        [up & (baseline == 0), up, down], [NEW, ESCALATING, DECREASING], default=""
    )
    q = np.where(df["status"] == DECREASING, df["q_down"], df["q_up"])
    df["certainty"] = [certainty(v) if s else "" for v, s in zip(q, df["status"], strict=True)]
    return df


def windows(end: dt.datetime, rule: Rule = Rule()) -> tuple[Window, Window]:
    """The recent window in whole days, ending with the day of `end` (exclusive end), and
    the baseline just before it."""
    last = dt.datetime.combine((end - dt.timedelta(microseconds=1)).date(), dt.time())
    last += dt.timedelta(days=1)
    recent = Window(last - dt.timedelta(days=rule.recent_days), last)
    return recent, Window(recent.start - dt.timedelta(days=rule.baseline_days), recent.start)


def locate(result: pd.DataFrame, places: pd.DataFrame) -> pd.DataFrame:
    """Name and position every unit: a place by its own name, a cell by the nearest place
    ("Ruta nära …"). Adds name, lat, lon; `places` has id, name, lat, lon."""
    df = result.copy()
    names = dict(zip(places["id"], places["name"], strict=True))
    candidates = list(zip(places["name"], places["lat"], places["lon"], strict=True))
    positions = places.set_index("id")
    is_place = df["kind"] == "plats"

    def name(row) -> str:
        if row.kind == "plats":
            return names.get(row.place_id, "Okänd plats")
        near = geo.nearest(row.cell_lat, row.cell_lon, candidates)
        return f"Ruta nära {near}" if near else f"Ruta {row.cell_lat:.3f}, {row.cell_lon:.3f}"

    df["name"] = [name(r) for r in df.itertuples()] if len(df) else pd.Series(dtype=str)
    df["lat"] = df["place_id"].map(positions["lat"]).where(is_place, df["cell_lat"])
    df["lon"] = df["place_id"].map(positions["lon"]).where(is_place, df["cell_lon"])
    return df


def flagged(result: pd.DataFrame) -> pd.DataFrame:
    """New and escalating units, surest first."""
    up = result[result["status"].isin([NEW, ESCALATING])]
    return up.sort_values(["q_up", "ratio"], ascending=[True, False])


def falling(result: pd.DataFrame) -> pd.DataFrame:
    return result[result["status"] == DECREASING].sort_values("q_down")
