"""The picture of a period against the usual level: counts by category group and by area,
set against the average of an equally long stretch over the year before, and the hot spots.
Shared by the meeting view ("new since the last meeting") and its minutes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Connection

from lagesbild.analysis import hotspots
from lagesbild.filters import Scope, Window
from lagesbild.queries import hotspots as hotspot_queries
from lagesbild.queries import incidents, lookup
from lagesbild.queries.common import Viewer

BASELINE_DAYS = 364


@dataclass(frozen=True)
class Picture:
    window: Window
    groups: pd.DataFrame  # group, current, usual
    areas: pd.DataFrame  # area, current, usual
    hotspots: pd.DataFrame  # new and escalating: name, status, recent, expected, certainty …
    hotspot_rule: hotspots.Rule  # the Hot spots page's rule, ending with the window's last day
    total: int
    usual_total: float
    usual_range: tuple[float, float]  # the normal variation: see `usual_range`


def usual_level(window: Window) -> Window:
    """The year just before the window; its counts scaled to the window's length are the
    usual level."""
    return Window(window.start - dt.timedelta(days=BASELINE_DAYS), window.start)


def usual_range(conn: Connection, *, viewer: Viewer, window: Window) -> tuple[float, float]:
    """How many occurrences a stretch as long as the window usually has: the 10th and 90th
    percentile over every such stretch of the year before (whole days, slid a day at a
    time). Eight stretches in ten lie in this range."""
    first = dt.datetime.combine(window.start.date(), dt.time())
    year = Window(first - dt.timedelta(days=BASELINE_DAYS), first)
    daily = incidents.series(conn, scope=Scope(window=year, label=""), viewer=viewer, bucket="day")
    days = [(year.start + dt.timedelta(days=i)).date() for i in range(BASELINE_DAYS)]
    counts = daily.set_index("bucket")["occurrences"].reindex(days, fill_value=0)
    length = max(1, round(window.days))
    sums = counts.rolling(length).sum().dropna() * window.days / length
    if sums.empty:
        return 0.0, 0.0
    return float(sums.quantile(0.1)), float(sums.quantile(0.9))


def _against_usual(
    conn: Connection, *, viewer: Viewer, window: Window, dim: str, orgs: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Occurrences per `dim` in the window ("current") and the usual level ("usual")."""
    scope = Scope(window=window, label="", orgs=orgs)
    windows = {"current": window, "usual": usual_level(window)}
    df = incidents.window_counts(conn, scope=scope, viewer=viewer, windows=windows, dims=(dim,))
    df["usual"] = df["usual"] * window.days / BASELINE_DAYS
    return df


def _categories(
    conn: Connection, *, viewer: Viewer, window: Window, orgs: tuple[int, ...] = ()
) -> pd.DataFrame:
    df = _against_usual(conn, viewer=viewer, window=window, dim="category", orgs=orgs)
    cats = lookup.categories(conn, active_only=False).set_index("id")
    df["group"] = df["category"].map(cats["group"])
    df["category"] = df["category"].map(cats["name"])
    return df[["category", "group", "current", "usual"]]


def by_category(
    conn: Connection, *, viewer: Viewer, window: Window, orgs: tuple[int, ...] = ()
) -> pd.DataFrame:
    """Columns: category, group, current, usual (the ones that occur, most first)."""
    return _ordered(_categories(conn, viewer=viewer, window=window, orgs=orgs), "category")


def picture(conn: Connection, *, viewer: Viewer, window: Window, lat: float) -> Picture:
    categories = _categories(conn, viewer=viewer, window=window)

    groups = categories.groupby("group", as_index=False)[["current", "usual"]].sum()
    by_area = _against_usual(conn, viewer=viewer, window=window, dim="area")
    names = lookup.areas(conn, active_only=False).set_index("id")["name"]
    by_area["area"] = by_area["area"].map(names).fillna("Utan område")
    areas = by_area.groupby("area", as_index=False)[["current", "usual"]].sum()
    found = hotspot_queries.flagged(
        conn, scope=Scope(window=window, label=""), viewer=viewer, lat=lat
    )
    return Picture(
        window=window,
        groups=_ordered(groups, "group"),
        areas=_ordered(areas, "area"),
        hotspots=found,
        hotspot_rule=hotspot_queries.RULE,
        total=int(categories["current"].sum()),
        usual_total=float(categories["usual"].sum()),
        usual_range=usual_range(conn, viewer=viewer, window=window),
    )


def _ordered(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame = frame[(frame["current"] > 0) | (frame["usual"] >= 0.5)]
    return frame.sort_values(["current", name], ascending=[False, True]).reset_index(drop=True)
