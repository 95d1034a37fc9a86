"""Aggregations of incidents for the analysis pages, all computed in the database.

Every function takes a resolved `Scope` (window and ids) and a `Viewer` (who is looking) and
returns a small DataFrame. `occurrences` is the sum of `count` (what every figure shows);
`reports` is the number of incident rows (what the hot-spot statistics count).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.engine import Connection

from lagesbild.filters import Scope, Window
from lagesbild.models import (
    Area,
    Category,
    CategoryGroup,
    Incident,
    LocationPrecision,
    Organisation,
    Place,
    day_number,
)
from lagesbild.queries import buckets
from lagesbild.queries.common import Viewer, frame, visible_incidents

OCCURRENCES = func.coalesce(func.sum(Incident.count), 0)
REPORTS = func.count(Incident.id)
POINT_LIMIT = 3_000  # above this the map shows cells aggregated in SQL
MAX_CELLS = 2_500  # cells sent to the map at most (about)
BASE_CELLS = 40_000  # fine grid over the forum's extent, coarsened for the map
HOTSPOT_CELL_M = 250  # size of the cells tested for hot spots (incidents without a place)


def in_window(window: Window) -> ColumnElement[bool]:
    """The window's days (an index range) and its exact times (read from the same index)."""
    last = window.end - dt.timedelta(microseconds=1)
    return and_(
        Incident.day >= day_number(window.start),
        Incident.day <= day_number(last),
        Incident.occurred_at >= window.start,
        Incident.occurred_at < window.end,
    )


def in_days(window: Window) -> ColumnElement[bool]:
    """For windows that start and end at midnight: the day numbers alone (cheaper)."""
    if window.start.time() != dt.time() or window.end.time() != dt.time():
        return in_window(window)
    return and_(Incident.day >= day_number(window.start), Incident.day < day_number(window.end))


def selection(*, scope: Scope, viewer: Viewer, window: bool = True) -> list[ColumnElement[bool]]:
    """WHERE conditions for the scope's ids (and its window, unless told not to)."""
    conditions = [visible_incidents(viewer=viewer)]
    if window:
        conditions.append(in_window(scope.window))
    if scope.categories:
        conditions.append(Incident.category_id.in_(scope.categories))
    if scope.places:
        conditions.append(Incident.place_id.in_(scope.places))
    if scope.areas:
        conditions.append(Incident.area_id.in_(scope.areas))
    if scope.orgs:
        conditions.append(Incident.reporting_org_id.in_(scope.orgs))
    return conditions


def first_incident(conn: Connection, *, viewer: Viewer) -> dt.datetime | None:
    return conn.scalar(
        select(func.min(Incident.occurred_at)).where(visible_incidents(viewer=viewer))
    )


def totals(conn: Connection, *, scope: Scope, viewer: Viewer) -> dict[str, int]:
    row = conn.execute(
        select(OCCURRENCES.label("occurrences"), REPORTS.label("reports")).where(
            *selection(scope=scope, viewer=viewer)
        )
    ).one()
    return {"occurrences": int(row.occurrences), "reports": int(row.reports)}


_DIMENSIONS = {
    "category": Incident.category_id,
    "area": Incident.area_id,
    "place": Incident.place_id,
    "org": Incident.reporting_org_id,
}


def _days(df: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(df["day"].astype("int64"), unit="D")


def to_bucket(days: pd.Series, bucket: str) -> pd.Series:
    """Dates of day numbers' bucket starts: the day, the ISO week's Monday, the month's 1st."""
    stamps = pd.to_datetime(days.astype("int64"), unit="D")
    if bucket == "week":
        stamps = stamps - pd.to_timedelta(stamps.dt.day_of_week, unit="D")
    elif bucket == "month":
        stamps = stamps.dt.to_period("M").dt.to_timestamp()
    return stamps.dt.date


def series(
    conn: Connection, *, scope: Scope, viewer: Viewer, bucket: str, dims: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Occurrences per time bucket ('day', 'week', 'month') and the given dimensions
    (category, area, place, org ids). Columns: bucket (date), *dims, occurrences.

    Counted per day in the database (in the order of the facts index, without sorting when
    split by category), then summed to weeks or months here: at most a few thousand rows."""
    dim_cols = [_DIMENSIONS[d].label(d) for d in dims]
    stmt = (
        select(Incident.day, *dim_cols, OCCURRENCES.label("occurrences"))
        .where(*selection(scope=scope, viewer=viewer))
        .group_by(Incident.day, *[_DIMENSIONS[d] for d in dims])
    )
    df = frame(conn, stmt, ["day", *dims, "occurrences"])
    df["bucket"] = to_bucket(df["day"], bucket)
    out = (
        df.groupby(["bucket", *dims], dropna=False, as_index=False)["occurrences"].sum()
        if not df.empty
        else pd.DataFrame(columns=["bucket", *dims, "occurrences"])
    )
    out["occurrences"] = out["occurrences"].astype(int)
    return out.sort_values(["bucket", *dims]).reset_index(drop=True)


def compare(
    conn: Connection, *, scope: Scope, viewer: Viewer, dims: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Occurrences in the scope's window, the period before it and the same period last
    year, per dimensions (or in total). Columns: *dims, current, previous, last_year."""
    windows = {
        "current": scope.window,
        "previous": scope.previous.window,
        "last_year": scope.last_year.window,
    }
    return window_counts(conn, scope=scope, viewer=viewer, windows=windows, dims=dims)


def window_counts(
    conn: Connection,
    *,
    scope: Scope,
    viewer: Viewer,
    windows: dict[str, Window],
    dims: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Occurrences of the scope's selection in each named window, per dimensions (or in
    total). One query per window, each reading only its own days. Columns: *dims, *names."""
    parts = []

    for name, window in windows.items():
        keys = [_DIMENSIONS[d].label(d) for d in dims]
        stmt = select(*keys, OCCURRENCES.label(name)).where(
            *selection(scope=scope.with_window(window), viewer=viewer)
        )
        if dims:
            stmt = stmt.group_by(*[_DIMENSIONS[d] for d in dims])
        part = frame(conn, stmt, [*dims, name])
        parts.append(part.set_index(list(dims)) if dims else part)
    df = pd.concat(parts, axis=1).fillna(0)
    if dims:
        df = df.reset_index()
    for name in windows:
        df[name] = df[name].astype(int)
    return df


def weekday_hour(conn: Connection, *, scope: Scope, viewer: Viewer) -> pd.DataFrame:
    """Columns: weekday (0 = Monday), hour, occurrences."""
    weekday = ((Incident.day + 3) % 7).label("weekday")  # 1970-01-01 was a Thursday
    stmt = (
        select(weekday, Incident.hour, OCCURRENCES.label("occurrences"))
        .where(*selection(scope=scope, viewer=viewer))
        .group_by(weekday, Incident.hour)
    )
    return frame(conn, stmt, ["weekday", "hour", "occurrences"]).astype(int)


def month_of_year(conn: Connection, *, scope: Scope, viewer: Viewer) -> pd.DataFrame:
    """Columns: year, month (1–12), occurrences. Counted per day in the database."""
    stmt = (
        select(Incident.day, OCCURRENCES.label("occurrences"))
        .where(*selection(scope=scope, viewer=viewer))
        .group_by(Incident.day)
    )
    df = frame(conn, stmt, ["day", "occurrences"])
    stamps = _days(df)
    out = (
        df.assign(year=stamps.dt.year, month=stamps.dt.month)
        .groupby(["year", "month"], as_index=False)["occurrences"]
        .sum()
    )
    return out.astype(int)


def _mappable() -> list[ColumnElement[bool]]:
    return [
        Incident.lat.is_not(None),
        Incident.lon.is_not(None),
        Incident.precision != LocationPrecision.APPROXIMATE.value,
    ]


def cell_size(
    box: tuple[float, float, float, float] | None, max_cells: int = MAX_CELLS
) -> tuple[float, float]:
    """Cell size in degrees (lat, lon), roughly square on the ground, so that a box
    (min_lon, min_lat, max_lon, max_lat) is covered by at most about `max_cells` cells;
    never smaller than about 100 m."""
    if box is None:
        return 0.01, 0.01
    min_lon, min_lat, max_lon, max_lat = box
    aspect = max(0.2, math.cos(math.radians((min_lat + max_lat) / 2)))
    height = max(max_lat - min_lat, 0.001)
    width = max((max_lon - min_lon) * aspect, 0.001)
    size = max(math.sqrt(height * width / max_cells), 0.0009)
    return size, size / aspect


def metre_cells(metres: float, lat: float) -> tuple[float, float]:
    """A cell about `metres` on a side at latitude `lat`, in degrees (lat, lon)."""
    dlat = metres / 111_320
    return dlat, dlat / max(0.2, math.cos(math.radians(lat)))


def map_facts(
    conn: Connection, *, scope: Scope, viewer: Viewer, base: tuple[float, float]
) -> pd.DataFrame:
    """Everything the map needs about incidents in one pass: occurrences and reports per area,
    position precision and fine grid cell (`base` degrees), with each cell's exact extent.
    Incidents without a position have no cell but still count for their area.
    Columns: area, precision, row, col, occurrences, reports, min_lat, max_lat, min_lon,
    max_lon."""
    dlat, dlon = base
    row = buckets.floor_int((Incident.lat + 90.0) / dlat).label("row")
    col = buckets.floor_int((Incident.lon + 180.0) / dlon).label("col")
    stmt = (
        select(
            Incident.area_id,
            Incident.precision,
            row,
            col,
            OCCURRENCES.label("occurrences"),
            REPORTS.label("reports"),
            func.min(Incident.lat),
            func.max(Incident.lat),
            func.min(Incident.lon),
            func.max(Incident.lon),
        )
        .where(*selection(scope=scope, viewer=viewer))
        .group_by(Incident.area_id, Incident.precision, row, col)
    )
    return frame(
        conn,
        stmt,
        [
            "area",
            "precision",
            "row",
            "col",
            "occurrences",
            "reports",
            "min_lat",
            "max_lat",
            "min_lon",
            "max_lon",
        ],
    )


@dataclass(frozen=True)
class MapSummary:
    extent: tuple[float, float, float, float] | None  # min_lon, min_lat, max_lon, max_lat
    reports: int  # with an exact position
    occurrences: int  # with an exact position
    area_counts: dict[int, int]  # every occurrence in the selection, by area
    approximate: pd.DataFrame  # lat, lon, occurrences
    cells: pd.DataFrame  # row, col, occurrences, reports, south, west
    size: tuple[float, float]


def summarise_map(
    facts: pd.DataFrame, base: tuple[float, float], max_cells: int = MAX_CELLS
) -> MapSummary:
    """Turn `map_facts` into the map's figures: the extent, area totals, approximate
    positions, and cells coarsened to a whole multiple of the base size (so that each fine
    cell falls in exactly one map cell)."""
    areas = facts.dropna(subset=["area"]).groupby("area")["occurrences"].sum()
    area_counts = {int(a): int(n) for a, n in areas.items()}
    approx_rows = facts[facts["precision"] == LocationPrecision.APPROXIMATE.value].dropna(
        subset=["row"]
    )
    approximate = (
        approx_rows.groupby(["min_lat", "min_lon"], as_index=False)["occurrences"]
        .sum()
        .rename(columns={"min_lat": "lat", "min_lon": "lon"})
    )
    exact = facts[
        (facts["precision"] != LocationPrecision.APPROXIMATE.value) & facts["row"].notna()
    ]
    if exact.empty:
        empty = pd.DataFrame(columns=["row", "col", "occurrences", "reports", "south", "west"])
        return MapSummary(None, 0, 0, area_counts, approximate, empty, base)
    extent = (
        float(exact["min_lon"].min()),
        float(exact["min_lat"].min()),
        float(exact["max_lon"].max()),
        float(exact["max_lat"].max()),
    )
    wanted = cell_size(extent, max_cells)
    factor = max(1, math.ceil(wanted[0] / base[0] - 1e-9))
    size = (base[0] * factor, base[1] * factor)
    coarse = exact.assign(
        row=exact["row"].astype(int) // factor, col=exact["col"].astype(int) // factor
    )
    cells = coarse.groupby(["row", "col"], as_index=False)[["occurrences", "reports"]].sum()
    cells["south"] = cells["row"] * size[0] - 90.0
    cells["west"] = cells["col"] * size[1] - 180.0
    return MapSummary(
        extent,
        int(exact["reports"].sum()),
        int(exact["occurrences"].sum()),
        area_counts,
        approximate,
        cells,
        size,
    )


def points(
    conn: Connection, *, scope: Scope, viewer: Viewer, limit: int = POINT_LIMIT
) -> pd.DataFrame:
    """Single incidents for the map, with what a tooltip needs. Columns: id, lat, lon,
    occurred_at, category, group, colour, place, organisation, count."""
    stmt = (
        select(
            Incident.id,
            Incident.lat,
            Incident.lon,
            Incident.occurred_at,
            Category.name.label("category"),
            CategoryGroup.name.label("group"),
            CategoryGroup.colour.label("colour"),
            Place.name.label("place"),
            Organisation.short_name.label("organisation"),
            Incident.count,
        )
        .join(Category, Incident.category_id == Category.id)
        .join(CategoryGroup, Category.group_id == CategoryGroup.id)
        .join(Organisation, Incident.reporting_org_id == Organisation.id)
        .outerjoin(Place, Incident.place_id == Place.id)
        .where(*selection(scope=scope, viewer=viewer), *_mappable())
        .order_by(Incident.occurred_at.desc())
        .limit(limit)
    )
    return frame(conn, stmt)


def incident_rows():
    """Incidents with what people read about them. Columns: id, occurred_at, occurred_until,
    group, category, place, area, lat, lon, precision, organisation, count, description,
    source."""
    return (
        select(
            Incident.id,
            Incident.occurred_at,
            Incident.occurred_until,
            CategoryGroup.name.label("group"),
            Category.name.label("category"),
            Place.name.label("place"),
            Area.name.label("area"),
            Incident.lat,
            Incident.lon,
            Incident.precision,
            Organisation.short_name.label("organisation"),
            Incident.count,
            Incident.description,
            Incident.source,
        )
        .join(Category, Incident.category_id == Category.id)
        .join(CategoryGroup, Category.group_id == CategoryGroup.id)
        .join(Organisation, Incident.reporting_org_id == Organisation.id)
        .outerjoin(Place, Incident.place_id == Place.id)
        .outerjoin(Area, Incident.area_id == Area.id)
    )


def listing(
    conn: Connection,
    *,
    scope: Scope,
    viewer: Viewer,
    limit: int | None = 500,
    place_id: int | None = None,
    area_id: int | None = None,
    group_id: int | None = None,
) -> pd.DataFrame:
    """The incidents behind a figure, newest first (a drill-down or an export); the columns of
    `incident_rows`."""
    stmt = (
        incident_rows()
        .where(*selection(scope=scope, viewer=viewer))
        .order_by(Incident.occurred_at.desc(), Incident.id.desc())
    )
    if place_id is not None:
        stmt = stmt.where(Incident.place_id == place_id)
    if area_id is not None:
        stmt = stmt.where(Incident.area_id == area_id)
    if group_id is not None:
        stmt = stmt.where(Category.group_id == group_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return frame(conn, stmt)


def unit_window_counts(
    conn: Connection,
    *,
    scope: Scope,
    viewer: Viewer,
    recent: Window,
    baseline: Window,
    size: tuple[float, float],
) -> pd.DataFrame:
    """Reports per place, and per grid cell for incidents with an exact point but no place,
    in a recent window and a baseline window (for the hot-spot rule), in one pass over the
    days of both windows. Approximate positions are left out: a municipality's centroid is not
    a place. Columns: kind ('plats'|'cell'), place_id, row, col, recent, baseline."""
    dlat, dlon = size
    span = Window(min(recent.start, baseline.start), max(recent.end, baseline.end))
    row = buckets.floor_int((Incident.lat + 90.0) / dlat).label("row")
    col = buckets.floor_int((Incident.lon + 180.0) / dlon).label("col")
    stmt = (
        select(
            Incident.place_id,
            row,
            col,
            func.sum(case((in_days(recent), 1), else_=0)).label("recent"),
            func.sum(case((in_days(baseline), 1), else_=0)).label("baseline"),
        )
        .where(
            *selection(scope=scope, viewer=viewer, window=False),
            in_days(span),
            Incident.precision != LocationPrecision.APPROXIMATE.value,
            Incident.place_id.is_not(None)
            | (Incident.lat.is_not(None) & Incident.lon.is_not(None)),
        )
        .group_by(Incident.place_id, row, col)
    )
    df = frame(conn, stmt, ["place_id", "row", "col", "recent", "baseline"])
    at_place = df[df["place_id"].notna()]
    places = (
        at_place.groupby("place_id", as_index=False)[["recent", "baseline"]]
        .sum()
        .assign(kind="plats", row=None, col=None)
    )
    cells_ = df[df["place_id"].isna()].assign(kind="cell")
    columns = ["kind", "place_id", "row", "col", "recent", "baseline"]
    parts = [f[columns] for f in (places, cells_) if not f.empty]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    out[["recent", "baseline"]] = out[["recent", "baseline"]].fillna(0).astype(int)
    return out


def detail(conn: Connection, incident_id: int) -> dict | None:
    """One incident as stored (for correcting it). Keys: the incident's columns."""
    table = Incident.__table__
    row = conn.execute(select(table).where(table.c.id == incident_id)).mappings().first()
    return dict(row) if row else None
