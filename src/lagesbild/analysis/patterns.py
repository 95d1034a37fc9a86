"""Time patterns in plain words: when in the week and the year incidents happen."""

from __future__ import annotations

import pandas as pd

from lagesbild import fmt

EVENING_HOURS = range(18, 24)
NIGHT_HOURS = range(0, 6)


def grid(weekday_hour: pd.DataFrame) -> pd.DataFrame:
    """A full 7 × 24 table (weekday rows, hour columns) with zeros where nothing happened."""
    table = weekday_hour.pivot_table(
        index="weekday", columns="hour", values="occurrences", aggfunc="sum", fill_value=0
    )
    return table.reindex(index=range(7), columns=range(24), fill_value=0)


def summary(weekday_hour: pd.DataFrame) -> list[str]:
    """Sentences a chair can read out, each backed by a figure from the same table."""
    table = grid(weekday_hour)
    total = int(table.to_numpy().sum())
    if total == 0:
        return []
    sentences = []
    evening = int(table[list(EVENING_HOURS)].to_numpy().sum())
    night = int(table[list(NIGHT_HOURS)].to_numpy().sum())
    sentences.append(
        f"{fmt.percent(evening / total)} av händelserna inträffar på kvällen "
        f"(18–24) och {fmt.percent(night / total)} på natten (00–06)."
    )
    # Weekend nights: Friday and Saturday evening plus the small hours of Saturday and Sunday.
    weekend = int(
        table.loc[[4, 5], list(EVENING_HOURS)].to_numpy().sum()
        + table.loc[[5, 6], list(NIGHT_HOURS)].to_numpy().sum()
    )
    sentences.append(
        f"Helgnätterna (fredag och lördag kväll till morgonen efter) står för "
        f"{fmt.percent(weekend / total)} av händelserna."
    )
    day = int(table.sum(axis=1).idxmax())
    hour = int(table.sum(axis=0).idxmax())
    sentences.append(
        f"Flest händelser sker på {fmt.WEEKDAYS[day]}ar och under timmen "
        f"{hour:02d}–{(hour + 1) % 24:02d}."
    )
    return sentences


def per_month(months: pd.DataFrame) -> pd.DataFrame:
    """Average occurrences per calendar month over the years present. Columns: month (1–12),
    average, years."""
    if months.empty:
        return pd.DataFrame({"month": range(1, 13), "average": 0.0, "years": 0})
    years = months.groupby("month")["year"].nunique()
    totals = months.groupby("month")["occurrences"].sum()
    out = pd.DataFrame({"month": range(1, 13)})
    out["years"] = out["month"].map(years).fillna(0).astype(int)
    out["average"] = (
        out["month"].map(totals).fillna(0) / out["years"].where(out["years"] > 0, 1)
    ).astype(float)
    return out
