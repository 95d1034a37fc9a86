"""Period comparison: what rose and fell, from counts of two periods."""

from __future__ import annotations

import numpy as np
import pandas as pd


def with_change(df: pd.DataFrame, now: str = "current", before: str = "previous") -> pd.DataFrame:
    """Add `change` (absolute) and `change_pct` (relative; NaN when the earlier count is 0)."""
    out = df.copy()
    out["change"] = out[now] - out[before]
    out["change_pct"] = np.where(
        out[before] > 0, out["change"] / out[before].where(out[before] > 0, 1), np.nan
    )
    return out


def largest_changes(
    df: pd.DataFrame, n: int = 10, min_total: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `n` largest increases and decreases (by absolute change), ignoring units with
    fewer than `min_total` occurrences in the two periods together."""
    changed = with_change(df)
    changed = changed[(changed["current"] + changed["previous"]) >= min_total]
    rising = changed[changed["change"] > 0].sort_values(["change", "current"], ascending=False)
    falling = changed[changed["change"] < 0].sort_values(
        ["change", "previous"], ascending=[True, False]
    )
    return rising.head(n), falling.head(n)
